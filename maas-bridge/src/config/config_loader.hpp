// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Loads /etc/maas-bridge/maas-bridge.yaml into a BridgeConfig. Reusable by
/// poectl: nothing here binds a socket or connects to a switch (drivers are
/// instantiated, unconnected, only to validate options and normalise ports).

#include "config/bridge_config.hpp"

#include <poe/registry.hpp>
#include <poe/result.hpp>

#include <string>
#include <string_view>

namespace maas_bridge {

/// Where the default configuration lives.
inline constexpr std::string_view default_config_path = "/etc/maas-bridge/maas-bridge.yaml";

/// Largest configuration file accepted.
inline constexpr std::size_t max_config_bytes = std::size_t{1024} * 1024;

/// What the loader needs from its surroundings.
struct ConfigLoadOptions {
    /// Drivers the `switches:` entries may name (validates driver options,
    /// normalises ports). Must outlive the returned config's normalizers'
    /// use only during the call; the normalizers own their driver instances.
    const poe::Registry* registry{nullptr};
    /// $CREDENTIALS_DIRECTORY for *_credential keys; empty when unset.
    std::string credentials_directory;
};

/// Parses and validates configuration text. `source_name` is what error
/// messages call the file ("maas-bridge.yaml", "<demo>").
/// @return the config; or invalid_argument whose message is one line of the
///         form "FILE:LINE:COL: KEY.PATH: what is wrong" (secret values never
///         appear in it).
poe::Result<BridgeConfig> load_config_text(std::string_view yaml, std::string source_name,
                                           const ConfigLoadOptions& options);

/// Reads `path` (at most max_config_bytes) and calls load_config_text with
/// the path as source name.
/// @return invalid_argument when the file cannot be read, or the parse error.
poe::Result<BridgeConfig> load_config_file(const std::string& path, const ConfigLoadOptions& options);

}  // namespace maas_bridge
