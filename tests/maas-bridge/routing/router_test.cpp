// SPDX-License-Identifier: Apache-2.0
#include "routing/router.hpp"

#include <gtest/gtest.h>

namespace maas_bridge {
namespace {

Route expect_route(std::string_view method, std::string_view target) {
    auto parsed = parse_route(method, target);
    if (const auto* error = std::get_if<ApiError>(&parsed)) {
        ADD_FAILURE() << method << " " << target << " → " << error->status << " " << error->message;
        return {};
    }
    return std::get<Route>(parsed);
}

ApiError expect_error(std::string_view method, std::string_view target) {
    auto parsed = parse_route(method, target);
    if (std::holds_alternative<Route>(parsed)) {
        ADD_FAILURE() << method << " " << target << " unexpectedly routed";
        return {};
    }
    return std::get<ApiError>(parsed);
}

TEST(Router, MachineRoutesWithAndWithoutTrailingSlash) {
    for (const char* suffix : {"", "/"}) {
        const std::string s(suffix);
        Route status = expect_route("GET", "/v1/machines/pi-01" + s);
        EXPECT_EQ(status.kind, RouteKind::machine_status);
        EXPECT_EQ(status.machine, "pi-01");
        EXPECT_EQ(expect_route("GET", "/v1/machines/pi-01/status" + s).kind, RouteKind::machine_status);

        Route on = expect_route("POST", "/v1/machines/pi-01/on" + s);
        EXPECT_EQ(on.kind, RouteKind::machine_power);
        EXPECT_EQ(on.action, poe::PowerAction::on);
        EXPECT_EQ(expect_route("POST", "/v1/machines/pi-01/off" + s).action, poe::PowerAction::off);
        EXPECT_EQ(expect_route("POST", "/v1/machines/pi-01/cycle" + s).action, poe::PowerAction::cycle);

        EXPECT_EQ(expect_route("GET", "/v1/machines" + s).kind, RouteKind::list_machines);
        EXPECT_EQ(expect_route("GET", "/v1/switches" + s).kind, RouteKind::list_switches);
        EXPECT_EQ(expect_route("GET", "/v1/switches/core" + s).kind, RouteKind::switch_detail);
        EXPECT_EQ(expect_route("GET", "/v1/switches/core/ports" + s).kind, RouteKind::switch_detail);
        EXPECT_EQ(expect_route("GET", "/healthz" + s).kind, RouteKind::healthz);
        EXPECT_EQ(expect_route("GET", "/metrics" + s).kind, RouteKind::metrics);
    }
}

TEST(Router, QueryStringIsIgnored) {
    EXPECT_EQ(expect_route("GET", "/v1/machines/pi-01?x=1").machine, "pi-01");
    EXPECT_EQ(expect_route("POST", "/v1/machines/pi-01/on/?").kind, RouteKind::machine_power);
}

TEST(Router, PortRoutesDecodeThePort) {
    Route encoded = expect_route("GET", "/v1/switches/core/ports/Gi1%2F0%2F5");
    EXPECT_EQ(encoded.kind, RouteKind::port_status);
    EXPECT_EQ(encoded.switch_id, "core");
    EXPECT_EQ(encoded.port, "Gi1/0/5");

    Route power = expect_route("POST", "/v1/switches/core/ports/Gi1%2F0%2F5/off/");
    EXPECT_EQ(power.kind, RouteKind::port_power);
    EXPECT_EQ(power.action, poe::PowerAction::off);
    EXPECT_EQ(power.port, "Gi1/0/5");

    Route plain = expect_route("POST", "/v1/switches/core/ports/Gi1/0/5/cycle");
    EXPECT_EQ(plain.port, "Gi1/0/5");
    EXPECT_EQ(plain.action, poe::PowerAction::cycle);

    Route status = expect_route("GET", "/v1/switches/core/ports/Gi1/0/5/status");
    EXPECT_EQ(status.kind, RouteKind::port_status);
    EXPECT_EQ(status.port, "Gi1/0/5");

    // A port literally named like a verb is still a port.
    EXPECT_EQ(expect_route("GET", "/v1/switches/core/ports/on").port, "on");
}

TEST(Router, WrongMethodIs405WithAllow) {
    ApiError get_on = expect_error("GET", "/v1/machines/pi-01/on");
    EXPECT_EQ(get_on.status, 405U);
    EXPECT_EQ(get_on.allow, "POST");
    EXPECT_EQ(get_on.code, "method_not_allowed");

    ApiError post_status = expect_error("POST", "/v1/machines/pi-01");
    EXPECT_EQ(post_status.status, 405U);
    EXPECT_EQ(post_status.allow, "GET");

    EXPECT_EQ(expect_error("PUT", "/healthz").allow, "GET");
    EXPECT_EQ(expect_error("HEAD", "/v1/switches/core/ports/Gi1%2F0%2F1").allow, "GET");
    EXPECT_EQ(expect_error("DELETE", "/v1/switches/core/ports/Gi1%2F0%2F1/on").allow, "POST");
}

TEST(Router, UnknownPathsAre400ListingRoutesNever404) {
    for (const char* target :
         {"/", "/v1", "/v2/machines/pi-01", "/v1/machines/pi-01/reboot", "/v1/machines/a/b/c",
          "/v1/switches/core/vlans", "/favicon.ico", "/v1/machines/pi-01//"}) {
        ApiError error = expect_error("GET", target);
        EXPECT_EQ(error.status, 400U) << target;
        EXPECT_NE(error.status, 404U);
    }
    ApiError error = expect_error("GET", "/nope");
    EXPECT_EQ(error.code, "unknown_route");
    EXPECT_NE(error.message.find("POST /v1/machines/{name}/on|off|cycle"), std::string::npos)
        << error.message;
}

TEST(Router, StrictDecodingIs400) {
    for (const char* target :
         {"/v1/machines/pi%zz", "/v1/machines/pi%00", "/v1/machines/..", "/v1/machines/%2e%2e",
          "/v1/switches/core/ports/Gi1%2F..%2F5", "/v1/machines/a%0d%0ab", "/v1//machines/pi-01", "*",
          "http://host/v1/machines/pi-01"}) {
        ApiError error = expect_error("GET", target);
        EXPECT_EQ(error.status, 400U) << target;
    }
    EXPECT_EQ(expect_error("GET", "/v1/machines/" + std::string(65, 'a')).status, 400U);
    EXPECT_EQ(expect_error("GET", "/v1/switches/s/ports/" + std::string(40, 'a') + "/" + std::string(40, 'b'))
                  .status,
              400U);
}

TEST(Router, OnlyHealthzSkipsAuth) {
    EXPECT_FALSE(expect_route("GET", "/healthz").requires_auth());
    EXPECT_TRUE(expect_route("GET", "/metrics").requires_auth());
    EXPECT_TRUE(expect_route("GET", "/v1/machines/x").requires_auth());
}

}  // namespace
}  // namespace maas_bridge
