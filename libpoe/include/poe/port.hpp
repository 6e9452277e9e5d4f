// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The PoE port model shared by every backend.

#include <poe/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace poe {

/// What the switch is configured to do with a port's power.
enum class AdminMode {
    automatic,     ///< Detect and power a PD (IOS `power inline auto`).
    static_power,  ///< Pre-allocated power (IOS `power inline static [max N]`).
    never,         ///< Never power (IOS `power inline never`; shows as Admin `off`).
};

/// What the port is actually doing right now.
enum class OperState {
    on,          ///< Delivering power to a powered device.
    off,         ///< Not delivering power (admin never, or no PD detected).
    faulty,      ///< The switch reports a fault on the port.
    power_deny,  ///< A PD was detected but the budget refused it.
    other,       ///< Another state the switch reported (see PortStatus::oper_text).
};

/// Desired admin setting of a port. `max_milliwatts` only applies to
/// AdminMode::static_power (and optionally to automatic, as IOS's
/// `power inline auto max N`).
struct AdminSetting {
    AdminMode mode{AdminMode::automatic};
    std::optional<std::uint32_t> max_milliwatts;

    friend bool operator==(const AdminSetting&, const AdminSetting&) = default;
};

/// One port as last read from the switch.
struct PortStatus {
    std::string name;  ///< Normalised short name, e.g. "Gi1/0/5".
    AdminMode admin{AdminMode::automatic};
    OperState oper{OperState::off};
    std::string oper_text;  ///< The switch's own word for the oper state ("on", "lldp-shutdown", ...).
    double watts{0.0};      ///< Power currently drawn, in watts.
    std::string device;     ///< Detected device name ("" when none / n/a).
    std::string poe_class;  ///< IEEE class as shown ("0".."8"), "" when none / n/a.
    std::optional<double> max_watts;  ///< Port maximum, when the switch shows one.

    /// True unless the port is administratively off (`power inline never`).
    [[nodiscard]] bool admin_enabled() const noexcept { return admin != AdminMode::never; }
    /// True when the port is delivering power right now.
    [[nodiscard]] bool delivering() const noexcept { return oper == OperState::on; }

    friend bool operator==(const PortStatus&, const PortStatus&) = default;
};

/// A requested change of one port's admin setting.
struct PortChange {
    std::string port;  ///< Normalised port name.
    AdminSetting setting;
};

/// Stable names: "auto", "static", "never".
POE_API std::string_view to_string(AdminMode mode) noexcept;
/// Stable names: "on", "off", "faulty", "power-deny", "other".
POE_API std::string_view to_string(OperState state) noexcept;
/// Parses "auto" / "static" / "never" (also "off" for never). Empty on bad input.
POE_API std::optional<AdminMode> parse_admin_mode(std::string_view text) noexcept;

}  // namespace poe
