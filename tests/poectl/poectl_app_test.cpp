// SPDX-License-Identifier: Apache-2.0
#include "poectl_app.hpp"
#include "poectl_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using poectl_test::poectl;

std::string temp_file(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / ("poectl-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / name;
    std::ofstream(path) << text;
    return path.string();
}

TEST(Poectl, StatusOfTheDemoSwitchIsATableOfItsPorts) {
    const auto run = poectl({"--demo", "status", "demo"});
    ASSERT_EQ(run.code, poectl::exit_ok) << run.err;
    EXPECT_THAT(run.out, HasSubstr("switch demo (fake), 8 PoE ports"));
    EXPECT_THAT(run.out, HasSubstr("PORT"));
    EXPECT_TRUE(std::regex_search(run.out, std::regex("Gi1/0/8 +auto +on +5\\.1 +4 +Raspberry Pi")));
}

TEST(Poectl, StatusOfAMachineAsJsonIsTheBridgesBody) {
    const auto run = poectl({"--demo", "--json", "status", "pi-03"});
    ASSERT_EQ(run.code, poectl::exit_ok) << run.err;
    EXPECT_THAT(run.out, HasSubstr(R"("status":"running")"));
    EXPECT_THAT(run.out, HasSubstr(R"("port":"Gi1/0/3")"));
    EXPECT_THAT(run.out, HasSubstr(R"("machine":"pi-03")"));
}

TEST(Poectl, OffReportsTheNewState) {
    const auto run = poectl({"--demo", "off", "pi-02"});
    ASSERT_EQ(run.code, poectl::exit_ok) << run.err;
    EXPECT_EQ(run.out, "pi-02 (demo Gi1/0/2): stopped\n");
}

TEST(Poectl, OnOfARunningMachineSaysNoChangeWasNeeded) {
    const auto run = poectl({"--demo", "on", "pi-02"});
    ASSERT_EQ(run.code, poectl::exit_ok) << run.err;
    EXPECT_EQ(run.out, "pi-02 (demo Gi1/0/2): running (no change needed)\n");
}

TEST(Poectl, DirectPortAddressingNormalisesTheName) {
    const auto run = poectl({"--demo", "--json", "off", "demo", "gi1/0/07"});
    ASSERT_EQ(run.code, poectl::exit_ok) << run.err;
    EXPECT_THAT(run.out, HasSubstr(R"("status":"stopped")"));
    EXPECT_THAT(run.out, HasSubstr(R"("port":"Gi1/0/7")"));
    EXPECT_THAT(run.out, HasSubstr(R"("changed":true)"));
}

TEST(Poectl, CycleShowsProgressAndEndsRunning) {
    const std::string config = temp_file("cycle.yaml", R"(auth: none
policy:
  cycle_dwell: 50ms
switches:
  lab:
    driver: fake
    ports: Gi1/0/1-2
machines:
  - name: node1
    switch: lab
    port: Gi1/0/1
)");
    const auto run = poectl({"--config", config, "cycle", "node1"});
    ASSERT_EQ(run.code, poectl::exit_ok) << run.err;
    EXPECT_THAT(run.err, HasSubstr("node1 (lab Gi1/0/1): powering off, on again in 50ms"));
    EXPECT_EQ(run.out, "node1 (lab Gi1/0/1): running (power cycled)\n");
}

TEST(Poectl, UnknownMachineIsAUsageError) {
    const auto run = poectl({"--demo", "on", "web-1"});
    EXPECT_EQ(run.code, poectl::exit_usage);
    EXPECT_THAT(run.err, HasSubstr("web-1"));
    EXPECT_TRUE(run.out.empty());
}

TEST(Poectl, MachineMappedToAMissingPortNamesMachineAndPort) {
    const auto run = poectl({"--demo", "on", "pi-99"});
    EXPECT_EQ(run.code, poectl::exit_usage);
    EXPECT_THAT(run.err, HasSubstr("machine \"pi-99\": switch \"demo\" has no PoE port Gi1/0/99"));
    EXPECT_THAT(run.err, HasSubstr("hint: "));
}

TEST(Poectl, PortTheSwitchDoesNotHaveIsAUsageError) {
    const auto run = poectl({"--demo", "off", "demo", "Gi1/0/48"});
    EXPECT_EQ(run.code, poectl::exit_usage);
    EXPECT_THAT(run.err, HasSubstr("Gi1/0/48"));
    EXPECT_THAT(run.err, HasSubstr("hint: `poectl status`"));
}

TEST(Poectl, BadConfigurationNamesFileAndLine) {
    const std::string config = temp_file("bad.yaml", "auth: none\nswitches:\n  lab:\n    driver: nope\n");
    const auto run = poectl({"--config", config, "check-config"});
    EXPECT_EQ(run.code, poectl::exit_usage);
    EXPECT_THAT(run.err, HasSubstr("bad.yaml:4:"));
    EXPECT_THAT(run.err, HasSubstr("nope"));
}

TEST(Poectl, CheckConfigAcceptsTheDemo) {
    const auto run = poectl({"--demo", "check-config"});
    EXPECT_EQ(run.code, poectl::exit_ok) << run.err;
    EXPECT_THAT(run.out, HasSubstr("OK, 1 switch(es)"));
}

TEST(Poectl, OneOffSwitchFromTheCommandLine) {
    const auto run = poectl({"--driver", "fake", "-o", "ports=Te1/1/1-2", "status", "cli"});
    ASSERT_EQ(run.code, poectl::exit_ok) << run.err;
    EXPECT_THAT(run.out, HasSubstr("2 PoE ports"));
    EXPECT_THAT(run.out, HasSubstr("Te1/1/2"));
}

TEST(Poectl, OneOffSwitchRejectsUnknownOptions) {
    const auto run = poectl({"--driver", "fake", "-o", "prots=Te1/1/1-2", "status"});
    EXPECT_EQ(run.code, poectl::exit_usage);
    EXPECT_THAT(run.err, HasSubstr("prots"));
}

TEST(Poectl, MaasCommandsUseTheBridgeUrlAndNeverPrintSecrets) {
    const std::string token = temp_file("token", "s3cr3t-token-value\n");
    const std::string config =
        temp_file("maas.yaml", "auth:\n  tokens:\n    - name: maas\n      token_file: " + token + R"(
switches:
  lab:
    driver: fake
machines:
  - name: pi-01
    switch: lab
    port: Gi1/0/1
  - pattern: 'node-(\d+)'
    switch: lab
    port: 'Gi1/0/{1}'
)");
    const auto run = poectl({"--config", config, "maas-commands", "--bridge-url", "http://10.0.0.5:8550/",
                             "--profile", "admin", "--system-id", "pi-01=abc123"});
    ASSERT_EQ(run.code, poectl::exit_ok) << run.err;
    EXPECT_THAT(run.out, HasSubstr("maas admin machine update abc123"));
    EXPECT_THAT(run.out, HasSubstr("power_type=webhook"));
    EXPECT_THAT(run.out,
                HasSubstr("power_parameters_power_on_uri=http://10.0.0.5:8550/v1/machines/pi-01/on"));
    EXPECT_THAT(run.out,
                HasSubstr("power_parameters_power_off_uri=http://10.0.0.5:8550/v1/machines/pi-01/off"));
    EXPECT_THAT(run.out,
                HasSubstr("power_parameters_power_query_uri=http://10.0.0.5:8550/v1/machines/pi-01 "));
    EXPECT_THAT(run.out, HasSubstr("power_parameters_power_token=\"$MAAS_BRIDGE_TOKEN\""));
    EXPECT_THAT(run.out, HasSubstr("Pattern 'node-(\\d+)'"));
    EXPECT_THAT(run.out + run.err, Not(HasSubstr("s3cr3t")));

    const auto by_pattern =
        poectl({"--config", config, "maas-commands", "--bridge-url", "http://h:1", "--machine", "node-05"});
    ASSERT_EQ(by_pattern.code, poectl::exit_ok) << by_pattern.err;
    EXPECT_THAT(by_pattern.out, HasSubstr("# node-05 (switch lab port Gi1/0/5)"));
    EXPECT_THAT(by_pattern.out, HasSubstr("machines read hostname=node-05"));
}

TEST(Poectl, DriversListsOptionsAndSecretForms) {
    const auto run = poectl({"drivers"});
    ASSERT_EQ(run.code, poectl::exit_ok);
    EXPECT_THAT(run.out, HasSubstr("fake: "));
    EXPECT_THAT(run.out, HasSubstr("  ports: "));
}

TEST(Poectl, UsageErrorsExitWith2) {
    EXPECT_EQ(poectl({}).code, poectl::exit_usage);
    EXPECT_EQ(poectl({"--demo", "on"}).code, poectl::exit_usage);
    EXPECT_EQ(poectl({"--demo", "--timeout", "soon", "status"}).code, poectl::exit_usage);
}

}  // namespace
