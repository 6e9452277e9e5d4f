// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The `maas ... machine update` commands that point MAAS at the bridge.

#include "config/bridge_config.hpp"
#include "machines/machine_resolver.hpp"

#include <map>
#include <string>
#include <vector>

namespace poectl {

struct MaasCommandOptions {
    std::string bridge_url;                         ///< e.g. http://10.0.0.5:8550
    std::string profile{"$PROFILE"};                ///< maas CLI profile
    std::map<std::string, std::string> system_ids;  ///< machine → MAAS system id (else looked up by hostname)
};

/// One shell command per machine in `machines`, with the credentials MAAS
/// must send taken from the bridge's auth settings (secrets as shell
/// variables, never their values). Patterns in the config that no listed
/// machine came from get a comment saying how to list their machines.
std::string maas_commands(const maas_bridge::BridgeConfig& config,
                          const std::vector<maas_bridge::ResolvedTarget>& machines,
                          const MaasCommandOptions& options);

}  // namespace poectl
