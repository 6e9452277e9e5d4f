// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The bridge's configuration as plain values, produced by load_config().
/// Nothing in here touches the network or a switch.

#include <poe/port.hpp>
#include <poe/registry.hpp>
#include <poe/result.hpp>
#include <poe/switch_controller.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace maas_bridge {

/// Where something was written in the configuration, for error messages.
struct SourceLocation {
    std::string file;  ///< As given by the caller ("maas-bridge.yaml", "<demo>").
    int line{0};       ///< 1-based; 0 when unknown.
    int column{0};     ///< 1-based; 0 when unknown.

    /// "file:line:col" (or just "file" when the position is unknown).
    [[nodiscard]] std::string to_string() const;
};

/// The address the HTTP listener binds.
struct ListenAddress {
    std::string host{"127.0.0.1"};  ///< An IP literal, without brackets.
    std::uint16_t port{8550};       ///< 0 lets the kernel pick.

    /// True for 127.0.0.0/8 and ::1 (and ::ffff:127.x.y.z).
    [[nodiscard]] bool is_loopback() const;
    /// "127.0.0.1:8550" or "[::1]:8550".
    [[nodiscard]] std::string to_string() const;
};

/// A named secret: a Bearer token or a Basic user's password. `name` is the
/// identity logged for requests; `secret` is never logged.
struct NamedSecret {
    std::string name;
    std::string secret;
};

/// Who may call the bridge.
struct AuthConfig {
    enum class Mode {
        unset,        ///< No `auth:` key: allowed on loopback only.
        none,         ///< `auth: none`: explicitly open, on any address (warned about).
        credentials,  ///< Tokens and/or users.
    };
    Mode mode{Mode::unset};
    std::vector<NamedSecret> tokens;  ///< Bearer tokens (MAAS power_token).
    std::vector<NamedSecret> users;   ///< Basic users (MAAS power_user/power_pass).
};

/// HTTPS: the certificate chain and private key, read when the
/// configuration is loaded (see tls/server_tls.hpp for the checks).
struct TlsConfig {
    std::string certificate;      ///< File the chain was read from (for messages).
    std::string private_key;      ///< File the key was read from (for messages).
    std::string certificate_pem;  ///< The bridge's certificate first, then intermediates.
    std::string private_key_pem;  ///< Never logged or printed.

    // A configuration reload compares the new `tls:` with the running one.
    friend bool operator==(const TlsConfig&, const TlsConfig&) = default;
};

/// Resource limits of the HTTP side.
struct Limits {
    std::size_t max_connections{512};
    std::size_t max_header_bytes{8192};
    std::size_t max_body_bytes{4096};
    std::chrono::milliseconds read_timeout{std::chrono::seconds{10}};
    std::chrono::milliseconds idle_timeout{std::chrono::seconds{60}};
    std::chrono::milliseconds request_timeout{std::chrono::seconds{20}};
    std::chrono::milliseconds cycle_timeout{std::chrono::seconds{60}};
    std::chrono::milliseconds shutdown_grace{std::chrono::seconds{10}};
};

/// What "running" means in a query answer.
enum class RunningMeaning {
    admin,       ///< The port is admin-enabled (auto/static).
    delivering,  ///< The port is delivering power (oper on).
};

/// Stable names "admin" / "delivering".
std::string_view to_string(RunningMeaning meaning) noexcept;

/// How one machine (or port) is powered: the effective result of the global
/// `policy:`, the switch's overrides and the machine's overrides.
struct PowerPolicy {
    poe::OnWhenOn on_when_on{poe::OnWhenOn::noop};
    std::chrono::milliseconds cycle_dwell{std::chrono::seconds{5}};
    RunningMeaning running{RunningMeaning::admin};
    poe::AdminSetting on_setting{};  ///< on_mode (+ max_milliwatts).

    friend bool operator==(const PowerPolicy&, const PowerPolicy&) = default;
};

/// Turns a user's port spelling into the switch's canonical name (syntax only).
using PortNormalizer = std::function<poe::Result<std::string>(std::string_view)>;

/// One `switches:` entry.
struct SwitchConfig {
    std::string id;
    std::string driver;
    /// Driver options, secrets already read from their files. Never log the
    /// values of keys in `secret_keys`.
    poe::DriverOptions options;
    std::vector<std::string> secret_keys;
    poe::ControllerOptions controller;
    PowerPolicy policy;  ///< Global policy with this switch's overrides.
    /// The driver's normalize_port (backed by an unconnected driver instance).
    PortNormalizer normalize_port;
    SourceLocation where;
};

/// One `machines:` entry: an explicit name or a pattern.
struct MachineRule {
    std::string name;     ///< Explicit machine name; empty for a pattern.
    std::string pattern;  ///< Pattern source text; empty for an explicit name.
    std::regex regex;     ///< Compiled `pattern` (ECMAScript, full match).
    std::string switch_id;
    /// Explicit: the normalised port. Pattern: the template with {1}..{9}.
    std::string port;
    PowerPolicy policy;  ///< Fully resolved (global ← switch ← machine).
    SourceLocation where;

    [[nodiscard]] bool is_pattern() const noexcept { return !pattern.empty(); }
};

/// The whole configuration file.
struct BridgeConfig {
    std::string source;  ///< File name used in messages.
    ListenAddress listen;
    AuthConfig auth;
    std::optional<TlsConfig> tls;
    Limits limits;
    unsigned threads{1};
    PowerPolicy default_policy;
    std::map<std::string, SwitchConfig, std::less<>> switches;
    std::vector<MachineRule> machines;  ///< In file order.
    /// `audit_log:` file of power changes (absolute path); empty: no audit log.
    std::string audit_log;
    /// Non-fatal findings (e.g. a secret file readable by others).
    std::vector<std::string> warnings;
};

}  // namespace maas_bridge
