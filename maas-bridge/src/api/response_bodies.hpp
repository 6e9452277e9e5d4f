// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The JSON bodies the bridge sends. All on one line, written with
/// SafeJsonWriter so that only the leading "status" member of a query answer
/// can match MAAS's power regexes.

#include "api/api_error.hpp"
#include "config/bridge_config.hpp"
#include "machines/machine_resolver.hpp"

#include <poe/port.hpp>
#include <poe/switch_controller.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maas_bridge {

/// Largest device_text put into an error body.
inline constexpr std::size_t max_device_text_bytes = 2048;

/// Whether the port counts as "running" under `meaning`.
bool is_running(RunningMeaning meaning, const poe::PortStatus& port) noexcept;

/// What a POST did, for the body of a power answer.
struct ActionReport {
    poe::PowerAction action{poe::PowerAction::on};
    bool changed{false};
};

/// {"status":"running"|"stopped","machine":...,"switch":...,"port":...,
///  "admin":...,"oper":...,"watts":...,"class":...,"device":...,
///  "max_watts":...} plus "action"/"changed" when `action` is set.
/// "status" comes first and is the only member that can match the regexes.
std::string status_body(const ResolvedTarget& target, const poe::PortStatus& port,
                        const std::optional<ActionReport>& action = std::nullopt);

/// {"error":{"code":...,"message":...[,"device_text":...]}}, device text cut
/// to max_device_text_bytes.
std::string error_body(const ApiError& error);

/// One entry of a switch's port list.
struct PortListing {
    poe::PortStatus port;
    std::optional<std::string> machine;
};

/// {"switch":...,"driver":...,"ports":[{"name","admin","oper","watts","class",
/// "device","max_watts","machine"}...]}
std::string switch_body(std::string_view switch_id, std::string_view driver,
                        const std::vector<PortListing>& ports);

/// One entry of GET /v1/switches.
struct SwitchSummary {
    std::string id;
    std::string driver;
    bool connected{false};
    bool circuit_open{false};
};

/// {"switches":[{"id","driver","connected","circuit_open"}...]}
std::string switches_body(const std::vector<SwitchSummary>& switches);

/// {"machines":[{"name","switch","port"}...],"patterns":[{"pattern","switch","port"}...]}
std::string machines_body(const std::vector<MachineRule>& rules);

}  // namespace maas_bridge
