// SPDX-License-Identifier: Apache-2.0
// Scenario 6: 1, 10 and 100 fake switches of 48 ports (cache off), and a
// mix of 4 ios-sim switches with 96 fake ones: query latency against the
// number of switches, and the bridge's memory idle and under load.

#include "scenarios/scenario_context.hpp"

#include "ios_sim_process.hpp"

#include <atomic>
#include <thread>

namespace poe_bench {

namespace {

constexpr const char* scenario = "6 scale";
using Clock = std::chrono::steady_clock;
constexpr int load_clients = 8;

std::string switch_id(std::size_t i) {
    std::string digits = std::to_string(i);
    return "sw" + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}

struct ScalePoint {
    LatencySummary latency;
    LatencySummary latency_ios;  ///< mix only: queries to the ios-sim switches
    MemoryUsage idle;
    MemoryUsage loaded;
    int threads_idle{0};
    std::size_t load_requests{0};
    RequestRun failures;
};

// Machine i of the run: a pseudo-random switch and port (deterministic).
std::string target_for(std::size_t i, std::size_t switches) {
    const std::size_t mixed = i * 2654435761U;
    return "/v1/machines/" + switch_id(mixed % switches) + "-pi-" +
           std::to_string((mixed / switches) % 48 + 1);
}

ScalePoint measure(ScenarioContext& context, const std::string& name, std::size_t switches,
                   const std::string& config, std::size_t ios_switches) {
    ScalePoint point;
    auto bridge = context.start_bridge(name, config);
    // Idle: configured, listening, nothing asked yet.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    point.idle = bridge->memory().value_or(MemoryUsage{});
    point.threads_idle = read_thread_count(bridge->pid()).value_or(0);

    // Warm-up touches every switch once (ios-sim switches log in).
    for (std::size_t s = 0; s < switches; ++s) {
        (void)maas_request(bridge->port(), "GET", "/v1/machines/" + switch_id(s) + "-pi-1", bench_token,
                           std::chrono::seconds(10));
    }
    // Latency: sequential, spread over every switch and port.
    const std::size_t n = context.count(2000, 300);
    std::vector<double> fake_micros;
    std::vector<double> ios_micros;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t mixed = i * 2654435761U;
        const auto result = maas_request(bridge->port(), "GET", target_for(i, switches), bench_token,
                                         std::chrono::seconds(10));
        if (result.ok && result.status == 200) {
            ((mixed % switches) < ios_switches ? ios_micros : fake_micros).push_back(result.micros);
        } else {
            count_failure(point.failures, result);
        }
    }
    point.latency = LatencySummary::of(ios_switches == switches ? ios_micros : fake_micros);
    point.latency_ios = LatencySummary::of(ios_micros);

    // Load: concurrent clients for a bounded time; memory sampled meanwhile.
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> done{0};
    std::vector<std::thread> clients;
    clients.reserve(load_clients);
    for (int c = 0; c < load_clients; ++c) {
        clients.emplace_back([&, c] {
            for (std::size_t i = static_cast<std::size_t>(c) * 7919; !stop.load(); ++i) {
                (void)maas_request(bridge->port(), "GET", target_for(i, switches), bench_token,
                                   std::chrono::seconds(10));
                done.fetch_add(1);
            }
        });
    }
    const auto load_end = Clock::now() + std::chrono::seconds(context.quick ? 1 : 3);
    MemoryUsage peak;
    while (Clock::now() < load_end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (auto memory = bridge->memory()) {
            peak.rss_mib = std::max(peak.rss_mib, memory->rss_mib);
            peak.hwm_mib = std::max(peak.hwm_mib, memory->hwm_mib);
        }
    }
    stop = true;
    for (auto& client : clients) {
        client.join();
    }
    point.loaded = peak;
    point.load_requests = done.load();
    return point;
}

std::string scale_config(std::size_t switches, const std::vector<SwitchYaml>& ios) {
    std::vector<SwitchYaml> all = ios;
    std::vector<MachinePattern> machines;
    for (std::size_t s = 0; s < switches; ++s) {
        if (s >= ios.size()) {
            all.push_back(fake_switch(switch_id(s), {"cache_ttl: 0s"}));
        }
        machines.push_back({switch_id(s) + "-pi-", switch_id(s), {}});
    }
    return bridge_config(all, machines);
}

}  // namespace

void run_scale(ScenarioContext& context) {
    auto& details = context.report.details("6_scale");
    std::map<std::size_t, ScalePoint> points;
    for (const std::size_t switches : {1U, 10U, 100U}) {
        const auto point =
            measure(context, "s6-scale-" + std::to_string(switches), switches, scale_config(switches, {}), 0);
        details["fake_" + std::to_string(switches)] = {
            {"latency", point.latency.to_json()},        {"rss_idle_mib", point.idle.rss_mib},
            {"threads_idle", point.threads_idle},        {"rss_load_mib", point.loaded.rss_mib},
            {"hwm_mib", point.loaded.hwm_mib},           {"load_requests", point.load_requests},
            {"failures", point.failures.failures_json()}};
        context.report.info(scenario, std::to_string(switches) + " fake switches: p50", point.latency.p50_ms,
                            "ms");
        context.report.info(scenario, std::to_string(switches) + " fake switches: p99", point.latency.p99_ms,
                            "ms");
        points[switches] = point;
    }
    if (points[1].latency.p50_ms > 0) {
        context.report.info(scenario, "p50 100 switches / 1 switch",
                            points[100].latency.p50_ms / points[1].latency.p50_ms, "x");
    }
    context.report.info(scenario, "RSS idle, 1 switch", points[1].idle.rss_mib, "MiB");
    context.report.check(scenario, "RSS idle, 100 switches", points[100].idle.rss_mib, "MiB", 20.0, false);
    context.report.info(scenario, "RSS under load, 100 switches", points[100].loaded.rss_mib, "MiB");
    context.report.info(scenario, "VmHWM, 100 switches", points[100].loaded.hwm_mib, "MiB");

    // The mix: 4 switches on their own ios-sim, 96 fake.
    std::vector<std::unique_ptr<poe_test::IosSimProcess>> sims;
    std::vector<SwitchYaml> ios;
    for (std::size_t s = 0; s < 4; ++s) {
        poe_test::IosSimOptions options;
        options.hostname = "sw-mix-" + std::to_string(s);
        sims.push_back(poe_test::IosSimProcess::start(options));
        ios.push_back(ios_switch(switch_id(s), *sims.back(), {"cache_ttl: 0s"}));
    }
    const auto mix = measure(context, "s6-scale-mix", 100, scale_config(100, ios), 4);
    details["mix_4_ios_96_fake"] = {
        {"latency_fake", mix.latency.to_json()}, {"latency_ios_sim", mix.latency_ios.to_json()},
        {"rss_idle_mib", mix.idle.rss_mib},      {"threads_idle", mix.threads_idle},
        {"rss_load_mib", mix.loaded.rss_mib},    {"hwm_mib", mix.loaded.hwm_mib},
        {"load_requests", mix.load_requests},    {"failures", mix.failures.failures_json()}};
    context.report.info(scenario, "mix 4 ios-sim + 96 fake: ios-sim p50", mix.latency_ios.p50_ms, "ms");
    context.report.info(scenario, "mix: fake p50", mix.latency.p50_ms, "ms");
    context.report.info(scenario, "mix: RSS idle", mix.idle.rss_mib, "MiB");
    context.report.info(scenario, "mix: RSS under load", mix.loaded.rss_mib, "MiB");
    std::size_t failures = mix.failures.failure_count();
    for (const auto& [n, point] : points) {
        failures += point.failures.failure_count();
    }
    if (failures != 0) {
        context.report.check(scenario, "failed requests", static_cast<double>(failures), "", 0, false);
    }
}

}  // namespace poe_bench
