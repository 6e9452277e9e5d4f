#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace poe_test {

struct IosSimUser {
    std::string name;
    std::string password;
};

/// How to start an ios-sim (see tests/ios-sim/README.md). Defaults: user
/// `admin` / `secret` (also authorised for the harness's user keys), enable
/// secret `enablepw`, 48 Gi ports, IOS-XE layout, harness host keys.
struct IosSimOptions {
    /// 127.0.0.1:0 picks a free port; a fixed port lets a test bring a
    /// switch back where another one was (SO_REUSEADDR is set).
    std::string listen = "127.0.0.1:0";
    std::string hostname = "Switch";
    std::string ports = "Gi1/0/1-48";
    std::string style = "iosxe";  ///< iosxe | iosxe16 | ios15 | cat4500
    std::vector<IosSimUser> users = {{"admin", "secret"}};
    std::optional<std::string> enable_secret = "enablepw";
    /// Authorise user_key_path() and user_rsa_key_path() for the first user.
    bool authorize_user_keys = true;
    /// Users that log in at privilege 15 (prompt `host#` at once).
    std::vector<std::string> privileged_users;
    bool legacy_only = false;
    std::optional<std::filesystem::path> replay;
    std::optional<int> detect_delay_ms;
    std::optional<int> command_delay_ms;
    std::optional<int> write_delay_ms;  ///< the simulator's default is 500
    std::optional<int> exec_timeout_ms;
    std::optional<std::string> banner;
    std::optional<int> max_sessions;  ///< the simulator's default is 16
    std::optional<int> login_rate;
    std::vector<std::string> faults;      ///< `--fault` specs, e.g. "hang 'show power inline' 1"
    std::vector<std::string> extra_args;  ///< appended verbatim
    std::chrono::milliseconds start_timeout{10000};
};

struct CommandResult {
    int exit_code = -1;  ///< -1 when killed or not started
    bool timed_out = false;
    std::string out;
    std::string err;
};

/// Runs @p argv (argv[0] looked up in PATH) with @p input on stdin and
/// collects its output; kills it when @p timeout expires.
CommandResult run_command(const std::vector<std::string>& argv, std::string_view input,
                          std::chrono::milliseconds timeout);

/// A running ios-sim child process on 127.0.0.1 (random port), controlled
/// through its stdin/stdout control channel. The destructor stops and reaps
/// it. Not thread-safe except control()/stats(), which are serialised.
class IosSimProcess {
public:
    /// Starts the simulator and waits (bounded by start_timeout) until it
    /// listens. @throws std::runtime_error with the simulator's log on failure.
    static std::unique_ptr<IosSimProcess> start(const IosSimOptions& options = {});
    ~IosSimProcess();
    IosSimProcess(const IosSimProcess&) = delete;
    IosSimProcess& operator=(const IosSimProcess&) = delete;

    std::uint16_t port() const { return port_; }
    std::string host() const { return "127.0.0.1"; }
    pid_t pid() const { return pid_; }

    /// Sends one control line, returns the one-line reply (`ok`, `error: ...`
    /// or data). @throws std::runtime_error if the simulator does not answer.
    std::string control(std::string_view line);
    /// control() that throws unless the reply is `ok`.
    void control_ok(std::string_view line);
    /// The stats JSON (counters + ports), fetched through the control channel.
    boost::json::object stats();
    /// Polls stats() until @p predicate holds; returns the last stats.
    /// @throws std::runtime_error with the last stats on timeout.
    boost::json::object wait_for_stats(const std::function<bool(const boost::json::object&)>& predicate,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// `SHA256:...` (as OpenSSH prints it) of the host key a default client
    /// negotiates: Ed25519, or RSA in legacy-only mode.
    std::string host_key_fingerprint() const;
    std::string ed25519_host_key_fingerprint() const;
    std::string rsa_host_key_fingerprint() const;
    std::filesystem::path ed25519_host_key_path() const;
    std::filesystem::path rsa_host_key_path() const;
    /// Private user keys authorised for the first user (Ed25519 and RSA).
    std::filesystem::path user_key_path() const;
    std::filesystem::path user_rsa_key_path() const;
    /// Generates a new private key (type `ed25519` or `rsa`) in work_dir(),
    /// e.g. for `set host-key`; the `.pub` file sits next to it.
    std::filesystem::path generate_key(const std::string& type, const std::string& name) const;

    /// `ssh` argv (publickey auth, no host key checks, no user config,
    /// LogLevel=ERROR) ending in `user@127.0.0.1`; append a command, and put
    /// `-tt` or `-o` overrides right after argv[0] (ssh keeps the first value
    /// it sees for an option).
    std::vector<std::string> openssh_args(const std::string& user = "admin") const;

    const std::filesystem::path& work_dir() const { return work_dir_; }
    std::filesystem::path stats_file() const { return work_dir_ / "stats.json"; }
    /// The simulator's stderr so far (verbose session log).
    std::string log() const;

private:
    IosSimProcess() = default;
    std::string read_reply_line(std::chrono::milliseconds timeout);

    pid_t pid_ = -1;
    int control_fd_ = -1;
    std::uint16_t port_ = 0;
    bool legacy_only_ = false;
    std::filesystem::path work_dir_;
    std::string read_buffer_;
    std::mutex control_mutex_;
};

}  // namespace poe_test
