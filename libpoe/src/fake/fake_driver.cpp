// SPDX-License-Identifier: Apache-2.0
#include "fake/fake_driver.hpp"

#include "cisco_ios/interface_name.hpp"
#include "fake/fake_switch.hpp"
#include "option_values.hpp"

namespace poe::fake {

FakeDriver::FakeDriver(std::shared_ptr<FakeSwitch> device) : device_(std::move(device)) {
}

FakeDriver::~FakeDriver() {
    FakeDriver::do_disconnect();
}

Result<void> FakeDriver::do_connect(Deadline deadline) {
    auto result = device_->connect(deadline);
    session_open_ = result.ok();
    return result;
}

void FakeDriver::do_disconnect() noexcept {
    if (session_open_) {
        device_->disconnect();
        session_open_ = false;
    }
}

Result<std::vector<PortStatus>> FakeDriver::do_read_ports(Deadline deadline) {
    return device_->read(deadline);
}

Result<void> FakeDriver::do_set_admin(std::span<const PortChange> changes, Deadline deadline) {
    return device_->write(changes, deadline);
}

Result<void> FakeDriver::do_ping(Deadline deadline) {
    return device_->ping(deadline);
}

Result<void> FakeDriver::do_save_config(Deadline deadline) {
    return device_->save(deadline);
}

// The fake names its ports like a Cisco switch, so configs written against
// it carry over to real hardware unchanged.
Result<std::string> FakeDriver::do_normalize_port(std::string_view name) const {
    return ios::normalize_interface_name(name);
}

DriverCapabilities FakeDriver::do_capabilities() const {
    return {.save_config = true, .static_power = true};
}

DriverInfo driver_info() {
    DriverInfo info;
    info.name = "fake";
    info.description = "In-memory PoE switch for demos, tests and dry runs";
    info.options = {
        {"ports", "Ports of the simulated switch, e.g. Gi1/0/1-8,Gi2/0/1-8", "Gi1/0/1-8", false, false},
        {"latency_ms", "Added to every device operation", "0", false, false},
        {"detect_delay_ms", "Time from enabling a port to it delivering power", "0", false, false},
        {"initial", "Admin state of every port at start: auto or never", "auto", false, false},
    };
    info.factory = [](const DriverOptions& options) -> Result<std::unique_ptr<Driver>> {
        auto ports = ios::expand_port_spec(detail::option_text(options, "ports", "Gi1/0/1-8"));
        if (!ports) {
            return make_error(ErrorCode::invalid_argument, "option \"ports\": " + ports.error().message);
        }
        FakeSwitchOptions device_options;
        auto latency = detail::option_ms(options, "latency_ms", {}, std::chrono::minutes{10});
        if (!latency) {
            return std::move(latency).error();
        }
        auto detect = detail::option_ms(options, "detect_delay_ms", {}, std::chrono::minutes{10});
        if (!detect) {
            return std::move(detect).error();
        }
        const std::string initial = detail::option_text(options, "initial", "auto");
        if (initial != "auto" && initial != "never") {
            return make_error(ErrorCode::invalid_argument,
                              "option \"initial\": expected auto or never, got \"" + initial + "\"");
        }
        device_options.latency = *latency;
        device_options.detect_delay = *detect;
        device_options.initially_on = initial == "auto";
        auto device = std::make_shared<FakeSwitch>(std::move(ports).value(), device_options);
        return std::unique_ptr<Driver>(std::make_unique<FakeDriver>(std::move(device)));
    };
    return info;
}

}  // namespace poe::fake
