// SPDX-License-Identifier: Apache-2.0
#include "support/test_drivers.hpp"

#include "fake/fake_driver.hpp"

#include <cctype>
#include <charconv>

namespace maas_bridge::testing {
namespace {

class LabDriver final : public poe::Driver {
public:
    LabDriver() = default;
    ~LabDriver() override = default;
    LabDriver(const LabDriver&) = delete;
    LabDriver& operator=(const LabDriver&) = delete;

private:
    poe::Result<void> do_connect(poe::Deadline) override {
        return poe::make_error(poe::ErrorCode::connect_failed, "lab driver never connects");
    }
    void do_disconnect() noexcept override {}
    poe::Result<std::vector<poe::PortStatus>> do_read_ports(poe::Deadline) override {
        return poe::make_error(poe::ErrorCode::connect_failed, "lab driver never connects");
    }
    poe::Result<void> do_set_admin(std::span<const poe::PortChange>, poe::Deadline) override {
        return poe::make_error(poe::ErrorCode::connect_failed, "lab driver never connects");
    }
    poe::Result<void> do_ping(poe::Deadline) override { return poe::success(); }
    [[nodiscard]] poe::Result<std::string> do_normalize_port(std::string_view name) const override {
        std::string lower;
        for (const char c : name) {
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (!lower.starts_with("port") || lower.size() == 4) {
            return poe::make_error(poe::ErrorCode::invalid_argument, "expected portN");
        }
        unsigned number = 0;
        const auto [end, ec] = std::from_chars(lower.data() + 4, lower.data() + lower.size(), number);
        if (ec != std::errc{} || end != lower.data() + lower.size()) {
            return poe::make_error(poe::ErrorCode::invalid_argument, "expected portN");
        }
        return "port" + std::to_string(number);
    }
};

class GatedDriver final : public poe::Driver {
public:
    GatedDriver(std::unique_ptr<poe::Driver> inner, std::shared_ptr<WriteGate> gate)
        : inner_(std::move(inner)), gate_(std::move(gate)) {}
    ~GatedDriver() override = default;
    GatedDriver(const GatedDriver&) = delete;
    GatedDriver& operator=(const GatedDriver&) = delete;

private:
    poe::Result<void> do_connect(poe::Deadline deadline) override { return inner_->connect(deadline); }
    void do_disconnect() noexcept override { inner_->disconnect(); }
    poe::Result<std::vector<poe::PortStatus>> do_read_ports(poe::Deadline deadline) override {
        return inner_->read_ports(deadline);
    }
    poe::Result<void> do_set_admin(std::span<const poe::PortChange> changes,
                                   poe::Deadline deadline) override {
        gate_->arrived();
        gate_->wait_open();
        return inner_->set_admin(changes, deadline);
    }
    poe::Result<void> do_ping(poe::Deadline deadline) override { return inner_->ping(deadline); }
    [[nodiscard]] poe::Result<std::string> do_normalize_port(std::string_view name) const override {
        return inner_->normalize_port(name);
    }
    [[nodiscard]] poe::DriverCapabilities do_capabilities() const override { return inner_->capabilities(); }

    std::unique_ptr<poe::Driver> inner_;
    std::shared_ptr<WriteGate> gate_;
};

}  // namespace

void WriteGate::open() {
    const std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
}

void WriteGate::wait_open() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return open_; });
}

void WriteGate::arrived() {
    const std::lock_guard lock(mutex_);
    if (!signalled_) {
        signalled_ = true;
        entered_promise_.set_value();
    }
}

poe::DriverInfo lab_driver_info() {
    poe::DriverInfo info;
    info.name = "lab";
    info.description = "test driver with a secret";
    info.options = {
        {"host", "Switch address", "", true, false},
        {"username", "Login name", "admin", false, false},
        {"password", "Login password", "", false, true},
        {"ports", "Port count", "8", false, false},
    };
    info.factory = [](const poe::DriverOptions&) -> poe::Result<std::unique_ptr<poe::Driver>> {
        return std::unique_ptr<poe::Driver>(std::make_unique<LabDriver>());
    };
    return info;
}

std::unique_ptr<poe::Registry> make_test_registry() {
    auto registry = std::make_unique<poe::Registry>();
    (void)registry->add(poe::fake::driver_info());
    (void)registry->add(lab_driver_info());
    return registry;
}

std::unique_ptr<poe::Driver> make_gated_driver(std::unique_ptr<poe::Driver> inner,
                                               std::shared_ptr<WriteGate> gate) {
    return std::make_unique<GatedDriver>(std::move(inner), std::move(gate));
}

}  // namespace maas_bridge::testing
