// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// What a request asks for, as decided by parse_route().

#include <poe/switch_controller.hpp>

#include <string>

namespace maas_bridge {

enum class RouteKind {
    healthz,         ///< GET /healthz (no auth).
    metrics,         ///< GET /metrics.
    list_machines,   ///< GET /v1/machines.
    machine_status,  ///< GET /v1/machines/{name}[/status].
    machine_power,   ///< POST /v1/machines/{name}/on|off|cycle.
    list_switches,   ///< GET /v1/switches.
    switch_detail,   ///< GET /v1/switches/{switch}[/ports].
    port_status,     ///< GET /v1/switches/{switch}/ports/{port}[/status].
    port_power,      ///< POST /v1/switches/{switch}/ports/{port}/on|off|cycle.
};

/// A matched route with its decoded parameters.
struct Route {
    RouteKind kind{RouteKind::healthz};
    std::string machine;                            ///< machine_* routes.
    std::string switch_id;                          ///< switch_detail and port_* routes.
    std::string port;                               ///< port_* routes, decoded, not yet normalised.
    poe::PowerAction action{poe::PowerAction::on};  ///< *_power routes.

    /// Everything but /healthz needs credentials.
    [[nodiscard]] bool requires_auth() const noexcept { return kind != RouteKind::healthz; }

    friend bool operator==(const Route&, const Route&) = default;
};

}  // namespace maas_bridge
