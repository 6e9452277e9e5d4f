// SPDX-License-Identifier: Apache-2.0
#pragma once

// Renders synthetic IOS-XE `show power inline` output of a switch stack in
// the layout of the captured 16.12/17.12 fixtures (Module budget table per
// member, port table, Totals), together with the ports a correct parser
// must return. Shared by the parser tests and bench/parser_bench.cpp.

#include <poe/port.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace poe::ios::testing {

struct StackOutput {
    std::string text;
    std::vector<PortStatus> ports;
};

namespace stack_detail {

inline void pad(std::string& out, const std::string& value, std::size_t width) {
    out += value;
    if (value.size() < width) {
        out.append(width - value.size(), ' ');
    }
    out += ' ';
}

inline std::string one_decimal(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

}  // namespace stack_detail

/// `members` stack members of `ports_per_member` Gi ports each, with a
/// deterministic mix of phones, APs, empty ports, admin-off, faulty and
/// power-deny rows. CRLF line ends when `crlf` (as read from a PTY).
inline StackOutput render_ios_xe_stack(unsigned members = 5, unsigned ports_per_member = 48,
                                       bool crlf = false) {
    using stack_detail::one_decimal;
    using stack_detail::pad;
    const std::string eol = crlf ? "\r\n" : "\n";
    StackOutput result;
    std::string& out = result.text;
    out.reserve(members * ports_per_member * 72 + members * 600);
    for (unsigned member = 1; member <= members; ++member) {
        std::vector<PortStatus> rows;
        double used = 0.0;
        unsigned on_count = 0;
        for (unsigned port = 1; port <= ports_per_member; ++port) {
            PortStatus status;
            status.name = "Gi" + std::to_string(member) + "/0/" + std::to_string(port);
            status.max_watts = 30.0;
            switch ((member * 7 + port) % 9) {
                case 0:
                case 1:
                    status.oper = OperState::on;
                    status.oper_text = "on";
                    status.watts = 6.3;
                    status.device = "IP Phone 7962";
                    status.poe_class = "2";
                    break;
                case 2:
                    status.oper = OperState::on;
                    status.oper_text = "on";
                    status.watts = 22.5;
                    status.device = "AIR-AP2802I-B-K9";
                    status.poe_class = "4";
                    break;
                case 3:
                    status.oper = OperState::on;
                    status.oper_text = "on";
                    status.watts = 15.4;
                    status.device = "Ieee PD";
                    status.poe_class = "3";
                    break;
                case 4:
                    status.admin = AdminMode::never;
                    status.oper = OperState::off;
                    status.oper_text = "off";
                    break;
                case 5:
                    status.oper = OperState::faulty;
                    status.oper_text = "faulty";
                    break;
                case 6:
                    status.admin = AdminMode::static_power;
                    status.oper = OperState::power_deny;
                    status.oper_text = "power-deny";
                    status.watts = 6.9;
                    status.max_watts = 6.9;
                    break;
                default:
                    status.oper = OperState::off;
                    status.oper_text = "off";
                    break;
            }
            used += status.watts;
            on_count += status.oper == OperState::on ? 1U : 0U;
            rows.push_back(status);
        }
        out += "Module   Available     Used     Remaining" + eol;
        out += "          (Watts)     (Watts)    (Watts) " + eol;
        out += "------   ---------   --------   ---------" + eol;
        char budget[96];
        std::snprintf(budget, sizeof budget, "%-6u %11.1f %10.1f %11.1f", member, 1440.0, used,
                      1440.0 - used);
        out += budget + eol;
        out += "Interface Admin  Oper       Power   Device              Class Max" + eol;
        out += "                            (Watts)                            " + eol;
        out += "--------- ------ ---------- ------- ------------------- ----- ----" + eol;
        for (const PortStatus& row : rows) {
            pad(out, row.name, 9);
            pad(out, std::string(to_string(row.admin) == "never" ? "off" : to_string(row.admin)), 6);
            pad(out, row.oper_text, 10);
            pad(out, one_decimal(row.watts), 7);
            pad(out, row.device.empty() ? "n/a" : row.device, 19);
            pad(out, row.poe_class.empty() ? "n/a" : row.poe_class, 5);
            pad(out, one_decimal(*row.max_watts), 4);
            out += eol;
        }
        out += "--------- ------ ---------- ---------- ---------- ------ ----- " + eol;
        out += "Totals:          " + std::to_string(on_count) + "   on    " + one_decimal(used) + eol;
        out += eol;
        result.ports.insert(result.ports.end(), rows.begin(), rows.end());
    }
    return result;
}

}  // namespace poe::ios::testing
