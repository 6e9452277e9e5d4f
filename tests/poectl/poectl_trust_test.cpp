// SPDX-License-Identifier: Apache-2.0
// `poectl trust` against ios-sim over real SSH: a strict switch entry with an
// empty known_hosts refuses to talk until the key is trusted; trusting shows
// the key the switch presents and records it; a changed key is never trusted
// over the recorded one.
#include "poectl_app.hpp"
#include "poectl_runner.hpp"

#include "ios_sim_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using poectl_test::poectl;
using poectl_test::PoectlRun;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class PoectlTrust : public ::testing::Test {
protected:
    void SetUp() override {
        sim_ = poe_test::IosSimProcess::start();
        dir_ = std::filesystem::temp_directory_path() /
               ("poectl-trust-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        known_hosts_ = dir_ / "known_hosts";
        config_ = (dir_ / "bridge.yaml").string();
        std::ofstream(config_) << "auth: none\n"
                               << "switches:\n  core:\n    driver: cisco-ios\n    host: 127.0.0.1\n"
                               << "    port: " << sim_->port() << "\n"
                               << "    username: admin\n    password: secret\n    enable_secret: enablepw\n"
                               << "    known_hosts: " << known_hosts_.string() << "\n"
                               << "machines:\n  - name: pi-01\n    switch: core\n    port: Gi1/0/1\n";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    PoectlRun invoke(const std::string& command, const std::string& target) {
        return poectl({"--config", config_, command, target});
    }

    std::unique_ptr<poe_test::IosSimProcess> sim_;
    std::filesystem::path dir_;
    std::filesystem::path known_hosts_;
    std::string config_;
};

TEST_F(PoectlTrust, AnUnknownKeyIsRefusedUntilTrustedThenTheSwitchAnswers) {
    const auto refused = invoke("status", "pi-01");
    EXPECT_EQ(refused.code, poectl::exit_unreachable) << refused.out << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("poectl trust"));
    EXPECT_EQ(sim_->stats().at("logins").as_int64(), 0) << "logged in to an unverified switch";

    const auto trusted = invoke("trust", "core");
    ASSERT_EQ(trusted.code, poectl::exit_ok) << trusted.err;
    EXPECT_THAT(trusted.out, HasSubstr(sim_->host_key_fingerprint()));
    EXPECT_THAT(trusted.out, HasSubstr(known_hosts_.string()));
    const std::string recorded = read_file(known_hosts_);
    EXPECT_THAT(recorded, HasSubstr("[127.0.0.1]:" + std::to_string(sim_->port())));

    const auto status = invoke("status", "pi-01");
    ASSERT_EQ(status.code, poectl::exit_ok) << status.err;
    EXPECT_THAT(status.out, HasSubstr("Gi1/0/1"));
}

TEST_F(PoectlTrust, AChangedKeyIsNotTrustedOverTheRecordedOne) {
    ASSERT_EQ(invoke("trust", "core").code, poectl::exit_ok);
    const std::string recorded = read_file(known_hosts_);
    sim_->control_ok("set host-key " + sim_->generate_key("ed25519", "new-ed25519").string() + " " +
                     sim_->generate_key("rsa", "new-rsa").string());

    const auto again = invoke("trust", "core");
    EXPECT_EQ(again.code, poectl::exit_unreachable) << again.out;
    EXPECT_THAT(again.err, HasSubstr("known_hosts"));
    EXPECT_THAT(again.out, Not(HasSubstr("trusted")));
    EXPECT_EQ(read_file(known_hosts_), recorded) << "the recorded key was replaced";

    const auto status = invoke("status", "pi-01");
    EXPECT_EQ(status.code, poectl::exit_unreachable);
    EXPECT_THAT(status.err, HasSubstr("poectl trust SWITCH"));
}

}  // namespace
