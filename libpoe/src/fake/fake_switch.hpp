// SPDX-License-Identifier: Apache-2.0
#pragma once

// The simulated hardware behind the `fake` driver: a PoE switch kept in
// memory. It outlives the driver connected to it so tests can inject faults
// and read counters while a SwitchController owns the driver. Thread-safe.

#include <poe/deadline.hpp>
#include <poe/port.hpp>
#include <poe/result.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace poe::fake {

/// Device operations the fake counts and can fail.
enum class Operation { connect, read, write, ping, save };

struct FakeSwitchOptions {
    std::chrono::milliseconds latency{0};       ///< Added to every operation.
    std::chrono::milliseconds detect_delay{0};  ///< Enabled port turns oper "on" after this.
    bool initially_on{true};
    std::string device_name{"Raspberry Pi"};
    double device_watts{5.1};
};

struct FakeCounters {
    std::uint64_t connects{0};
    std::uint64_t disconnects{0};
    std::uint64_t reads{0};
    std::uint64_t writes{0};        ///< set_admin operations (a batch counts once).
    std::uint64_t port_changes{0};  ///< Individual port changes applied.
    std::uint64_t pings{0};
    std::uint64_t saves{0};
    std::uint64_t interleavings{0};  ///< Operations that overlapped another one (must stay 0).
};

class FakeSwitch {
public:
    FakeSwitch(std::vector<std::string> ports, FakeSwitchOptions options);
    ~FakeSwitch();
    FakeSwitch(const FakeSwitch&) = delete;
    FakeSwitch& operator=(const FakeSwitch&) = delete;

    /// Make the next `times` operations of kind `op` fail with `error`.
    void fail_next(Operation op, Error error, unsigned times = 1);
    /// Make the next `times` operations of kind `op` hang until their deadline.
    void hang_next(Operation op, unsigned times = 1);
    void set_latency(std::chrono::milliseconds latency);
    void set_detect_delay(std::chrono::milliseconds delay);
    /// Changes a port behind the controller's back (as a person at the console would).
    void set_admin_externally(const std::string& port, AdminSetting setting);

    [[nodiscard]] FakeCounters counters() const;
    /// True while an operation is running on the "device" (tests use it to
    /// act while a read or write is in progress).
    [[nodiscard]] bool busy() const;
    [[nodiscard]] std::vector<std::string> port_names() const;
    [[nodiscard]] std::optional<PortStatus> port(const std::string& name) const;

    // Device side, used by FakeDriver.
    Result<void> connect(Deadline deadline);
    void disconnect();
    Result<std::vector<PortStatus>> read(Deadline deadline);
    Result<void> write(std::span<const PortChange> changes, Deadline deadline);
    Result<void> ping(Deadline deadline);
    Result<void> save(Deadline deadline);

private:
    struct Port {
        AdminSetting admin;
        Clock::time_point enabled_at;
    };
    struct Fault {
        Operation op;
        std::optional<Error> error;  // nullopt: hang
    };
    class OperationScope;

    // Applies latency and queued faults for `op`; an error ends the operation.
    Result<void> begin(Operation op, Deadline deadline, std::unique_lock<std::mutex>& lock);
    PortStatus render(const std::string& name, const Port& port, Clock::time_point now) const;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool closing_{false};
    std::vector<std::string> order_;
    std::map<std::string, Port, std::less<>> ports_;
    std::deque<Fault> faults_;
    FakeSwitchOptions options_;
    FakeCounters counters_;
    int in_flight_{0};
};

}  // namespace poe::fake
