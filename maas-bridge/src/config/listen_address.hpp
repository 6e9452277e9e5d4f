// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Parsing of `listen:` / `--listen` values.

#include "config/bridge_config.hpp"

#include <poe/result.hpp>

#include <string_view>

namespace maas_bridge {

/// Parses "host:port" or "[v6]:port"; host must be an IP literal, port
/// 0..65535 (0: any free port).
/// @return invalid_argument with a message that says what was expected.
poe::Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace maas_bridge
