// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The human table of `poectl status`.

#include <poe/port.hpp>

#include <optional>
#include <string>
#include <vector>

namespace poectl {

struct TableRow {
    poe::PortStatus port;
    std::optional<std::string> machine;
    bool running{false};
};

/// Aligned columns: PORT ADMIN OPER WATTS CLASS DEVICE MACHINE STATE.
std::string port_table(const std::vector<TableRow>& rows);

}  // namespace poectl
