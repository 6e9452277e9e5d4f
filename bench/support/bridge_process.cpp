// SPDX-License-Identifier: Apache-2.0
#include "support/bridge_process.hpp"

#include "ios_sim_process.hpp"

#include <fstream>
#include <stdexcept>
#include <thread>

namespace poe_bench {

namespace {

using Clock = std::chrono::steady_clock;

std::string indented(const std::vector<std::string>& lines, const std::string& indent) {
    std::string out;
    for (const auto& line : lines) {
        out += indent + line + "\n";
    }
    return out;
}

}  // namespace

SwitchYaml ios_switch(const std::string& id, const poe_test::IosSimProcess& sim,
                      std::vector<std::string> extra) {
    SwitchYaml yaml{id,
                    {"driver: cisco-ios", "host: 127.0.0.1", "port: " + std::to_string(sim.port()),
                     "username: admin", "password: secret", "enable_secret: enablepw",
                     "host_key_fingerprint: '" + sim.host_key_fingerprint() + "'"}};
    yaml.lines.insert(yaml.lines.end(), extra.begin(), extra.end());
    return yaml;
}

SwitchYaml fake_switch(const std::string& id, std::vector<std::string> extra) {
    SwitchYaml yaml{id, {"driver: fake", "ports: Gi1/0/1-48"}};
    yaml.lines.insert(yaml.lines.end(), extra.begin(), extra.end());
    return yaml;
}

std::string bridge_config(const std::vector<SwitchYaml>& switches,
                          const std::vector<MachinePattern>& machines, const std::vector<std::string>& limits,
                          const std::vector<std::string>& policy) {
    std::string yaml = "listen: 127.0.0.1:0\n";
    yaml += "auth:\n  tokens:\n    - name: maas\n      token: " + std::string(bench_token) + "\n";
    std::vector<std::string> all_limits{"shutdown_grace: 2s"};
    all_limits.insert(all_limits.end(), limits.begin(), limits.end());
    yaml += "limits:\n" + indented(all_limits, "  ");
    if (!policy.empty()) {
        yaml += "policy:\n" + indented(policy, "  ");
    }
    yaml += "switches:\n";
    for (const auto& sw : switches) {
        yaml += "  " + sw.id + ":\n" + indented(sw.lines, "    ");
    }
    if (!machines.empty()) {
        yaml += "machines:\n";
        for (const auto& m : machines) {
            yaml += "  - pattern: '" + m.prefix + "(\\d+)'\n    switch: " + m.switch_id +
                    "\n    port: 'Gi1/0/{1}'\n" + indented(m.extra, "    ");
        }
    }
    return yaml;
}

std::unique_ptr<BridgeProcess> BridgeProcess::start(const BridgeStart& options) {
    const auto config_path = options.work_dir / (options.name + ".yaml");
    const auto port_path = options.work_dir / (options.name + ".port");
    std::filesystem::remove(port_path);
    std::ofstream(config_path) << options.config;

    std::unique_ptr<BridgeProcess> bridge(new BridgeProcess());
    bridge->log_path_ = options.work_dir / (options.name + ".log");
    SpawnOptions spawn;
    spawn.argv = {options.binary.string(), "--config",    config_path.string(), "--listen",
                  "127.0.0.1:0",           "--port-file", port_path.string(),   "--log-level",
                  options.log_level};
    spawn.stdout_path = options.work_dir / (options.name + ".out");
    spawn.stderr_path = bridge->log_path_;
    spawn.cpu = options.cpu;
    bridge->child_ = ChildProcess::spawn(spawn);

    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
        if (!bridge->child_->running()) {
            throw std::runtime_error("maas-bridge (" + options.name + ") exited at start:\n" + bridge->log());
        }
        if (std::filesystem::exists(port_path)) {
            unsigned port = 0;
            std::ifstream(port_path) >> port;
            if (port != 0) {
                bridge->port_ = static_cast<std::uint16_t>(port);
                return bridge;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    throw std::runtime_error("maas-bridge (" + options.name + ") did not listen within 10 s:\n" +
                             bridge->log());
}

BridgeProcess::~BridgeProcess() {
    if (child_) {
        stop();
    }
}

int BridgeProcess::stop() {
    // shutdown_grace is 2 s in every generated configuration.
    return child_->stop(std::chrono::seconds(5));
}

}  // namespace poe_bench
