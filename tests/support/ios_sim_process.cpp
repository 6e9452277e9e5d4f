#include "ios_sim_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#if !defined(IOS_SIM_PATH) || !defined(IOS_SIM_TEST_KEYS_DIR)
#error "IOS_SIM_PATH and IOS_SIM_TEST_KEYS_DIR come from tests/support/CMakeLists.txt"
#endif

namespace poe_test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Polling interval for things that have no event to wait on (a child
// process's exit, the port file appearing); every such loop has a deadline.
constexpr auto poll_interval = std::chrono::milliseconds(10);
constexpr auto control_timeout = std::chrono::seconds(10);

std::runtime_error system_error(const std::string& what) {
    return std::runtime_error(what + ": " + std::system_category().message(errno));
}

fs::path make_temp_dir(const std::string& prefix) {
    std::string pattern = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw system_error("mkdtemp");
    }
    return pattern;
}

// Work directories are named after the test process; a process that died
// (crash, ctest timeout) never ran its destructors, so the next start removes
// what it left behind.
void remove_stale_work_dirs() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::temp_directory_path(), ec)) {
        const std::string name = entry.path().filename().string();
        constexpr std::string_view prefix = "ios-sim-pid";
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        const auto dash = name.find('-', prefix.size());
        int pid = 0;
        try {
            pid = std::stoi(name.substr(prefix.size(), dash - prefix.size()));
        } catch (const std::exception&) {
            continue;
        }
        if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) {
            fs::remove_all(entry.path(), ec);
        }
    }
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<char*> to_argv(std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    return argv;
}

// Between fork() and exec() only async-signal-safe calls are allowed, so the
// argv is prepared by the caller.
[[noreturn]] void exec_child(int stdin_fd, int stdout_fd, int stderr_fd, char* const* argv,
                             bool search_path) {
    dup2(stdin_fd, STDIN_FILENO);
    dup2(stdout_fd, STDOUT_FILENO);
    dup2(stderr_fd, STDERR_FILENO);
    // Descriptors of other simulators must not leak, or their control
    // channels would never see EOF.
    close_range(3, ~0U, 0);
    if (search_path) {
        execvp(argv[0], argv);
    } else {
        execv(argv[0], argv);
    }
    _exit(127);
}

bool reap(pid_t pid, int* status, Clock::time_point deadline) {
    while (true) {
        const pid_t done = waitpid(pid, status, WNOHANG);
        if (done == pid || (done < 0 && errno == ECHILD)) {
            return true;
        }
        if (Clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(poll_interval);
    }
}

std::string fingerprint_of(const fs::path& public_key) {
    const auto result = run_command({"ssh-keygen", "-l", "-E", "sha256", "-f", public_key.string()}, "",
                                    std::chrono::seconds(10));
    std::istringstream words(result.out);
    std::string bits;
    std::string fingerprint;
    words >> bits >> fingerprint;
    if (result.exit_code != 0 || fingerprint.rfind("SHA256:", 0) != 0) {
        throw std::runtime_error("ssh-keygen -l failed for " + public_key.string() + ": " + result.err);
    }
    return fingerprint;
}

void generate_key_file(const std::string& type, const fs::path& path) {
    std::vector<std::string> args{"ssh-keygen", "-q", "-t",           type, "-N",
                                  "",           "-C", "ios-sim-test", "-f", path.string()};
    if (type == "rsa") {
        args.insert(args.end(), {"-b", "2048"});
    }
    const auto result = run_command(args, "", std::chrono::seconds(30));
    if (result.exit_code != 0) {
        throw std::runtime_error("ssh-keygen -t " + type + " failed: " + result.err);
    }
}

// Keys come from the build tree (generated once by CMake, since RSA key
// generation is slow); fingerprints are computed once per process.
struct KeyMaterial {
    KeyMaterial() : dir(IOS_SIM_TEST_KEYS_DIR) {
        if (!fs::exists(dir / "authorized_keys")) {
            throw std::runtime_error("missing test keys in " + dir.string() +
                                     " (build target ios_sim_test_keys)");
        }
        ed25519_fingerprint = fingerprint_of(dir / "host_ed25519.pub");
        rsa_fingerprint = fingerprint_of(dir / "host_rsa.pub");
    }

    static const KeyMaterial& get() {
        static const KeyMaterial keys;
        return keys;
    }

    fs::path dir;
    std::string ed25519_fingerprint;
    std::string rsa_fingerprint;
};

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv_in, std::string_view input,
                          std::chrono::milliseconds timeout) {
    std::vector<std::string> args = argv_in;
    auto argv = to_argv(args);
    // A socket for stdin so that writing to a child that already exited
    // yields EPIPE (MSG_NOSIGNAL) instead of killing the test with SIGPIPE.
    std::array<int, 2> in{};
    std::array<int, 2> out{};
    std::array<int, 2> err{};
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in.data()) != 0 ||
        pipe2(out.data(), O_CLOEXEC) != 0 || pipe2(err.data(), O_CLOEXEC) != 0) {
        throw system_error("pipe");
    }
    const pid_t pid = fork();
    if (pid < 0) {
        throw system_error("fork");
    }
    if (pid == 0) {
        exec_child(in[1], out[1], err[1], argv.data(), true);
    }
    close(in[1]);
    close(out[1]);
    close(err[1]);

    CommandResult result;
    const auto deadline = Clock::now() + timeout;
    std::size_t written = 0;
    int stdin_fd = in[0];
    if (input.empty()) {
        shutdown(stdin_fd, SHUT_WR);
    }
    bool out_open = true;
    bool err_open = true;
    while (out_open || err_open) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            kill(pid, SIGKILL);
            result.timed_out = true;
            break;
        }
        std::array<pollfd, 3> fds{{{out_open ? out[0] : -1, POLLIN, 0},
                                   {err_open ? err[0] : -1, POLLIN, 0},
                                   {written < input.size() ? stdin_fd : -1, POLLOUT, 0}}};
        if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) {
            throw system_error("poll");
        }
        std::array<char, 4096> buf{};
        for (int i = 0; i < 2; ++i) {
            if ((fds[static_cast<std::size_t>(i)].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                const ssize_t n = read(fds[static_cast<std::size_t>(i)].fd, buf.data(), buf.size());
                if (n > 0) {
                    (i == 0 ? result.out : result.err).append(buf.data(), static_cast<std::size_t>(n));
                } else if (n == 0 || errno != EINTR) {
                    (i == 0 ? out_open : err_open) = false;
                }
            }
        }
        if ((fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
            const ssize_t n = send(stdin_fd, input.data() + written, input.size() - written, MSG_NOSIGNAL);
            if (n > 0) {
                written += static_cast<std::size_t>(n);
            }
            if (n < 0 && errno != EINTR && errno != EAGAIN) {
                written = input.size();
            }
            if (written == input.size()) {
                shutdown(stdin_fd, SHUT_WR);
            }
        }
    }
    close(stdin_fd);
    close(out[0]);
    close(err[0]);
    int status = 0;
    if (!reap(pid, &status, Clock::now() + std::chrono::seconds(5))) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    if (!result.timed_out && WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    }
    return result;
}

std::unique_ptr<IosSimProcess> IosSimProcess::start(const IosSimOptions& options) {
    const KeyMaterial& keys = KeyMaterial::get();
    std::unique_ptr<IosSimProcess> sim(new IosSimProcess());
    sim->legacy_only_ = options.legacy_only;
    remove_stale_work_dirs();
    sim->work_dir_ = make_temp_dir("ios-sim-pid" + std::to_string(getpid()) + "-");
    const fs::path port_file = sim->work_dir_ / "port";

    std::vector<std::string> args{IOS_SIM_PATH,
                                  "--listen=" + options.listen,
                                  "--port-file=" + port_file.string(),
                                  "--stats-file=" + sim->stats_file().string(),
                                  "--control-stdin",
                                  "--verbose",
                                  "--hostname=" + options.hostname,
                                  "--ports=" + options.ports,
                                  "--style=" + options.style,
                                  "--host-key=" + (keys.dir / "host_ed25519").string(),
                                  "--host-key=" + (keys.dir / "host_rsa").string()};
    for (const auto& user : options.users) {
        args.push_back("--user=" + user.name + ":" + user.password);
    }
    if (options.authorize_user_keys && !options.users.empty()) {
        args.push_back("--authorized-key=" + options.users.front().name + ":" +
                       (keys.dir / "authorized_keys").string());
    }
    for (const auto& name : options.privileged_users) {
        args.push_back("--privileged-user=" + name);
    }
    const auto add = [&args](const char* name, const auto& value) {
        if (value) {
            std::ostringstream text;
            text << name << "=" << *value;
            args.push_back(text.str());
        }
    };
    add("--enable-secret", options.enable_secret);
    if (options.replay) {
        args.push_back("--replay=" + options.replay->string());
    }
    add("--detect-delay-ms", options.detect_delay_ms);
    add("--command-delay-ms", options.command_delay_ms);
    add("--write-delay-ms", options.write_delay_ms);
    add("--exec-timeout-ms", options.exec_timeout_ms);
    add("--banner", options.banner);
    add("--max-sessions", options.max_sessions);
    add("--login-rate", options.login_rate);
    if (options.legacy_only) {
        args.emplace_back("--legacy-only");
    }
    for (const auto& fault : options.faults) {
        args.push_back("--fault=" + fault);
    }
    args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
    auto argv = to_argv(args);

    std::array<int, 2> control{};
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control.data()) != 0) {
        throw system_error("socketpair");
    }
    const int log_fd =
        open((sim->work_dir_ / "ios-sim.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        throw system_error("open log");
    }
    const pid_t pid = fork();
    if (pid < 0) {
        throw system_error("fork");
    }
    if (pid == 0) {
        exec_child(control[1], control[1], log_fd, argv.data(), false);
    }
    close(control[1]);
    close(log_fd);
    sim->pid_ = pid;
    sim->control_fd_ = control[0];

    const auto deadline = Clock::now() + options.start_timeout;
    while (true) {
        if (fs::exists(port_file)) {
            const std::string text = read_text(port_file);
            sim->port_ = static_cast<std::uint16_t>(std::stoi(text));
            break;
        }
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            sim->pid_ = -1;
            throw std::runtime_error("ios-sim exited during start-up:\n" + sim->log());
        }
        if (Clock::now() >= deadline) {
            throw std::runtime_error("ios-sim did not listen within the start timeout:\n" + sim->log());
        }
        std::this_thread::sleep_for(poll_interval);
    }
    return sim;
}

IosSimProcess::~IosSimProcess() {
    if (control_fd_ >= 0) {
        close(control_fd_);  // EOF on its stdin makes the simulator quit
    }
    if (pid_ > 0) {
        int status = 0;
        if (!reap(pid_, &status, Clock::now() + std::chrono::seconds(3))) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
        }
    }
    std::error_code ignored;
    fs::remove_all(work_dir_, ignored);
}

std::string IosSimProcess::read_reply_line(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        if (const auto nl = read_buffer_.find('\n'); nl != std::string::npos) {
            std::string line = read_buffer_.substr(0, nl);
            read_buffer_.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            throw std::runtime_error("ios-sim control channel: no reply in time");
        }
        pollfd fd{control_fd_, POLLIN, 0};
        if (poll(&fd, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
            throw system_error("poll");
        }
        if ((fd.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            std::array<char, 4096> buf{};
            const ssize_t n = read(control_fd_, buf.data(), buf.size());
            if (n == 0) {
                throw std::runtime_error("ios-sim control channel closed:\n" + log());
            }
            if (n > 0) {
                read_buffer_.append(buf.data(), static_cast<std::size_t>(n));
            }
        }
    }
}

std::string IosSimProcess::control(std::string_view line) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') {
        return {};  // the simulator answers nothing to these
    }
    std::lock_guard lock(control_mutex_);
    const std::string request = std::string(line) + "\n";
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n = send(control_fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw system_error("ios-sim control channel");
        }
        sent += static_cast<std::size_t>(n);
    }
    return read_reply_line(control_timeout);
}

void IosSimProcess::control_ok(std::string_view line) {
    const std::string reply = control(line);
    if (reply != "ok") {
        throw std::runtime_error("ios-sim control \"" + std::string(line) + "\": " + reply);
    }
}

boost::json::object IosSimProcess::stats() {
    return boost::json::parse(control("stats")).as_object();
}

boost::json::object IosSimProcess::wait_for_stats(
    const std::function<bool(const boost::json::object&)>& predicate, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        auto current = stats();
        if (predicate(current)) {
            return current;
        }
        if (Clock::now() >= deadline) {
            throw std::runtime_error("ios-sim stats never matched; last: " + boost::json::serialize(current));
        }
        std::this_thread::sleep_for(poll_interval);
    }
}

std::string IosSimProcess::host_key_fingerprint() const {
    return legacy_only_ ? rsa_host_key_fingerprint() : ed25519_host_key_fingerprint();
}

std::string IosSimProcess::ed25519_host_key_fingerprint() const {
    return KeyMaterial::get().ed25519_fingerprint;
}

std::string IosSimProcess::rsa_host_key_fingerprint() const {
    return KeyMaterial::get().rsa_fingerprint;
}

fs::path IosSimProcess::ed25519_host_key_path() const {
    return KeyMaterial::get().dir / "host_ed25519";
}

fs::path IosSimProcess::rsa_host_key_path() const {
    return KeyMaterial::get().dir / "host_rsa";
}

fs::path IosSimProcess::user_key_path() const {
    return KeyMaterial::get().dir / "user_ed25519";
}

fs::path IosSimProcess::user_rsa_key_path() const {
    return KeyMaterial::get().dir / "user_rsa";
}

fs::path IosSimProcess::generate_key(const std::string& type, const std::string& name) const {
    fs::path path = work_dir_ / name;
    generate_key_file(type, path);
    return path;
}

std::vector<std::string> IosSimProcess::openssh_args(const std::string& user) const {
    return {"ssh",
            "-F",
            "/dev/null",
            "-p",
            std::to_string(port_),
            "-i",
            user_key_path().string(),
            "-i",
            user_rsa_key_path().string(),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=5",
            user + "@127.0.0.1"};
}

std::string IosSimProcess::log() const {
    return read_text(work_dir_ / "ios-sim.log");
}

}  // namespace poe_test
