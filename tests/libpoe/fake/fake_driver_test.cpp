// SPDX-License-Identifier: Apache-2.0
#include "fake/fake_driver.hpp"
#include "fake/fake_switch.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using poe::fake::FakeSwitch;

std::shared_ptr<FakeSwitch> device(poe::fake::FakeSwitchOptions options = {}) {
    return std::make_shared<FakeSwitch>(std::vector<std::string>{"Gi1/0/1", "Gi1/0/2"}, options);
}

TEST(FakeDriver, WritesChangeAdminAndOper) {
    auto sw = device();
    poe::fake::FakeDriver driver(sw);
    const std::vector<poe::PortChange> off{{"Gi1/0/2", {poe::AdminMode::never, std::nullopt}}};
    ASSERT_TRUE(driver.set_admin(off, poe::deadline_in(1s)).ok());
    auto ports = driver.read_ports(poe::deadline_in(1s));
    ASSERT_TRUE(ports.ok());
    EXPECT_EQ((*ports)[1].admin, poe::AdminMode::never);
    EXPECT_EQ((*ports)[1].oper, poe::OperState::off);
    EXPECT_EQ((*ports)[1].watts, 0.0);
    EXPECT_EQ((*ports)[0].oper, poe::OperState::on);
    EXPECT_EQ(sw->counters().port_changes, 1U);
}

TEST(FakeDriver, DetectionDelayKeepsOperOffUntilItPasses) {
    auto sw = device({.detect_delay = 1h, .initially_on = false});
    poe::fake::FakeDriver driver(sw);
    const std::vector<poe::PortChange> on{{"Gi1/0/1", {poe::AdminMode::automatic, std::nullopt}}};
    ASSERT_TRUE(driver.set_admin(on, poe::deadline_in(1s)).ok());
    const auto port = sw->port("Gi1/0/1");
    ASSERT_TRUE(port.has_value());
    EXPECT_EQ(port->admin, poe::AdminMode::automatic);
    EXPECT_EQ(port->oper, poe::OperState::off);
}

TEST(FakeDriver, UnknownPortInAWriteIsRejectedAndChangesNothing) {
    auto sw = device();
    poe::fake::FakeDriver driver(sw);
    const std::vector<poe::PortChange> changes{{"Gi1/0/1", {poe::AdminMode::never, std::nullopt}},
                                               {"Gi1/0/9", {poe::AdminMode::never, std::nullopt}}};
    auto written = driver.set_admin(changes, poe::deadline_in(1s));
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().code, poe::ErrorCode::unknown_port);
    EXPECT_EQ(sw->port("Gi1/0/1")->admin, poe::AdminMode::automatic);
}

TEST(FakeDriver, InjectedHangEndsAtTheDeadlineAndDropsTheSession) {
    auto sw = device();
    poe::fake::FakeDriver driver(sw);
    sw->hang_next(poe::fake::Operation::read);
    auto ports = driver.read_ports(poe::deadline_in(50ms));
    ASSERT_FALSE(ports.ok());
    EXPECT_EQ(ports.error().code, poe::ErrorCode::timeout);
    EXPECT_FALSE(driver.connected());
    EXPECT_TRUE(driver.read_ports(poe::deadline_in(1s)).ok());
    EXPECT_EQ(sw->counters().connects, 2U);
}

TEST(FakeDriver, PassedDeadlineNeverTouchesTheDevice) {
    auto sw = device();
    poe::fake::FakeDriver driver(sw);
    auto ports = driver.read_ports(poe::Clock::now() - 1ms);
    ASSERT_FALSE(ports.ok());
    EXPECT_EQ(ports.error().code, poe::ErrorCode::timeout);
    EXPECT_EQ(sw->counters().connects, 0U);
    EXPECT_EQ(sw->counters().reads, 0U);
}

TEST(FakeDriver, NormalisesCiscoStylePortNames) {
    poe::fake::FakeDriver driver(device());
    EXPECT_EQ(driver.normalize_port("gigabitethernet1/0/01").value(), "Gi1/0/1");
    EXPECT_FALSE(driver.normalize_port("eth0").ok());
}

}  // namespace
