// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Which names are valid for machines, switch ids and auth identities.
/// They appear in URLs and log lines, so the alphabet is small.

#include <string_view>

namespace maas_bridge {

/// Human-readable form of the machine/switch name rule, for messages.
inline constexpr std::string_view machine_name_rule = "1 to 63 of A-Z a-z 0-9 . _ -";

/// True for [A-Za-z0-9._-]{1,63} (machine names and switch ids).
bool is_valid_machine_name(std::string_view name) noexcept;

/// Human-readable form of the identity name rule.
inline constexpr std::string_view identity_name_rule = "1 to 63 of A-Z a-z 0-9 . _ - @";

/// True for [A-Za-z0-9._@-]{1,63}: names of tokens and users as logged.
bool is_valid_identity_name(std::string_view name) noexcept;

}  // namespace maas_bridge
