// SPDX-License-Identifier: Apache-2.0
#include "port_table.hpp"

#include <algorithm>
#include <array>
#include <iomanip>
#include <sstream>

namespace poectl {

std::string port_table(const std::vector<TableRow>& rows) {
    constexpr std::size_t columns = 8;
    std::vector<std::array<std::string, columns>> cells;
    cells.push_back({"PORT", "ADMIN", "OPER", "WATTS", "CLASS", "DEVICE", "MACHINE", "STATE"});
    for (const auto& row : rows) {
        std::ostringstream watts;
        watts << std::fixed << std::setprecision(1) << row.port.watts;
        cells.push_back(
            {row.port.name, std::string(poe::to_string(row.port.admin)),
             row.port.oper_text.empty() ? std::string(poe::to_string(row.port.oper)) : row.port.oper_text,
             watts.str(), row.port.poe_class.empty() ? "-" : row.port.poe_class,
             row.port.device.empty() ? "-" : row.port.device, row.machine.value_or("-"),
             row.running ? "running" : "stopped"});
    }
    std::array<std::size_t, columns> width{};
    for (const auto& line : cells) {
        for (std::size_t c = 0; c < columns; ++c) {
            width[c] = std::max(width[c], line[c].size());
        }
    }
    std::ostringstream out;
    for (const auto& line : cells) {
        for (std::size_t c = 0; c < columns; ++c) {
            out << line[c];
            if (c + 1 < columns) {
                out << std::string(width[c] - line[c].size() + 2, ' ');
            }
        }
        out << '\n';
    }
    return out.str();
}

}  // namespace poectl
