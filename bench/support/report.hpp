// SPDX-License-Identifier: Apache-2.0
#pragma once

// The figures of one benchmark run: table rows (figure, target, verdict) and
// per-scenario details, written once as bench/results.json.

#include <boost/json/object.hpp>

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace poe_bench {

enum class Verdict { met, missed, info, failed };

struct Row {
    std::string scenario;  ///< e.g. "1 query latency"
    std::string figure;    ///< e.g. "uncached p50"
    double value{0.0};
    std::string unit;    ///< "ms", "req/s", "x", "MiB", ...
    std::string target;  ///< e.g. "<= 5 ms"; empty for information rows
    Verdict verdict{Verdict::info};
};

class Report {
public:
    /// A figure with a target: met when value <= limit (or >= when @p at_least).
    void check(const std::string& scenario, const std::string& figure, double value, const std::string& unit,
               double limit, bool at_least);
    /// A figure without a target.
    void info(const std::string& scenario, const std::string& figure, double value, const std::string& unit);
    /// A scenario that could not be measured.
    void failed(const std::string& scenario, const std::string& why);

    /// Details of a scenario (latency summaries, counters, raw tool output).
    boost::json::object& details(const std::string& scenario_key);

    [[nodiscard]] const std::vector<Row>& rows() const { return rows_; }

    /// Markdown table: scenario | figure | measured | target | verdict.
    void print_table(std::ostream& out) const;
    [[nodiscard]] boost::json::object to_json() const;

private:
    std::vector<Row> rows_;
    boost::json::object details_;
};

/// Number formatted for the table (3 significant digits, thousands as is).
std::string format_value(double value, const std::string& unit);

/// nproc, CPU model, kernel, compiler, build type, git commit and state,
/// UTC timestamp. Load averages are added by the caller.
boost::json::object machine_info(const std::filesystem::path& source_dir,
                                 const std::filesystem::path& scratch_dir);

/// The three load averages from /proc/loadavg.
boost::json::array load_average();

/// CPU time of the whole machine (/proc/stat: user+nice+system, and steal)
/// and of this process with its reaped children (getrusage), in seconds.
/// Their difference over a run is what other processes used meanwhile.
struct CpuTimes {
    double machine_busy_s{0.0};
    double machine_steal_s{0.0};
    double own_s{0.0};
};
CpuTimes cpu_times();

}  // namespace poe_bench
