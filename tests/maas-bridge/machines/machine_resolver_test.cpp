// SPDX-License-Identifier: Apache-2.0
#include "machines/machine_resolver.hpp"

#include "config/config_loader.hpp"
#include "support/test_drivers.hpp"

#include <gtest/gtest.h>

namespace maas_bridge {
namespace {

using namespace std::chrono_literals;

class MachineResolverTest : public ::testing::Test {
protected:
    void SetUp() override {
        registry_ = testing::make_test_registry();
        ConfigLoadOptions options;
        options.registry = registry_.get();
        auto config = load_config_text(R"(policy:
  running: delivering
switches:
  demo:
    driver: fake
    ports: Gi1/0/1-8,Gi2/0/1-8
    cycle_dwell: 2s
  lab:
    driver: lab
    host: 192.0.2.1
machines:
  - name: pi-03
    switch: demo
    port: Gi2/0/3
    running: admin
  - pattern: 'pi-(\d+)'
    switch: demo
    port: 'Gi1/0/{1}'
  - pattern: 'pi-(\d+)-b'
    switch: demo
    port: 'Gi2/0/{1}'
  - pattern: '(node)-(\d+)'
    switch: lab
    port: 'port{2}'
  - pattern: 'odd-(.*)'
    switch: demo
    port: 'Gi1/0/{1}'
)",
                                       "test.yaml", options);
        ASSERT_TRUE(config.ok()) << config.error().message;
        resolver_ = std::make_unique<MachineResolver>(config.value());
    }

    std::unique_ptr<poe::Registry> registry_;
    std::unique_ptr<MachineResolver> resolver_;
};

TEST_F(MachineResolverTest, ExplicitNameWinsOverPattern) {
    auto target = resolver_->resolve_machine("pi-03");
    ASSERT_TRUE(target.ok());
    EXPECT_EQ(target->machine, "pi-03");
    EXPECT_EQ(target->switch_id, "demo");
    EXPECT_EQ(target->port, "Gi2/0/3");
    EXPECT_EQ(target->policy.running, RunningMeaning::admin);
}

TEST_F(MachineResolverTest, PatternSubstitutesAndNormalises) {
    auto target = resolver_->resolve_machine("pi-05");
    ASSERT_TRUE(target.ok()) << target.error().message;
    EXPECT_EQ(target->port, "Gi1/0/5");  // Gi1/0/05 normalised
    EXPECT_EQ(target->policy.running, RunningMeaning::delivering);
    EXPECT_EQ(target->policy.cycle_dwell, 2s);

    auto second_group = resolver_->resolve_machine("node-07");
    ASSERT_TRUE(second_group.ok()) << second_group.error().message;
    EXPECT_EQ(second_group->switch_id, "lab");
    EXPECT_EQ(second_group->port, "port7");
}

TEST_F(MachineResolverTest, PatternsAreFullMatchesTriedInOrder) {
    auto target = resolver_->resolve_machine("pi-4-b");
    ASSERT_TRUE(target.ok()) << target.error().message;
    EXPECT_EQ(target->port, "Gi2/0/4");  // 'pi-(\d+)' does not match the whole name
    EXPECT_FALSE(resolver_->resolve_machine("xpi-01").ok());
    EXPECT_FALSE(resolver_->resolve_machine("pi-").ok());
}

TEST_F(MachineResolverTest, UnknownAndInvalidNames) {
    auto unknown = resolver_->resolve_machine("web-01");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().message, "unknown machine \"web-01\"");

    auto invalid = resolver_->resolve_machine("pi/01");
    ASSERT_FALSE(invalid.ok());
    EXPECT_EQ(invalid.error().message,
              "unknown machine \"pi/01\" (machine names are 1 to 63 of A-Z a-z 0-9 . _ -)");

    auto bad_port = resolver_->resolve_machine("odd-x");
    ASSERT_FALSE(bad_port.ok());
    EXPECT_TRUE(bad_port.error().message.starts_with(
        "unknown machine \"odd-x\" (it matches pattern \"odd-(.*)\", but \"Gi1/0/x\" is not a valid port: "))
        << bad_port.error().message;
}

TEST_F(MachineResolverTest, PortAddressingUsesTheMappedMachine) {
    auto mapped = resolver_->resolve_port("demo", "gi2/0/03");
    ASSERT_TRUE(mapped.ok()) << mapped.error().message;
    EXPECT_EQ(mapped->machine, "pi-03");
    EXPECT_EQ(mapped->port, "Gi2/0/3");
    EXPECT_EQ(mapped->policy.running, RunningMeaning::admin);

    auto unmapped = resolver_->resolve_port("demo", "Gi1/0/1");
    ASSERT_TRUE(unmapped.ok());
    EXPECT_EQ(unmapped->machine, "");
    EXPECT_EQ(unmapped->policy.running, RunningMeaning::delivering);

    EXPECT_EQ(resolver_->machine_for_port("demo", "Gi2/0/3"), "pi-03");
    EXPECT_EQ(resolver_->machine_for_port("demo", "Gi1/0/1"), std::nullopt);
}

TEST_F(MachineResolverTest, PortAddressingErrors) {
    auto no_switch = resolver_->resolve_port("core", "Gi1/0/1");
    ASSERT_FALSE(no_switch.ok());
    EXPECT_EQ(no_switch.error().code, poe::ErrorCode::unknown_switch);
    EXPECT_EQ(no_switch.error().message, "unknown switch \"core\"");

    auto bad_port = resolver_->resolve_port("demo", "eth0");
    ASSERT_FALSE(bad_port.ok());
    EXPECT_EQ(bad_port.error().code, poe::ErrorCode::unknown_port);
}

TEST(SubstituteCaptures, ReplacesOnlyPlaceholders) {
    const std::regex regex("(a)(b)?-(c)");
    std::smatch match;
    const std::string text = "a-c";
    ASSERT_TRUE(std::regex_match(text, match, regex));
    EXPECT_EQ(substitute_captures("{1}{2}{3}", match), "ac");
    EXPECT_EQ(substitute_captures("{x}{0}{12}{", match), "{x}{0}{12}{");
}

}  // namespace
}  // namespace maas_bridge
