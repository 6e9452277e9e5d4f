// SPDX-License-Identifier: Apache-2.0
// The cisco-ios driver over the scripted transport, and its registry entry.

#include "cisco_ios/cisco_ios_driver.hpp"
#include "scripted_transport.hpp"

#include <poe/registry.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace {

using poe::AdminMode;
using poe::ErrorCode;
using poe::PortChange;
using poe::ios::CiscoIosDriver;
using poe_test::FakeIosCli;
using poe_test::ScriptedTransport;
using testing::ElementsAre;
using testing::HasSubstr;

constexpr auto generous = std::chrono::seconds{5};

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(POE_FIXTURES_DIR) + "/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct DriverFixture {
    std::shared_ptr<FakeIosCli> cli = std::make_shared<FakeIosCli>();
    int transports_made = 0;
    std::unique_ptr<CiscoIosDriver> driver;

    DriverFixture() {
        poe::ios::CiscoIosDriverOptions options;
        options.connect_timeout = std::chrono::seconds{2};
        driver = std::make_unique<CiscoIosDriver>(
            [this] {
                ++transports_made;
                cli->inbox.clear();
                cli->dropped = false;
                cli->closed = false;
                return std::make_unique<ScriptedTransport>(cli);
            },
            options);
    }
};

TEST(CiscoIosDriver, ConfigLinesForEveryMode) {
    const std::vector<PortChange> changes{
        {"gi1/0/1", {AdminMode::never, std::nullopt}},
        {"Gi1/0/2", {AdminMode::automatic, std::nullopt}},
        {"GigabitEthernet1/0/3", {AdminMode::automatic, 15400}},
        {"Te1/1/1", {AdminMode::static_power, std::nullopt}},
        {"Tw1/0/4", {AdminMode::static_power, 30000}},
    };
    auto lines = CiscoIosDriver::config_lines(changes);
    ASSERT_TRUE(lines.ok());
    EXPECT_THAT(*lines, ElementsAre("interface GigabitEthernet1/0/1", "power inline never",
                                    "interface GigabitEthernet1/0/2", "power inline auto",
                                    "interface GigabitEthernet1/0/3", "power inline auto max 15400",
                                    "interface TenGigabitEthernet1/1/1", "power inline static",
                                    "interface TwoGigabitEthernet1/0/4", "power inline static max 30000"));
    const std::vector<PortChange> bad{{"Gi1/0/1; reload", {AdminMode::never, std::nullopt}}};
    auto rejected = CiscoIosDriver::config_lines(bad);
    ASSERT_FALSE(rejected.ok());
    EXPECT_EQ(rejected.error().code, ErrorCode::invalid_argument);
}

TEST(CiscoIosDriver, ReadsAndParsesShowPowerInline) {
    DriverFixture f;
    f.cli->show_power_inline = fixture("ntc_iosxe16_12_3stack_gi.txt");
    auto ports = f.driver->read_ports(poe::deadline_in(generous));
    ASSERT_TRUE(ports.ok()) << ports.error().message;
    ASSERT_FALSE(ports->empty());
    EXPECT_EQ(ports->front().name, "Gi1/0/1");
    EXPECT_EQ(f.driver->peer_identity(), "scripted SHA256:test");
    EXPECT_TRUE(f.driver->connected());
}

TEST(CiscoIosDriver, OneConfigBlockPerBatch) {
    DriverFixture f;
    ASSERT_TRUE(f.driver->connect(poe::deadline_in(generous)).ok());
    f.cli->writes.clear();
    const std::vector<PortChange> changes{{"Gi1/0/1", {AdminMode::never, std::nullopt}},
                                          {"Gi1/0/2", {AdminMode::automatic, std::nullopt}}};
    ASSERT_TRUE(f.driver->set_admin(changes, poe::deadline_in(generous)).ok());
    EXPECT_THAT(f.cli->writes, ElementsAre("configure terminal\n", "interface GigabitEthernet1/0/1\n",
                                           "power inline never\n", "interface GigabitEthernet1/0/2\n",
                                           "power inline auto\n", "end\n"));
}

TEST(CiscoIosDriver, RejectedLineReportsDeviceTextAndKeepsTheSession) {
    DriverFixture f;
    f.cli->rejects["power inline never"] = "% Invalid input detected at '^' marker.";
    const std::vector<PortChange> changes{{"Gi1/0/1", {AdminMode::never, std::nullopt}}};
    auto result = f.driver->set_admin(changes, poe::deadline_in(generous));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::device_rejected);
    EXPECT_THAT(result.error().device_text, HasSubstr("% Invalid input"));
    EXPECT_EQ(f.cli->writes.back(), "end\n");
    EXPECT_TRUE(f.driver->ping(poe::deadline_in(generous)).ok());
    EXPECT_EQ(f.transports_made, 1);
}

TEST(CiscoIosDriver, SessionInUnknownStateIsReplacedOnTheNextOperation) {
    DriverFixture f;
    f.cli->rejects["power inline never"] = "% Invalid input detected at '^' marker.";
    f.cli->hang_on.insert("end");
    const std::vector<PortChange> changes{{"Gi1/0/1", {AdminMode::never, std::nullopt}}};
    auto result = f.driver->set_admin(changes, poe::deadline_in(std::chrono::milliseconds{300}));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::device_rejected);
    f.cli->hang_on.clear();
    f.cli->rejects.clear();
    EXPECT_TRUE(f.driver->ping(poe::deadline_in(generous)).ok());
    EXPECT_EQ(f.transports_made, 2);
}

TEST(CiscoIosDriver, TimeoutDropsTheSessionAndTheNextCallLogsInAgain) {
    DriverFixture f;
    f.cli->show_power_inline = fixture("ntc_iosxe16_12_3stack_gi.txt");
    ASSERT_TRUE(f.driver->connect(poe::deadline_in(generous)).ok());
    f.cli->hang_on.insert("show power inline");
    auto hung = f.driver->read_ports(poe::deadline_in(std::chrono::milliseconds{100}));
    ASSERT_FALSE(hung.ok());
    EXPECT_EQ(hung.error().code, ErrorCode::timeout);
    EXPECT_FALSE(f.driver->connected());
    f.cli->hang_on.clear();
    EXPECT_TRUE(f.driver->read_ports(poe::deadline_in(generous)).ok());
    EXPECT_EQ(f.transports_made, 2);
}

TEST(CiscoIosDriver, SaveConfigAndCapabilities) {
    DriverFixture f;
    EXPECT_TRUE(f.driver->capabilities().save_config);
    EXPECT_TRUE(f.driver->capabilities().static_power);
    EXPECT_TRUE(f.driver->save_config(poe::deadline_in(generous)).ok());
    EXPECT_EQ(f.cli->lines.back(), "write memory");
}

TEST(CiscoIosDriver, NormalizesPortNames) {
    DriverFixture f;
    EXPECT_EQ(f.driver->normalize_port("gigabitethernet1/0/05").value(), "Gi1/0/5");
    EXPECT_FALSE(f.driver->normalize_port("bogus").ok());
}

TEST(CiscoIosDriverInfo, IsRegisteredWithSecretOptionsMarked) {
    poe::Registry registry;
    ASSERT_TRUE(poe::register_builtin_drivers(registry).ok());
    const auto* info = registry.find("cisco-ios");
    ASSERT_NE(info, nullptr);
    std::map<std::string, const poe::OptionInfo*> options;
    for (const auto& option : info->options) {
        options[option.key] = &option;
    }
    for (const char* key : {"host", "port", "username", "password", "private_key_file",
                            "private_key_passphrase", "enable_secret", "host_key_policy", "known_hosts",
                            "host_key_fingerprint", "legacy_algorithms", "connect_timeout_ms"}) {
        EXPECT_EQ(options.count(key), 1u) << key;
    }
    EXPECT_TRUE(options.at("password")->secret);
    EXPECT_TRUE(options.at("private_key_passphrase")->secret);
    EXPECT_TRUE(options.at("enable_secret")->secret);
    EXPECT_FALSE(options.at("known_hosts")->secret);
    EXPECT_TRUE(options.at("host")->required);
    EXPECT_TRUE(options.at("username")->required);
    EXPECT_EQ(options.at("host_key_policy")->default_value, "strict");
    EXPECT_EQ(options.at("port")->default_value, "22");
    EXPECT_EQ(options.at("connect_timeout_ms")->default_value, "10000");
}

TEST(CiscoIosDriverInfo, FactoryValidatesOptions) {
    poe::Registry registry;
    ASSERT_TRUE(poe::register_builtin_drivers(registry).ok());
    const poe::DriverOptions base{{"host", "10.0.0.2"}, {"username", "admin"}, {"password", "pw"}};

    auto strict_without_keys = registry.create("cisco-ios", base);
    ASSERT_FALSE(strict_without_keys.ok());
    EXPECT_EQ(strict_without_keys.error().code, ErrorCode::invalid_argument);
    EXPECT_THAT(strict_without_keys.error().message, HasSubstr("poectl trust"));

    auto with_pin = base;
    with_pin["host_key_fingerprint"] = "SHA256:tiMhMnRPrlvkQ5cs0JKKkfs5jVh0z0YO308IwZMTntU";
    auto pinned = registry.create("cisco-ios", with_pin);
    ASSERT_TRUE(pinned.ok()) << pinned.error().message;
    EXPECT_FALSE((*pinned)->connected());  // creating never touches the network

    auto bad_policy = with_pin;
    bad_policy["host_key_policy"] = "yolo";
    EXPECT_EQ(registry.create("cisco-ios", bad_policy).error().code, ErrorCode::invalid_argument);

    auto bad_port = with_pin;
    bad_port["port"] = "70000";
    EXPECT_EQ(registry.create("cisco-ios", bad_port).error().code, ErrorCode::invalid_argument);

    auto no_credentials = with_pin;
    no_credentials.erase("password");
    EXPECT_EQ(registry.create("cisco-ios", no_credentials).error().code, ErrorCode::invalid_argument);

    auto missing_key = with_pin;
    missing_key["private_key_file"] = "/nonexistent/id_ed25519";
    EXPECT_EQ(registry.create("cisco-ios", missing_key).error().code, ErrorCode::invalid_argument);

    auto legacy = with_pin;
    legacy["legacy_algorithms"] = "maybe";
    EXPECT_EQ(registry.create("cisco-ios", legacy).error().code, ErrorCode::invalid_argument);
}

}  // namespace
