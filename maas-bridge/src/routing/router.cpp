// SPDX-License-Identifier: Apache-2.0
#include "routing/router.hpp"

#include "routing/path_segment.hpp"

#include <optional>
#include <string>
#include <vector>

namespace maas_bridge {
namespace {

constexpr std::size_t max_target_chars = 1024;

ApiError bad_request(std::string code, std::string message) {
    return ApiError{400, std::move(code), std::move(message), {}, {}, std::nullopt};
}

ApiError unknown_path(std::string_view path) {
    return bad_request("unknown_route",
                       "no route for \"" + std::string(path) + "\"; routes: " + std::string(route_summary()));
}

std::optional<poe::PowerAction> action_named(std::string_view word) {
    if (word == "on") {
        return poe::PowerAction::on;
    }
    if (word == "off") {
        return poe::PowerAction::off;
    }
    if (word == "cycle") {
        return poe::PowerAction::cycle;
    }
    return std::nullopt;
}

Route route_of(RouteKind kind) {
    Route route;
    route.kind = kind;
    return route;
}

// A matched path and the method it needs.
struct PathMatch {
    Route route;
    std::string_view method;
};

std::optional<PathMatch> match_path(const std::vector<std::string>& s) {
    const auto n = s.size();
    if (n == 1 && s[0] == "healthz") {
        return PathMatch{route_of(RouteKind::healthz), "GET"};
    }
    if (n == 1 && s[0] == "metrics") {
        return PathMatch{route_of(RouteKind::metrics), "GET"};
    }
    if (n < 2 || s[0] != "v1") {
        return std::nullopt;
    }
    if (s[1] == "machines") {
        if (n == 2) {
            return PathMatch{route_of(RouteKind::list_machines), "GET"};
        }
        Route route = route_of(RouteKind::machine_status);
        route.machine = s[2];
        if (n == 3 || (n == 4 && s[3] == "status")) {
            return PathMatch{route, "GET"};
        }
        if (n == 4) {
            if (const auto action = action_named(s[3])) {
                route.kind = RouteKind::machine_power;
                route.action = *action;
                return PathMatch{route, "POST"};
            }
        }
        return std::nullopt;
    }
    if (s[1] == "switches") {
        if (n == 2) {
            return PathMatch{route_of(RouteKind::list_switches), "GET"};
        }
        Route route = route_of(RouteKind::switch_detail);
        route.switch_id = s[2];
        if (n == 3 || (n == 4 && s[3] == "ports")) {
            return PathMatch{route, "GET"};
        }
        if (s[3] != "ports") {
            return std::nullopt;
        }
        // Everything after "ports" is the port, unless the last segment is
        // a verb: ports contain "/" and users may not encode it.
        std::size_t end = n;
        std::string_view method = "GET";
        route.kind = RouteKind::port_status;
        if (const auto action = action_named(s[n - 1]); action && n > 5) {
            route.kind = RouteKind::port_power;
            route.action = *action;
            method = "POST";
            end = n - 1;
        } else if (s[n - 1] == "status" && n > 5) {
            end = n - 1;
        }
        for (std::size_t i = 4; i < end; ++i) {
            route.port += (i == 4 ? "" : "/") + s[i];
        }
        return PathMatch{route, method};
    }
    return std::nullopt;
}

}  // namespace

std::string_view route_summary() noexcept {
    return "GET /healthz, GET /metrics, GET /v1/machines, GET /v1/machines/{name}[/status], "
           "POST /v1/machines/{name}/on|off|cycle, GET /v1/switches, GET /v1/switches/{switch}, "
           "GET /v1/switches/{switch}/ports/{port}[/status], "
           "POST /v1/switches/{switch}/ports/{port}/on|off|cycle (port URL-encoded, e.g. Gi1%2F0%2F5)";
}

std::variant<Route, ApiError> parse_route(std::string_view method, std::string_view target) {
    if (target.size() > max_target_chars) {
        return bad_request("bad_path",
                           "request target longer than " + std::to_string(max_target_chars) + " bytes");
    }
    std::string_view path = target.substr(0, target.find('?'));
    if (!path.starts_with('/')) {
        return bad_request("bad_path", "the request target must be a path starting with \"/\"");
    }
    path.remove_prefix(1);
    // MAAS retries with a "/" appended, and users copy URLs both ways.
    if (path.ends_with('/')) {
        path.remove_suffix(1);
    }
    std::vector<std::string> segments;
    if (!path.empty()) {
        std::size_t start = 0;
        for (;;) {
            const auto slash = path.find('/', start);
            const auto raw =
                path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
            if (raw.empty()) {
                return bad_request("bad_path",
                                   "empty path segment (\"//\") in \"" + std::string(target) + "\"");
            }
            auto decoded = decode_path_segment(raw);
            if (!decoded) {
                return bad_request("bad_path", decoded.error().message);
            }
            segments.push_back(std::move(decoded).value());
            if (slash == std::string_view::npos) {
                break;
            }
            start = slash + 1;
        }
    }
    auto match = match_path(segments);
    if (!match) {
        return unknown_path(target.substr(0, target.find('?')));
    }
    if (match->route.kind == RouteKind::port_status || match->route.kind == RouteKind::port_power) {
        if (match->route.port.size() > max_segment_chars) {
            return bad_request("bad_path",
                               "port name longer than " + std::to_string(max_segment_chars) + " characters");
        }
    }
    if (method != match->method) {
        return ApiError{
            405, "method_not_allowed",       "use " + std::string(match->method) + " for this route",
            {},  std::string(match->method), std::nullopt};
    }
    return std::move(match->route);
}

}  // namespace maas_bridge
