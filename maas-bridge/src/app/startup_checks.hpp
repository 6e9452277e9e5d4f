// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Decisions taken once at start, before binding.

#include "config/bridge_config.hpp"

#include <poe/result.hpp>

#include <string>

namespace maas_bridge {

/// Refuses to serve without authentication on a non-loopback address
/// unless the config says `auth: none` explicitly.
/// @return invalid_argument explaining both ways out.
poe::Result<void> check_auth_exposure(const BridgeConfig& config);

/// A loud warning for an explicitly open bridge on a non-loopback address
/// ("" when there is nothing to warn about).
std::string exposure_warning(const BridgeConfig& config);

/// What --check-config prints: listen address, auth identities (never
/// secrets), limits, switches with their driver options (secret values
/// shown as "(secret)"), machines and patterns.
std::string config_summary(const BridgeConfig& config);

}  // namespace maas_bridge
