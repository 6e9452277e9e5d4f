// SPDX-License-Identifier: Apache-2.0
// Scenario 8: one switch's sim hangs on `show power inline`; the other
// switch on the same bridge must keep its latency while requests to the
// hung one time out. Baseline and hung phase are measured in the same run.

#include "scenarios/scenario_context.hpp"

#include "ios_sim_process.hpp"

#include <atomic>
#include <mutex>
#include <thread>

namespace poe_bench {

namespace {

constexpr const char* scenario = "8 slow switch isolation";
constexpr int stuck_clients = 4;

}  // namespace

void run_slow_switch_isolation(ScenarioContext& context) {
    poe_test::IosSimOptions options;
    options.hostname = "sw-healthy";
    auto healthy_sim = poe_test::IosSimProcess::start(options);
    options.hostname = "sw-stuck";
    auto stuck_sim = poe_test::IosSimProcess::start(options);
    const std::string config =
        bridge_config({ios_switch("healthy", *healthy_sim, {"cache_ttl: 0s"}),
                       ios_switch("stuck", *stuck_sim, {"cache_ttl: 0s"})},
                      {{"h-", "healthy", {}}, {"s-", "stuck", {}}}, {"request_timeout: 2s"});
    auto bridge = context.start_bridge("s8-isolation", config);
    sequential_gets(bridge->port(), 10, machines_round_robin("h-"));
    sequential_gets(bridge->port(), 10, machines_round_robin("s-"));

    const std::size_t n = context.count(600, 150);
    const auto baseline = sequential_gets(bridge->port(), n, machines_round_robin("h-"));

    stuck_sim->control_ok("fault hang 'show power inline'");
    std::atomic<bool> stop{false};
    std::mutex stuck_mutex;
    RequestRun stuck_answers;  // every answer of the hung switch, any status
    std::vector<std::thread> clients;
    clients.reserve(stuck_clients);
    for (int c = 0; c < stuck_clients; ++c) {
        clients.emplace_back([&, c] {
            for (std::size_t i = static_cast<std::size_t>(c); !stop.load(); i += stuck_clients) {
                const auto result =
                    maas_request(bridge->port(), "GET", "/v1/machines/s-" + std::to_string(i % 48 + 1),
                                 bench_token, std::chrono::seconds(10));
                const std::lock_guard lock(stuck_mutex);
                stuck_answers.micros.push_back(result.micros);
                count_failure(stuck_answers, result);
                if (result.ok && result.status < 400) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                } else {
                    // Fast 503s (circuit open) would otherwise spin.
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
            }
        });
    }
    // Let the first stuck requests reach the device before measuring.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto started = std::chrono::steady_clock::now();
    auto hung = sequential_gets(bridge->port(), n, machines_round_robin("h-"));
    // Keep the healthy switch measured across at least one full request timeout.
    while (std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500)) {
        auto more = sequential_gets(bridge->port(), 50, machines_round_robin("h-"));
        hung.micros.insert(hung.micros.end(), more.micros.begin(), more.micros.end());
        for (const auto& [what, count] : more.failures) {
            hung.failures[what] += count;
        }
    }
    stop = true;
    for (auto& client : clients) {
        client.join();
    }
    stuck_sim->control_ok("fault clear");

    const auto base = LatencySummary::of(baseline.micros);
    const auto during = LatencySummary::of(hung.micros);
    const auto stuck = LatencySummary::of(stuck_answers.micros);
    auto& details = context.report.details("8_slow_switch_isolation");
    details["healthy_baseline"] = base.to_json();
    details["healthy_while_other_hung"] = during.to_json();
    details["healthy_failures"] = hung.failures_json();
    details["hung_switch_answers"] = stuck_answers.failures_json();
    details["hung_switch_latency"] = stuck.to_json();
    details["request_timeout"] = "2s";
    details["stuck_clients"] = stuck_clients;
    if (context.uncached_p50_ms) {
        details["scenario1_uncached_p50_ms"] = *context.uncached_p50_ms;
    }

    context.report.info(scenario, "healthy p50, baseline", base.p50_ms, "ms");
    context.report.info(scenario, "healthy p50, other switch hung", during.p50_ms, "ms");
    if (base.p50_ms > 0) {
        context.report.check(scenario, "healthy p50 hung/baseline", during.p50_ms / base.p50_ms, "x", 2.0,
                             false);
    }
    if (context.uncached_p50_ms && *context.uncached_p50_ms > 0) {
        context.report.check(scenario, "healthy p50 hung/scenario 1",
                             during.p50_ms / *context.uncached_p50_ms, "x", 2.0, false);
    }
    context.report.info(scenario, "healthy p99, other switch hung", during.p99_ms, "ms");
    const auto timeouts =
        stuck_answers.failures.count("status 504") ? stuck_answers.failures.at("status 504") : 0;
    context.report.info(scenario, "hung switch: 504 answers", static_cast<double>(timeouts), "");
    context.report.info(scenario, "hung switch: answers, all",
                        static_cast<double>(stuck_answers.micros.size()), "");
    context.report.check(scenario, "healthy failed requests", static_cast<double>(hung.failure_count()), "",
                         0, false);
}

}  // namespace poe_bench
