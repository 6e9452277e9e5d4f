// SPDX-License-Identifier: Apache-2.0
#pragma once

// Drivers for bridge tests: "lab" (a driver with a required host and a
// secret password, ports named portN) and a gate around the fake driver
// that holds device operations until the test releases them.

#include <poe/driver.hpp>
#include <poe/registry.hpp>

#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>

namespace maas_bridge::testing {

/// Registry entry "lab": options host (required), username, password
/// (secret), ports (default 8). Normalises "PORT05"/"port5" to "port5".
poe::DriverInfo lab_driver_info();

/// A registry with "fake" and "lab", independent of libpoe's built-ins, so
/// messages that list drivers are stable.
std::unique_ptr<poe::Registry> make_test_registry();

/// Holds every set_admin until open() is called; signals when one arrived.
class WriteGate {
public:
    /// Becomes ready when the first write reaches the gate.
    std::shared_future<void> entered() const { return entered_; }
    void open();
    void wait_open();
    void arrived();

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool open_{false};
    bool signalled_{false};
    std::promise<void> entered_promise_;
    std::shared_future<void> entered_{entered_promise_.get_future().share()};
};

/// Wraps a driver; every set_admin waits at `gate` first.
std::unique_ptr<poe::Driver> make_gated_driver(std::unique_ptr<poe::Driver> inner,
                                               std::shared_ptr<WriteGate> gate);

}  // namespace maas_bridge::testing
