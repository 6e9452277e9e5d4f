// SPDX-License-Identifier: Apache-2.0
#pragma once

// Child processes of the benchmark driver (maas-bridge, wrk, the ceiling
// server, parser_bench, git): started with posix_spawn, every wait bounded,
// stopped and reaped by the destructor.

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace poe_bench {

struct SpawnOptions {
    std::vector<std::string> argv;      ///< argv[0] is looked up in PATH when it has no '/'
    std::filesystem::path stdout_path;  ///< empty: /dev/null
    std::filesystem::path stderr_path;  ///< empty: /dev/null
    std::optional<int> cpu;             ///< pin the process (and its threads) to this CPU
    std::map<std::string, std::string> extra_env;
};

class ChildProcess {
public:
    /// @throws std::runtime_error when the process cannot be started.
    static std::unique_ptr<ChildProcess> spawn(const SpawnOptions& options);
    /// Stops (SIGTERM, then SIGKILL after 5 s) and reaps a child still running.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }
    /// True until the child has exited (reaps it when it has).
    bool running();
    /// Waits up to @p timeout; kills the child (SIGKILL) if it is still
    /// running then. @return the exit code, or -signal.
    int wait(std::chrono::milliseconds timeout);
    /// SIGTERM, wait up to @p grace, then SIGKILL. @return as wait().
    int stop(std::chrono::milliseconds grace);
    /// User + system CPU time of the child, known once it has been reaped.
    [[nodiscard]] double cpu_seconds() const { return cpu_seconds_; }

private:
    ChildProcess() = default;
    void reaped(int status, const ::rusage& usage);
    pid_t pid_{-1};
    std::optional<int> exit_code_;
    double cpu_seconds_{0.0};
};

struct CommandOutput {
    int exit_code{-1};
    bool timed_out{false};
    double cpu_seconds{0.0};  ///< user + system CPU time of the command
    std::string out;
    std::string err;
};

/// Runs a command to completion (killed after @p timeout) and returns its output.
CommandOutput run_command(SpawnOptions options, std::chrono::milliseconds timeout,
                          const std::filesystem::path& scratch_dir);

/// VmRSS and VmHWM of a process, from /proc/PID/status.
struct MemoryUsage {
    double rss_mib{0.0};
    double hwm_mib{0.0};
};
std::optional<MemoryUsage> read_memory_usage(pid_t pid);

/// User + system CPU time a running process has used (/proc/PID/stat).
std::optional<double> read_cpu_seconds(pid_t pid);

/// Number of threads of a process (/proc/PID/status Threads).
std::optional<int> read_thread_count(pid_t pid);

std::string read_file(const std::filesystem::path& path);

/// SIGKILLs every child started by ChildProcess::spawn that has not been
/// reaped yet. Async-signal-safe: for the watchdog and signal handlers.
void kill_all_children() noexcept;

}  // namespace poe_bench
