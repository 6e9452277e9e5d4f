// SPDX-License-Identifier: Apache-2.0
// Scenario 7: bench/parser_bench (Google Benchmark): `show power inline` of
// a 5-member IOS-XE stack (240 ports).

#include "scenarios/scenario_context.hpp"

#include <boost/json/parse.hpp>

#include <stdexcept>

namespace poe_bench {

namespace {

constexpr const char* scenario = "7 parser";

}  // namespace

void run_parser(ScenarioContext& context) {
    SpawnOptions options;
    options.argv = {context.paths.parser_bench.string(), "--benchmark_format=json",
                    context.quick ? "--benchmark_min_time=0.1" : "--benchmark_min_time=0.5",
                    "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true"};
    const auto output = run_command(options, std::chrono::seconds(120), context.paths.work_dir);
    if (output.exit_code != 0) {
        throw std::runtime_error("parser_bench failed: " + output.err);
    }
    const auto json = boost::json::parse(output.out).as_object();
    auto& details = context.report.details("7_parser");
    details["context"] = json.at("context");
    boost::json::object figures;
    double parses = 0.0;
    double ports = 0.0;
    double raw_reads = 0.0;
    for (const auto& entry : json.at("benchmarks").as_array()) {
        const auto& b = entry.as_object();
        const std::string name(b.at("name").as_string());
        // Median of the repetitions.
        if (name.find("_median") == std::string::npos) {
            continue;
        }
        figures[name] = b;
        if (name.rfind("BM_ParseStack240", 0) == 0) {
            parses = b.at("parses_per_s").to_number<double>();
            ports = b.at("items_per_second").to_number<double>();
        } else if (name.rfind("BM_ExtractAndParseStack240Raw", 0) == 0) {
            raw_reads = b.at("reads_per_s").to_number<double>();
        }
    }
    details["benchmarks"] = figures;
    context.report.check(scenario, "parses/s, 240-port stack", parses, "/s", 10000.0, true);
    context.report.info(scenario, "ports/s (items/s)", ports, "/s");
    context.report.info(scenario, "raw PTY text -> ports, reads/s", raw_reads, "/s");
}

}  // namespace poe_bench
