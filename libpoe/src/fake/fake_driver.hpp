// SPDX-License-Identifier: Apache-2.0
#pragma once

// The `fake` driver: a connection to an in-memory FakeSwitch. Used by the
// demo, by tests and for dry runs.

#include <poe/driver.hpp>
#include <poe/registry.hpp>

#include <memory>

namespace poe::fake {

class FakeSwitch;

class FakeDriver final : public Driver {
public:
    explicit FakeDriver(std::shared_ptr<FakeSwitch> device);
    ~FakeDriver() override;
    FakeDriver(const FakeDriver&) = delete;
    FakeDriver& operator=(const FakeDriver&) = delete;

    [[nodiscard]] const std::shared_ptr<FakeSwitch>& device() const { return device_; }

private:
    Result<void> do_connect(Deadline deadline) override;
    void do_disconnect() noexcept override;
    Result<std::vector<PortStatus>> do_read_ports(Deadline deadline) override;
    Result<void> do_set_admin(std::span<const PortChange> changes, Deadline deadline) override;
    Result<void> do_ping(Deadline deadline) override;
    Result<void> do_save_config(Deadline deadline) override;
    [[nodiscard]] Result<std::string> do_normalize_port(std::string_view name) const override;
    [[nodiscard]] DriverCapabilities do_capabilities() const override;

    std::shared_ptr<FakeSwitch> device_;
    bool session_open_{false};
};

/// Registry entry for "fake" (options: ports, latency_ms, detect_delay_ms, initial).
DriverInfo driver_info();

}  // namespace poe::fake
