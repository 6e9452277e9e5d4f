// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Cisco IOS interface names: parsing a user's or the switch's spelling
/// ("gi1/0/05", "GigabitEthernet 1/0/5", "Two1/0/1") into the canonical
/// short form the switch prints ("Gi1/0/5", "Tw1/0/1"), and expanding port
/// range specifications ("Gi1/0/1-48,Te1/1/1-4"). Pure functions, no I/O,
/// safe to call from any thread.

#include <poe/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace poe::ios {

/// Longest accepted interface name, in bytes (before trimming).
inline constexpr std::size_t max_interface_name_length = 64;
/// Most number parts of a name ("1/0/5" has three).
inline constexpr std::size_t max_interface_number_parts = 4;
/// Largest value of one number part.
inline constexpr unsigned max_interface_number = 9999;
/// Most ports expand_port_spec() returns.
inline constexpr std::size_t max_port_spec_ports = 10000;
/// Longest accepted port specification, in bytes.
inline constexpr std::size_t max_port_spec_length = std::size_t{256} * 1024;

/// A parsed interface name.
struct InterfaceName {
    std::string type_short;         ///< IOS short type, e.g. "Gi", "Tw", "Twe".
    std::string type_long;          ///< IOS long type, e.g. "GigabitEthernet".
    std::vector<unsigned> numbers;  ///< Slot/module/port numbers, e.g. {1, 0, 5}.

    /// Canonical short form as the switch prints it, e.g. "Gi1/0/5".
    [[nodiscard]] std::string short_name() const;
    /// Long form as used in IOS configuration, e.g. "GigabitEthernet1/0/5".
    [[nodiscard]] std::string long_name() const;

    friend bool operator==(const InterfaceName&, const InterfaceName&) = default;
};

/// Parses an interface name.
///
/// Accepted: the exact IOS short types (`Fa`, `Gi`, `Tw` = TwoGigabit, `Fi` =
/// FiveGigabit, `Te`, `Twe` = TwentyFiveGig, `Fo`, `Hu`, `Ap`) and any
/// case-insensitive unique prefix of a long type name; short types win over
/// prefix ambiguity (`Tw` is TwoGigabit although it also prefixes
/// TwentyFiveGigE). Optional blanks between type and numbers; 1 to 4
/// `/`-separated decimal numbers up to 9999 with leading zeros normalised.
/// Surrounding blanks are ignored.
///
/// @return invalid_argument with a message saying what is wrong (empty,
///         longer than 64 bytes, unknown or ambiguous type, missing or
///         malformed numbers).
Result<InterfaceName> parse_interface_name(std::string_view text);

/// parse_interface_name() then InterfaceName::short_name(), without the
/// intermediate allocations (it runs once per row of every bulk read).
/// @return the canonical short name; invalid_argument as parse_interface_name().
Result<std::string> normalize_interface_name(std::string_view text);

/// Expands a port specification into canonical short names, in order of
/// first appearance, without duplicates.
///
/// Syntax: comma-separated items, each an interface name whose last number
/// may be a range `a-b` (a <= b), e.g. `Gi1/0/1-48, Gi2/0/1-48,Te1/1/1-4`.
/// Blanks around items and around `-` are allowed.
///
/// @return invalid_argument for an empty spec or item, a malformed name or
///         range, a spec longer than max_port_spec_length or more than
///         max_port_spec_ports ports.
Result<std::vector<std::string>> expand_port_spec(std::string_view spec);

}  // namespace poe::ios
