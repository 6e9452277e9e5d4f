// SPDX-License-Identifier: Apache-2.0
#include "config/config_loader.hpp"

#include "config/demo_config.hpp"
#include "support/test_certificates.hpp"
#include "support/test_drivers.hpp"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <sys/stat.h>

namespace maas_bridge {
namespace {

using namespace std::chrono_literals;

class ConfigLoaderTest : public ::testing::Test {
protected:
    void SetUp() override {
        registry_ = testing::make_test_registry();
        std::random_device random;
        directory_ = std::filesystem::temp_directory_path() /
                     ("maas-bridge-config-test-" + std::to_string(random()) + std::to_string(::getpid()));
        std::filesystem::create_directories(directory_);
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }

    poe::Result<BridgeConfig> load(const std::string& yaml) {
        ConfigLoadOptions options;
        options.registry = registry_.get();
        options.credentials_directory = credentials_directory_;
        return load_config_text(yaml, "maas-bridge.yaml", options);
    }

    // The error message of a config that must fail.
    std::string error_of(const std::string& yaml) {
        auto result = load(yaml);
        EXPECT_FALSE(result.ok()) << "config unexpectedly valid:\n" << yaml;
        return result.ok() ? "" : result.error().message;
    }

    std::string write_file(const std::string& name, const std::string& content, mode_t mode = 0600) {
        const auto path = directory_ / name;
        std::ofstream(path) << content;
        ::chmod(path.c_str(), mode);
        return path.string();
    }

    std::unique_ptr<poe::Registry> registry_;
    std::filesystem::path directory_;
    std::string credentials_directory_;
};

constexpr const char* minimal = R"(switches:
  demo:
    driver: fake
)";

TEST_F(ConfigLoaderTest, MinimalFileGetsDefaults) {
    auto config = load(minimal);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->listen.to_string(), "127.0.0.1:8550");
    EXPECT_EQ(config->auth.mode, AuthConfig::Mode::unset);
    EXPECT_EQ(config->limits.max_connections, 512U);
    EXPECT_EQ(config->limits.request_timeout, 20s);
    EXPECT_EQ(config->limits.cycle_timeout, 60s);
    EXPECT_EQ(config->threads, 1U);
    EXPECT_EQ(config->default_policy.on_when_on, poe::OnWhenOn::noop);
    EXPECT_EQ(config->default_policy.cycle_dwell, 5s);
    EXPECT_EQ(config->default_policy.running, RunningMeaning::admin);
    ASSERT_EQ(config->switches.size(), 1U);
    EXPECT_EQ(config->switches.at("demo").driver, "fake");
    EXPECT_TRUE(config->machines.empty());
}

TEST_F(ConfigLoaderTest, FullFileIsParsed) {
    const std::string token_file = write_file("token", "tok-123\n");
    const std::string pass_file = write_file("core.pass", "sw-pass\r\n");
    auto config = load(R"(listen: '[::1]:9000'
auth:
  tokens:
    - name: maas
      token_file: )" + token_file +
                       R"(
  users:
    - name: ops
      password: "hunter2"
limits:
  max_connections: 10
  max_header_bytes: 4096
  max_body_bytes: 0
  read_timeout: 500ms
  idle_timeout: 2m
  request_timeout: 15s
  cycle_timeout: 30s
  shutdown_grace: 0s
threads: 4
policy:
  on_when_on: cycle
  cycle_dwell: 3s
  cache_ttl: 1s
  running: delivering
  on_mode: static
  max_milliwatts: 15400
  verify_writes: false
switches:
  demo:
    driver: fake
    ports: Gi1/0/1-8
    cycle_dwell: 4s
    running: admin
    on_mode: auto
    keepalive: 30s
    idle_disconnect: 10m
    max_logins_per_minute: 3
  core:
    driver: lab
    host: 192.0.2.10
    password_file: )" + pass_file +
                       R"(
    on_mode: auto
    cache_ttl: 0s
    verify_writes: true
machines:
  - name: pi-01
    switch: demo
    port: gi1/0/05
    on_when_on: noop
  - pattern: 'node-(\d+)'
    switch: core
    port: 'port{1}'
    cycle_dwell: 10s
)");
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->listen.host, "::1");
    EXPECT_EQ(config->listen.port, 9000);
    EXPECT_EQ(config->auth.mode, AuthConfig::Mode::credentials);
    ASSERT_EQ(config->auth.tokens.size(), 1U);
    EXPECT_EQ(config->auth.tokens[0].name, "maas");
    EXPECT_EQ(config->auth.tokens[0].secret, "tok-123");
    ASSERT_EQ(config->auth.users.size(), 1U);
    EXPECT_EQ(config->auth.users[0].secret, "hunter2");
    EXPECT_EQ(config->limits.max_connections, 10U);
    EXPECT_EQ(config->limits.max_header_bytes, 4096U);
    EXPECT_EQ(config->limits.max_body_bytes, 0U);
    EXPECT_EQ(config->limits.read_timeout, 500ms);
    EXPECT_EQ(config->limits.idle_timeout, 2min);
    EXPECT_EQ(config->limits.shutdown_grace, 0ms);
    EXPECT_EQ(config->threads, 4U);

    const PowerPolicy& global = config->default_policy;
    EXPECT_EQ(global.on_when_on, poe::OnWhenOn::cycle);
    EXPECT_EQ(global.cycle_dwell, 3s);
    EXPECT_EQ(global.running, RunningMeaning::delivering);
    EXPECT_EQ(global.on_setting, (poe::AdminSetting{poe::AdminMode::static_power, 15400}));

    const SwitchConfig& demo = config->switches.at("demo");
    EXPECT_EQ(demo.policy.cycle_dwell, 4s);
    EXPECT_EQ(demo.policy.running, RunningMeaning::admin);
    EXPECT_EQ(demo.policy.on_setting.mode, poe::AdminMode::automatic);
    EXPECT_EQ(demo.policy.on_when_on, poe::OnWhenOn::cycle);  // inherited
    EXPECT_EQ(demo.controller.cache_ttl, 1s);                 // from policy
    EXPECT_FALSE(demo.controller.verify_writes);
    EXPECT_EQ(demo.controller.keepalive_interval, 30s);
    EXPECT_EQ(demo.controller.idle_disconnect, 10min);
    EXPECT_EQ(demo.controller.max_logins_per_minute, 3U);
    EXPECT_EQ(demo.options.at("ports"), "Gi1/0/1-8");

    const SwitchConfig& core = config->switches.at("core");
    EXPECT_EQ(core.options.at("password"), "sw-pass");
    EXPECT_EQ(core.secret_keys, std::vector<std::string>{"password"});
    EXPECT_EQ(core.controller.cache_ttl, 0ms);
    EXPECT_TRUE(core.controller.verify_writes);

    ASSERT_EQ(config->machines.size(), 2U);
    EXPECT_EQ(config->machines[0].name, "pi-01");
    EXPECT_EQ(config->machines[0].port, "Gi1/0/5");  // normalised by the driver
    EXPECT_EQ(config->machines[0].policy.on_when_on, poe::OnWhenOn::noop);
    EXPECT_EQ(config->machines[0].policy.cycle_dwell, 4s);
    EXPECT_TRUE(config->machines[1].is_pattern());
    EXPECT_EQ(config->machines[1].port, "port{1}");
    EXPECT_EQ(config->machines[1].policy.cycle_dwell, 10s);
    EXPECT_EQ(config->machines[1].where.to_string(), "maas-bridge.yaml:49:5");
    EXPECT_TRUE(config->warnings.empty());
}

TEST_F(ConfigLoaderTest, AuthNoneIsExplicit) {
    auto config = load(std::string("auth: none\n") + minimal);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->auth.mode, AuthConfig::Mode::none);
}

TEST_F(ConfigLoaderTest, EmbeddedDemoConfigLoads) {
    ConfigLoadOptions options;
    options.registry = registry_.get();
    auto config = load_config_text(demo_config_text(), std::string(demo_config_name), options);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->listen.to_string(), "127.0.0.1:8550");
    EXPECT_EQ(config->auth.mode, AuthConfig::Mode::none);
    ASSERT_EQ(config->switches.size(), 1U);
    EXPECT_EQ(config->switches.at("demo").driver, "fake");
    EXPECT_EQ(config->switches.at("demo").options.at("ports"), "Gi1/0/1-8");
    ASSERT_EQ(config->machines.size(), 1U);
    EXPECT_EQ(config->machines[0].pattern, R"(pi-(\d+))");
    EXPECT_EQ(config->machines[0].port, "Gi1/0/{1}");
}

TEST_F(ConfigLoaderTest, SecretFileIsTrimmedAndWarnedAboutWhenReadableByOthers) {
    const std::string token_file = write_file("token", "abc\n", 0644);
    auto config =
        load("auth:\n  tokens:\n    - name: maas\n      token_file: " + token_file + "\n" + minimal);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->auth.tokens[0].secret, "abc");
    ASSERT_EQ(config->warnings.size(), 1U);
    EXPECT_EQ(config->warnings[0], "maas-bridge.yaml:4:19: secret file \"" + token_file +
                                       "\" is accessible by group or others (chmod 600 it)");
}

TEST_F(ConfigLoaderTest, SecretFromSystemdCredential) {
    credentials_directory_ = directory_.string();
    write_file("maas-token", "from-credential\n", 0644);
    write_file("switch-pass", "switch-secret", 0600);
    auto config = load(R"(auth:
  tokens:
    - name: maas
      token_credential: maas-token
switches:
  core:
    driver: lab
    host: 192.0.2.1
    password_credential: switch-pass
)");
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->auth.tokens[0].secret, "from-credential");
    EXPECT_EQ(config->switches.at("core").options.at("password"), "switch-secret");
    EXPECT_TRUE(config->warnings.empty());  // credentials are private to the unit
}

TEST_F(ConfigLoaderTest, CredentialWithoutCredentialsDirectory) {
    EXPECT_EQ(
        error_of(R"(auth:
  tokens:
    - name: maas
      token_credential: maas-token
)" + std::string(minimal)),
        "maas-bridge.yaml:4:25: auth.tokens[0].token_credential: credential \"maas-token\": "
        "$CREDENTIALS_DIRECTORY is not set (use LoadCredential= in the systemd unit, or KEY_file instead)");
}

TEST_F(ConfigLoaderTest, BadSecretFiles) {
    const std::string empty = write_file("empty", "\n");
    EXPECT_EQ(error_of("auth:\n  users:\n    - name: maas\n      password_file: " + empty + "\n" + minimal),
              "maas-bridge.yaml:4:22: auth.users[0].password_file: secret file \"" + empty + "\": is empty");
    const std::string big = write_file("big", std::string(5000, 'x'));
    EXPECT_EQ(error_of("auth:\n  users:\n    - name: maas\n      password_file: " + big + "\n" + minimal),
              "maas-bridge.yaml:4:22: auth.users[0].password_file: secret file \"" + big +
                  "\": larger than 4096 bytes");
    const std::string missing = (directory_ / "missing").string();
    EXPECT_EQ(error_of("auth:\n  users:\n    - name: maas\n      password_file: " + missing + "\n" + minimal),
              "maas-bridge.yaml:4:22: auth.users[0].password_file: secret file \"" + missing +
                  "\": No such file or directory");
    const std::string two_lines = write_file("two", "a\nb\n");
    EXPECT_EQ(
        error_of("auth:\n  users:\n    - name: maas\n      password_file: " + two_lines + "\n" + minimal),
        "maas-bridge.yaml:4:22: auth.users[0].password_file: secret file \"" + two_lines +
            "\": contains a line break or NUL byte (one secret per file, on one line)");
}

struct BadConfig {
    const char* name;
    std::string yaml;
    std::string message;
};

class BadConfigTest : public ConfigLoaderTest, public ::testing::WithParamInterface<BadConfig> {};

TEST_P(BadConfigTest, NamesFileLineColumnAndProblem) {
    EXPECT_EQ(error_of(GetParam().yaml), GetParam().message);
}

constexpr const char* demo_switch_text = "switches:\n  demo:\n    driver: fake\n";

INSTANTIATE_TEST_SUITE_P(
    ConfigLoader, BadConfigTest,
    ::testing::Values(
        BadConfig{"empty", "", "maas-bridge.yaml: the file is empty (at least `switches:` is required)"},
        BadConfig{"syntax", "switches: [\n",
                  "maas-bridge.yaml:2:1: invalid YAML: end of sequence flow not found"},
        BadConfig{"not_a_map", "- a\n- b\n",
                  "maas-bridge.yaml:1:1: expected a map of settings (listen, auth, limits, policy, switches, "
                  "machines, ...)"},
        BadConfig{"unknown_top_level_key", std::string(demo_switch_text) + "listn: 1.2.3.4:1\n",
                  "maas-bridge.yaml:4:1: listn: unknown key (valid keys: listen, auth, tls, limits, threads, "
                  "policy, switches, machines, audit_log)"},
        BadConfig{"duplicate_key", std::string(demo_switch_text) + "threads: 1\nthreads: 2\n",
                  "maas-bridge.yaml:5:1: threads: duplicate key (first at maas-bridge.yaml:4:1)"},
        BadConfig{"no_switches", "listen: 127.0.0.1:1\n",
                  "maas-bridge.yaml: `switches:` is missing (at least one switch is required)"},
        BadConfig{
            "empty_switches", "switches: {}\n",
            "maas-bridge.yaml:1:11: switches: expected a map of switch id → {driver: ..., ...} with at least "
            "one switch"},
        BadConfig{"bad_listen", "listen: localhost:80\n" + std::string(demo_switch_text),
                  "maas-bridge.yaml:1:9: listen: invalid listen address \"localhost:80\": \"localhost\" is "
                  "not an IP "
                  "address (expected HOST:PORT with an IP address, e.g. 127.0.0.1:8550 or [::1]:8550)"},
        BadConfig{
            "bad_port", "listen: 127.0.0.1:70000\n" + std::string(demo_switch_text),
            "maas-bridge.yaml:1:9: listen: invalid listen address \"127.0.0.1:70000\": port must be a number "
            "from 0 to 65535 (expected HOST:PORT with an IP address, e.g. 127.0.0.1:8550 or [::1]:8550)"},
        BadConfig{
            "unknown_driver", "switches:\n  core:\n    driver: cisko-ios\n",
            "maas-bridge.yaml:3:13: switches.core.driver: unknown driver \"cisko-ios\" (known: fake, lab)"},
        BadConfig{"missing_driver", "switches:\n  core:\n    host: 1.2.3.4\n",
                  "maas-bridge.yaml:2:3: switches.core: `driver:` is missing (known: fake, lab)"},
        BadConfig{
            "unknown_driver_option", "switches:\n  core:\n    driver: lab\n    host: h\n    hots: x\n",
            "maas-bridge.yaml:5:5: switches.core.hots: unknown key (valid keys: driver, cache_ttl, "
            "cycle_dwell, on_when_on, keepalive, idle_disconnect, max_logins_per_minute, verify_writes, "
            "running, on_mode, max_milliwatts, host, username, password, password_file, "
            "password_credential, ports)"},
        BadConfig{
            "file_variant_of_non_secret", "switches:\n  core:\n    driver: lab\n    host_file: /x\n",
            "maas-bridge.yaml:4:5: switches.core.host_file: unknown key (valid keys: driver, cache_ttl, "
            "cycle_dwell, on_when_on, keepalive, idle_disconnect, max_logins_per_minute, verify_writes, "
            "running, on_mode, max_milliwatts, host, username, password, password_file, "
            "password_credential, ports)"},
        BadConfig{
            "missing_required_option", "switches:\n  core:\n    driver: lab\n",
            "maas-bridge.yaml:2:3: switches.core: driver \"lab\" needs option `host:` (Switch address)"},
        BadConfig{"secret_twice",
                  "switches:\n  core:\n    driver: lab\n    host: h\n    password: a\n"
                  "    password_file: /etc/x\n",
                  "maas-bridge.yaml:6:5: switches.core.password_file: `password` is already given at "
                  "maas-bridge.yaml:5:5 (use only one of password, password_file, password_credential)"},
        BadConfig{
            "driver_factory_rejects", "switches:\n  demo:\n    driver: fake\n    initial: maybe\n",
            "maas-bridge.yaml:2:3: switches.demo: option \"initial\": expected auto or never, got \"maybe\""},
        BadConfig{"bad_switch_id", "switches:\n  'core switch':\n    driver: fake\n",
                  "maas-bridge.yaml:2:3: switches.core switch: switch ids are 1 to 63 of A-Z a-z 0-9 . _ -"},
        BadConfig{
            "bad_duration", std::string(demo_switch_text) + "limits:\n  read_timeout: 10\n",
            "maas-bridge.yaml:5:17: limits.read_timeout: expected a duration like 500ms, 10s or 2m, got "
            "\"10\""},
        BadConfig{"zero_timeout", std::string(demo_switch_text) + "limits:\n  request_timeout: 0s\n",
                  "maas-bridge.yaml:5:20: limits.request_timeout: must be longer than 0s"},
        BadConfig{
            "bad_number", std::string(demo_switch_text) + "limits:\n  max_connections: lots\n",
            "maas-bridge.yaml:5:20: limits.max_connections: expected a whole number from 1 to 100000, got "
            "\"lots\""},
        BadConfig{"bad_threads", std::string(demo_switch_text) + "threads: 0\n",
                  "maas-bridge.yaml:4:10: threads: expected a whole number from 1 to 64, got \"0\""},
        BadConfig{
            "bad_choice", std::string(demo_switch_text) + "policy:\n  running: powered\n",
            "maas-bridge.yaml:5:12: policy.running: expected one of admin, delivering, got \"powered\""},
        BadConfig{"bad_bool", std::string(demo_switch_text) + "policy:\n  verify_writes: yes\n",
                  "maas-bridge.yaml:5:18: policy.verify_writes: expected true or false, got \"yes\""},
        BadConfig{
            "dwell_not_below_cycle_timeout",
            "limits:\n  cycle_timeout: 10s\npolicy:\n  cycle_dwell: 10s\n" + std::string(demo_switch_text),
            "maas-bridge.yaml:4:16: policy.cycle_dwell: 10s must be shorter than limits.cycle_timeout (10s)"},
        BadConfig{"cycle_timeout_below_default_dwell",
                  "limits:\n  cycle_timeout: 3s\n" + std::string(demo_switch_text),
                  "maas-bridge.yaml:2:18: limits.cycle_timeout: 3s must be longer than the cycle dwell (5s)"},
        BadConfig{"auth_word", "auth: off\n" + std::string(demo_switch_text),
                  "maas-bridge.yaml:1:7: auth: expected `none` or a map with `tokens:` and/or `users:`, got "
                  "\"off\""},
        BadConfig{"auth_empty", "auth:\n  tokens: []\n" + std::string(demo_switch_text),
                  "maas-bridge.yaml:2:3: auth: give at least one token or user (or write `auth: none`)"},
        BadConfig{"auth_unknown_key", "auth:\n  token: abc\n" + std::string(demo_switch_text),
                  "maas-bridge.yaml:2:3: auth.token: unknown key (valid keys: tokens, users)"},
        BadConfig{
            "token_without_secret", "auth:\n  tokens:\n    - name: maas\n" + std::string(demo_switch_text),
            "maas-bridge.yaml:3:7: auth.tokens[0]: one of token, token_file, token_credential is required"},
        BadConfig{"token_twice",
                  "auth:\n  tokens:\n    - name: maas\n      token: a\n      token_file: /x\n" +
                      std::string(demo_switch_text),
                  "maas-bridge.yaml:5:7: auth.tokens[0].token_file: give only one of token, token_file, "
                  "token_credential"},
        BadConfig{"duplicate_token_name",
                  "auth:\n  tokens:\n    - name: maas\n      token: a\n    - name: maas\n      token: b\n" +
                      std::string(demo_switch_text),
                  "maas-bridge.yaml:5:13: auth.tokens[1].name: duplicate name \"maas\" (first at "
                  "maas-bridge.yaml:3:13)"},
        BadConfig{"tls_missing_certificate_file",
                  "tls:\n  certificate: /nonexistent/c.pem\n  private_key: /nonexistent/k.pem\n" +
                      std::string(demo_switch_text),
                  "maas-bridge.yaml:2:16: tls.certificate: certificate file \"/nonexistent/c.pem\": No such "
                  "file or directory"},
        BadConfig{
            "tls_unknown_key", "tls:\n  cert: /c.pem\n" + std::string(demo_switch_text),
            "maas-bridge.yaml:2:3: tls.cert: unknown key (valid keys: certificate, certificate_credential, "
            "private_key, private_key_credential)"},
        BadConfig{"tls_credential_without_systemd",
                  "tls:\n  certificate_credential: tls.crt\n" + std::string(demo_switch_text),
                  "maas-bridge.yaml:2:27: tls.certificate_credential: credential \"tls.crt\": "
                  "$CREDENTIALS_DIRECTORY is not set (use LoadCredential= in the systemd unit, or "
                  "`certificate: PATH` instead)"},
        BadConfig{
            "static_unsupported", "switches:\n  core:\n    driver: lab\n    host: h\n    on_mode: static\n",
            "maas-bridge.yaml:2:3: switches.core: on_mode static: driver \"lab\" does not support static "
            "power"},
        BadConfig{"machine_unknown_switch",
                  std::string(demo_switch_text) + "machines:\n  - name: pi-01\n    switch: dmeo\n"
                                                  "    port: Gi1/0/1\n",
                  "maas-bridge.yaml:6:13: machines[0].switch: unknown switch \"dmeo\" (known: demo)"},
        BadConfig{"pattern_unknown_switch",
                  std::string(demo_switch_text) + "machines:\n  - pattern: 'pi-(\\d+)'\n    switch: dmeo\n"
                                                  "    port: 'Gi1/0/{1}'\n",
                  "maas-bridge.yaml:6:13: machines[0].switch: unknown switch \"dmeo\" (known: demo)"},
        BadConfig{"duplicate_machine",
                  std::string(demo_switch_text) +
                      "machines:\n  - name: pi-01\n    switch: demo\n    port: Gi1/0/1\n"
                      "  - name: pi-01\n    switch: demo\n    port: Gi1/0/2\n",
                  "maas-bridge.yaml:8:11: machines[1].name: duplicate machine \"pi-01\" (first at "
                  "maas-bridge.yaml:5:11)"},
        BadConfig{
            "bad_machine_name",
            std::string(demo_switch_text) +
                "machines:\n  - name: pi 01\n    switch: demo\n    port: Gi1/0/1\n",
            "maas-bridge.yaml:5:11: machines[0].name: \"pi 01\" is not a valid machine name (1 to 63 of A-Z "
            "a-z 0-9 . _ -)"},
        BadConfig{"name_and_pattern",
                  std::string(demo_switch_text) +
                      "machines:\n  - name: pi-01\n    pattern: x\n    switch: demo\n    port: Gi1/0/1\n",
                  "maas-bridge.yaml:6:5: machines[0].pattern: give either `name:` or `pattern:`, not both"},
        BadConfig{"machine_missing_port",
                  std::string(demo_switch_text) + "machines:\n  - name: pi-01\n    switch: demo\n",
                  "maas-bridge.yaml:5:5: machines[0]: `port:` is missing"},
        BadConfig{
            "machine_unknown_key",
            std::string(demo_switch_text) +
                "machines:\n  - name: pi-01\n    switch: demo\n    port: Gi1/0/1\n    cache_ttl: 1s\n",
            "maas-bridge.yaml:8:5: machines[0].cache_ttl: unknown key (valid keys: name, pattern, switch, "
            "port, on_when_on, cycle_dwell, running, on_mode, max_milliwatts)"},
        BadConfig{
            "placeholder_without_group",
            std::string(demo_switch_text) +
                "machines:\n  - pattern: 'pi-(\\d+)'\n    switch: demo\n    port: 'Gi{1}/0/{2}'\n",
            "maas-bridge.yaml:7:11: machines[0].port: {2} refers to no capture group of the pattern (it has "
            "1)"},
        BadConfig{"duplicate_pattern",
                  std::string(demo_switch_text) +
                      "machines:\n  - pattern: 'a(\\d)'\n    switch: demo\n    port: 'Gi1/0/{1}'\n"
                      "  - pattern: 'a(\\d)'\n    switch: demo\n    port: 'Gi1/0/{1}'\n",
                  "maas-bridge.yaml:8:14: machines[1].pattern: duplicate pattern (first at "
                  "maas-bridge.yaml:5:14)"}),
    [](const ::testing::TestParamInfo<BadConfig>& param_info) { return std::string(param_info.param.name); });

// Messages that end in text from another library (regex, driver) are
// compared by prefix; everything else must match exactly.
TEST_F(ConfigLoaderTest, PrefixMessagesStartRight) {
    const std::string bad_port = error_of(std::string(demo_switch_text) +
                                          "machines:\n  - name: pi-01\n    switch: demo\n    port: eth0\n");
    EXPECT_TRUE(
        bad_port.starts_with("maas-bridge.yaml:7:11: machines[0].port: invalid port \"eth0\" for switch "
                             "\"demo\": "))
        << bad_port;
    const std::string bad_regex =
        error_of(std::string(demo_switch_text) +
                 "machines:\n  - pattern: 'pi-(\\d+'\n    switch: demo\n    port: 'Gi1/0/{1}'\n");
    EXPECT_TRUE(
        bad_regex.starts_with("maas-bridge.yaml:5:14: machines[0].pattern: invalid regular expression: "))
        << bad_regex;
}

// libstdc++'s regex compiler overflows on such numbers (found by fuzz_config_loader).
TEST_F(ConfigLoaderTest, PatternsWithHugeNumbersAreRefusedBeforeCompiling) {
    for (const char* pattern : {"pi-(\\d+)\\33333333333333", "pi-(\\d{99999999999})",
                                "pi-(\\d{1,99999999999})", "pi-(\\d{1001})"}) {
        const std::string error = error_of(std::string(demo_switch_text) + "machines:\n  - pattern: '" +
                                           pattern + "'\n    switch: demo\n    port: 'Gi1/0/{1}'\n");
        EXPECT_EQ(error,
                  "maas-bridge.yaml:5:14: machines[0].pattern: numbers above 1000 (repetition counts, "
                  "back-references) are not allowed")
            << pattern;
    }
    EXPECT_TRUE(load(std::string(demo_switch_text) +
                     "machines:\n  - pattern: 'pi-(\\d{1,3})'\n    switch: demo\n    port: 'Gi1/0/{1}'\n")
                    .ok());
}

TEST_F(ConfigLoaderTest, SecretValuesNeverAppearInErrors) {
    const std::string message = error_of(
        "switches:\n  core:\n    driver: lab\n    host: h\n    password: TopSecret99\n    on_mode: static\n");
    EXPECT_EQ(message.find("TopSecret99"), std::string::npos) << message;
}

TEST_F(ConfigLoaderTest, SharedPortIsAWarning) {
    auto config = load(std::string(demo_switch_text) +
                       "machines:\n  - name: a\n    switch: demo\n    port: Gi1/0/1\n"
                       "  - name: b\n    switch: demo\n    port: gi1/0/01\n");
    ASSERT_TRUE(config.ok()) << config.error().message;
    ASSERT_EQ(config->warnings.size(), 1U);
    EXPECT_EQ(config->warnings[0], "maas-bridge.yaml:8:5: machines \"a\" and \"b\" share port demo Gi1/0/1");
}

TEST_F(ConfigLoaderTest, LoadsFromFileWithPathInMessages) {
    const std::string path = write_file("bridge.yaml", "switches:\n  x:\n    driver: nope\n");
    ConfigLoadOptions options;
    options.registry = registry_.get();
    auto result = load_config_file(path, options);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              path + ":3:13: switches.x.driver: unknown driver \"nope\" (known: fake, lab)");

    auto missing = load_config_file((directory_ / "absent.yaml").string(), options);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message,
              (directory_ / "absent.yaml").string() + ": cannot open the configuration file");
}

// --- tls: ------------------------------------------------------------------

class TlsConfigTest : public ConfigLoaderTest {
protected:
    void SetUp() override {
        ConfigLoaderTest::SetUp();
        pki_ = testing::make_test_pki();
    }

    static std::string tls_yaml(const std::string& certificate, const std::string& private_key) {
        return "tls:\n  certificate: " + certificate + "\n  private_key: " + private_key + "\n" +
               std::string(demo_switch_text);
    }

    testing::TestPki pki_;
};

TEST_F(TlsConfigTest, CertificateChainAndKeyAreLoaded) {
    const std::string chain = pki_.server.certificate_pem + pki_.ca.certificate_pem;
    const std::string certificate = write_file("bridge.crt", chain, 0644);
    const std::string key = write_file("bridge.key", pki_.server.private_key_pem);
    auto config = load(tls_yaml(certificate, key));
    ASSERT_TRUE(config.ok()) << config.error().message;
    ASSERT_TRUE(config->tls);
    EXPECT_EQ(config->tls->certificate, certificate);
    EXPECT_EQ(config->tls->private_key, key);
    EXPECT_EQ(config->tls->certificate_pem, chain);
    EXPECT_EQ(config->tls->private_key_pem, pki_.server.private_key_pem);
    EXPECT_TRUE(config->warnings.empty()) << config->warnings.front();
}

TEST_F(TlsConfigTest, KeyFromASystemdCredential) {
    const std::string certificate = write_file("bridge.crt", pki_.server.certificate_pem, 0644);
    write_file("tls-key", pki_.server.private_key_pem, 0644);  // mode bits of credentials do not matter
    credentials_directory_ = directory_.string();
    auto config = load("tls:\n  certificate: " + certificate + "\n  private_key_credential: tls-key\n" +
                       std::string(demo_switch_text));
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->tls->private_key, (directory_ / "tls-key").string());
    EXPECT_TRUE(config->warnings.empty()) << config->warnings.front();
}

TEST_F(TlsConfigTest, KeyThatDoesNotMatchTheCertificate) {
    const std::string certificate = write_file("bridge.crt", pki_.server.certificate_pem);
    const std::string other_key = write_file("ca.key", pki_.ca.private_key_pem);
    EXPECT_EQ(error_of(tls_yaml(certificate, other_key)),
              "maas-bridge.yaml:1:1: tls: private key \"" + other_key +
                  "\" does not belong to the certificate \"" + certificate +
                  "\" (the first certificate in that file must be the bridge's own)");
    // The CA first and the server's certificate second is the same mistake.
    const std::string reversed =
        write_file("reversed.crt", pki_.ca.certificate_pem + pki_.server.certificate_pem);
    const std::string key = write_file("bridge.key", pki_.server.private_key_pem);
    EXPECT_NE(error_of(tls_yaml(reversed, key)).find("does not belong to the certificate"),
              std::string::npos);
}

TEST_F(TlsConfigTest, FilesThatAreNotPem) {
    const std::string certificate = write_file("bridge.crt", pki_.server.certificate_pem);
    const std::string key = write_file("bridge.key", pki_.server.private_key_pem);
    const std::string text = write_file("notes.txt", "not a certificate\n");
    EXPECT_EQ(
        error_of(tls_yaml(text, key)),
        "maas-bridge.yaml:1:1: tls: certificate \"" + text +
            "\": no PEM certificate in it (expected a block starting with -----BEGIN CERTIFICATE-----)");
    // Certificate and key swapped.
    const std::string message = error_of(tls_yaml(key, certificate));
    EXPECT_TRUE(
        message.starts_with("maas-bridge.yaml:1:1: tls: certificate \"" + key + "\": no PEM certificate"))
        << message;
    EXPECT_TRUE(error_of(tls_yaml(certificate, certificate))
                    .starts_with("maas-bridge.yaml:1:1: tls: private key \"" + certificate +
                                 "\": no PEM private key in it"));
    // A damaged certificate.
    std::string damaged = pki_.server.certificate_pem;
    damaged.replace(damaged.find('\n') + 10, 20, std::string(20, '!'));
    const std::string broken = write_file("broken.crt", damaged);
    EXPECT_TRUE(
        error_of(tls_yaml(broken, key))
            .starts_with("maas-bridge.yaml:1:1: tls: certificate \"" + broken + "\": cannot read it: "));
}

TEST_F(TlsConfigTest, PassphraseProtectedKeyIsRefusedWithoutPrompting) {
    const std::string certificate = write_file("bridge.crt", pki_.server.certificate_pem);
    BIO* in = BIO_new_mem_buf(pki_.server.private_key_pem.data(),
                              static_cast<int>(pki_.server.private_key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    ASSERT_NE(key, nullptr);
    BIO* out = BIO_new(BIO_s_mem());
    static const char passphrase[] = "secret-passphrase";
    ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(out, key, EVP_aes_256_cbc(), passphrase,
                                            static_cast<int>(sizeof passphrase - 1), nullptr, nullptr),
              1);
    char* data = nullptr;
    const long size = BIO_get_mem_data(out, &data);
    const std::string encrypted(data, static_cast<std::size_t>(size));
    BIO_free(out);
    EVP_PKEY_free(key);
    BIO_free(in);
    const std::string key_path = write_file("encrypted.key", encrypted);
    EXPECT_EQ(
        error_of(tls_yaml(certificate, key_path)),
        "maas-bridge.yaml:1:1: tls: private key \"" + key_path +
            "\": it is protected by a passphrase, which maas-bridge cannot ask for; store it unencrypted "
            "(openssl pkey -in KEY -out PLAIN) and readable only by the service");
}

TEST_F(TlsConfigTest, MissingPiecesAndUnreadableFiles) {
    const std::string certificate = write_file("bridge.crt", pki_.server.certificate_pem);
    const std::string key = write_file("bridge.key", pki_.server.private_key_pem);
    EXPECT_EQ(error_of("tls:\n  certificate: " + certificate + "\n" + std::string(demo_switch_text)),
              "maas-bridge.yaml:2:3: tls: `private_key:` (or `private_key_credential:`) is missing");
    EXPECT_EQ(error_of("tls:\n  private_key: " + key + "\n  private_key_credential: k\n" +
                       std::string(demo_switch_text)),
              "maas-bridge.yaml:3:3: tls.private_key_credential: give only one of private_key, "
              "private_key_credential");
    const std::string absent = (directory_ / "absent.key").string();
    EXPECT_EQ(error_of(tls_yaml(certificate, absent)),
              "maas-bridge.yaml:3:16: tls.private_key: private key file \"" + absent +
                  "\": No such file or directory");
    EXPECT_EQ(error_of(tls_yaml(certificate, directory_.string())),
              "maas-bridge.yaml:3:16: tls.private_key: private key file \"" + directory_.string() +
                  "\": not a regular file");
}

TEST_F(TlsConfigTest, WarningsForAnExposedKeyAndAnExpiredCertificate) {
    testing::TestCertificateRequest old;
    old.ip_addresses = {"127.0.0.1"};
    old.valid_from_seconds = -7200;
    old.valid_for_seconds = -3600;  // expired an hour ago
    const testing::TestCertificate expired = testing::make_test_certificate(old);
    const std::string certificate = write_file("old.crt", expired.certificate_pem, 0644);
    const std::string key = write_file("old.key", expired.private_key_pem, 0644);
    auto config = load(tls_yaml(certificate, key));
    ASSERT_TRUE(config.ok()) << config.error().message;
    ASSERT_EQ(config->warnings.size(), 2U);
    EXPECT_EQ(config->warnings[0], "maas-bridge.yaml:3:16: private key file \"" + key +
                                       "\" is accessible by group or others (chmod 600 it)");
    EXPECT_TRUE(config->warnings[1].starts_with("maas-bridge.yaml:1:1: TLS certificate \"" + certificate +
                                                "\" expired on "))
        << config->warnings[1];
}

TEST_F(TlsConfigTest, KeyMaterialNeverAppearsInMessages) {
    const std::string certificate = write_file("bridge.crt", pki_.server.certificate_pem);
    const std::string other_key = write_file("ca.key", pki_.ca.private_key_pem);
    const std::string message = error_of(tls_yaml(certificate, other_key));
    // Any line of the key's base64 body.
    const std::string& pem = pki_.ca.private_key_pem;
    const std::string body_line = pem.substr(pem.find('\n') + 1, 40);
    EXPECT_EQ(message.find(body_line), std::string::npos) << message;
    EXPECT_EQ(message.find("BEGIN PRIVATE KEY"), std::string::npos) << message;
}

TEST_F(ConfigLoaderTest, AuditLogIsAnAbsolutePathAndOffByDefault) {
    auto none = load(minimal);
    ASSERT_TRUE(none.ok()) << none.error().message;
    EXPECT_EQ(none->audit_log, "");
    auto set = load(std::string("audit_log: /var/lib/maas-bridge/audit.jsonl\n") + minimal);
    ASSERT_TRUE(set.ok()) << set.error().message;
    EXPECT_EQ(set->audit_log, "/var/lib/maas-bridge/audit.jsonl");
    EXPECT_EQ(error_of(std::string("audit_log: audit.jsonl\n") + minimal),
              "maas-bridge.yaml:1:12: audit_log: expected the absolute path of a file, e.g. "
              "/var/lib/maas-bridge/audit.jsonl");
    EXPECT_EQ(
        error_of(std::string("audit_log: [a]\n") + minimal).rfind("maas-bridge.yaml:1:12: audit_log: ", 0),
        0U);
}

}  // namespace
}  // namespace maas_bridge
