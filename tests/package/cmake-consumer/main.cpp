// SPDX-License-Identifier: Apache-2.0
// Uses the installed libpoe through its umbrella header and the blocking
// API: a `fake` switch from the registry, owned by a SwitchController,
// Gi1/0/1 powered off and on again. Exit 0 only when every step worked.

#include <poe/poe.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace {

int failed(std::string_view step, const poe::Error& error) {
    std::fprintf(stderr, "cmake-consumer: %.*s failed: %.*s: %s\n", static_cast<int>(step.size()),
                 step.data(), static_cast<int>(poe::to_string(error.code).size()),
                 poe::to_string(error.code).data(), error.message.c_str());
    return 1;
}

int wrong(std::string_view what) {
    std::fprintf(stderr, "cmake-consumer: %.*s\n", static_cast<int>(what.size()), what.data());
    return 1;
}

}  // namespace

int main() {
    using namespace std::chrono_literals;

#ifdef POE_EXPECTED_VERSION
    if (poe::version() != POE_EXPECTED_VERSION) {
        return wrong("the loaded libpoe is " + std::string(poe::version()) + ", the package config said " +
                     POE_EXPECTED_VERSION);
    }
#endif

    poe::Registry registry;
    if (auto added = poe::register_builtin_drivers(registry); !added) {
        return failed("register_builtin_drivers", added.error());
    }
    if (registry.find("fake") == nullptr) {
        return wrong("the registry has no \"fake\" driver");
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

    auto off = sw.power(port, poe::PowerAction::off, deadline);
    if (!off) {
        return failed("power off", off.error());
    }
    auto after_off = sw.status(port, deadline);
    if (!after_off) {
        return failed("status after off", after_off.error());
    }
    if (after_off->admin_enabled() || after_off->admin != poe::AdminMode::never) {
        return wrong("Gi1/0/1 is not admin off after power off (admin " +
                     std::string(poe::to_string(after_off->admin)) + ")");
    }

    auto on = sw.power(port, poe::PowerAction::on, deadline);
    if (!on) {
        return failed("power on", on.error());
    }
    if (!on->changed) {
        return wrong("power on of an off port did not write the device");
    }
    auto after_on = sw.status(port, deadline);
    if (!after_on) {
        return failed("status after on", after_on.error());
    }
    if (!after_on->admin_enabled()) {
        return wrong("Gi1/0/1 is not admin on after power on");
    }

    std::printf(
        "cmake-consumer: libpoe %.*s: %s off -> %.*s, on -> %.*s: OK\n",
        static_cast<int>(poe::version().size()), poe::version().data(), port.c_str(),
        static_cast<int>(poe::to_string(after_off->admin).size()), poe::to_string(after_off->admin).data(),
        static_cast<int>(poe::to_string(after_on->admin).size()), poe::to_string(after_on->admin).data());
    return 0;
}
