// SPDX-License-Identifier: Apache-2.0
// Scenario 3: power-on as MAAS does it: POST .../on, then GET until the body
// says running. The port is switched off (POST .../off, confirmed) before
// every iteration. Two cases: the default policy (running = admin enabled)
// on a sim without delays, and running = delivering on a sim whose ports
// take 200 ms to detect the powered device.

#include "scenarios/scenario_context.hpp"

#include "ios_sim_process.hpp"

#include <algorithm>
#include <thread>

namespace poe_bench {

namespace {

constexpr const char* scenario = "3 power-on round trip";
using Clock = std::chrono::steady_clock;
constexpr auto request_timeout = std::chrono::seconds(10);

bool says(const HttpResult& result, std::string_view status) {
    return result.ok && result.status == 200 &&
           result.body.find("\"status\":\"" + std::string(status) + "\"") != std::string::npos;
}

struct PowerOnRun {
    RequestRun confirmed;  ///< POST on .. first GET that says running
    std::vector<double> post_micros;
    std::vector<double> gets_needed;
};

// Off (confirmed), then the timed on + query loop. @p poll_gap between GETs.
PowerOnRun power_on_loop(std::uint16_t port, const std::string& machine, std::size_t iterations,
                         std::chrono::milliseconds poll_gap, std::chrono::milliseconds give_up) {
    PowerOnRun run;
    const std::string base = "/v1/machines/" + machine;
    for (std::size_t i = 0; i < iterations; ++i) {
        const auto off = maas_request(port, "POST", base + "/off", bench_token, request_timeout);
        if (!says(off, "stopped")) {
            count_failure(run.confirmed, off);
            continue;
        }
        // MAAS queries after an off too; make sure the port reads off before timing the on.
        const auto off_deadline = Clock::now() + give_up;
        while (!says(maas_request(port, "GET", base, bench_token, request_timeout), "stopped") &&
               Clock::now() < off_deadline) {
            std::this_thread::sleep_for(poll_gap);
        }

        const auto start = Clock::now();
        const auto on = maas_request(port, "POST", base + "/on", bench_token, request_timeout);
        if (!on.ok || on.status != 200) {
            count_failure(run.confirmed, on);
            continue;
        }
        run.post_micros.push_back(on.micros);
        const auto deadline = start + give_up;
        std::size_t gets = 0;
        bool running = false;
        while (Clock::now() < deadline) {
            ++gets;
            if (says(maas_request(port, "GET", base, bench_token, request_timeout), "running")) {
                running = true;
                break;
            }
            std::this_thread::sleep_for(poll_gap);
        }
        if (running) {
            run.confirmed.micros.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - start).count());
            run.gets_needed.push_back(static_cast<double>(gets));
        } else {
            run.confirmed.failures["not running within " + std::to_string(give_up.count()) + " ms"]++;
        }
    }
    return run;
}

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    return values[(values.size() - 1) / 2];
}

}  // namespace

void run_power_on(ScenarioContext& context) {
    constexpr int detect_delay_ms = 200;
    poe_test::IosSimOptions plain_options;
    plain_options.hostname = "sw-power";
    auto plain_sim = poe_test::IosSimProcess::start(plain_options);
    poe_test::IosSimOptions detect_options;
    detect_options.hostname = "sw-detect";
    detect_options.detect_delay_ms = detect_delay_ms;
    auto detect_sim = poe_test::IosSimProcess::start(detect_options);

    // Default cache (2 s) and verify_writes, as deployed.
    const std::string config =
        bridge_config({ios_switch("power", *plain_sim), ios_switch("detect", *detect_sim)},
                      {{"p-", "power", {}}, {"d-", "detect", {"running: delivering"}}});
    auto bridge = context.start_bridge("s3-power-on", config);
    sequential_gets(bridge->port(), 3, machines_round_robin("p-"));
    sequential_gets(bridge->port(), 3, machines_round_robin("d-"));

    const auto admin = power_on_loop(bridge->port(), "p-7", context.count(100, 20),
                                     std::chrono::milliseconds(1), std::chrono::seconds(5));
    const auto delivering = power_on_loop(bridge->port(), "d-7", context.count(8, 3),
                                          std::chrono::milliseconds(10), std::chrono::seconds(5));

    const auto a = LatencySummary::of(admin.confirmed.micros);
    const auto a_post = LatencySummary::of(admin.post_micros);
    const auto d = LatencySummary::of(delivering.confirmed.micros);
    const auto d_post = LatencySummary::of(delivering.post_micros);
    auto& details = context.report.details("3_power_on");
    details["running_admin"] = {{"confirmed", a.to_json()},
                                {"post_on", a_post.to_json()},
                                {"gets_needed_median", median(admin.gets_needed)},
                                {"failures", admin.confirmed.failures_json()},
                                {"sim_delays_ms", 0},
                                {"poll_gap_ms", 1}};
    details["running_delivering"] = {{"confirmed", d.to_json()},
                                     {"post_on", d_post.to_json()},
                                     {"gets_needed_median", median(delivering.gets_needed)},
                                     {"failures", delivering.confirmed.failures_json()},
                                     {"sim_detect_delay_ms", detect_delay_ms},
                                     {"poll_gap_ms", 10}};
    details["sim_stats_power"] = plain_sim->stats().at("commands_by_name");

    context.report.check(scenario, "running=admin, sim delays 0: p50", a.p50_ms, "ms", 50.0, false);
    context.report.info(scenario, "running=admin: p99", a.p99_ms, "ms");
    context.report.info(scenario, "running=admin: POST on p50", a_post.p50_ms, "ms");
    context.report.check(scenario, "running=delivering, detect 200 ms: p50", d.p50_ms, "ms",
                         50.0 + detect_delay_ms, false);
    const std::size_t failures = admin.confirmed.failure_count() + delivering.confirmed.failure_count();
    if (failures != 0) {
        context.report.check(scenario, "failed iterations", static_cast<double>(failures), "", 0, false);
    }
}

}  // namespace poe_bench
