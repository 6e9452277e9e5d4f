// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The pure router: method + request target → a Route or an HTTP error.
/// No sockets, no configuration: resolution of names happens later.

#include "api/api_error.hpp"
#include "routing/route.hpp"

#include <string_view>
#include <variant>

namespace maas_bridge {

/// One line listing every route, used in 400 answers. Tests derive the
/// route list from it (tests/maas-bridge/end_to_end/bridge_auth_test.cpp):
/// keep it complete.
std::string_view route_summary() noexcept;

/// Matches a request. Every route works with and without one trailing
/// slash; a query string is ignored; each path segment is strictly
/// percent-decoded. A switch port may be one encoded segment
/// ("Gi1%2F0%2F5") or written out ("Gi1/0/5").
/// @return the Route; or ApiError 400 (unknown path, bad encoding), or 405
///         with `allow` set for a known path with the wrong method. Never 404.
std::variant<Route, ApiError> parse_route(std::string_view method, std::string_view target);

}  // namespace maas_bridge
