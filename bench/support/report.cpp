// SPDX-License-Identifier: Apache-2.0
#include "support/report.hpp"

#include "support/child_process.hpp"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <boost/version.hpp>

#include <cmath>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>

#ifndef BENCH_BUILD_TYPE
#define BENCH_BUILD_TYPE "unknown"
#endif

namespace poe_bench {

namespace {

std::string_view verdict_text(Verdict verdict) {
    switch (verdict) {
        case Verdict::met:
            return "met";
        case Verdict::missed:
            return "**missed**";
        case Verdict::info:
            return "-";
        case Verdict::failed:
            return "**not measured**";
    }
    return "-";
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

}  // namespace

std::string format_value(double value, const std::string& unit) {
    std::ostringstream out;
    const double magnitude = std::fabs(value);
    if (magnitude >= 1000.0 || value == std::floor(value)) {
        out << std::fixed << std::setprecision(0) << value;
    } else if (magnitude >= 100.0) {
        out << std::fixed << std::setprecision(1) << value;
    } else if (magnitude >= 1.0) {
        out << std::fixed << std::setprecision(2) << value;
    } else {
        out << std::fixed << std::setprecision(3) << value;
    }
    return unit.empty() ? out.str() : out.str() + " " + unit;
}

void Report::check(const std::string& scenario, const std::string& figure, double value,
                   const std::string& unit, double limit, bool at_least) {
    const bool met = at_least ? value >= limit : value <= limit;
    rows_.push_back(Row{scenario, figure, value, unit,
                        std::string(at_least ? ">= " : "<= ") + format_value(limit, unit),
                        met ? Verdict::met : Verdict::missed});
}

void Report::info(const std::string& scenario, const std::string& figure, double value,
                  const std::string& unit) {
    rows_.push_back(Row{scenario, figure, value, unit, "", Verdict::info});
}

void Report::failed(const std::string& scenario, const std::string& why) {
    rows_.push_back(Row{scenario, why, 0.0, "", "", Verdict::failed});
}

boost::json::object& Report::details(const std::string& scenario_key) {
    auto& slot = details_[scenario_key];
    if (!slot.is_object()) {
        slot = boost::json::object{};
    }
    return slot.as_object();
}

void Report::print_table(std::ostream& out) const {
    out << "| scenario | figure | measured | target | verdict |\n";
    out << "|---|---|---:|---|---|\n";
    for (const auto& row : rows_) {
        const std::string measured = row.verdict == Verdict::failed ? "" : format_value(row.value, row.unit);
        out << "| " << row.scenario << " | " << row.figure << " | " << measured << " | "
            << (row.target.empty() ? "-" : row.target) << " | " << verdict_text(row.verdict) << " |\n";
    }
}

boost::json::object Report::to_json() const {
    boost::json::array rows;
    for (const auto& row : rows_) {
        boost::json::object r{
            {"scenario", row.scenario}, {"figure", row.figure}, {"unit", row.unit}, {"target", row.target}};
        r["value"] = std::round(row.value * 1000.0) / 1000.0;
        switch (row.verdict) {
            case Verdict::met:
                r["verdict"] = "met";
                break;
            case Verdict::missed:
                r["verdict"] = "missed";
                break;
            case Verdict::info:
                r["verdict"] = "info";
                break;
            case Verdict::failed:
                r["verdict"] = "not measured";
                break;
        }
        rows.push_back(std::move(r));
    }
    return {{"table", std::move(rows)}, {"scenarios", details_}};
}

boost::json::array load_average() {
    std::ifstream in("/proc/loadavg");
    double one = 0;
    double five = 0;
    double fifteen = 0;
    in >> one >> five >> fifteen;
    return {one, five, fifteen};
}

CpuTimes cpu_times() {
    CpuTimes times;
    std::ifstream in("/proc/stat");
    std::string cpu;
    double user = 0;
    double nice = 0;
    double system = 0;
    double idle = 0;
    double iowait = 0;
    double irq = 0;
    double softirq = 0;
    double steal = 0;
    in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    const auto ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    times.machine_busy_s = (user + nice + system) / ticks;
    times.machine_steal_s = steal / ticks;
    const auto seconds = [](const rusage& usage) {
        return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    };
    rusage self{};
    rusage children{};
    ::getrusage(RUSAGE_SELF, &self);
    ::getrusage(RUSAGE_CHILDREN, &children);
    times.own_s = seconds(self) + seconds(children);
    return times;
}

boost::json::object machine_info(const std::filesystem::path& source_dir,
                                 const std::filesystem::path& scratch_dir) {
    boost::json::object info;
    info["nproc"] = static_cast<std::int64_t>(::sysconf(_SC_NPROCESSORS_ONLN));
    std::string model = "unknown";
    {
        std::ifstream in("/proc/cpuinfo");
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("model name", 0) == 0) {
                model = trimmed(line.substr(line.find(':') + 2));
                break;
            }
        }
    }
    info["cpu_model"] = model;
    utsname names{};
    if (::uname(&names) == 0) {
        info["kernel"] = std::string(names.sysname) + " " + names.release + " " + names.machine;
    }
    info["compiler"] = std::string("GCC ") + __VERSION__;
    info["build_type"] = BENCH_BUILD_TYPE;
    info["boost"] = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000);

    const auto git = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"git", "-C", source_dir.string()});
        return run_command(SpawnOptions{args, {}, {}, std::nullopt, {}}, std::chrono::seconds(10),
                           scratch_dir);
    };
    const auto head = git({"rev-parse", "HEAD"});
    info["commit"] = head.exit_code == 0 ? trimmed(head.out) : "none (no commit yet)";
    const auto status = git({"status", "--porcelain", "--untracked-files=no"});
    const auto untracked = git({"status", "--porcelain"});
    info["worktree_dirty"] =
        !trimmed(status.out).empty() || (head.exit_code != 0 && !trimmed(untracked.out).empty());

    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    std::ostringstream stamp;
    stamp << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
    info["timestamp"] = stamp.str();
    return info;
}

}  // namespace poe_bench
