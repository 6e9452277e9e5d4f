// SPDX-License-Identifier: Apache-2.0
#include "support/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace poe_bench {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto reap_poll = std::chrono::milliseconds(5);

// Live children, so a watchdog or signal handler can stop them all.
std::array<std::atomic<pid_t>, 64> live_children{};

void remember(pid_t pid) {
    for (auto& slot : live_children) {
        pid_t empty = 0;
        if (slot.compare_exchange_strong(empty, pid)) {
            return;
        }
    }
}

void forget(pid_t pid) {
    for (auto& slot : live_children) {
        pid_t expected = pid;
        if (slot.compare_exchange_strong(expected, 0)) {
            return;
        }
    }
}

int decode_status(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
}

}  // namespace

std::unique_ptr<ChildProcess> ChildProcess::spawn(const SpawnOptions& options) {
    if (options.argv.empty()) {
        throw std::runtime_error("spawn: empty argv");
    }
    std::vector<std::string> args;
    if (options.cpu) {
        // taskset sets the affinity and then execs the program, so every
        // thread the program starts inherits it (and the pid stays the same).
        args = {"taskset", "-c", std::to_string(*options.cpu)};
    }
    args.insert(args.end(), options.argv.begin(), options.argv.end());
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    std::vector<std::string> env_storage;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        const auto eq = entry.find('=');
        if (options.extra_env.count(entry.substr(0, eq)) == 0) {
            env_storage.push_back(entry);
        }
    }
    for (const auto& [key, value] : options.extra_env) {
        env_storage.push_back(key);
        env_storage.back().append("=").append(value);
    }
    std::vector<char*> envp;
    envp.reserve(env_storage.size() + 1);
    for (auto& entry : env_storage) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string out = options.stdout_path.empty() ? "/dev/null" : options.stdout_path.string();
    const std::string err = options.stderr_path.empty() ? "/dev/null" : options.stderr_path.string();
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    // The simulators' control pipes must not leak into other children, or a
    // simulator would never see EOF on its control channel.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    pid_t pid = -1;
    const bool search = args[0].find('/') == std::string::npos;
    const int rc = search ? posix_spawnp(&pid, args[0].c_str(), &actions, nullptr, argv.data(), envp.data())
                          : posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        throw std::runtime_error("cannot start " + args[0] + ": " + std::system_category().message(rc));
    }
    std::unique_ptr<ChildProcess> child(new ChildProcess());
    child->pid_ = pid;
    remember(pid);
    return child;
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0 && !exit_code_) {
        stop(std::chrono::seconds(5));
    }
}

void ChildProcess::reaped(int status, const ::rusage& usage) {
    exit_code_ = decode_status(status);
    cpu_seconds_ = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                   static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    forget(pid_);
}

bool ChildProcess::running() {
    if (exit_code_) {
        return false;
    }
    int status = 0;
    struct rusage usage {};
    const pid_t done = wait4(pid_, &status, WNOHANG, &usage);
    if (done == pid_) {
        reaped(status, usage);
        return false;
    }
    if (done < 0 && errno == ECHILD) {
        exit_code_ = -1;
        forget(pid_);
        return false;
    }
    return true;
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (running()) {
        if (Clock::now() >= deadline) {
            kill(pid_, SIGKILL);
            int status = 0;
            struct rusage usage {};
            wait4(pid_, &status, 0, &usage);
            reaped(status, usage);
            break;
        }
        std::this_thread::sleep_for(reap_poll);
    }
    return *exit_code_;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
    if (running()) {
        kill(pid_, SIGTERM);
    }
    return wait(grace);
}

void kill_all_children() noexcept {
    for (auto& slot : live_children) {
        const pid_t pid = slot.load();
        if (pid > 0) {
            kill(pid, SIGKILL);
        }
    }
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

CommandOutput run_command(SpawnOptions options, std::chrono::milliseconds timeout,
                          const std::filesystem::path& scratch_dir) {
    static int counter = 0;
    const auto stem = scratch_dir / ("cmd-" + std::to_string(++counter));
    options.stdout_path = stem.string() + ".out";
    options.stderr_path = stem.string() + ".err";
    CommandOutput result;
    auto child = ChildProcess::spawn(options);
    const auto deadline = Clock::now() + timeout;
    while (child->running() && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    result.timed_out = child->running();
    result.exit_code = child->wait(std::chrono::milliseconds(0));
    result.cpu_seconds = child->cpu_seconds();
    result.out = read_file(options.stdout_path);
    result.err = read_file(options.stderr_path);
    std::error_code ignored;
    std::filesystem::remove(options.stdout_path, ignored);
    std::filesystem::remove(options.stderr_path, ignored);
    return result;
}

namespace {

std::optional<long> status_field(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) {
            std::istringstream value(line.substr(field.size() + 1));
            long number = 0;
            if (value >> number) {
                return number;
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<MemoryUsage> read_memory_usage(pid_t pid) {
    const auto rss = status_field(pid, "VmRSS");
    const auto hwm = status_field(pid, "VmHWM");
    if (!rss || !hwm) {
        return std::nullopt;
    }
    return MemoryUsage{static_cast<double>(*rss) / 1024.0, static_cast<double>(*hwm) / 1024.0};
}

std::optional<double> read_cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may contain spaces) start at ')'.
    const auto close = text.rfind(')');
    if (close == std::string::npos) {
        return std::nullopt;
    }
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    double utime = 0;
    double stime = 0;
    // State is field 3; utime and stime are fields 14 and 15.
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14) {
            utime = std::stod(field);
        } else if (index == 15) {
            stime = std::stod(field);
        }
    }
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::optional<int> read_thread_count(pid_t pid) {
    const auto threads = status_field(pid, "Threads");
    if (!threads) {
        return std::nullopt;
    }
    return static_cast<int>(*threads);
}

}  // namespace poe_bench
