// SPDX-License-Identifier: Apache-2.0
// Scenario 2: one persistent SSH session per switch against a login per
// request (what maaspower's CiscoIOSPOESwitch does), measured side by side:
// at library level, and through the bridge (idle_disconnect: 1ms forces a
// fresh login for every request).

#include "scenarios/scenario_context.hpp"

#include "ios_sim_process.hpp"

#include <poe/registry.hpp>
#include <poe/switch_controller.hpp>

#include <stdexcept>

namespace poe_bench {

namespace {

constexpr const char* scenario = "2 session reuse";
using Clock = std::chrono::steady_clock;

poe::DriverOptions driver_options(const poe_test::IosSimProcess& sim, bool legacy) {
    return {{"host", "127.0.0.1"},
            {"port", std::to_string(sim.port())},
            {"username", "admin"},
            {"password", "secret"},
            {"enable_secret", "enablepw"},
            {"host_key_fingerprint", sim.host_key_fingerprint()},
            {"legacy_algorithms", legacy ? "true" : "false"}};
}

double micros_since(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

struct LibraryComparison {
    RequestRun persistent;
    RequestRun per_login;
    // The parts of a login-per-request read.
    std::vector<double> create_micros;  ///< Registry::create
    std::vector<double> connect_micros;
    std::vector<double> read_micros;
    std::vector<double> disconnect_micros;
    std::int64_t logins{0};  ///< the sim's count for the login-per-request reads
};

// Interleaved rounds: `per_round` reads on one persistent controller (cache
// off), then one read on a fresh driver (connect, read_ports, disconnect).
LibraryComparison compare_library(const poe::Registry& registry, poe_test::IosSimProcess& sim, bool legacy,
                                  std::size_t rounds, std::size_t per_round) {
    auto driver = registry.create("cisco-ios", driver_options(sim, legacy));
    if (!driver) {
        throw std::runtime_error("cisco-ios driver: " + driver.error().message);
    }
    poe::ControllerOptions options;
    options.cache_ttl = std::chrono::milliseconds{0};
    auto controller = poe::SwitchController::create("persistent", std::move(driver).value(), options);
    if (!controller) {
        throw std::runtime_error("controller: " + controller.error().message);
    }
    LibraryComparison out;
    (void)(*controller)->status("Gi1/0/1", poe::deadline_in(std::chrono::seconds(10)));  // logs in
    const auto logins_before = sim.stats().at("logins").as_int64();
    for (std::size_t round = 0; round < rounds; ++round) {
        for (std::size_t i = 0; i < per_round; ++i) {
            const std::string port = "Gi1/0/" + std::to_string((round * per_round + i) % 48 + 1);
            const auto start = Clock::now();
            auto status = (*controller)->status(port, poe::deadline_in(std::chrono::seconds(10)));
            if (status) {
                out.persistent.micros.push_back(micros_since(start));
            } else {
                out.persistent.failures[status.error().message.substr(0, 60)]++;
            }
        }
        const auto start = Clock::now();
        auto fresh = registry.create("cisco-ios", driver_options(sim, legacy));
        if (!fresh) {
            throw std::runtime_error("cisco-ios driver: " + fresh.error().message);
        }
        const auto created_at = Clock::now();
        const auto deadline = poe::deadline_in(std::chrono::seconds(10));
        auto connected = (*fresh)->connect(deadline);
        const auto connected_at = Clock::now();
        auto ports = connected ? (*fresh)->read_ports(deadline)
                               : poe::Result<std::vector<poe::PortStatus>>(connected.error());
        const auto read_at = Clock::now();
        (*fresh)->disconnect();
        if (ports) {
            out.per_login.micros.push_back(micros_since(start));
            out.create_micros.push_back(
                std::chrono::duration<double, std::micro>(created_at - start).count());
            out.connect_micros.push_back(
                std::chrono::duration<double, std::micro>(connected_at - created_at).count());
            out.read_micros.push_back(
                std::chrono::duration<double, std::micro>(read_at - connected_at).count());
            out.disconnect_micros.push_back(micros_since(read_at));
        } else {
            out.per_login.failures[ports.error().message.substr(0, 60)]++;
        }
    }
    out.logins = sim.stats().at("logins").as_int64() - logins_before;
    return out;
}

}  // namespace

void run_session_reuse(ScenarioContext& context) {
    poe::Registry registry;
    if (auto registered = poe::register_builtin_drivers(registry); !registered) {
        throw std::runtime_error("register_builtin_drivers: " + registered.error().message);
    }
    const std::size_t rounds = context.count(100, 10);
    const std::size_t persistent_per_round = 10;

    // --- library level -----------------------------------------------------
    poe_test::IosSimOptions sim_options;
    sim_options.hostname = "sw-session";
    auto sim = poe_test::IosSimProcess::start(sim_options);
    const auto modern = compare_library(registry, *sim, false, rounds, persistent_per_round);
    // Old IOS 15 (a 2960-X) offers only diffie-hellman-group14-sha1 and
    // ssh-rsa: a login costs more there.
    sim_options.hostname = "sw-session-legacy";
    sim_options.legacy_only = true;
    auto legacy_sim = poe_test::IosSimProcess::start(sim_options);
    const auto legacy = compare_library(registry, *legacy_sim, true, rounds, persistent_per_round);
    const auto lib_persistent = LatencySummary::of(modern.persistent.micros);
    const auto lib_login = LatencySummary::of(modern.per_login.micros);
    const auto legacy_persistent = LatencySummary::of(legacy.persistent.micros);
    const auto legacy_login = LatencySummary::of(legacy.per_login.micros);

    // --- through the bridge ------------------------------------------------
    poe_test::IosSimOptions bridge_sim_options;
    bridge_sim_options.hostname = "sw-keep";
    auto keep_sim = poe_test::IosSimProcess::start(bridge_sim_options);
    bridge_sim_options.hostname = "sw-relogin";
    auto relogin_sim = poe_test::IosSimProcess::start(bridge_sim_options);
    const std::string config =
        bridge_config({ios_switch("keep", *keep_sim, {"cache_ttl: 0s"}),
                       ios_switch("relogin", *relogin_sim,
                                  {"cache_ttl: 0s", "idle_disconnect: 1ms", "max_logins_per_minute: 1000"})},
                      {{"k-", "keep", {}}, {"r-", "relogin", {}}});
    auto bridge = context.start_bridge("s2-session-reuse", config);
    sequential_gets(bridge->port(), 5, machines_round_robin("k-"));
    const auto logins_before = relogin_sim->stats().at("logins").as_int64();
    RequestRun bridge_keep;
    RequestRun bridge_relogin;
    for (std::size_t round = 0; round < rounds; ++round) {
        auto keep = sequential_gets(bridge->port(), persistent_per_round, [&](std::size_t i) {
            return "/v1/machines/k-" + std::to_string((round * persistent_per_round + i) % 48 + 1);
        });
        bridge_keep.micros.insert(bridge_keep.micros.end(), keep.micros.begin(), keep.micros.end());
        for (const auto& [what, n] : keep.failures) {
            bridge_keep.failures[what] += n;
        }
        auto relogin = sequential_gets(bridge->port(), 1, [&](std::size_t) {
            return "/v1/machines/r-" + std::to_string(round % 48 + 1);
        });
        bridge_relogin.micros.insert(bridge_relogin.micros.end(), relogin.micros.begin(),
                                     relogin.micros.end());
        for (const auto& [what, n] : relogin.failures) {
            bridge_relogin.failures[what] += n;
        }
    }
    const auto logins = relogin_sim->stats().at("logins").as_int64() - logins_before;
    const auto b_keep = LatencySummary::of(bridge_keep.micros);
    const auto b_relogin = LatencySummary::of(bridge_relogin.micros);

    auto& details = context.report.details("2_session_reuse");
    details["library_persistent"] = lib_persistent.to_json();
    details["library_persistent_failures"] = modern.persistent.failures_json();
    details["library_login_per_request"] = lib_login.to_json();
    details["library_login_per_request_failures"] = modern.per_login.failures_json();
    details["library_login_per_request_sim_logins"] = modern.logins;
    details["library_login_per_request_parts"] = {
        {"create", LatencySummary::of(modern.create_micros).to_json()},
        {"connect", LatencySummary::of(modern.connect_micros).to_json()},
        {"read_ports", LatencySummary::of(modern.read_micros).to_json()},
        {"disconnect", LatencySummary::of(modern.disconnect_micros).to_json()}};
    details["library_legacy_login_per_request_parts"] = {
        {"create", LatencySummary::of(legacy.create_micros).to_json()},
        {"connect", LatencySummary::of(legacy.connect_micros).to_json()},
        {"read_ports", LatencySummary::of(legacy.read_micros).to_json()},
        {"disconnect", LatencySummary::of(legacy.disconnect_micros).to_json()}};
    details["library_legacy_persistent"] = legacy_persistent.to_json();
    details["library_legacy_login_per_request"] = legacy_login.to_json();
    details["library_legacy_failures"] = {{"persistent", legacy.persistent.failures_json()},
                                          {"login_per_request", legacy.per_login.failures_json()}};
    details["library_legacy_login_per_request_sim_logins"] = legacy.logins;
    details["bridge_persistent"] = b_keep.to_json();
    details["bridge_persistent_failures"] = bridge_keep.failures_json();
    details["bridge_login_per_request"] = b_relogin.to_json();
    details["bridge_login_per_request_failures"] = bridge_relogin.failures_json();
    details["bridge_login_per_request_sim_logins"] = logins;
    details["method"] =
        "interleaved rounds (100): 10 persistent queries, then 1 query on a fresh login; library: "
        "SwitchController::status (cache off) vs Registry::create + connect + read_ports + disconnect; "
        "bridge: switch with cache_ttl 0s vs the same with idle_disconnect 1ms";

    context.report.info(scenario, "library: persistent p50", lib_persistent.p50_ms, "ms");
    context.report.info(scenario, "library: login per request p50", lib_login.p50_ms, "ms");
    if (lib_persistent.p50_ms > 0) {
        context.report.check(scenario, "library: login/persistent p50",
                             lib_login.p50_ms / lib_persistent.p50_ms, "x", 20.0, true);
    }
    context.report.info(scenario, "library, legacy-only sim: login per request p50", legacy_login.p50_ms,
                        "ms");
    if (legacy_persistent.p50_ms > 0) {
        context.report.check(scenario, "library, legacy-only sim: login/persistent p50",
                             legacy_login.p50_ms / legacy_persistent.p50_ms, "x", 20.0, true);
    }
    context.report.info(scenario, "bridge: login per request p50", b_relogin.p50_ms, "ms");
    if (b_keep.p50_ms > 0) {
        context.report.check(scenario, "bridge: login/persistent p50", b_relogin.p50_ms / b_keep.p50_ms, "x",
                             20.0, true);
    }
    context.report.info(scenario, "bridge: sim logins for login-per-request queries",
                        static_cast<double>(logins), "");
    const std::size_t failures = modern.persistent.failure_count() + modern.per_login.failure_count() +
                                 legacy.persistent.failure_count() + legacy.per_login.failure_count() +
                                 bridge_keep.failure_count() + bridge_relogin.failure_count();
    if (failures != 0) {
        context.report.check(scenario, "failed requests", static_cast<double>(failures), "", 0, false);
    }
}

}  // namespace poe_bench
