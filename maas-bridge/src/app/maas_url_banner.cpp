// SPDX-License-Identifier: Apache-2.0
#include "app/maas_url_banner.hpp"

#include "config/name_rules.hpp"

#include <array>
#include <sstream>
#include <utility>

namespace maas_bridge {
namespace {

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
        text.replace(pos, from.size(), to);
    }
}

void machine_block(std::ostringstream& out, const std::string& label, const std::string& name,
                   const std::string& base) {
    const std::string url = base + "/v1/machines/" + name;
    out << label << ": on     POST " << url << "/on\n";
    out << std::string(label.size(), ' ') << "  off    POST " << url << "/off\n";
    out << std::string(label.size(), ' ') << "  query  GET  " << url << "\n";
}

}  // namespace

std::string base_url(const ListenAddress& bound, bool https) {
    const std::string scheme = https ? "https://" : "http://";
    if (bound.host == "0.0.0.0" || bound.host == "::") {
        return scheme + "<bridge-host>:" + std::to_string(bound.port);
    }
    return scheme + bound.to_string();
}

std::optional<std::string> example_machine_name(const MachineRule& pattern) {
    std::string guess = pattern.pattern;
    static const std::array<std::pair<std::string_view, std::string_view>, 12> substitutions{{
        {"^", ""},
        {"$", ""},
        {"\\d+", "01"},
        {"\\d*", "01"},
        {"\\d{2}", "01"},
        {"\\d{3}", "001"},
        {"\\d", "1"},
        {"[0-9]+", "01"},
        {"[0-9]", "1"},
        {"\\w+", "a"},
        {"(", ""},
        {")", ""},
    }};
    for (const auto& [from, to] : substitutions) {
        replace_all(guess, from, to);
    }
    replace_all(guess, "\\.", ".");
    replace_all(guess, "\\-", "-");
    if (is_valid_machine_name(guess) && std::regex_match(guess, pattern.regex)) {
        return guess;
    }
    return std::nullopt;
}

std::string maas_url_banner(const BridgeConfig& config, const std::string& base) {
    std::ostringstream out;
    out << "MAAS power type \"Webhook\": use these URLs (power_on_uri, power_off_uri, power_query_uri; "
           "keep the default regexes)\n";
    for (const auto& rule : config.machines) {
        if (rule.is_pattern()) {
            continue;
        }
        machine_block(out, rule.name, rule.name, base);
    }
    for (const auto& rule : config.machines) {
        if (!rule.is_pattern()) {
            continue;
        }
        const auto example = example_machine_name(rule);
        out << "machines matching '" << rule.pattern << "' -> " << rule.switch_id << " " << rule.port;
        if (example) {
            out << ", e.g.\n";
            machine_block(out, *example, *example, base);
        } else {
            out << ":\n";
            machine_block(out, "{name}", "{name}", base);
        }
    }
    out << "direct port access: " << base
        << "/v1/switches/{switch}/ports/{port, e.g. Gi1%2F0%2F5}[/on|/off]\n";
    return out.str();
}

}  // namespace maas_bridge
