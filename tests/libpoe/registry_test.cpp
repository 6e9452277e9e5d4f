// SPDX-License-Identifier: Apache-2.0
#include <poe/registry.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using ::testing::HasSubstr;

poe::Registry builtin() {
    poe::Registry registry;
    EXPECT_TRUE(poe::register_builtin_drivers(registry).ok());
    return registry;
}

TEST(Registry, BuiltinDriversAreListedByName) {
    const auto registry = builtin();
    ASSERT_NE(registry.find("fake"), nullptr);
    EXPECT_FALSE(registry.find("fake")->options.empty());
    EXPECT_EQ(registry.find("nope"), nullptr);
}

TEST(Registry, RegisteringTheSameNameTwiceFails) {
    auto registry = builtin();
    auto again = poe::register_builtin_drivers(registry);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, poe::ErrorCode::invalid_argument);
    EXPECT_THAT(again.error().message, HasSubstr("already registered"));
}

TEST(Registry, DuplicateOptionKeysAreRejected) {
    poe::Registry registry;
    poe::DriverInfo info{"x", "test", {{"a", "", "", false, false}, {"a", "", "", false, false}}, nullptr};
    info.factory = [](const poe::DriverOptions&) -> poe::Result<std::unique_ptr<poe::Driver>> {
        return poe::make_error(poe::ErrorCode::unsupported, "unused");
    };
    auto added = registry.add(info);
    ASSERT_FALSE(added.ok());
    EXPECT_THAT(added.error().message, HasSubstr("\"a\" twice"));
}

TEST(Registry, UnknownDriverNamesTheKnownOnes) {
    auto created = builtin().create("cisko", {});
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, poe::ErrorCode::invalid_argument);
    EXPECT_THAT(created.error().message, HasSubstr("known: "));
    EXPECT_THAT(created.error().message, HasSubstr("fake"));
}

TEST(Registry, UnknownOptionIsRejected) {
    auto created = builtin().create("fake", {{"prots", "Gi1/0/1-4"}});
    ASSERT_FALSE(created.ok());
    EXPECT_THAT(created.error().message, HasSubstr("no option \"prots\""));
}

TEST(Registry, BadOptionValueIsRejected) {
    auto created = builtin().create("fake", {{"latency_ms", "fast"}});
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, poe::ErrorCode::invalid_argument);
    EXPECT_THAT(created.error().message, HasSubstr("latency_ms"));
}

TEST(Registry, CreatesAWorkingFakeDriverWithDefaults) {
    auto created = builtin().create("fake", {});
    ASSERT_TRUE(created.ok()) << created.error().message;
    auto& driver = *created.value();
    auto ports = driver.read_ports(poe::deadline_in(std::chrono::seconds{1}));
    ASSERT_TRUE(ports.ok());
    ASSERT_EQ(ports->size(), 8U);
    EXPECT_EQ(ports->front().name, "Gi1/0/1");
    EXPECT_EQ(ports->back().name, "Gi1/0/8");
    EXPECT_TRUE(driver.connected());
}

}  // namespace
