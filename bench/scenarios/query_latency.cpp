// SPDX-License-Identifier: Apache-2.0
// Scenario 1: MAAS's query (GET /v1/machines/X, Connection: close) through
// the bridge to a cisco-ios switch on ios-sim, cache off and cache on.

#include "scenarios/scenario_context.hpp"

#include "ios_sim_process.hpp"

namespace poe_bench {

namespace {

constexpr const char* scenario = "1 query latency";

std::int64_t show_count(poe_test::IosSimProcess& sim) {
    const auto stats = sim.stats();
    const auto& by_name = stats.at("commands_by_name").as_object();
    const auto* show = by_name.if_contains("show power inline");
    return show != nullptr ? show->as_int64() : 0;
}

}  // namespace

void run_query_latency(ScenarioContext& context) {
    poe_test::IosSimOptions sim_options;
    sim_options.hostname = "sw-uncached";
    auto uncached_sim = poe_test::IosSimProcess::start(sim_options);
    sim_options.hostname = "sw-cached";
    auto cached_sim = poe_test::IosSimProcess::start(sim_options);

    const std::string config = bridge_config(
        {ios_switch("uncached", *uncached_sim, {"cache_ttl: 0s"}), ios_switch("cached", *cached_sim)},
        {{"u-", "uncached", {}}, {"c-", "cached", {}}});
    auto bridge = context.start_bridge("s1-query-latency", config);

    // Warm-up: the first request logs in; the others settle the caches.
    sequential_gets(bridge->port(), 20, machines_round_robin("u-"));
    sequential_gets(bridge->port(), 20, machines_round_robin("c-"));

    const auto shows_before = show_count(*uncached_sim);
    const auto uncached =
        sequential_gets(bridge->port(), context.count(1000, 200), machines_round_robin("u-"));
    const auto shows = show_count(*uncached_sim) - shows_before;
    const auto cached =
        sequential_gets(bridge->port(), context.count(5000, 1000), machines_round_robin("c-"));

    const auto u = LatencySummary::of(uncached.micros);
    const auto c = LatencySummary::of(cached.micros);
    context.uncached_p50_ms = u.p50_ms;

    auto& details = context.report.details("1_query_latency");
    details["uncached"] = u.to_json();
    details["uncached_failures"] = uncached.failures_json();
    details["uncached_show_power_inline_commands"] = shows;
    details["cached"] = c.to_json();
    details["cached_failures"] = cached.failures_json();
    details["cached_ttl"] = "2s (default)";
    details["logins_uncached_sim"] = uncached_sim->stats().at("logins").as_int64();

    context.report.check(scenario, "uncached p50", u.p50_ms, "ms", 5.0, false);
    context.report.info(scenario, "uncached p99", u.p99_ms, "ms");
    context.report.check(scenario, "cached p50", c.p50_ms, "ms", 0.5, false);
    context.report.info(scenario, "cached p99", c.p99_ms, "ms");
    if (c.p50_ms > 0) {
        context.report.info(scenario, "uncached/cached p50", u.p50_ms / c.p50_ms, "x");
    }
    const std::size_t failures = uncached.failure_count() + cached.failure_count();
    if (failures != 0) {
        context.report.check(scenario, "failed requests", static_cast<double>(failures), "", 0, false);
    }
}

}  // namespace poe_bench
