#pragma once

#include <string_view>
#include <vector>

#include "interface_name.hpp"

namespace ios_sim {

/// Expands a port list such as `Gi1/0/1-48,Gi2/0/1-48` or `Fa0/1-24` (the last
/// number may be a range; types by short or full name, any case).
/// @throws std::invalid_argument naming the bad element.
std::vector<InterfaceId> parse_port_spec(std::string_view spec);

}  // namespace ios_sim
