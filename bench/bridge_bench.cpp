// SPDX-License-Identifier: Apache-2.0
// `make bench`: every scenario of BENCHMARKS.md in one run, against real
// processes on 127.0.0.1 (ios-sim, maas-bridge, wrk, the ceiling server,
// parser_bench). Prints the table and writes the results JSON. Measurement
// only: a missed target is reported, not failed.
//
//   bridge_bench [--out FILE] [--table FILE] [--quick] [--only 1,3,5] [--time-limit SECONDS]

#include "scenarios/scenario_context.hpp"
#include "support/child_process.hpp"
#include "support/report.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <unistd.h>

#if !defined(BENCH_BRIDGE_PATH) || !defined(BENCH_PARSER_BENCH_PATH) || \
    !defined(BENCH_CEILING_SERVER_PATH) || !defined(BENCH_SOURCE_DIR)
#error "paths come from bench/CMakeLists.txt"
#endif

namespace {

using namespace poe_bench;
using Clock = std::chrono::steady_clock;

struct Scenario {
    int number;
    const char* name;
    void (*run)(ScenarioContext&);
};

constexpr Scenario scenarios[] = {
    {1, "query latency (cache off / on)", run_query_latency},
    {2, "persistent session vs login per request", run_session_reuse},
    {3, "power-on round trip", run_power_on},
    {4, "burst coalescing", run_burst_coalescing},
    {5, "throughput (wrk) vs ceiling", run_throughput},
    {6, "scale: switches, latency, memory", run_scale},
    {7, "parser (Google Benchmark)", run_parser},
    {8, "slow switch isolation", run_slow_switch_isolation},
};

void die_cleanly(int signal_number) {
    kill_all_children();
    _exit(128 + signal_number);
}

struct Arguments {
    std::filesystem::path out{std::filesystem::path(BENCH_SOURCE_DIR) / "bench" / "results.json"};
    std::filesystem::path table;
    bool quick{false};
    std::set<int> only;
    int time_limit_s{540};
};

// @return nullopt after printing the usage.
std::optional<Arguments> parse(int argc, char** argv) {
    Arguments args;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
        if (arg == "--out") {
            args.out = value();
        } else if (arg == "--table") {
            args.table = value();
        } else if (arg == "--quick") {
            args.quick = true;
        } else if (arg == "--only") {
            std::stringstream list(value());
            std::string item;
            while (std::getline(list, item, ',')) {
                args.only.insert(std::stoi(item));
            }
        } else if (arg == "--time-limit") {
            args.time_limit_s = std::stoi(value());
        } else {
            std::cerr << "usage: bridge_bench [--out FILE] [--table FILE] [--quick] [--only 1,3,5] "
                         "[--time-limit SECONDS]\n";
            return std::nullopt;
        }
    }
    return args;
}

std::string load_text(const boost::json::value& loads) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2);
    const char* separator = "";
    for (const auto& load : loads.as_array()) {
        out << separator << load.to_number<double>();
        separator = " ";
    }
    return out.str();
}

std::filesystem::path make_work_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "poe-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

}  // namespace

int main(int argc, char** argv) {
    const auto parsed = parse(argc, argv);
    if (!parsed) {
        return 2;
    }
    const Arguments& args = *parsed;
    std::signal(SIGINT, die_cleanly);
    std::signal(SIGTERM, die_cleanly);
    std::signal(SIGPIPE, SIG_IGN);
    // Everything stops by itself: past the time limit the run is abandoned.
    std::thread([limit = args.time_limit_s] {
        std::this_thread::sleep_for(std::chrono::seconds(limit));
        std::cerr << "bridge_bench: time limit of " << limit << " s reached; stopping every child\n";
        die_cleanly(SIGALRM);
    }).detach();

    const auto started = Clock::now();
    const auto work_dir = make_work_dir();
    Report report;
    BenchPaths paths{BENCH_BRIDGE_PATH,
                     BENCH_PARSER_BENCH_PATH,
                     BENCH_CEILING_SERVER_PATH,
                     std::filesystem::path(BENCH_SOURCE_DIR) / "bench" / "wrk" / "maas_query.lua",
                     BENCH_SOURCE_DIR,
                     work_dir};
    ScenarioContext context{paths, report, args.quick, std::nullopt};

    auto machine = machine_info(paths.source_dir, work_dir);
    machine["load_average_before"] = load_average();
    const CpuTimes cpu_before = cpu_times();
    const auto text = [&](const char* key) { return std::string(machine.at(key).as_string()); };
    std::cout << "bridge_bench: " << text("cpu_model") << ", " << machine.at("nproc").as_int64()
              << " CPUs, load average " << load_text(machine.at("load_average_before")) << ", build "
              << text("build_type") << (args.quick ? ", quick run" : "") << "\n";
    const auto cpus = static_cast<double>(machine.at("nproc").as_int64());
    const double load_before = machine.at("load_average_before").as_array()[0].as_double();
    if (load_before > 0.5 * cpus) {
        std::cout << "bridge_bench: WARNING: the machine is busy (1-min load " << load_before
                  << "); the figures will be noisy\n";
    }
    if (machine.at("build_type").as_string() != "Release") {
        std::cout << "bridge_bench: WARNING: not a Release build; figures are not worth quoting\n";
    }

    bool harness_failed = false;
    boost::json::object timings;
    for (const auto& scenario : scenarios) {
        if (!args.only.empty() && args.only.count(scenario.number) == 0) {
            continue;
        }
        std::cout << "== " << scenario.number << " " << scenario.name << " ..." << std::flush;
        const auto t0 = Clock::now();
        try {
            scenario.run(context);
        } catch (const std::exception& e) {
            harness_failed = true;
            report.failed(std::to_string(scenario.number) + " " + scenario.name,
                          "not measured (see results.json)");
            report.details("errors")[std::to_string(scenario.number)] = e.what();
            std::cout << " FAILED: " << e.what() << "\n";
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        timings[std::to_string(scenario.number)] = std::round(seconds * 10.0) / 10.0;
        std::cout << " " << std::fixed << std::setprecision(1) << seconds << " s\n" << std::flush;
    }

    machine["load_average_after"] = load_average();
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    // The load average after the run includes the run itself (it keeps both
    // CPUs busy at times), so interference is judged by the load before and
    // by the CPU time other processes used during the run.
    const CpuTimes cpu_after = cpu_times();
    const double capacity = elapsed * cpus;
    const double others = std::max(
        0.0, (cpu_after.machine_busy_s - cpu_before.machine_busy_s) - (cpu_after.own_s - cpu_before.own_s));
    const double steal = cpu_after.machine_steal_s - cpu_before.machine_steal_s;
    const double others_share = capacity > 0 ? others / capacity : 0.0;
    const double steal_share = capacity > 0 ? steal / capacity : 0.0;
    machine["cpu_seconds_own"] = std::round((cpu_after.own_s - cpu_before.own_s) * 10.0) / 10.0;
    machine["cpu_seconds_other_processes"] = std::round(others * 10.0) / 10.0;
    machine["cpu_seconds_stolen"] = std::round(steal * 10.0) / 10.0;
    machine["cpu_share_other_processes"] = std::round(others_share * 1000.0) / 1000.0;
    std::vector<std::string> noise;
    if (load_before > 0.5 * cpus) {
        noise.emplace_back("1-min load average above half the CPUs before the run");
    }
    if (others_share > 0.10) {
        noise.emplace_back("other processes took over 10% of the CPU during the run");
    }
    if (steal_share > 0.05) {
        noise.emplace_back("the hypervisor stole over 5% of the CPU");
    }
    const bool noisy = !noise.empty();
    std::string noise_text;
    for (const auto& reason : noise) {
        noise_text += (noise_text.empty() ? "" : "; ") + reason;
    }
    std::ostringstream interference;
    interference << std::fixed << std::setprecision(1) << "other processes used " << others
                 << " CPU-s during the run (" << others_share * 100.0 << "% of " << cpus << " CPUs x "
                 << std::setprecision(0) << elapsed << " s), " << std::setprecision(1) << steal
                 << " CPU-s stolen";

    std::ostringstream table;
    report.print_table(table);
    std::cout << "\n" << table.str() << "\n";
    std::cout << "load average (1, 5, 15 min) before: " << load_text(machine.at("load_average_before"))
              << ", after: " << load_text(machine.at("load_average_after")) << "; " << std::setprecision(0)
              << elapsed << " s\n"
              << interference.str() << "\n";
    if (noisy) {
        std::cout << "WARNING: the machine was busy (" << noise_text
                  << "); these figures are noisy. Quote only a run on a quiet machine.\n";
    }

    boost::json::object results = report.to_json();
    results["machine"] = machine;
    results["quick"] = args.quick;
    results["noisy"] = noisy;
    results["noise"] = noise_text;
    results["elapsed_s"] = std::round(elapsed * 10.0) / 10.0;
    results["scenario_seconds"] = timings;
    {
        std::ofstream out(args.out);
        out << boost::json::serialize(results) << "\n";
    }
    std::cout << "wrote " << args.out.string() << "\n";
    if (!args.table.empty()) {
        std::ofstream file(args.table);
        file << table.str() << "\n";
        file << "Measured " << text("timestamp") << " on " << machine.at("nproc").as_int64() << " x "
             << text("cpu_model") << ", " << text("kernel") << ", build " << text("build_type") << ", commit "
             << text("commit") << (machine.at("worktree_dirty").as_bool() ? " (uncommitted changes)" : "")
             << (args.quick ? ", quick run" : "") << ".\n"
             << "Load average (1, 5, 15 min) before: " << load_text(machine.at("load_average_before"))
             << "; after: " << load_text(machine.at("load_average_after")) << "; " << interference.str()
             << ".";
        if (noisy) {
            file << " **Busy machine (" << noise_text << "): these figures are noisy.**";
        }
        file << "\n";
    }
    std::error_code ignored;
    std::filesystem::remove_all(work_dir, ignored);
    return harness_failed ? 1 : 0;
}
