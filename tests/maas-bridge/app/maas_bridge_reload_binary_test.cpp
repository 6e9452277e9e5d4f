// SPDX-License-Identifier: Apache-2.0
// The built maas-bridge executable: SIGHUP reloads the configuration file,
// a broken file is refused; audit_log errors at start and in --check-config.

#include "support/fd_reader.hpp"
#include "support/http_test_client.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace maas_bridge {
namespace {

// The bridge as a child process with its stdout and stderr on pipes.
class BridgeProcess {
public:
    explicit BridgeProcess(const std::vector<std::string>& args,
                           const std::vector<std::string>& extra_env = {}) {
        int out_pipe[2];
        int err_pipe[2];
        if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
            ADD_FAILURE() << "pipe failed";
            return;
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
        std::vector<std::string> storage{MAAS_BRIDGE_BINARY};
        storage.insert(storage.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& arg : storage) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        std::vector<std::string> env_storage = extra_env;
        std::vector<char*> envp;
        for (auto& entry : env_storage) {
            envp.push_back(entry.data());
        }
        for (char** entry = environ; *entry != nullptr; ++entry) {
            envp.push_back(*entry);
        }
        envp.push_back(nullptr);
        const int rc = posix_spawn(&pid_, MAAS_BRIDGE_BINARY, &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        ::close(out_pipe[1]);
        ::close(err_pipe[1]);
        out_ = out_pipe[0];
        err_ = err_pipe[0];
        if (rc != 0) {
            ADD_FAILURE() << "posix_spawn failed: " << rc;
            pid_ = -1;
        }
    }

    ~BridgeProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            (void)wait_exit();
        }
        ::close(out_);
        ::close(err_);
    }
    BridgeProcess(const BridgeProcess&) = delete;
    BridgeProcess& operator=(const BridgeProcess&) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }

    // Reads until `until` appears (or EOF, or 10 s without output). What
    // was read before is not read again.
    std::string read_out(std::string_view until = {}) { return testing::read_from(out_, until); }
    std::string read_err(std::string_view until = {}) { return testing::read_from(err_, until); }

    int wait_exit() {
        int status = 0;
        const pid_t waited = ::waitpid(pid_, &status, 0);
        pid_ = -1;
        if (waited <= 0) {
            return -1000;
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }

private:
    pid_t pid_{-1};
    int out_{-1};
    int err_{-1};
};

int run_to_exit(const std::vector<std::string>& args, std::string& err) {
    BridgeProcess bridge(args);
    (void)bridge.read_out();
    err = bridge.read_err();
    return bridge.wait_exit();
}

class MaasBridgeReload : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device random;
        directory_ = std::filesystem::temp_directory_path() /
                     ("maas-bridge-reload-" + std::to_string(random()) + std::to_string(::getpid()));
        std::filesystem::create_directories(directory_);
        config_ = (directory_ / "bridge.yaml").string();
        audit_ = (directory_ / "audit.jsonl").string();
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }

    // Written whole to a new file, then renamed over the old one.
    void write_config(const std::string& text) const {
        const std::string next = config_ + ".new";
        std::ofstream(next) << text;
        std::filesystem::rename(next, config_);
    }

    std::string machines(bool with_pi02) const {
        std::string text = "audit_log: " + audit_ +
                           "\nswitches:\n  demo:\n    driver: fake\n    ports: Gi1/0/1-8\nmachines:\n"
                           "  - name: pi-01\n    switch: demo\n    port: Gi1/0/1\n";
        if (with_pi02) {
            text += "  - name: pi-02\n    switch: demo\n    port: Gi1/0/2\n";
        }
        return text;
    }

    static unsigned status_of(std::uint16_t port, std::string_view method, std::string_view target) {
        auto response = testing::fetch(port, testing::maas_request(method, target));
        return response ? response->result_int() : 0U;
    }

    static std::string metrics(std::uint16_t port) {
        auto response = testing::fetch(port, testing::maas_request("GET", "/metrics"));
        return response ? response->body() : std::string{};
    }

    std::filesystem::path directory_;
    std::string config_;
    std::string audit_;
};

TEST_F(MaasBridgeReload, SighupAppliesAGoodFileAndRefusesABrokenOne) {
    write_config(machines(false));
    const std::string port_file = (directory_ / "port").string();
    BridgeProcess bridge({"--config", config_, "--listen", "127.0.0.1:0", "--port-file", port_file});
    ASSERT_GT(bridge.pid(), 0);
    (void)bridge.read_out("query  GET");  // the banner: bound and serving
    std::uint16_t port = 0;
    {
        std::ifstream in(port_file);
        unsigned value = 0;
        in >> value;
        port = static_cast<std::uint16_t>(value);
    }
    ASSERT_NE(port, 0);
    EXPECT_EQ(status_of(port, "GET", "/v1/machines/pi-01"), 200U);
    EXPECT_EQ(status_of(port, "GET", "/v1/machines/pi-02"), 422U);
    EXPECT_EQ(status_of(port, "POST", "/v1/machines/pi-01/off"), 200U);

    // Broken: the bridge says why, with the place in the file, and goes on.
    write_config("switches:\n  demo:\n    driver: fake\n    colour: blue\n");
    ASSERT_EQ(::kill(bridge.pid(), SIGHUP), 0);
    const std::string refused = bridge.read_err("configuration reload refused");
    EXPECT_NE(refused.find(config_ + ":4:5: switches.demo.colour: unknown key"), std::string::npos)
        << refused;
    EXPECT_EQ(status_of(port, "GET", "/v1/machines/pi-01"), 200U);
    EXPECT_NE(metrics(port).find("maas_bridge_config_reload_failures_total 1\n"), std::string::npos);

    // Fixed, with a new machine: it resolves after the reload.
    write_config(machines(true));
    ASSERT_EQ(::kill(bridge.pid(), SIGHUP), 0);
    const std::string applied = bridge.read_err("configuration reloaded:");
    EXPECT_EQ(status_of(port, "GET", "/v1/machines/pi-02"), 200U);
    const std::string text = metrics(port);
    EXPECT_NE(text.find("maas_bridge_config_reloads_total 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("maas_bridge_config_last_reload_successful 1\n"), std::string::npos) << text;
    // The controller was kept: its write counter carried over.
    EXPECT_NE(text.find("poe_device_writes_total{switch=\"demo\"} 1\n"), std::string::npos) << text;

    // The audit log still records (reopened by the reload).
    EXPECT_EQ(status_of(port, "POST", "/v1/machines/pi-02/off"), 200U);
    std::ifstream audit(audit_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(audit, line);) {
        lines.push_back(line);
    }
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_NE(lines[1].find(R"("machine":"pi-02")"), std::string::npos) << lines[1];

    ASSERT_EQ(::kill(bridge.pid(), SIGTERM), 0);
    const std::string rest = bridge.read_err();
    EXPECT_EQ(bridge.wait_exit(), 0) << refused << applied << rest;
    EXPECT_NE((applied + rest).find("switches kept=demo"), std::string::npos) << applied << rest;
}

TEST_F(MaasBridgeReload, AnAuditLogThatCannotBeWrittenStopsTheStart) {
    const std::string missing = (directory_ / "missing" / "audit.jsonl").string();
    write_config("audit_log: " + missing + "\nswitches:\n  demo:\n    driver: fake\n");
    std::string err;
    EXPECT_EQ(run_to_exit({"--config", config_, "--check-config"}, err), 1);
    EXPECT_NE(err.find("audit_log " + missing + ": directory " + (directory_ / "missing").string() +
                       " does not exist"),
              std::string::npos)
        << err;
    EXPECT_EQ(run_to_exit({"--config", config_, "--listen", "127.0.0.1:0"}, err), 1);
    EXPECT_NE(err.find("audit_log " + missing + ": cannot open: No such file or directory"),
              std::string::npos)
        << err;
}

// A datagram socket standing in for systemd's $NOTIFY_SOCKET.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& path) : path_(path) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        path.copy(address.sun_path, sizeof address.sun_path - 1);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    }
    ~NotifySocket() { ::close(fd_); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // The next message; "" when none arrives within 10 s.
    std::string next() {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 10'000) <= 0) {
            return {};
        }
        char buffer[4096];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string{};
    }

    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_{-1};
};

TEST_F(MaasBridgeReload, TellsSystemdItIsReloadingAndReadyAgain) {
    write_config(machines(false));
    NotifySocket notify((directory_ / "notify").string());
    BridgeProcess bridge({"--config", config_, "--listen", "127.0.0.1:0"},
                         {"NOTIFY_SOCKET=" + notify.path()});
    ASSERT_GT(bridge.pid(), 0);
    EXPECT_EQ(notify.next().rfind("READY=1\nSTATUS=listening on 127.0.0.1:", 0), 0U);

    write_config("switches: [\n");  // refused: still RELOADING=1, then READY=1
    ASSERT_EQ(::kill(bridge.pid(), SIGHUP), 0);
    EXPECT_EQ(notify.next().rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0U);
    EXPECT_NE(notify.next().find("READY=1\nSTATUS=listening on 127.0.0.1:"), std::string::npos);

    write_config(machines(true));
    ASSERT_EQ(::kill(bridge.pid(), SIGHUP), 0);
    EXPECT_EQ(notify.next().rfind("RELOADING=1\n", 0), 0U);
    const std::string ready = notify.next();
    EXPECT_EQ(ready.rfind("READY=1\n", 0), 0U) << ready;
    EXPECT_EQ(ready.find("refused"), std::string::npos) << ready;

    ASSERT_EQ(::kill(bridge.pid(), SIGTERM), 0);
    EXPECT_EQ(notify.next(), "STOPPING=1");
    (void)bridge.read_err();
    EXPECT_EQ(bridge.wait_exit(), 0);
}

}  // namespace
}  // namespace maas_bridge
