// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// `--port-file`: tells a supervisor or test which port was bound.

#include <poe/result.hpp>

#include <cstdint>
#include <string>

namespace maas_bridge {

/// Writes "PORT\n" to `path` atomically (temporary file + rename), so a
/// reader never sees a partial number.
/// @return invalid_argument naming the path and the system error.
poe::Result<void> write_port_file(const std::string& path, std::uint16_t port);

}  // namespace maas_bridge
