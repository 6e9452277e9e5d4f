// SPDX-License-Identifier: Apache-2.0
// Scenario 5: cached queries per second with wrk (pinned to CPU 0) against
// the bridge (pinned to CPU 1), keep-alive and Connection: close, each next
// to the ceiling server (bench/ceiling_server.cpp, also on CPU 1) in the
// same run.

#include "scenarios/scenario_context.hpp"

#include "ios_sim_process.hpp"

#include <boost/json/parse.hpp>

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

WrkFigures run_wrk(const ScenarioContext& context, std::uint16_t port, const std::string& path, bool close,
                   std::chrono::seconds duration) {
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

void record(ScenarioContext& context, const std::string& mode, const WrkFigures& bridge,
            const WrkFigures& ceiling, double rate_target) {
    context.report.check(scenario, mode + ": bridge req/s", bridge.requests_per_s, "req/s", rate_target,
                         true);
    context.report.info(scenario, mode + ": ceiling req/s", ceiling.requests_per_s, "req/s");
    if (ceiling.requests_per_s > 0) {
        context.report.check(scenario, mode + ": bridge/ceiling",
                             bridge.requests_per_s / ceiling.requests_per_s, "", 0.5, true);
    }
    context.report.check(scenario, mode + ": bridge p99", bridge.p99_ms, "ms", 5.0, false);
    context.report.check(scenario, mode + ": bridge errors", static_cast<double>(bridge.errors), "", 0,
                         false);
}

}  // namespace

void run_throughput(ScenarioContext& context) {
    const std::chrono::seconds duration(context.quick ? 3 : 8);
    poe_test::IosSimOptions sim_options;
    sim_options.hostname = "sw-fast";
    auto sim = poe_test::IosSimProcess::start(sim_options);
    const std::string config = bridge_config({ios_switch("fast", *sim)}, {{"t-", "fast", {}}});
    auto bridge = context.start_bridge("s5-throughput", config, "info", server_cpu);
    std::unique_ptr<ChildProcess> ceiling_process;
    const std::uint16_t ceiling_port = start_ceiling(context, ceiling_process);
    sequential_gets(bridge->port(), 5, machines_round_robin("t-"));
    const std::string path = "/v1/machines/t-5";

    // Side by side: bridge, then ceiling, for each connection mode.
    const auto keep_bridge = run_wrk(context, bridge->port(), path, false, duration);
    const auto keep_ceiling = run_wrk(context, ceiling_port, path, false, duration);
    const auto close_bridge = run_wrk(context, bridge->port(), path, true, duration);
    const auto close_ceiling = run_wrk(context, ceiling_port, path, true, duration);
    const auto memory = bridge->memory();
    const bool bridge_alive = bridge->stop() == 0;
    ceiling_process->stop(std::chrono::seconds(5));

    // The same bridge with the access log off (log level warn): what the
    // per-request info line costs.
    auto quiet_bridge = context.start_bridge("s5-throughput-warn", config, "warn", server_cpu);
    sequential_gets(quiet_bridge->port(), 5, machines_round_robin("t-"));
    const auto keep_quiet = run_wrk(context, quiet_bridge->port(), path, false, duration);
    const auto close_quiet = run_wrk(context, quiet_bridge->port(), path, true, duration);
    quiet_bridge->stop();

    auto& details = context.report.details("5_throughput");
    details["wrk"] = {{"threads", 1},
                      {"connections", wrk_connections},
                      {"duration_s", duration.count()},
                      {"wrk_cpu", wrk_cpu},
                      {"server_cpu", server_cpu},
                      {"path", path},
                      {"cache_ttl", "2s (default)"}};
    details["keepalive_bridge"] = keep_bridge.raw;
    details["keepalive_ceiling"] = keep_ceiling.raw;
    details["close_bridge"] = close_bridge.raw;
    details["close_ceiling"] = close_ceiling.raw;
    details["keepalive_bridge_log_warn"] = keep_quiet.raw;
    details["close_bridge_log_warn"] = close_quiet.raw;
    if (memory) {
        details["bridge_memory_after_load"] = {{"rss_mib", memory->rss_mib}, {"hwm_mib", memory->hwm_mib}};
    }
    details["bridge_clean_exit"] = bridge_alive;

    record(context, "keep-alive", keep_bridge, keep_ceiling, 20000.0);
    record(context, "Connection: close", close_bridge, close_ceiling, 5000.0);
    context.report.info(scenario, "keep-alive: bridge req/s, log level warn", keep_quiet.requests_per_s,
                        "req/s");
    context.report.info(scenario, "Connection: close: bridge req/s, log level warn",
                        close_quiet.requests_per_s, "req/s");
}

}  // namespace poe_bench
