// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every scenario gets: where the binaries are, the report to add its
// figures to, and helpers for the request loops they share.

#include "support/bridge_process.hpp"
#include "support/http_probe.hpp"
#include "support/latency_summary.hpp"
#include "support/report.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace poe_bench {

struct BenchPaths {
    std::filesystem::path bridge;
    std::filesystem::path parser_bench;
    std::filesystem::path ceiling_server;
    std::filesystem::path wrk_script;
    std::filesystem::path source_dir;
    std::filesystem::path work_dir;  ///< scratch: configs, logs (removed at the end)
};

struct ScenarioContext {
    BenchPaths paths;
    Report& report;
    bool quick{false};
    /// Scenario 1's uncached p50 through the bridge, for scenario 8.
    std::optional<double> uncached_p50_ms;

    /// @p full requests normally, @p quick_count with --quick.
    [[nodiscard]] std::size_t count(std::size_t full, std::size_t quick_count) const {
        return quick ? quick_count : full;
    }

    std::unique_ptr<BridgeProcess> start_bridge(const std::string& name, const std::string& config,
                                                const std::string& log_level = "info",
                                                std::optional<int> cpu = std::nullopt) const {
        return BridgeProcess::start(BridgeStart{paths.bridge, paths.work_dir, name, config, log_level, cpu});
    }
};

/// Outcome of a run of requests: latencies of the 200 answers and a count
/// of every other outcome ("status 504", "connect: ...").
struct RequestRun {
    std::vector<double> micros;
    std::map<std::string, std::size_t> failures;

    [[nodiscard]] std::size_t failure_count() const {
        std::size_t n = 0;
        for (const auto& [what, count] : failures) {
            n += count;
        }
        return n;
    }
    [[nodiscard]] boost::json::object failures_json() const {
        boost::json::object out;
        for (const auto& [what, count] : failures) {
            out[what] = count;
        }
        return out;
    }
};

/// Counts a non-200 or failed request under a short description.
inline void count_failure(RequestRun& run, const HttpResult& result) {
    run.failures[result.ok ? "status " + std::to_string(result.status) : result.error.substr(0, 60)]++;
}

/// @p n sequential GETs of the targets @p target_of(i) yields.
inline RequestRun sequential_gets(std::uint16_t port, std::size_t n,
                                  const std::function<std::string(std::size_t)>& target_of,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    RequestRun run;
    run.micros.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto result = maas_request(port, "GET", target_of(i), bench_token, timeout);
        if (result.ok && result.status == 200) {
            run.micros.push_back(result.micros);
        } else {
            count_failure(run, result);
        }
    }
    return run;
}

/// Machine `PREFIX<n>` for n = 1..48 in turn.
inline std::function<std::string(std::size_t)> machines_round_robin(const std::string& prefix) {
    return [prefix](std::size_t i) { return "/v1/machines/" + prefix + std::to_string(i % 48 + 1); };
}

// The scenarios, in the order `make bench` runs them.
void run_query_latency(ScenarioContext& context);
void run_session_reuse(ScenarioContext& context);
void run_power_on(ScenarioContext& context);
void run_burst_coalescing(ScenarioContext& context);
void run_throughput(ScenarioContext& context);
void run_scale(ScenarioContext& context);
void run_parser(ScenarioContext& context);
void run_slow_switch_isolation(ScenarioContext& context);

}  // namespace poe_bench
