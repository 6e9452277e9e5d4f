// SPDX-License-Identifier: Apache-2.0
#include "config/config_loader.hpp"

#include "config/duration_text.hpp"
#include "config/listen_address.hpp"
#include "config/name_rules.hpp"
#include "config/secret_reader.hpp"
#include "tls/server_tls.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <memory>
#include <set>
#include <sstream>

namespace maas_bridge {

std::string SourceLocation::to_string() const {
    if (line <= 0) {
        return file;
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string_view to_string(RunningMeaning meaning) noexcept {
    return meaning == RunningMeaning::admin ? "admin" : "delivering";
}

namespace {

// libstdc++'s regex compiler overflows a signed int (undefined behaviour) on
// huge numbers in a pattern: back-references such as \33333333333 (found by
// fuzz_config_loader) and repetition counts such as a{99999999999}. No
// machine name needs a number above this.
constexpr std::size_t max_pattern_repetition = 1000;

// True when a number after a backslash or inside {} exceeds the limit.
bool has_huge_repetition(std::string_view pattern) {
    const auto number_too_big = [&](std::size_t from) {
        std::size_t value = 0;
        for (std::size_t j = from; j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9'; ++j) {
            value = value * 10 + static_cast<std::size_t>(pattern[j] - '0');
            if (value > max_pattern_repetition) {
                return true;
            }
        }
        return false;
    };
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\') {
            if (number_too_big(i + 1)) {
                return true;
            }
            ++i;  // an escaped character, e.g. \{
            continue;
        }
        if (pattern[i] != '{') {
            continue;
        }
        for (std::size_t j = i + 1; j < pattern.size(); ++j) {
            if (number_too_big(j)) {
                return true;
            }
            while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') {
                ++j;
            }
            if (j >= pattern.size() || pattern[j] != ',') {
                break;
            }
        }
    }
    return false;
}

// The parser reports the first problem by throwing ConfigFailure; it never
// leaves this file: load_config_text turns it into a poe::Error value.
struct ConfigFailure {
    std::string message;
};

// Error messages are one line: keys, values and yaml-cpp's own messages may
// carry control characters from the file (found by fuzz/fuzz_config_loader).
std::string one_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n') {
            out += "\\n";
        } else if (byte < 0x20 || byte == 0x7f) {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 0x0f];
        } else {
            out += c;
        }
    }
    return out;
}

// Keys of `switches.<id>` that configure the bridge/controller rather than the driver.
constexpr std::array<std::string_view, 10> switch_bridge_keys{
    "cache_ttl",     "cycle_dwell", "on_when_on", "keepalive",     "idle_disconnect", "max_logins_per_minute",
    "verify_writes", "running",     "on_mode",    "max_milliwatts"};

// Per-machine overrides (also valid on switches and in `policy:`).
constexpr std::array<std::string_view, 5> machine_policy_keys{"on_when_on", "cycle_dwell", "running",
                                                              "on_mode", "max_milliwatts"};

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += out.empty() ? item : ", " + item;
    }
    return out;
}

template <typename Range>
std::vector<std::string> to_strings(const Range& range) {
    std::vector<std::string> out;
    for (const auto& item : range) {
        out.emplace_back(item);
    }
    return out;
}

// Overrides written at one level (policy, switch, machine); unset fields
// inherit from the level above.
struct PolicyOverrides {
    std::optional<poe::OnWhenOn> on_when_on;
    std::optional<std::chrono::milliseconds> cycle_dwell;
    std::optional<RunningMeaning> running;
    std::optional<poe::AdminMode> on_mode;
    std::optional<std::uint32_t> max_milliwatts;

    [[nodiscard]] PowerPolicy apply_to(PowerPolicy policy) const {
        if (on_when_on) {
            policy.on_when_on = *on_when_on;
        }
        if (cycle_dwell) {
            policy.cycle_dwell = *cycle_dwell;
        }
        if (running) {
            policy.running = *running;
        }
        if (on_mode) {
            policy.on_setting.mode = *on_mode;
        }
        if (max_milliwatts) {
            policy.on_setting.max_milliwatts = *max_milliwatts;
        }
        return policy;
    }
};

class Loader {
public:
    Loader(std::string source, const ConfigLoadOptions& options)
        : source_(std::move(source)), options_(options) {}

    BridgeConfig load(std::string_view text) {
        YAML::Node root;
        try {
            root = YAML::Load(std::string(text));
        } catch (const YAML::Exception& e) {
            throw ConfigFailure{at(e.mark) + ": invalid YAML: " + e.msg};
        }
        config_.source = source_;
        if (root.IsNull()) {
            throw ConfigFailure{source_ + ": the file is empty (at least `switches:` is required)"};
        }
        if (!root.IsMap()) {
            fail(root, "",
                 "expected a map of settings (listen, auth, limits, policy, switches, machines, ...)");
        }
        // Collect the top-level sections first: later sections depend on
        // earlier ones (machines on switches, dwell checks on limits) whatever
        // order the file uses.
        std::map<std::string, std::pair<YAML::Node, YAML::Node>, std::less<>> sections;
        for_each_entry(
            root, "",
            {"listen", "auth", "tls", "limits", "threads", "policy", "switches", "machines", "audit_log"},
            [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) {
                sections.emplace(key, std::make_pair(key_node, value));
            });
        const auto section = [&](std::string_view key) -> const std::pair<YAML::Node, YAML::Node>* {
            const auto it = sections.find(key);
            return it == sections.end() ? nullptr : &it->second;
        };
        if (const auto* s = section("listen")) {
            parse_listen(s->second);
        }
        if (const auto* s = section("threads")) {
            config_.threads = static_cast<unsigned>(unsigned_value(s->second, "threads", 1, 64));
        }
        if (const auto* s = section("audit_log")) {
            parse_audit_log(s->second);
        }
        if (const auto* s = section("limits")) {
            parse_limits(s->second);
        }
        if (const auto* s = section("auth")) {
            parse_auth(s->second);
        }
        if (const auto* s = section("tls")) {
            parse_tls(s->first, s->second);
        }
        if (const auto* s = section("policy")) {
            parse_policy(s->second);
        }
        if (const auto* s = section("switches")) {
            parse_switches(s->first, s->second);
        } else {
            throw ConfigFailure{source_ + ": `switches:` is missing (at least one switch is required)"};
        }
        if (const auto* s = section("machines")) {
            parse_machines(s->second);
        }
        return std::move(config_);
    }

private:
    // --- messages -----------------------------------------------------------

    [[nodiscard]] std::string at(const YAML::Mark& mark) const {
        SourceLocation where{source_, mark.is_null() ? 0 : mark.line + 1,
                             mark.is_null() ? 0 : mark.column + 1};
        return where.to_string();
    }

    [[nodiscard]] SourceLocation where(const YAML::Node& node) const {
        const YAML::Mark mark = node.Mark();
        return SourceLocation{source_, mark.is_null() ? 0 : mark.line + 1,
                              mark.is_null() ? 0 : mark.column + 1};
    }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& path,
                           const std::string& message) const {
        throw ConfigFailure{where(node).to_string() + ": " + (path.empty() ? "" : path + ": ") + message};
    }

    static std::string child(const std::string& path, std::string_view key) {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }

    static std::string item(const std::string& path, std::size_t index) {
        return path + "[" + std::to_string(index) + "]";
    }

    // --- structure ----------------------------------------------------------

    // Walks a map, rejecting duplicate keys and keys outside `allowed`
    // (when `allowed` is non-empty), and calls f(key, key_node, value).
    template <typename F>
    void for_each_entry(const YAML::Node& map, const std::string& path, std::vector<std::string> allowed,
                        F&& f) {
        if (!map.IsMap()) {
            fail(map, path, "expected a map");
        }
        std::map<std::string, YAML::Node, std::less<>> seen;
        for (auto it = map.begin(); it != map.end(); ++it) {
            // Copies: yaml-cpp's iterator hands out a temporary proxy.
            const YAML::Node key_node = it->first;
            const YAML::Node value = it->second;
            if (!key_node.IsScalar()) {
                fail(key_node, path, "keys must be plain words");
            }
            const std::string& key = key_node.Scalar();
            if (const auto previous = seen.find(key); previous != seen.end()) {
                fail(key_node, child(path, key),
                     "duplicate key (first at " + where(previous->second).to_string() + ")");
            }
            seen.emplace(key, key_node);
            if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                fail(key_node, child(path, key), "unknown key (valid keys: " + join(allowed) + ")");
            }
            f(key, key_node, value);
        }
    }

    template <typename F>
    void for_each_entry(const YAML::Node& map, const std::string& path,
                        std::initializer_list<std::string_view> allowed, F&& f) {
        for_each_entry(map, path, to_strings(allowed), std::forward<F>(f));
    }

    std::string scalar(const YAML::Node& node, const std::string& path) const {
        if (!node.IsScalar()) {
            fail(node, path,
                 node.IsNull() ? "expected a value" : "expected a single value, not a list or map");
        }
        return node.Scalar();
    }

    std::chrono::milliseconds duration(const YAML::Node& node, const std::string& path) const {
        const std::string text = scalar(node, path);
        const auto value = parse_duration(text);
        if (!value) {
            fail(node, path, "expected a duration like 500ms, 10s or 2m, got \"" + text + "\"");
        }
        return *value;
    }

    std::chrono::milliseconds positive_duration(const YAML::Node& node, const std::string& path) const {
        const auto value = duration(node, path);
        if (value.count() <= 0) {
            fail(node, path, "must be longer than 0s");
        }
        return value;
    }

    bool boolean(const YAML::Node& node, const std::string& path) const {
        const std::string text = scalar(node, path);
        if (text == "true") {
            return true;
        }
        if (text == "false") {
            return false;
        }
        fail(node, path, "expected true or false, got \"" + text + "\"");
    }

    std::uint64_t unsigned_value(const YAML::Node& node, const std::string& path, std::uint64_t min,
                                 std::uint64_t max) const {
        const std::string text = scalar(node, path);
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min ||
            value > max) {
            fail(node, path,
                 "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                     ", got \"" + text + "\"");
        }
        return value;
    }

    template <typename T>
    T choice(const YAML::Node& node, const std::string& path,
             std::initializer_list<std::pair<std::string_view, T>> choices) const {
        const std::string text = scalar(node, path);
        std::vector<std::string> names;
        for (const auto& [name, value] : choices) {
            if (text == name) {
                return value;
            }
            names.emplace_back(name);
        }
        fail(node, path, "expected one of " + join(names) + ", got \"" + text + "\"");
    }

    // --- sections -----------------------------------------------------------

    void parse_listen(const YAML::Node& node) {
        auto address = parse_listen_address(scalar(node, "listen"));
        if (!address) {
            fail(node, "listen", address.error().message);
        }
        config_.listen = *address;
    }

    void parse_audit_log(const YAML::Node& node) {
        std::string path = scalar(node, "audit_log");
        if (path.empty() || path.front() != '/' || path.back() == '/' ||
            path.find('\0') != std::string::npos) {
            fail(node, "audit_log",
                 "expected the absolute path of a file, e.g. /var/lib/maas-bridge/audit.jsonl");
        }
        config_.audit_log = std::move(path);
    }

    void parse_limits(const YAML::Node& node) {
        Limits& limits = config_.limits;
        for_each_entry(
            node, "limits",
            {"max_connections", "max_header_bytes", "max_body_bytes", "read_timeout", "idle_timeout",
             "request_timeout", "cycle_timeout", "shutdown_grace"},
            [&](const std::string& key, const YAML::Node&, const YAML::Node& value) {
                const std::string path = child("limits", key);
                if (key == "max_connections") {
                    limits.max_connections = unsigned_value(value, path, 1, 100'000);
                } else if (key == "max_header_bytes") {
                    limits.max_header_bytes = unsigned_value(value, path, 1024, std::uint64_t{1024} * 1024);
                } else if (key == "max_body_bytes") {
                    limits.max_body_bytes = unsigned_value(value, path, 0, std::uint64_t{1024} * 1024);
                } else if (key == "read_timeout") {
                    limits.read_timeout = positive_duration(value, path);
                } else if (key == "idle_timeout") {
                    limits.idle_timeout = positive_duration(value, path);
                } else if (key == "request_timeout") {
                    limits.request_timeout = positive_duration(value, path);
                } else if (key == "cycle_timeout") {
                    limits.cycle_timeout = positive_duration(value, path);
                    cycle_timeout_node_.emplace(value);
                } else {
                    limits.shutdown_grace = duration(value, path);
                }
            });
    }

    void parse_auth(const YAML::Node& node) {
        AuthConfig& auth = config_.auth;
        if (node.IsScalar()) {
            if (node.Scalar() != "none") {
                fail(
                    node, "auth",
                    "expected `none` or a map with `tokens:` and/or `users:`, got \"" + node.Scalar() + "\"");
            }
            auth.mode = AuthConfig::Mode::none;
            return;
        }
        if (!node.IsMap()) {
            fail(node, "auth", "expected `none` or a map with `tokens:` and/or `users:`");
        }
        auth.mode = AuthConfig::Mode::credentials;
        for_each_entry(node, "auth", {"tokens", "users"},
                       [&](const std::string& key, const YAML::Node&, const YAML::Node& value) {
                           if (key == "tokens") {
                               auth.tokens = parse_secrets(value, "auth.tokens", "token");
                           } else {
                               auth.users = parse_secrets(value, "auth.users", "password");
                           }
                       });
        if (auth.tokens.empty() && auth.users.empty()) {
            fail(node, "auth", "give at least one token or user (or write `auth: none`)");
        }
    }

    // "token, token_file, token_credential"
    static std::string secret_spellings(const std::string& kind) {
        std::string out = kind;
        out += ", ";
        out += kind;
        out += "_file, ";
        out += kind;
        out += "_credential";
        return out;
    }

    // A list of {name, <kind> | <kind>_file | <kind>_credential}.
    std::vector<NamedSecret> parse_secrets(const YAML::Node& list, const std::string& path,
                                           const std::string& kind) {
        if (!list.IsSequence()) {
            fail(list, path, "expected a list of entries with `name:` and `" + kind + "_file:`");
        }
        std::vector<NamedSecret> out;
        std::map<std::string, YAML::Node, std::less<>> names;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const YAML::Node entry = list[i];
            const std::string entry_path = item(path, i);
            NamedSecret secret;
            std::optional<std::string> value;
            for_each_entry(entry, entry_path, {"name", kind, kind + "_file", kind + "_credential"},
                           [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& v) {
                               const std::string key_path = child(entry_path, key);
                               if (key == "name") {
                                   secret.name = scalar(v, key_path);
                                   if (!is_valid_identity_name(secret.name)) {
                                       fail(v, key_path,
                                            "\"" + secret.name + "\" is not a valid name (" +
                                                std::string(identity_name_rule) + ")");
                                   }
                                   if (const auto prev = names.find(secret.name); prev != names.end()) {
                                       fail(v, key_path,
                                            "duplicate name \"" + secret.name + "\" (first at " +
                                                where(prev->second).to_string() + ")");
                                   }
                                   names.emplace(secret.name, v);
                                   return;
                               }
                               if (value) {
                                   fail(key_node, key_path, "give only one of " + secret_spellings(kind));
                               }
                               value = secret_value(key, kind, v, key_path);
                           });
            if (secret.name.empty()) {
                fail(entry, entry_path, "`name:` is missing");
            }
            if (!value) {
                fail(entry, entry_path, "one of " + secret_spellings(kind) + " is required");
            }
            secret.secret = std::move(*value);
            out.push_back(std::move(secret));
        }
        return out;
    }

    // Reads KEY (inline), KEY_file or KEY_credential. The value is never put
    // into a message.
    std::string secret_value(const std::string& key, const std::string& base, const YAML::Node& node,
                             const std::string& path) {
        std::string text = scalar(node, path);
        if (key == base) {
            if (text.empty()) {
                fail(node, path, "must not be empty");
            }
            return text;
        }
        poe::Result<SecretText> secret = key == base + "_file"
                                             ? read_secret_file(text)
                                             : read_credential(options_.credentials_directory, text);
        if (!secret) {
            fail(node, path, secret.error().message);
        }
        if (!secret->warning.empty()) {
            config_.warnings.push_back(where(node).to_string() + ": " + secret->warning);
        }
        return std::move(secret->value);
    }

    // certificate / private_key are paths; the _credential spellings name a
    // systemd credential (LoadCredential=), so a root-only key can reach the
    // service's dynamic user. Both are read and checked now, so that
    // --check-config catches what would stop the server.
    void parse_tls(const YAML::Node& key_node, const YAML::Node& node) {
        TlsConfig tls;
        std::optional<YAML::Node> certificate_node;
        std::optional<YAML::Node> private_key_node;
        for_each_entry(
            node, "tls", {"certificate", "certificate_credential", "private_key", "private_key_credential"},
            [&](const std::string& key, const YAML::Node& entry_node, const YAML::Node& value) {
                const std::string path = child("tls", key);
                const bool is_certificate = key.starts_with("certificate");
                const std::string base = is_certificate ? "certificate" : "private_key";
                auto& seen = is_certificate ? certificate_node : private_key_node;
                if (seen) {
                    fail(entry_node, path, "give only one of " + base + ", " + base + "_credential");
                }
                seen.emplace(value);
                const std::string text = scalar(value, path);
                if (text.empty()) {
                    fail(value, path, "must not be empty");
                }
                const bool credential = key.ends_with("_credential");
                std::string file = text;
                if (credential) {
                    auto located =
                        credential_path(options_.credentials_directory, text, "`" + base + ": PATH`");
                    if (!located) {
                        fail(value, path, located.error().message);
                    }
                    file = std::move(located).value();
                }
                auto read = read_private_file(
                    file, is_certificate ? max_tls_certificate_bytes : max_tls_private_key_bytes,
                    is_certificate ? "certificate file" : "private key file");
                if (!read) {
                    fail(value, path, read.error().message);
                }
                // A certificate is public; a key readable by others is worth a warning.
                if (!is_certificate && !credential && !read->warning.empty()) {
                    config_.warnings.push_back(where(value).to_string() + ": " + read->warning);
                }
                (is_certificate ? tls.certificate : tls.private_key) = file;
                (is_certificate ? tls.certificate_pem : tls.private_key_pem) = std::move(read->value);
            });
        if (!certificate_node) {
            fail(node, "tls", "`certificate:` (or `certificate_credential:`) is missing");
        }
        if (!private_key_node) {
            fail(node, "tls", "`private_key:` (or `private_key_credential:`) is missing");
        }
        auto checked = make_server_tls(tls);
        if (!checked) {
            fail(key_node, "tls", checked.error().message);
        }
        for (const auto& warning : checked->warnings) {
            config_.warnings.push_back(where(key_node).to_string() + ": " + warning);
        }
        config_.tls = std::move(tls);
    }

    // Handles one policy key if it is one; returns false otherwise.
    bool policy_key(const std::string& key, const YAML::Node& value, const std::string& path,
                    PolicyOverrides& overrides) {
        if (key == "on_when_on") {
            overrides.on_when_on = choice<poe::OnWhenOn>(
                value, path, {{"noop", poe::OnWhenOn::noop}, {"cycle", poe::OnWhenOn::cycle}});
        } else if (key == "cycle_dwell") {
            const auto dwell = duration(value, path);
            if (dwell >= config_.limits.cycle_timeout) {
                fail(value, path,
                     format_duration(dwell) + " must be shorter than limits.cycle_timeout (" +
                         format_duration(config_.limits.cycle_timeout) + ")");
            }
            overrides.cycle_dwell = dwell;
        } else if (key == "running") {
            overrides.running = choice<RunningMeaning>(
                value, path, {{"admin", RunningMeaning::admin}, {"delivering", RunningMeaning::delivering}});
        } else if (key == "on_mode") {
            overrides.on_mode = choice<poe::AdminMode>(
                value, path, {{"auto", poe::AdminMode::automatic}, {"static", poe::AdminMode::static_power}});
        } else if (key == "max_milliwatts") {
            overrides.max_milliwatts = static_cast<std::uint32_t>(unsigned_value(value, path, 1, 100'000));
        } else {
            return false;
        }
        return true;
    }

    void parse_policy(const YAML::Node& node) {
        PolicyOverrides overrides;
        for_each_entry(node, "policy",
                       {"on_when_on", "cycle_dwell", "cache_ttl", "running", "on_mode", "max_milliwatts",
                        "verify_writes"},
                       [&](const std::string& key, const YAML::Node&, const YAML::Node& value) {
                           const std::string path = child("policy", key);
                           if (key == "cache_ttl") {
                               default_cache_ttl_ = duration(value, path);
                           } else if (key == "verify_writes") {
                               default_verify_writes_ = boolean(value, path);
                           } else {
                               policy_key(key, value, path, overrides);
                           }
                       });
        config_.default_policy = overrides.apply_to(config_.default_policy);
    }

    void check_default_dwell() {
        if (config_.default_policy.cycle_dwell >= config_.limits.cycle_timeout) {
            fail(cycle_timeout_node_ ? *cycle_timeout_node_ : YAML::Node(), "limits.cycle_timeout",
                 format_duration(config_.limits.cycle_timeout) + " must be longer than the cycle dwell (" +
                     format_duration(config_.default_policy.cycle_dwell) + ")");
        }
    }

    // Fails when `policy` asks for static power of a driver that cannot do it.
    void check_supported(const YAML::Node& node, const std::string& path, const PowerPolicy& policy,
                         const SwitchConfig& sw, bool static_supported) const {
        if (policy.on_setting.mode == poe::AdminMode::static_power && !static_supported) {
            fail(node, path, "on_mode static: driver \"" + sw.driver + "\" does not support static power");
        }
    }

    void parse_switches(const YAML::Node& key_node, const YAML::Node& node) {
        check_default_dwell();
        if (!node.IsMap() || node.size() == 0) {
            fail(node.IsNull() ? key_node : node, "switches",
                 "expected a map of switch id → {driver: ..., ...} with at least one switch");
        }
        for_each_entry(node, "switches", std::vector<std::string>{},
                       [&](const std::string& id, const YAML::Node& id_node, const YAML::Node& value) {
                           parse_switch(id, id_node, value);
                       });
    }

    void parse_switch(const std::string& id, const YAML::Node& id_node, const YAML::Node& node) {
        const std::string path = child("switches", id);
        if (!is_valid_machine_name(id)) {
            fail(id_node, path, "switch ids are " + std::string(machine_name_rule));
        }
        if (!node.IsMap()) {
            fail(node.IsNull() ? id_node : node, path, "expected a map with at least `driver:`");
        }
        SwitchConfig sw;
        sw.id = id;
        sw.where = where(id_node);
        // The driver decides which other keys are valid, so find it first.
        std::optional<YAML::Node> driver_node;
        for (auto it = node.begin(); it != node.end() && !driver_node; ++it) {
            if (it->first.IsScalar() && it->first.Scalar() == "driver") {
                driver_node.emplace(it->second);
            }
        }
        if (!driver_node) {
            fail(id_node, path, "`driver:` is missing" + known_drivers_hint());
        }
        sw.driver = scalar(*driver_node, child(path, "driver"));
        const poe::DriverInfo* info = options_.registry->find(sw.driver);
        if (info == nullptr) {
            fail(*driver_node, child(path, "driver"),
                 "unknown driver \"" + sw.driver + "\"" + known_drivers_hint());
        }

        std::vector<std::string> valid{"driver"};
        for (const auto key : switch_bridge_keys) {
            valid.emplace_back(key);
        }
        for (const auto& option : info->options) {
            valid.push_back(option.key);
            if (option.secret) {
                valid.push_back(option.key + "_file");
                valid.push_back(option.key + "_credential");
            }
        }

        PolicyOverrides overrides;
        sw.controller.cache_ttl = default_cache_ttl_;
        sw.controller.verify_writes = default_verify_writes_;
        std::map<std::string, YAML::Node, std::less<>> option_nodes;
        for_each_entry(node, path, valid,
                       [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& v) {
                           const std::string key_path = child(path, key);
                           if (key == "driver" || policy_key(key, v, key_path, overrides)) {
                               return;
                           }
                           if (key == "cache_ttl") {
                               sw.controller.cache_ttl = duration(v, key_path);
                           } else if (key == "keepalive") {
                               sw.controller.keepalive_interval = duration(v, key_path);
                           } else if (key == "idle_disconnect") {
                               sw.controller.idle_disconnect = duration(v, key_path);
                           } else if (key == "max_logins_per_minute") {
                               sw.controller.max_logins_per_minute =
                                   static_cast<unsigned>(unsigned_value(v, key_path, 1, 1000));
                           } else if (key == "verify_writes") {
                               sw.controller.verify_writes = boolean(v, key_path);
                           } else {
                               driver_option(*info, key, key_node, v, key_path, sw, option_nodes);
                           }
                       });
        for (const auto& option : info->options) {
            if (option.required && !sw.options.contains(option.key)) {
                fail(id_node, path,
                     "driver \"" + sw.driver + "\" needs option `" + option.key + ":` (" +
                         option.description + ")");
            }
        }
        sw.policy = overrides.apply_to(config_.default_policy);

        auto driver = options_.registry->create(sw.driver, sw.options);
        if (!driver) {
            fail(id_node, path, driver.error().message);
        }
        const std::shared_ptr<const poe::Driver> instance(std::move(driver).value());
        const bool static_supported = instance->capabilities().static_power;
        check_supported(id_node, path, sw.policy, sw, static_supported);
        static_support_[id] = static_supported;
        sw.normalize_port = [instance](std::string_view port) { return instance->normalize_port(port); };
        config_.switches.emplace(id, std::move(sw));
    }

    void driver_option(const poe::DriverInfo& info, const std::string& key, const YAML::Node& key_node,
                       const YAML::Node& value, const std::string& key_path, SwitchConfig& sw,
                       std::map<std::string, YAML::Node, std::less<>>& option_nodes) {
        std::string option_key = key;
        for (const std::string_view suffix : {"_file", "_credential"}) {
            if (key.ends_with(suffix)) {
                const std::string base = key.substr(0, key.size() - suffix.size());
                const auto it =
                    std::find_if(info.options.begin(), info.options.end(),
                                 [&](const poe::OptionInfo& o) { return o.key == base && o.secret; });
                if (it != info.options.end()) {
                    option_key = base;
                }
            }
        }
        const auto option = std::find_if(info.options.begin(), info.options.end(),
                                         [&](const poe::OptionInfo& o) { return o.key == option_key; });
        if (const auto prev = option_nodes.find(option_key); prev != option_nodes.end()) {
            fail(key_node, key_path,
                 "`" + option_key + "` is already given at " + where(prev->second).to_string() +
                     " (use only one of " + option_key + ", " + option_key + "_file, " + option_key +
                     "_credential)");
        }
        option_nodes.emplace(option_key, key_node);
        if (option->secret) {
            sw.options[option_key] = secret_value(key, option_key, value, key_path);
            sw.secret_keys.push_back(option_key);
        } else {
            sw.options[option_key] = scalar(value, key_path);
        }
    }

    std::string known_drivers_hint() const {
        std::vector<std::string> names;
        for (const auto* driver : options_.registry->drivers()) {
            names.push_back(driver->name);
        }
        return " (known: " + join(names) + ")";
    }

    void parse_machines(const YAML::Node& node) {
        if (node.IsNull()) {
            return;
        }
        if (!node.IsSequence()) {
            fail(node, "machines", "expected a list of {name or pattern, switch, port}");
        }
        std::map<std::string, SourceLocation, std::less<>> names;
        std::map<std::string, SourceLocation, std::less<>> patterns;
        std::map<std::pair<std::string, std::string>, std::string> ports;
        for (std::size_t i = 0; i < node.size(); ++i) {
            const YAML::Node entry = node[i];
            const std::string path = item("machines", i);
            std::vector<std::string> valid{"name", "pattern", "switch", "port"};
            for (const auto key : machine_policy_keys) {
                valid.emplace_back(key);
            }
            MachineRule rule;
            rule.where = where(entry);
            PolicyOverrides overrides;
            // Optional because assigning to a YAML::Node rebinds the document.
            std::optional<YAML::Node> name_node;
            std::optional<YAML::Node> switch_node;
            std::optional<YAML::Node> port_node;
            for_each_entry(entry, path, valid,
                           [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) {
                               const std::string key_path = child(path, key);
                               if (key == "name" || key == "pattern") {
                                   if (name_node) {
                                       fail(key_node, key_path,
                                            "give either `name:` or `pattern:`, not both");
                                   }
                                   name_node.emplace(value);
                                   (key == "name" ? rule.name : rule.pattern) = scalar(value, key_path);
                               } else if (key == "switch") {
                                   switch_node.emplace(value);
                                   rule.switch_id = scalar(value, key_path);
                               } else if (key == "port") {
                                   port_node.emplace(value);
                                   rule.port = scalar(value, key_path);
                               } else {
                                   policy_key(key, value, key_path, overrides);
                               }
                           });
            if (!name_node) {
                fail(entry, path, "`name:` or `pattern:` is required");
            }
            if (!switch_node) {
                fail(entry, path, "`switch:` is missing");
            }
            if (!port_node) {
                fail(entry, path, "`port:` is missing");
            }
            const auto sw = config_.switches.find(rule.switch_id);
            if (sw == config_.switches.end()) {
                std::vector<std::string> known;
                for (const auto& [id, unused] : config_.switches) {
                    known.push_back(id);
                }
                fail(*switch_node, child(path, "switch"),
                     "unknown switch \"" + rule.switch_id + "\" (known: " + join(known) + ")");
            }
            rule.policy = overrides.apply_to(sw->second.policy);
            check_supported(entry, path, rule.policy, sw->second, static_support_[rule.switch_id]);

            if (rule.is_pattern()) {
                parse_pattern(rule, *name_node, *port_node, path, patterns);
            } else {
                const std::string key_path = child(path, "name");
                if (!is_valid_machine_name(rule.name)) {
                    fail(*name_node, key_path,
                         "\"" + rule.name + "\" is not a valid machine name (" +
                             std::string(machine_name_rule) + ")");
                }
                if (const auto prev = names.find(rule.name); prev != names.end()) {
                    fail(*name_node, key_path,
                         "duplicate machine \"" + rule.name + "\" (first at " + prev->second.to_string() +
                             ")");
                }
                names.emplace(rule.name, where(*name_node));
                auto port = sw->second.normalize_port(rule.port);
                if (!port) {
                    fail(*port_node, child(path, "port"),
                         "invalid port \"" + rule.port + "\" for switch \"" + rule.switch_id +
                             "\": " + port.error().message);
                }
                rule.port = std::move(port).value();
                const auto [it, inserted] =
                    ports.emplace(std::make_pair(rule.switch_id, rule.port), rule.name);
                if (!inserted) {
                    config_.warnings.push_back(rule.where.to_string() + ": machines \"" + it->second +
                                               "\" and \"" + rule.name + "\" share port " + rule.switch_id +
                                               " " + rule.port);
                }
            }
            config_.machines.push_back(std::move(rule));
        }
    }

    void parse_pattern(MachineRule& rule, const YAML::Node& pattern_node, const YAML::Node& port_node,
                       const std::string& path,
                       std::map<std::string, SourceLocation, std::less<>>& patterns) {
        const std::string key_path = child(path, "pattern");
        if (rule.pattern.empty()) {
            fail(pattern_node, key_path, "must not be empty");
        }
        if (const auto prev = patterns.find(rule.pattern); prev != patterns.end()) {
            fail(pattern_node, key_path, "duplicate pattern (first at " + prev->second.to_string() + ")");
        }
        patterns.emplace(rule.pattern, where(pattern_node));
        if (has_huge_repetition(rule.pattern)) {
            fail(pattern_node, key_path,
                 "numbers above " + std::to_string(max_pattern_repetition) +
                     " (repetition counts, back-references) are not allowed");
        }
        try {
            rule.regex = std::regex(rule.pattern, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            fail(pattern_node, key_path, std::string("invalid regular expression: ") + e.what());
        }
        const std::size_t groups = rule.regex.mark_count();
        for (std::size_t pos = rule.port.find('{'); pos != std::string::npos;
             pos = rule.port.find('{', pos + 1)) {
            if (pos + 2 < rule.port.size() && rule.port[pos + 2] == '}' && rule.port[pos + 1] >= '0' &&
                rule.port[pos + 1] <= '9') {
                const auto group = static_cast<std::size_t>(rule.port[pos + 1] - '0');
                if (group == 0 || group > groups) {
                    fail(port_node, child(path, "port"),
                         "{" + std::to_string(group) +
                             "} refers to no capture group of the pattern (it has " + std::to_string(groups) +
                             ")");
                }
            }
        }
    }

    std::string source_;
    const ConfigLoadOptions& options_;
    BridgeConfig config_;
    std::chrono::milliseconds default_cache_ttl_{poe::ControllerOptions{}.cache_ttl};
    bool default_verify_writes_{poe::ControllerOptions{}.verify_writes};
    std::optional<YAML::Node> cycle_timeout_node_;
    std::map<std::string, bool, std::less<>> static_support_;
};

}  // namespace

poe::Result<BridgeConfig> load_config_text(std::string_view yaml, std::string source_name,
                                           const ConfigLoadOptions& options) {
    if (options.registry == nullptr) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               "load_config_text: no driver registry given");
    }
    try {
        Loader loader(std::move(source_name), options);
        return loader.load(yaml);
    } catch (const ConfigFailure& failure) {
        return poe::make_error(poe::ErrorCode::invalid_argument, one_line(failure.message));
    } catch (const YAML::Exception& e) {
        return poe::make_error(poe::ErrorCode::invalid_argument, one_line("invalid YAML: " + e.msg));
    } catch (const std::exception& e) {
        return poe::make_error(poe::ErrorCode::internal,
                               one_line(std::string("configuration loader failed: ") + e.what()));
    }
}

poe::Result<BridgeConfig> load_config_file(const std::string& path, const ConfigLoadOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               path + ": cannot open the configuration file");
    }
    std::string text(max_config_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               path + ": cannot read the configuration file");
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_config_bytes) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               path + ": larger than " + std::to_string(max_config_bytes) + " bytes");
    }
    return load_config_text(text, path, options);
}

}  // namespace maas_bridge
