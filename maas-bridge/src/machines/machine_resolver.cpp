// SPDX-License-Identifier: Apache-2.0
#include "machines/machine_resolver.hpp"

#include "config/name_rules.hpp"

namespace maas_bridge {

MachineResolver::MachineResolver(const BridgeConfig& config) : rules_(config.machines) {
    for (const auto& [id, sw] : config.switches) {
        switches_.emplace(id, SwitchEntry{sw.normalize_port, sw.policy});
    }
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        const MachineRule& rule = rules_[i];
        if (!rule.is_pattern()) {
            explicit_.emplace(rule.name, i);
            by_port_.emplace(std::make_pair(rule.switch_id, rule.port), i);
        }
    }
}

std::string substitute_captures(std::string_view port_template, const std::smatch& match) {
    std::string out;
    for (std::size_t i = 0; i < port_template.size(); ++i) {
        const char c = port_template[i];
        if (c == '{' && i + 2 < port_template.size() && port_template[i + 2] == '}' &&
            port_template[i + 1] >= '1' && port_template[i + 1] <= '9') {
            const auto group = static_cast<std::size_t>(port_template[i + 1] - '0');
            if (group < match.size() && match[group].matched) {
                out += match[group].str();
            }
            i += 2;
            continue;
        }
        out += c;
    }
    return out;
}

poe::Result<ResolvedTarget> MachineResolver::resolve_machine(std::string_view name) const {
    const auto unknown = [&](std::string_view why) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               "unknown machine \"" + std::string(name) + "\"" + std::string(why));
    };
    if (!is_valid_machine_name(name)) {
        return unknown(" (machine names are " + std::string(machine_name_rule) + ")");
    }
    if (const auto it = explicit_.find(name); it != explicit_.end()) {
        const MachineRule& rule = rules_[it->second];
        return ResolvedTarget{rule.name, rule.switch_id, rule.port, rule.policy, {}};
    }
    const std::string text(name);
    for (const MachineRule& rule : rules_) {
        std::smatch match;
        if (!rule.is_pattern() || !std::regex_match(text, match, rule.regex)) {
            continue;
        }
        const std::string port = substitute_captures(rule.port, match);
        const auto sw = switches_.find(rule.switch_id);
        auto normalized = sw->second.normalize(port);
        if (!normalized) {
            return unknown(" (it matches pattern \"" + rule.pattern + "\", but \"" + port +
                           "\" is not a valid port: " + normalized.error().message + ")");
        }
        return ResolvedTarget{text, rule.switch_id, std::move(normalized).value(), rule.policy, rule.pattern};
    }
    return unknown("");
}

poe::Result<ResolvedTarget> MachineResolver::resolve_port(std::string_view switch_id,
                                                          std::string_view port) const {
    const auto sw = switches_.find(switch_id);
    if (sw == switches_.end()) {
        return poe::make_error(poe::ErrorCode::unknown_switch,
                               "unknown switch \"" + std::string(switch_id) + "\"");
    }
    auto normalized = sw->second.normalize(port);
    if (!normalized) {
        return poe::make_error(poe::ErrorCode::unknown_port, "unknown port \"" + std::string(port) +
                                                                 "\" on switch \"" + std::string(switch_id) +
                                                                 "\": " + normalized.error().message);
    }
    ResolvedTarget target{{}, std::string(switch_id), std::move(normalized).value(), sw->second.policy, {}};
    if (const auto it = by_port_.find(std::make_pair(target.switch_id, target.port)); it != by_port_.end()) {
        const MachineRule& rule = rules_[it->second];
        target.machine = rule.name;
        target.policy = rule.policy;
    }
    return target;
}

std::optional<std::string> MachineResolver::machine_for_port(std::string_view switch_id,
                                                             std::string_view port) const {
    const auto it = by_port_.find(std::make_pair(std::string(switch_id), std::string(port)));
    if (it == by_port_.end()) {
        return std::nullopt;
    }
    return rules_[it->second].name;
}

std::vector<std::string> MachineResolver::switch_ids() const {
    std::vector<std::string> out;
    for (const auto& [id, unused] : switches_) {
        out.push_back(id);
    }
    return out;
}

bool MachineResolver::has_switch(std::string_view switch_id) const {
    return switches_.contains(switch_id);
}

}  // namespace maas_bridge
