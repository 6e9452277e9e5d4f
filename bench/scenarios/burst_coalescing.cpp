// SPDX-License-Identifier: Apache-2.0
// Scenario 4: 48 concurrent queries for the 48 ports of one switch,
// released together: device commands the switch saw, extra logins, and the
// wall time of the burst. Three switches side by side: the deployed default
// (2 s cache) on a sim that answers at once; cache off on the same kind of
// sim, where only reads in flight can be shared (a read takes ~0.3 ms while
// the 48 connections arrive over several ms, so several reads are expected);
// and cache off on a sim that takes 50 ms per command, closer to a real
// switch's `show power inline`, where the whole burst shares one read.

#include "scenarios/scenario_context.hpp"

#include "ios_sim_process.hpp"

#include <algorithm>
#include <latch>
#include <thread>

namespace poe_bench {

namespace {

constexpr const char* scenario = "4 burst coalescing";
using Clock = std::chrono::steady_clock;
constexpr std::size_t burst_size = 48;
constexpr int slow_command_ms = 50;

std::int64_t counter(const boost::json::object& stats, std::string_view name) {
    const auto& by_name = stats.at("commands_by_name").as_object();
    const auto* value = by_name.if_contains(name);
    return value != nullptr ? value->as_int64() : 0;
}

struct BurstFigures {
    LatencySummary wall;
    LatencySummary per_request;
    LatencySummary send_spread;  ///< release → last request sent, per burst
    std::int64_t max_shows{0};
    std::int64_t total_shows{0};
    std::int64_t extra_logins{0};
    RequestRun failures;

    [[nodiscard]] boost::json::object to_json(std::size_t rounds) const {
        return {{"rounds", rounds},
                {"burst_size", burst_size},
                {"wall", wall.to_json()},
                {"per_request", per_request.to_json()},
                {"client_send_spread", send_spread.to_json()},
                {"show_power_inline_max_per_burst", max_shows},
                {"show_power_inline_total", total_shows},
                {"extra_logins", extra_logins},
                {"failures", failures.failures_json()}};
    }
};

// @p pause before each burst (longer than the cache TTL: every burst starts uncached).
BurstFigures bursts(std::uint16_t port, poe_test::IosSimProcess& sim, const std::string& prefix,
                    std::size_t rounds, std::chrono::milliseconds pause = std::chrono::milliseconds(0)) {
    BurstFigures figures;
    std::vector<double> walls;
    std::vector<double> latencies;
    std::vector<double> spreads;
    for (std::size_t round = 0; round < rounds; ++round) {
        std::this_thread::sleep_for(pause);
        const auto before = sim.stats();
        std::vector<HttpResult> results(burst_size);
        std::latch ready(static_cast<std::ptrdiff_t>(burst_size) + 1);
        std::latch go(1);
        std::vector<std::thread> clients;
        clients.reserve(burst_size);
        for (std::size_t i = 0; i < burst_size; ++i) {
            clients.emplace_back([&, i] {
                ready.count_down();
                go.wait();
                results[i] = maas_request(port, "GET", "/v1/machines/" + prefix + std::to_string(i + 1),
                                          bench_token, std::chrono::seconds(10));
            });
        }
        ready.arrive_and_wait();
        const auto start = Clock::now();
        go.count_down();
        for (auto& client : clients) {
            client.join();
        }
        walls.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        double spread = 0.0;
        for (const auto& result : results) {
            if (result.ok && result.status == 200) {
                latencies.push_back(result.micros);
            } else {
                count_failure(figures.failures, result);
            }
            spread =
                std::max(spread, std::chrono::duration<double, std::micro>(result.started - start).count() +
                                     result.sent_micros);
        }
        spreads.push_back(spread);
        const auto after = sim.stats();
        const auto shows = counter(after, "show power inline") - counter(before, "show power inline");
        figures.max_shows = std::max(figures.max_shows, shows);
        figures.total_shows += shows;
        figures.extra_logins += after.at("logins").as_int64() - before.at("logins").as_int64();
    }
    figures.wall = LatencySummary::of(walls);
    figures.per_request = LatencySummary::of(latencies);
    figures.send_spread = LatencySummary::of(spreads);
    return figures;
}

}  // namespace

void run_burst_coalescing(ScenarioContext& context) {
    poe_test::IosSimOptions sim_options;
    sim_options.hostname = "sw-burst";
    auto sim = poe_test::IosSimProcess::start(sim_options);
    sim_options.hostname = "sw-burst-slow";
    sim_options.command_delay_ms = slow_command_ms;
    auto slow_sim = poe_test::IosSimProcess::start(sim_options);
    sim_options.hostname = "sw-burst-cached";
    sim_options.command_delay_ms = 0;
    auto cached_sim = poe_test::IosSimProcess::start(sim_options);
    const std::string config =
        bridge_config({ios_switch("burst", *sim, {"cache_ttl: 0s"}),
                       ios_switch("slow", *slow_sim, {"cache_ttl: 0s"}), ios_switch("cached", *cached_sim)},
                      {{"b-", "burst", {}}, {"s-", "slow", {}}, {"c-", "cached", {}}});
    auto bridge = context.start_bridge("s4-burst", config);
    sequential_gets(bridge->port(), 2, machines_round_robin("b-"));  // logs in
    sequential_gets(bridge->port(), 2, machines_round_robin("s-"));
    sequential_gets(bridge->port(), 2, machines_round_robin("c-"));

    const std::size_t rounds = context.count(20, 5);
    // Bursts more than the cache TTL apart, so each one starts uncached.
    const auto cached =
        bursts(bridge->port(), *cached_sim, "c-", context.count(5, 2), std::chrono::milliseconds(2100));
    const auto fast = bursts(bridge->port(), *sim, "b-", rounds);
    const auto slow = bursts(bridge->port(), *slow_sim, "s-", context.count(10, 3));

    auto& details = context.report.details("4_burst_coalescing");
    details["default_cache_2s"] = cached.to_json(context.count(5, 2));
    details["sim_no_delay"] = fast.to_json(rounds);
    details["sim_command_delay_50ms"] = slow.to_json(context.count(10, 3));

    const std::string max_of = " (max of " + std::to_string(rounds) + " bursts)";
    context.report.check(scenario, "default cache: `show power inline` per burst",
                         static_cast<double>(cached.max_shows), "", 2, false);
    context.report.check(scenario, "default cache: extra logins", static_cast<double>(cached.extra_logins),
                         "", 0, false);
    context.report.info(scenario, "cache off, sim no delay: `show power inline` per burst" + max_of,
                        static_cast<double>(fast.max_shows), "");
    context.report.check(scenario, "cache off, sim no delay: extra logins",
                         static_cast<double>(fast.extra_logins), "", 0, false);
    context.report.info(scenario, "sim no delay: burst wall time p50", fast.wall.p50_ms, "ms");
    context.report.info(scenario, "sim no delay: client send spread p50", fast.send_spread.p50_ms, "ms");
    context.report.check(scenario, "cache off, sim 50 ms/command: `show power inline` per burst",
                         static_cast<double>(slow.max_shows), "", 2, false);
    context.report.check(scenario, "cache off, sim 50 ms/command: extra logins",
                         static_cast<double>(slow.extra_logins), "", 0, false);
    context.report.info(scenario, "sim 50 ms/command: burst wall time p50", slow.wall.p50_ms, "ms");
    const std::size_t failures =
        fast.failures.failure_count() + slow.failures.failure_count() + cached.failures.failure_count();
    if (failures != 0) {
        context.report.check(scenario, "failed requests", static_cast<double>(failures), "", 0, false);
    }
}

}  // namespace poe_bench
