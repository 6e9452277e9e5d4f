// SPDX-License-Identifier: Apache-2.0
#pragma once

// A maas-bridge child process on 127.0.0.1 (port 0, --port-file) with a
// generated configuration, and the pieces of YAML the scenarios build it from.

#include "support/child_process.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace poe_test {
class IosSimProcess;
}

namespace poe_bench {

/// The bearer token every generated configuration accepts.
inline constexpr const char* bench_token = "bench-token-2f6c1d";

/// One `switches:` entry: id plus `key: value` lines (driver options and
/// controller keys).
struct SwitchYaml {
    std::string id;
    std::vector<std::string> lines;
};

/// A switch on a simulator: driver cisco-ios, pinned host key, the harness's
/// credentials. @p extra lines are appended (e.g. "cache_ttl: 0s").
SwitchYaml ios_switch(const std::string& id, const poe_test::IosSimProcess& sim,
                      std::vector<std::string> extra = {});
/// A fake switch with 48 ports.
SwitchYaml fake_switch(const std::string& id, std::vector<std::string> extra = {});

/// A machine pattern `PREFIX(\d+)` → `switch` port `Gi1/0/{1}`.
struct MachinePattern {
    std::string prefix;
    std::string switch_id;
    std::vector<std::string> extra;
};

/// The whole configuration file: token auth, shutdown_grace 2s, plus
/// @p limits lines under `limits:` and @p policy lines under `policy:`.
std::string bridge_config(const std::vector<SwitchYaml>& switches,
                          const std::vector<MachinePattern>& machines,
                          const std::vector<std::string>& limits = {},
                          const std::vector<std::string>& policy = {});

struct BridgeStart {
    std::filesystem::path binary;
    std::filesystem::path work_dir;  ///< config, port file and log go here
    std::string name;                ///< file name stem
    std::string config;
    std::string log_level{"info"};
    std::optional<int> cpu;
};

class BridgeProcess {
public:
    /// Starts the bridge and waits (10 s at most) until it listens.
    /// @throws std::runtime_error with the bridge's log on failure.
    static std::unique_ptr<BridgeProcess> start(const BridgeStart& options);
    ~BridgeProcess();
    BridgeProcess(const BridgeProcess&) = delete;
    BridgeProcess& operator=(const BridgeProcess&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] pid_t pid() const { return child_->pid(); }
    [[nodiscard]] std::optional<MemoryUsage> memory() const { return read_memory_usage(child_->pid()); }
    [[nodiscard]] std::string log() const { return read_file(log_path_); }
    /// SIGTERM and wait (bounded). @return the exit code.
    int stop();

private:
    BridgeProcess() = default;
    std::unique_ptr<ChildProcess> child_;
    std::filesystem::path log_path_;
    std::uint16_t port_{0};
};

}  // namespace poe_bench
