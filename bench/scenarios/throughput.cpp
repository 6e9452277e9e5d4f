// SPDX-License-Identifier: Apache-2.0
// Scenario 5: cached queries per second with wrk (pinned to CPU 0) against
// the bridge (pinned to CPU 1), keep-alive and Connection: close, each next
// to the ceiling server (bench/ceiling_server.cpp, also on CPU 1) in the
// same run.

#include "scenarios/scenario_context.hpp"

#include "ios_sim_process.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace poe_bench {

namespace {

constexpr const char* scenario = "5 throughput";
constexpr int wrk_connections = 16;
constexpr int wrk_cpu = 0;
constexpr int server_cpu = 1;

struct WrkFigures {
    double requests_per_s{0.0};
    double p50_ms{0.0};
    double p99_ms{0.0};
    std::int64_t errors{0};  ///< socket errors + non-2xx/3xx
    boost::json::object raw;
};

// Also records how busy wrk and the server were: a CPU share near 1.0 for
// wrk means the client, not the server, set the pace.
WrkFigures run_wrk(const ScenarioContext& context, pid_t server, std::uint16_t port, const std::string& path,
                   bool close, std::chrono::seconds duration) {
    const auto server_cpu_before = read_cpu_seconds(server).value_or(0.0);
    SpawnOptions options;
    options.argv = {"wrk",
                    "-t1",
                    "-c" + std::to_string(wrk_connections),
                    "-d" + std::to_string(duration.count()) + "s",
                    "--timeout",
                    "2s",
                    "--latency",
                    "-s",
                    context.paths.wrk_script.string(),
                    "http://127.0.0.1:" + std::to_string(port) + path};
    options.cpu = wrk_cpu;
    options.extra_env = {{"BENCH_TOKEN", bench_token}, {"WRK_CONNECTION_CLOSE", close ? "1" : "0"}};
    const auto output = run_command(options, duration + std::chrono::seconds(20), context.paths.work_dir);
    const auto server_cpu_used = read_cpu_seconds(server).value_or(0.0) - server_cpu_before;
    const auto at = output.out.find("WRK_JSON ");
    if (output.exit_code != 0 || at == std::string::npos) {
        throw std::runtime_error("wrk failed (exit " + std::to_string(output.exit_code) + "): " + output.out +
                                 output.err);
    }
    const auto end = output.out.find('\n', at);
    WrkFigures figures;
    figures.raw = boost::json::parse(output.out.substr(at + 9, end - at - 9)).as_object();
    const auto number = [&](const char* key) { return figures.raw.at(key).to_number<double>(); };
    figures.requests_per_s = number("requests") / (number("duration_us") / 1e6);
    figures.p50_ms = number("latency_p50_us") / 1000.0;
    figures.p99_ms = number("latency_p99_us") / 1000.0;
    figures.errors =
        static_cast<std::int64_t>(number("errors_connect") + number("errors_read") + number("errors_write") +
                                  number("errors_status") + number("errors_timeout"));
    figures.raw["requests_per_s"] = figures.requests_per_s;
    const double seconds = number("duration_us") / 1e6;
    figures.raw["wrk_cpu_share"] = std::round(output.cpu_seconds / seconds * 100.0) / 100.0;
    figures.raw["server_cpu_share"] = std::round(server_cpu_used / seconds * 100.0) / 100.0;
    figures.raw["wrk_summary"] = output.out.substr(0, at);
    return figures;
}

std::uint16_t start_ceiling(const ScenarioContext& context, std::unique_ptr<ChildProcess>& child) {
    const auto port_file = context.paths.work_dir / "ceiling.port";
    std::filesystem::remove(port_file);
    SpawnOptions options;
    options.argv = {context.paths.ceiling_server.string(), "--port-file", port_file.string()};
    options.cpu = server_cpu;
    options.stderr_path = context.paths.work_dir / "ceiling.log";
    child = ChildProcess::spawn(options);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline && child->running()) {
        if (std::filesystem::exists(port_file)) {
            unsigned port = 0;
            std::ifstream(port_file) >> port;
            return static_cast<std::uint16_t>(port);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    throw std::runtime_error("ceiling_server did not start: " +
                             read_file(context.paths.work_dir / "ceiling.log"));
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values[(values.size() - 1) / 2];
}

// Several wrk runs as one: requests/s over the total time, the median p50,
// the worst p99, every error, mean CPU shares; each run kept under "rounds".
WrkFigures aggregate(const std::vector<WrkFigures>& runs) {
    WrkFigures total;
    double requests = 0.0;
    double seconds = 0.0;
    double server_share = 0.0;
    double wrk_share = 0.0;
    std::vector<double> p50s;
    boost::json::array rounds;
    for (const auto& run : runs) {
        requests += run.raw.at("requests").to_number<double>();
        seconds += run.raw.at("duration_us").to_number<double>() / 1e6;
        server_share += run.raw.at("server_cpu_share").to_number<double>();
        wrk_share += run.raw.at("wrk_cpu_share").to_number<double>();
        p50s.push_back(run.p50_ms);
        total.p99_ms = std::max(total.p99_ms, run.p99_ms);
        total.errors += run.errors;
        rounds.push_back(run.raw);
    }
    const auto n = static_cast<double>(runs.empty() ? 1 : runs.size());
    total.requests_per_s = seconds > 0 ? requests / seconds : 0.0;
    total.p50_ms = median(p50s);
    total.raw = {{"requests_per_s", total.requests_per_s},
                 {"latency_p50_ms_median", total.p50_ms},
                 {"latency_p99_ms_max", total.p99_ms},
                 {"errors", total.errors},
                 {"server_cpu_share", std::round(server_share / n * 100.0) / 100.0},
                 {"wrk_cpu_share", std::round(wrk_share / n * 100.0) / 100.0},
                 {"rounds", std::move(rounds)}};
    return total;
}

struct SideBySide {
    WrkFigures bridge;
    WrkFigures ceiling;
    double ratio{0.0};  ///< median over the rounds of bridge/ceiling
};

// Bridge and ceiling alternately, round by round, so that both see the same
// machine; the ratio is the median of the rounds' ratios.
SideBySide alternate(const ScenarioContext& context, const BridgeProcess& bridge, const ChildProcess& ceiling,
                     std::uint16_t ceiling_port, const std::string& path, bool close, std::size_t rounds,
                     std::chrono::seconds per_round) {
    std::vector<WrkFigures> bridge_runs;
    std::vector<WrkFigures> ceiling_runs;
    std::vector<double> ratios;
    for (std::size_t round = 0; round < rounds; ++round) {
        bridge_runs.push_back(run_wrk(context, bridge.pid(), bridge.port(), path, close, per_round));
        ceiling_runs.push_back(run_wrk(context, ceiling.pid(), ceiling_port, path, close, per_round));
        if (ceiling_runs.back().requests_per_s > 0) {
            ratios.push_back(bridge_runs.back().requests_per_s / ceiling_runs.back().requests_per_s);
        }
    }
    return {aggregate(bridge_runs), aggregate(ceiling_runs), median(ratios)};
}

void record(ScenarioContext& context, const std::string& mode, const SideBySide& side, double rate_target) {
    const WrkFigures& bridge = side.bridge;
    const WrkFigures& ceiling = side.ceiling;
    context.report.check(scenario, mode + ": bridge req/s", bridge.requests_per_s, "req/s", rate_target,
                         true);
    context.report.info(scenario, mode + ": ceiling req/s", ceiling.requests_per_s, "req/s");
    context.report.check(scenario, mode + ": bridge/ceiling (median of rounds)", side.ratio, "", 0.5, true);
    context.report.check(scenario, mode + ": bridge p99", bridge.p99_ms, "ms", 5.0, false);
    context.report.check(scenario, mode + ": bridge errors", static_cast<double>(bridge.errors), "", 0,
                         false);
    // Who set the pace: a CPU share near 1.0 means that process was saturated.
    const auto share = [](const WrkFigures& figures, const char* key) {
        return figures.raw.at(key).to_number<double>();
    };
    context.report.info(scenario, mode + ": CPU share of the bridge", share(bridge, "server_cpu_share"), "");
    context.report.info(scenario, mode + ": CPU share of the ceiling", share(ceiling, "server_cpu_share"),
                        "");
    context.report.info(scenario, mode + ": CPU share wrk (bridge run)", share(bridge, "wrk_cpu_share"), "");
    context.report.info(scenario, mode + ": CPU share wrk (ceiling run)", share(ceiling, "wrk_cpu_share"),
                        "");
}

}  // namespace

void run_throughput(ScenarioContext& context) {
    const std::size_t rounds = context.quick ? 1 : 4;
    const std::chrono::seconds per_round(2);
    poe_test::IosSimOptions sim_options;
    sim_options.hostname = "sw-fast";
    auto sim = poe_test::IosSimProcess::start(sim_options);
    const std::string config = bridge_config({ios_switch("fast", *sim)}, {{"t-", "fast", {}}});
    auto bridge = context.start_bridge("s5-throughput", config, "info", server_cpu);
    std::unique_ptr<ChildProcess> ceiling_process;
    const std::uint16_t ceiling_port = start_ceiling(context, ceiling_process);
    sequential_gets(bridge->port(), 5, machines_round_robin("t-"));
    const std::string path = "/v1/machines/t-5";

    const auto keep =
        alternate(context, *bridge, *ceiling_process, ceiling_port, path, false, rounds, per_round);
    const auto close =
        alternate(context, *bridge, *ceiling_process, ceiling_port, path, true, rounds, per_round);
    const auto memory = bridge->memory();
    const bool bridge_clean_exit = bridge->stop() == 0;
    ceiling_process->stop(std::chrono::seconds(5));

    // The same bridge with the access log off (log level warn): what the
    // per-request info line costs. For information only.
    auto quiet_bridge = context.start_bridge("s5-throughput-warn", config, "warn", server_cpu);
    sequential_gets(quiet_bridge->port(), 5, machines_round_robin("t-"));
    const std::chrono::seconds quiet_duration(context.quick ? 2 : 4);
    const auto keep_quiet =
        run_wrk(context, quiet_bridge->pid(), quiet_bridge->port(), path, false, quiet_duration);
    const auto close_quiet =
        run_wrk(context, quiet_bridge->pid(), quiet_bridge->port(), path, true, quiet_duration);
    quiet_bridge->stop();

    auto& details = context.report.details("5_throughput");
    details["wrk"] = {{"threads", 1},       {"connections", wrk_connections},
                      {"rounds", rounds},   {"seconds_per_round", per_round.count()},
                      {"wrk_cpu", wrk_cpu}, {"server_cpu", server_cpu},
                      {"path", path},       {"cache_ttl", "2s (default)"}};
    details["keepalive_bridge"] = keep.bridge.raw;
    details["keepalive_ceiling"] = keep.ceiling.raw;
    details["keepalive_ratio_median"] = keep.ratio;
    details["close_bridge"] = close.bridge.raw;
    details["close_ceiling"] = close.ceiling.raw;
    details["close_ratio_median"] = close.ratio;
    details["keepalive_bridge_log_warn"] = keep_quiet.raw;
    details["close_bridge_log_warn"] = close_quiet.raw;
    if (memory) {
        details["bridge_memory_after_load"] = {{"rss_mib", memory->rss_mib}, {"hwm_mib", memory->hwm_mib}};
    }
    details["bridge_clean_exit"] = bridge_clean_exit;

    record(context, "keep-alive", keep, 20000.0);
    record(context, "Connection: close", close, 5000.0);
    context.report.info(scenario, "keep-alive: bridge req/s, log level warn", keep_quiet.requests_per_s,
                        "req/s");
    context.report.info(scenario, "Connection: close: bridge req/s, log level warn",
                        close_quiet.requests_per_s, "req/s");
}

}  // namespace poe_bench
