// SPDX-License-Identifier: Apache-2.0
// Uses the installed libpoe through pkg-config only:
//   g++ -std=c++20 main.cpp $(pkg-config --cflags --libs poe)
// This one includes the individual headers and drives the asynchronous API
// (callbacks cross the library boundary), plus the log hook. Same check as
// the CMake consumer: Gi1/0/1 of a `fake` switch off and on; exit 0 only
// when every step worked.

#include <poe/deadline.hpp>
#include <poe/log.hpp>
#include <poe/registry.hpp>
#include <poe/switch_controller.hpp>
#include <poe/version.hpp>

#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <string_view>
#include <utility>

namespace {

int failed(std::string_view step, const poe::Error& error) {
    std::fprintf(stderr, "pkgconfig-consumer: %.*s failed: %.*s: %s\n", static_cast<int>(step.size()),
                 step.data(), static_cast<int>(poe::to_string(error.code).size()),
                 poe::to_string(error.code).data(), error.message.c_str());
    return 1;
}

int wrong(std::string_view what) {
    std::fprintf(stderr, "pkgconfig-consumer: %.*s\n", static_cast<int>(what.size()), what.data());
    return 1;
}

// Runs one async_power and waits for its callback.
poe::Result<poe::PowerOutcome> power(poe::SwitchController& sw, const std::string& port,
                                     poe::PowerAction action, poe::Deadline deadline) {
    std::promise<poe::Result<poe::PowerOutcome>> done;
    auto result = done.get_future();
    sw.async_power(port, action, deadline,
                   [&done](poe::Result<poe::PowerOutcome> outcome) { done.set_value(std::move(outcome)); });
    return result.get();
}

poe::Result<poe::PortStatus> status(poe::SwitchController& sw, const std::string& port,
                                    poe::Deadline deadline) {
    std::promise<poe::Result<poe::PortStatus>> done;
    auto result = done.get_future();
    sw.async_status(port, deadline,
                    [&done](poe::Result<poe::PortStatus> s) { done.set_value(std::move(s)); });
    return result.get();
}

}  // namespace

int main() {
    using namespace std::chrono_literals;

    poe::set_log_level(poe::LogLevel::debug);
    poe::set_log_sink([](poe::LogLevel, std::string_view message) {
        std::fprintf(stderr, "pkgconfig-consumer: libpoe: %.*s\n", static_cast<int>(message.size()),
                     message.data());
    });

    poe::Registry registry;
    if (auto added = poe::register_builtin_drivers(registry); !added) {
        return failed("register_builtin_drivers", added.error());
    }
    auto driver = registry.create("fake", {{"ports", "Gi1/0/1-4"}});
    if (!driver) {
        return failed("Registry::create(fake)", driver.error());
    }
    auto controller = poe::SwitchController::create("demo", std::move(driver).value());
    if (!controller) {
        return failed("SwitchController::create", controller.error());
    }
    poe::SwitchController& sw = **controller;

    const poe::Deadline deadline = poe::deadline_in(10s);
    const std::string port = "Gi1/0/1";

    if (auto off = power(sw, port, poe::PowerAction::off, deadline); !off) {
        return failed("async_power off", off.error());
    }
    auto after_off = status(sw, port, deadline);
    if (!after_off) {
        return failed("async_status after off", after_off.error());
    }
    if (after_off->admin_enabled()) {
        return wrong("Gi1/0/1 is not admin off after power off");
    }
    if (auto on = power(sw, port, poe::PowerAction::on, deadline); !on) {
        return failed("async_power on", on.error());
    }
    auto after_on = status(sw, port, deadline);
    if (!after_on) {
        return failed("async_status after on", after_on.error());
    }
    if (!after_on->admin_enabled()) {
        return wrong("Gi1/0/1 is not admin on after power on");
    }

    poe::set_log_sink({});  // detach before main's locals go away
    std::printf("pkgconfig-consumer: libpoe %.*s: %s off and on: OK\n",
                static_cast<int>(poe::version().size()), poe::version().data(), port.c_str());
    return 0;
}
