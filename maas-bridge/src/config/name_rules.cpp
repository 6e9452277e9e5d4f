// SPDX-License-Identifier: Apache-2.0
#include "config/name_rules.hpp"

#include <algorithm>

namespace maas_bridge {
namespace {

bool is_name_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

}  // namespace

bool is_valid_machine_name(std::string_view name) noexcept {
    return !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), is_name_char);
}

bool is_valid_identity_name(std::string_view name) noexcept {
    return !name.empty() && name.size() <= 63 &&
           std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c) || c == '@'; });
}

}  // namespace maas_bridge
