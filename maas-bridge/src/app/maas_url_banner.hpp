// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The text printed at start: the exact URLs to enter in MAAS's Webhook
/// power settings for each machine.

#include "config/bridge_config.hpp"

#include <optional>
#include <string>

namespace maas_bridge {

/// "http://127.0.0.1:8550" (or "https://..." when `https`) for the bound
/// address; an unspecified address (0.0.0.0, ::) becomes
/// "http://<bridge-host>:PORT".
std::string base_url(const ListenAddress& bound, bool https);

/// A machine name the pattern accepts, built by simple substitutions
/// (\d+ → 01, ...), or empty when none is found.
std::optional<std::string> example_machine_name(const MachineRule& pattern);

/// One block per explicit machine (power_on_uri, power_off_uri,
/// power_query_uri) and per pattern (with an example name), e.g.
///   pi-01: on    POST http://127.0.0.1:8550/v1/machines/pi-01/on
std::string maas_url_banner(const BridgeConfig& config, const std::string& base);

}  // namespace maas_bridge
