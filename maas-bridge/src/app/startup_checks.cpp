// SPDX-License-Identifier: Apache-2.0
#include "app/startup_checks.hpp"

#include "config/duration_text.hpp"

#include <algorithm>
#include <sstream>

namespace maas_bridge {

poe::Result<void> check_auth_exposure(const BridgeConfig& config) {
    if (config.auth.mode == AuthConfig::Mode::unset && !config.listen.is_loopback()) {
        return poe::make_error(
            poe::ErrorCode::invalid_argument,
            "refusing to listen on " + config.listen.to_string() +
                " without authentication: configure `auth:` tokens or users, listen on "
                "127.0.0.1, or write `auth: none` to accept an open power switch on the network");
    }
    return poe::success();
}

std::string exposure_warning(const BridgeConfig& config) {
    if (config.auth.mode == AuthConfig::Mode::credentials) {
        return {};
    }
    if (config.listen.is_loopback()) {
        return config.auth.mode == AuthConfig::Mode::none
                   ? "authentication is off (auth: none); only local clients can connect"
                   : "";
    }
    return "AUTHENTICATION IS OFF (auth: none) and the bridge listens on " + config.listen.to_string() +
           ": anyone who can reach it can power machines on and off";
}

std::string config_summary(const BridgeConfig& config) {
    std::ostringstream out;
    out << "configuration " << config.source << " is valid\n";
    out << "listen: " << config.listen.to_string() << "\n";
    if (config.tls) {
        out << "https: certificate " << config.tls->certificate << ", private key " << config.tls->private_key
            << "\n";
    }
    switch (config.auth.mode) {
        case AuthConfig::Mode::unset:
            out << "auth: not configured (loopback only)\n";
            break;
        case AuthConfig::Mode::none:
            out << "auth: none\n";
            break;
        case AuthConfig::Mode::credentials:
            out << "auth: " << config.auth.tokens.size() << " token(s)";
            for (const auto& token : config.auth.tokens) {
                out << " " << token.name;
            }
            out << "; " << config.auth.users.size() << " user(s)";
            for (const auto& user : config.auth.users) {
                out << " " << user.name;
            }
            out << "\n";
            break;
    }
    const Limits& limits = config.limits;
    out << "limits: max_connections " << limits.max_connections << ", request_timeout "
        << format_duration(limits.request_timeout) << ", cycle_timeout "
        << format_duration(limits.cycle_timeout) << ", read_timeout " << format_duration(limits.read_timeout)
        << ", idle_timeout " << format_duration(limits.idle_timeout) << ", shutdown_grace "
        << format_duration(limits.shutdown_grace) << "\n";
    out << "threads: " << config.threads << "\n";
    out << "audit_log: " << (config.audit_log.empty() ? "off" : config.audit_log) << "\n";
    out << "switches:\n";
    for (const auto& [id, sw] : config.switches) {
        out << "  " << id << ": driver " << sw.driver;
        for (const auto& [key, value] : sw.options) {
            const bool secret =
                std::find(sw.secret_keys.begin(), sw.secret_keys.end(), key) != sw.secret_keys.end();
            out << ", " << key << "=" << (secret ? "(secret)" : value);
        }
        out << "; running means " << to_string(sw.policy.running) << ", cycle dwell "
            << format_duration(sw.policy.cycle_dwell) << "\n";
    }
    out << "machines:\n";
    for (const auto& rule : config.machines) {
        out << "  " << (rule.is_pattern() ? "pattern " + rule.pattern : rule.name) << " -> " << rule.switch_id
            << " " << rule.port << "\n";
    }
    for (const auto& warning : config.warnings) {
        out << "warning: " << warning << "\n";
    }
    return out.str();
}

}  // namespace maas_bridge
