// SPDX-License-Identifier: Apache-2.0
#include <poe/port.hpp>

namespace poe {

std::string_view to_string(AdminMode mode) noexcept {
    switch (mode) {
        case AdminMode::automatic:
            return "auto";
        case AdminMode::static_power:
            return "static";
        case AdminMode::never:
            return "never";
    }
    return "never";
}

std::string_view to_string(OperState state) noexcept {
    switch (state) {
        case OperState::on:
            return "on";
        case OperState::off:
            return "off";
        case OperState::faulty:
            return "faulty";
        case OperState::power_deny:
            return "power-deny";
        case OperState::other:
            return "other";
    }
    return "other";
}

std::optional<AdminMode> parse_admin_mode(std::string_view text) noexcept {
    if (text == "auto") {
        return AdminMode::automatic;
    }
    if (text == "static") {
        return AdminMode::static_power;
    }
    if (text == "never" || text == "off") {
        return AdminMode::never;
    }
    return std::nullopt;
}

}  // namespace poe
