// SPDX-License-Identifier: Apache-2.0
// The built maas-bridge executable: --check-config, --demo, SIGTERM.

#include "support/fd_reader.hpp"
#include "support/http_test_client.hpp"
#include "support/test_certificates.hpp"
#include "support/tls_test_client.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace maas_bridge {
namespace {

struct Child {
    pid_t pid{-1};
    int out{-1};
    int err{-1};
};

Child spawn_bridge(const std::vector<std::string>& args) {
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) {
        ADD_FAILURE() << "pipe failed";
        return {};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
    std::vector<std::string> storage{MAAS_BRIDGE_BINARY};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(storage.size() + 1);
    for (auto& arg : storage) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    Child child;
    const int rc = posix_spawn(&child.pid, MAAS_BRIDGE_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    child.out = out_pipe[0];
    child.err = err_pipe[0];
    if (rc != 0) {
        ADD_FAILURE() << "posix_spawn failed: " << rc;
        child.pid = -1;
    }
    return child;
}

using testing::read_from;

int wait_exit(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) {
        return -1000;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

struct RunResult {
    int exit_code;
    std::string out;
    std::string err;
};

RunResult run_bridge(const std::vector<std::string>& args) {
    Child child = spawn_bridge(args);
    if (child.pid < 0) {
        return {-1, {}, {}};
    }
    std::string out = read_from(child.out);
    std::string err = read_from(child.err);
    ::close(child.out);
    ::close(child.err);
    return {wait_exit(child.pid), out, err};
}

class MaasBridgeBinaryTest : public ::testing::Test {
protected:
    void SetUp() override {
        directory_ =
            std::filesystem::temp_directory_path() / ("maas-bridge-bin-" + std::to_string(::getpid()));
        std::filesystem::create_directories(directory_);
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }

    std::string write(const std::string& name, const std::string& text) {
        const auto path = directory_ / name;
        std::ofstream(path) << text;
        return path.string();
    }

    std::filesystem::path directory_;
};

TEST_F(MaasBridgeBinaryTest, CheckConfigAcceptsAGoodFile) {
    const std::string path = write("good.yaml",
                                   "switches:\n  demo:\n    driver: fake\nmachines:\n  - name: pi-01\n"
                                   "    switch: demo\n    port: gi1/0/1\n");
    const RunResult result = run_bridge({"--config", path, "--check-config"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("is valid"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("pi-01 -> demo Gi1/0/1"), std::string::npos) << result.out;
}

TEST_F(MaasBridgeBinaryTest, CheckConfigRejectsABadFile) {
    const std::string path = write("bad.yaml", "switches:\n  demo:\n    driver: fake\n    colour: blue\n");
    const RunResult result = run_bridge({"--config", path, "--check-config"});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find(path + ":4:5: switches.demo.colour: unknown key"), std::string::npos)
        << result.err;
}

TEST_F(MaasBridgeBinaryTest, RefusesAnOpenBridgeOnTheNetwork) {
    const std::string path = write("open.yaml", "switches:\n  demo:\n    driver: fake\n");
    const RunResult result = run_bridge({"--config", path, "--listen", "0.0.0.0:0"});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("refusing to listen on 0.0.0.0:0 without authentication"), std::string::npos)
        << result.err;
}

TEST_F(MaasBridgeBinaryTest, DemoServesAndStopsOnSigterm) {
    const std::string port_file = (directory_ / "port").string();
    Child child = spawn_bridge({"--demo", "--listen", "127.0.0.1:0", "--port-file", port_file});
    ASSERT_GT(child.pid, 0);
    // The banner is printed after binding and writing the port file.
    const std::string banner = read_from(child.out, "query  GET");
    EXPECT_NE(banner.find("pi-01: on     POST http://127.0.0.1:"), std::string::npos) << banner;

    std::uint16_t port = 0;
    {
        std::ifstream in(port_file);
        unsigned value = 0;
        in >> value;
        port = static_cast<std::uint16_t>(value);
    }
    ASSERT_NE(port, 0);
    EXPECT_NE(banner.find(":" + std::to_string(port) + "/v1/machines/pi-01/on"), std::string::npos) << banner;

    auto response = testing::fetch(port, testing::maas_request("GET", "/v1/machines/pi-01"));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200);
    EXPECT_TRUE(response->body().starts_with(R"({"status":"running","machine":"pi-01")")) << response->body();

    ASSERT_EQ(::kill(child.pid, SIGTERM), 0);
    const std::string log = read_from(child.err);
    EXPECT_EQ(wait_exit(child.pid), 0) << log;
    EXPECT_NE(log.find("GET /v1/machines/pi-01 200"), std::string::npos) << log;
    ::close(child.out);
    ::close(child.err);
}

std::uint16_t read_port(const std::string& port_file) {
    std::ifstream in(port_file);
    unsigned value = 0;
    in >> value;
    return static_cast<std::uint16_t>(value);
}

TEST_F(MaasBridgeBinaryTest, ServesHttpsWithATlsSection) {
    const testing::TestPki pki = testing::make_test_pki();
    const std::string certificate = write("bridge.crt", pki.server.certificate_pem + pki.ca.certificate_pem);
    const std::string key = write("bridge.key", pki.server.private_key_pem);
    ::chmod(key.c_str(), 0600);
    const std::string config =
        write("tls.yaml", "tls:\n  certificate: " + certificate + "\n  private_key: " + key +
                              "\nswitches:\n  demo:\n    driver: fake\nmachines:\n"
                              "  - name: pi-01\n    switch: demo\n    port: gi1/0/1\n");
    const RunResult checked = run_bridge({"--config", config, "--check-config"});
    EXPECT_EQ(checked.exit_code, 0) << checked.err;
    EXPECT_NE(checked.out.find("https: certificate " + certificate + ", private key " + key),
              std::string::npos)
        << checked.out;

    const std::string port_file = (directory_ / "port").string();
    Child child = spawn_bridge({"--config", config, "--listen", "127.0.0.1:0", "--port-file", port_file});
    ASSERT_GT(child.pid, 0);
    const std::string banner = read_from(child.out, "query  GET");
    EXPECT_NE(banner.find("pi-01: on     POST https://127.0.0.1:"), std::string::npos) << banner;
    const std::uint16_t port = read_port(port_file);
    ASSERT_NE(port, 0);

    testing::TlsClientOptions client;
    client.trusted_pem = pki.ca.certificate_pem;
    auto response = testing::fetch_tls(port, client, testing::maas_request("GET", "/v1/machines/pi-01"));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200);
    EXPECT_TRUE(response->body().starts_with(R"({"status":)")) << response->body();

    testing::PlainProbe plain(port);
    ASSERT_TRUE(plain.send(testing::maas_request("GET", "/v1/machines/pi-01")));
    EXPECT_TRUE(plain.wait_for_close());

    ASSERT_EQ(::kill(child.pid, SIGTERM), 0);
    const std::string log = read_from(child.err);
    EXPECT_EQ(wait_exit(child.pid), 0) << log;
    EXPECT_NE(log.find("listening on https://127.0.0.1:" + std::to_string(port)), std::string::npos) << log;
    EXPECT_NE(log.find("GET /v1/machines/pi-01 200"), std::string::npos) << log;
    const std::string& pem = pki.server.private_key_pem;
    EXPECT_EQ(log.find(pem.substr(pem.find('\n') + 1, 40)), std::string::npos) << "key material in the log";
    EXPECT_EQ(log.find("PRIVATE KEY"), std::string::npos) << log;
    ::close(child.out);
    ::close(child.err);
}

TEST_F(MaasBridgeBinaryTest, RefusesAKeyThatDoesNotMatchTheCertificate) {
    const testing::TestPki pki = testing::make_test_pki();
    const std::string certificate = write("bridge.crt", pki.server.certificate_pem);
    const std::string key = write("ca.key", pki.ca.private_key_pem);
    ::chmod(key.c_str(), 0600);
    const std::string config =
        write("tls.yaml", "tls:\n  certificate: " + certificate + "\n  private_key: " + key +
                              "\nswitches:\n  demo:\n    driver: fake\n");
    for (const bool check_only : {true, false}) {
        std::vector<std::string> args{"--config", config, "--listen", "127.0.0.1:0"};
        if (check_only) {
            args.emplace_back("--check-config");
        }
        const RunResult result = run_bridge(args);
        EXPECT_EQ(result.exit_code, 1) << check_only;
        EXPECT_NE(result.err.find(config + ":1:1: tls: private key \"" + key +
                                  "\" does not belong to the certificate \"" + certificate + "\""),
                  std::string::npos)
            << result.err;
    }
}

TEST_F(MaasBridgeBinaryTest, VersionFlag) {
    const RunResult result = run_bridge({"--version"});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_TRUE(result.out.starts_with("maas-bridge ")) << result.out;
}

}  // namespace
}  // namespace maas_bridge
