// SPDX-License-Identifier: Apache-2.0
#include "maas_commands.hpp"

#include <algorithm>
#include <sstream>

namespace poectl {
namespace {

std::string trim_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

}  // namespace

std::string maas_commands(const maas_bridge::BridgeConfig& config,
                          const std::vector<maas_bridge::ResolvedTarget>& machines,
                          const MaasCommandOptions& options) {
    const std::string base = trim_slash(options.bridge_url);
    const bool token = !config.auth.tokens.empty();
    const bool basic = !token && !config.auth.users.empty();
    std::ostringstream out;
    out << "# Point MAAS at maas-bridge (" << base << "). Power type: Webhook; leave the regexes at\n"
        << "# their defaults. Run with your maas CLI profile; secrets come from shell variables.\n";
    if (token) {
        out << "# Bridge token (Bearer) of '" << config.auth.tokens.front().name
            << "': export MAAS_BRIDGE_TOKEN=... first.\n";
    } else if (basic) {
        out << "# Bridge user '" << config.auth.users.front().name
            << "' (Basic): export MAAS_BRIDGE_PASSWORD=... first.\n";
    }
    for (const auto& rule : config.machines) {
        const bool listed = std::any_of(machines.begin(), machines.end(),
                                        [&](const auto& m) { return m.pattern == rule.pattern; });
        if (rule.is_pattern() && !listed) {
            out << "# Pattern '" << rule.pattern << "' -> switch " << rule.switch_id << " port " << rule.port
                << ": name its machines with --machine NAME to get their commands.\n";
        }
    }
    auto emit = [&](const std::string& name, const std::string& switch_id, const std::string& port) {
        const std::string url = base + "/v1/machines/" + name;
        const auto id = options.system_ids.find(name);
        const std::string system_id = id != options.system_ids.end() ? id->second
                                                                     : "\"$(maas " + options.profile +
                                                                           " machines read hostname=" + name +
                                                                           " | jq -r '.[0].system_id')\"";
        out << "\n# " << name << " (switch " << switch_id << " port " << port << ")\n"
            << "maas " << options.profile << " machine update " << system_id << " \\\n"
            << "    power_type=webhook \\\n"
            << "    power_parameters_power_on_uri=" << url << "/on \\\n"
            << "    power_parameters_power_off_uri=" << url << "/off \\\n"
            << "    power_parameters_power_query_uri=" << url;
        if (token) {
            out << " \\\n    power_parameters_power_token=\"$MAAS_BRIDGE_TOKEN\"";
        } else if (basic) {
            out << " \\\n    power_parameters_power_user=" << config.auth.users.front().name
                << " \\\n    power_parameters_power_pass=\"$MAAS_BRIDGE_PASSWORD\"";
        }
        out << "\n";
    };
    for (const auto& machine : machines) {
        emit(machine.machine, machine.switch_id, machine.port);
    }
    return out.str();
}

}  // namespace poectl
