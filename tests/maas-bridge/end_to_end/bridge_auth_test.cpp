// SPDX-License-Identifier: Apache-2.0
// Who may drive the switch: every route but /healthz refuses missing and
// wrong credentials with 401 before anything touches the switch, and no
// secret (bridge tokens and passwords, switch password, enable secret) is
// ever logged, at any log level, on success or failure paths.
//
// Timing of the credential check is not measured here (a timed test would
// be flaky): Authenticator compares SHA-256 digests (fixed 32 bytes) with
// CRYPTO_memcmp over every configured entry without an early exit, see
// maas-bridge/src/auth/authenticator.cpp.

#include "end_to_end/sim_bridge.hpp"
#include "routing/router.hpp"
#include "support/log_capture.hpp"

#include "ios_sim_process.hpp"

#include <gtest/gtest.h>

#include <array>
#include <regex>
#include <set>

namespace maas_bridge::testing {
namespace {

using namespace std::chrono_literals;

struct RouteRequest {
    std::string method;
    std::string target;
};

// Every RouteKind. A new kind makes this switch incomplete (-Wswitch, an
// error with POE_WERROR), and the test below then wants it in
// route_summary(), from which the requests are built.
bool is_route_kind(RouteKind kind) {
    switch (kind) {
        case RouteKind::healthz:
        case RouteKind::metrics:
        case RouteKind::list_machines:
        case RouteKind::machine_status:
        case RouteKind::machine_power:
        case RouteKind::list_switches:
        case RouteKind::switch_detail:
        case RouteKind::port_status:
        case RouteKind::port_power:
            return true;
    }
    return false;
}

std::vector<RouteKind> all_route_kinds() {
    std::vector<RouteKind> kinds;
    for (int i = 0; is_route_kind(static_cast<RouteKind>(i)); ++i) {
        kinds.push_back(static_cast<RouteKind>(i));
    }
    return kinds;
}

// The requests route_summary() describes, with the placeholders filled in
// for a switch "core" (machines core-N): "[/x]" is taken with and without,
// "a|b|c" as each word, and every target also with a trailing slash.
std::vector<RouteRequest> documented_requests() {
    const std::string summary(route_summary());
    const std::regex entry(R"((GET|POST) (/[^ ,]*))");
    std::vector<RouteRequest> out;
    for (auto it = std::sregex_iterator(summary.begin(), summary.end(), entry); it != std::sregex_iterator();
         ++it) {
        const std::string method = (*it)[1];
        std::vector<std::string> paths{(*it)[2]};
        std::vector<std::string> expanded;
        for (const auto& path : paths) {
            const auto open = path.find('[');
            if (open == std::string::npos) {
                expanded.push_back(path);
                continue;
            }
            const auto close = path.find(']', open);
            expanded.push_back(path.substr(0, open) + path.substr(close + 1));
            expanded.push_back(path.substr(0, open) + path.substr(open + 1, close - open - 1) +
                               path.substr(close + 1));
        }
        paths.clear();
        for (const auto& path : expanded) {
            const auto slash = path.rfind('/');
            const std::string last = path.substr(slash + 1);
            if (last.find('|') == std::string::npos) {
                paths.push_back(path);
                continue;
            }
            std::size_t start = 0;
            while (start <= last.size()) {
                const auto bar = std::min(last.find('|', start), last.size());
                paths.push_back(path.substr(0, slash + 1) + last.substr(start, bar - start));
                start = bar + 1;
            }
        }
        for (auto path : paths) {
            const std::array<std::pair<std::string_view, std::string_view>, 3> fill{
                {{"{name}", "core-5"}, {"{switch}", "core"}, {"{port}", "Gi1%2F0%2F6"}}};
            for (const auto& [placeholder, value] : fill) {
                if (const auto at = path.find(placeholder); at != std::string::npos) {
                    path.replace(at, placeholder.size(), value);
                }
            }
            out.push_back({method, path});
            out.push_back({method, path + "/"});
        }
    }
    return out;
}

TEST(BridgeAuthRoutes, TheDocumentedRoutesCoverEveryRouteKind) {
    std::set<RouteKind> covered;
    for (const auto& request : documented_requests()) {
        const auto route = parse_route(request.method, request.target);
        const Route* matched = std::get_if<Route>(&route);
        ASSERT_NE(matched, nullptr) << request.method << " " << request.target
                                    << " is in route_summary() but does not route";
        covered.insert(matched->kind);
    }
    for (const RouteKind kind : all_route_kinds()) {
        EXPECT_TRUE(covered.contains(kind))
            << "route kind " << static_cast<int>(kind) << " is missing from route_summary()";
    }
    EXPECT_EQ(all_route_kinds().size(), 9U) << "update is_route_kind() when adding a route";
}

constexpr const char* token = "tok-7Hq2-unit-secret";
constexpr const char* basic_password = "basic-Pw-93kd";
constexpr const char* switch_password = "sw-Pass-Q7xm";
constexpr const char* enable_secret = "en-Secret-Z9kw";

std::string auth_block() {
    return std::string("auth:\n  tokens:\n    - name: maas\n      token: ") + token +
           "\n  users:\n    - name: operator\n      password: " + basic_password + "\n";
}

poe_test::IosSimOptions sim_with_secrets() {
    poe_test::IosSimOptions options;
    options.ports = "Gi1/0/1-8";
    options.users = {{"admin", switch_password}};
    options.authorize_user_keys = false;
    options.enable_secret = enable_secret;
    return options;
}

SimSwitch switch_for(const poe_test::IosSimProcess& sim) {
    SimSwitch sw{"core", sim.port(), sim.host_key_fingerprint()};
    sw.password = switch_password;
    sw.enable_secret = enable_secret;
    return sw;
}

TEST(BridgeAuth, EveryRouteButHealthzRefusesMissingAndWrongCredentials) {
    auto sim = poe_test::IosSimProcess::start(sim_with_secrets());
    SimBridgeOptions options;
    options.auth = auth_block();
    options.switches.push_back(switch_for(*sim));
    SimBridge bridge(options);
    const auto ports_before = port_modes(sim->stats());

    const std::string right_token(token);
    const std::vector<std::string> wrong{
        "",
        "Bearer",
        "Bearer wrong",
        "Bearer " + right_token + "x",
        "Bearer " + right_token.substr(0, right_token.size() - 1),
        basic_auth("operator", "wrong"),
        basic_auth("operator", std::string(basic_password) + "x"),
        basic_auth("maas", token),  // a token is not a Basic password
        basic_auth("nobody", basic_password),
        "Basic not-base64!",
        "Token " + right_token,
        "Bearer  " + basic_auth("operator", basic_password).substr(6),
    };
    std::vector<RouteRequest> requests = documented_requests();
    // Unknown routes and wrong methods say nothing before authentication either.
    requests.push_back({"GET", "/v1/nothing-here"});
    requests.push_back({"POST", "/v1/machines/core-5"});
    requests.push_back({"DELETE", "/v1/machines/core-5/off"});
    int refused = 0;
    for (const auto& request : requests) {
        if (request.target.starts_with("/healthz")) {
            const auto health = timed_fetch(bridge.port(), request.method, request.target, 10s, "");
            EXPECT_EQ(health.status(), 200) << request.target << ": " << health.body();
            continue;
        }
        for (const auto& credentials : wrong) {
            SCOPED_TRACE(request.method + " " + request.target + " with \"" + credentials + "\"");
            const auto answer = timed_fetch(bridge.port(), request.method, request.target, 10s, credentials);
            ASSERT_EQ(answer.status(), 401) << answer.body();
            const auto field = answer.response->base()["WWW-Authenticate"];
            const std::string challenge(field.data(), field.size());
            EXPECT_NE(challenge.find("Bearer"), std::string::npos) << challenge;
            EXPECT_NE(challenge.find("Basic"), std::string::npos) << challenge;
            EXPECT_EQ(error_body_of(answer).code, "unauthenticated");
            ++refused;
        }
    }
    EXPECT_GT(refused, 200);

    // Nothing reached the switch: no login, no command, no port changed.
    const auto stats = sim->stats();
    EXPECT_EQ(sim_counter(stats, "sessions_total"), 0);
    EXPECT_EQ(sim_counter(stats, "commands"), 0);
    EXPECT_EQ(port_modes(stats), ports_before);

    // The same routes with valid credentials work (so the 401s above were
    // about credentials, not about the routes), with a token or a user.
    for (const auto& request : documented_requests()) {
        for (const std::string& credentials :
             {"Bearer " + right_token, basic_auth("operator", basic_password)}) {
            const auto answer = timed_fetch(bridge.port(), request.method, request.target, 20s, credentials);
            EXPECT_EQ(answer.status(), 200)
                << request.method << " " << request.target << ": " << answer.body();
        }
    }
    EXPECT_EQ(sim_counter(sim->stats(), "logins"), 1);
}

// Secrets in the captured log at every level, over a run with successes
// and failures on both sides of the bridge.
class BridgeSecretsInLogs : public ::testing::TestWithParam<spdlog::level::level_enum> {};

TEST_P(BridgeSecretsInLogs, NoSecretIsEverLogged) {
    const auto level = GetParam();
    std::vector<std::string> bodies;
    std::string log;
    {
        const LogCapture capture(level);
        auto sim = poe_test::IosSimProcess::start(sim_with_secrets());
        SimBridgeOptions options;
        options.auth = auth_block();
        options.switches.push_back(switch_for(*sim));
        {
            SimBridge bridge(options);
            const auto call = [&](std::string_view method, const std::string& target,
                                  const std::string& creds) {
                const auto answer = timed_fetch(bridge.port(), method, target, 10s, creds);
                bodies.push_back(answer.body());
                return answer.status();
            };
            const std::string bearer = std::string("Bearer ") + token;
            const std::string basic = basic_auth("operator", basic_password);
            // Successes, with either kind of credentials.
            EXPECT_EQ(call("GET", "/v1/machines/core-5", bearer), 200);
            EXPECT_EQ(call("POST", "/v1/machines/core-6/off", basic), 200);
            EXPECT_EQ(call("POST", "/v1/machines/core-6/on", bearer), 200);
            EXPECT_EQ(call("GET", "/v1/switches/core", basic), 200);
            // Wrong credentials, close to the right ones.
            EXPECT_EQ(call("GET", "/v1/machines/core-5", bearer + "x"), 401);
            EXPECT_EQ(
                call("GET", "/v1/machines/core-5", basic_auth("operator", std::string(basic_password) + "x")),
                401);
            // The switch refuses the password, then the enable secret.
            sim->control_ok("fault refuse-login");
            sim->control_ok("drop-sessions");
            sim->wait_for_stats([](const auto& s) { return sim_counter(s, "sessions_active") == 0; });
            EXPECT_EQ(call("GET", "/v1/machines/core-5", bearer), 502);
            sim->control_ok("fault clear refuse-login");
            sim->control_ok("fault refuse-enable");
            EXPECT_EQ(call("POST", "/v1/machines/core-6/off", bearer), 502);
            sim->control_ok("fault clear refuse-enable");
        }
        log = capture.text();
    }
    const std::vector<std::pair<std::string, std::string>> secrets{
        {"bridge token", token},
        {"basic password", basic_password},
        {"basic credentials (base64)", basic_auth("operator", basic_password).substr(6)},
        {"switch password", switch_password},
        {"enable secret", enable_secret},
    };
    for (const auto& [what, secret] : secrets) {
        EXPECT_EQ(log.find(secret), std::string::npos)
            << what << " in the log at level " << spdlog::level::to_string_view(level).data() << ":\n"
            << log;
        for (const auto& body : bodies) {
            EXPECT_EQ(body.find(secret), std::string::npos) << what << " in a response: " << body;
        }
    }
    // The capture saw what this level should show (the check above is not vacuous).
    if (level <= spdlog::level::info) {
        EXPECT_NE(log.find("/v1/machines/core-5 401"), std::string::npos) << log;
        EXPECT_NE(log.find("/v1/machines/core-6/off 502"), std::string::npos) << log;
    }
    if (level <= spdlog::level::warn) {
        EXPECT_NE(log.find("login failed"), std::string::npos) << log;
    }
}

INSTANTIATE_TEST_SUITE_P(Levels, BridgeSecretsInLogs,
                         ::testing::Values(spdlog::level::trace, spdlog::level::debug, spdlog::level::info,
                                           spdlog::level::warn, spdlog::level::err),
                         [](const ::testing::TestParamInfo<spdlog::level::level_enum>& level) {
                             return std::string(spdlog::level::to_string_view(level.param).data());
                         });

}  // namespace
}  // namespace maas_bridge::testing
