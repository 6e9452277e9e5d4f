// SPDX-License-Identifier: Apache-2.0
// The IOS CLI dialogue against a scripted in-memory switch (no sockets).

#include "cisco_ios/ios_session.hpp"
#include "scripted_transport.hpp"

#include <poe/log.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>

namespace {

using poe::ErrorCode;
using poe::ios::IosSession;
using poe_test::FakeIosCli;
using poe_test::ScriptedTransport;
using testing::ElementsAre;
using testing::HasSubstr;
using testing::Not;
using namespace std::string_literals;

constexpr auto generous = std::chrono::seconds{5};

// Collects log lines so tests can assert secrets never reach them.
class LogCapture {
public:
    LogCapture() {
        poe::set_log_level(poe::LogLevel::trace);
        poe::set_log_sink([this](poe::LogLevel, std::string_view message) {
            std::lock_guard lock(mutex_);
            text_ += message;
            text_ += '\n';
        });
    }
    ~LogCapture() {
        poe::set_log_sink({});
        poe::set_log_level(poe::LogLevel::info);
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;
    std::string text() const {
        std::lock_guard lock(mutex_);
        return text_;
    }

private:
    mutable std::mutex mutex_;
    std::string text_;
};

struct Fixture {
    std::shared_ptr<FakeIosCli> cli = std::make_shared<FakeIosCli>();
    std::unique_ptr<IosSession> session;

    explicit Fixture(std::string enable_secret = {}) {
        poe::ios::IosSessionOptions options;
        options.enable_secret = std::move(enable_secret);
        session = std::make_unique<IosSession>(std::make_unique<ScriptedTransport>(cli), options);
    }

    poe::Result<void> open() { return session->open(poe::deadline_in(generous)); }
};

TEST(IosSession, LearnsHostnameAndSetsUpTheTerminal) {
    Fixture f;
    f.cli->hostname = "core-sw.lab";
    ASSERT_TRUE(f.open().ok());
    EXPECT_EQ(f.session->hostname(), "core-sw.lab");
    EXPECT_THAT(f.cli->writes, ElementsAre("\n", "terminal length 0\n", "terminal width 511\n"));
    EXPECT_TRUE(f.session->usable());
}

TEST(IosSession, BannerWithHashAndGreaterDoesNotFoolPromptLearning) {
    Fixture f;
    // The banner arrives in pieces; the first piece ends in something that
    // looks like a user-EXEC prompt, a later line like a privileged one.
    f.cli->greeting_chunks = {"\r\n*** Authorized access only ***\r\nlab-router>",
                              "\r\n##########################\r\nnot-me#\r\n", "sw1#"};
    ASSERT_TRUE(f.open().ok());
    EXPECT_EQ(f.session->hostname(), "sw1");
    auto output = f.session->run("show clock", poe::deadline_in(generous));
    ASSERT_FALSE(output.ok());  // the fake has no `show clock`: an IOS error, not a desync
    EXPECT_EQ(output.error().code, ErrorCode::device_rejected);
    EXPECT_TRUE(f.session->usable());
}

TEST(IosSession, EnableWithTheRightSecret) {
    LogCapture logs;
    Fixture f("s3cr3t-enable");
    f.cli->enable_secret = "s3cr3t-enable";
    ASSERT_TRUE(f.open().ok());
    EXPECT_EQ(f.cli->mode, FakeIosCli::Mode::privileged);
    EXPECT_THAT(f.cli->writes, ElementsAre("\n", "enable\n", "s3cr3t-enable\n", "terminal length 0\n",
                                           "terminal width 511\n"));
    EXPECT_THAT(logs.text(), Not(HasSubstr("s3cr3t-enable")));
}

TEST(IosSession, WrongEnableSecretIsAuthFailedWithoutLeakingIt) {
    LogCapture logs;
    Fixture f("wrong-secret");
    f.cli->enable_secret = "right-secret";
    auto opened = f.open();
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, ErrorCode::auth_failed);
    EXPECT_THAT(opened.error().message, Not(HasSubstr("wrong-secret")));
    EXPECT_THAT(opened.error().device_text, Not(HasSubstr("wrong-secret")));
    EXPECT_THAT(logs.text(), Not(HasSubstr("wrong-secret")));
    EXPECT_FALSE(f.session->usable());
}

TEST(IosSession, AccessDeniedAfterEnableIsAuthFailed) {
    Fixture f("wrong-secret");
    f.cli->enable_secret = "right-secret";
    f.cli->reask_password = false;
    auto opened = f.open();
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, ErrorCode::auth_failed);
    EXPECT_THAT(opened.error().message, HasSubstr("Access denied"));
}

TEST(IosSession, UserExecWithoutEnableSecretIsAuthFailed) {
    Fixture f;
    f.cli->enable_secret = "needed";
    auto opened = f.open();
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, ErrorCode::auth_failed);
    EXPECT_THAT(opened.error().message, HasSubstr("enable_secret"));
}

TEST(IosSession, AnswersMoreWhenPagingStaysOn) {
    Fixture f;
    f.cli->rejects["terminal length 0"] = "% Invalid input detected at '^' marker.";
    f.cli->outputs["show version"] = "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9";
    ASSERT_TRUE(f.open().ok());
    auto output = f.session->run("show version", poe::deadline_in(generous));
    ASSERT_TRUE(output.ok()) << output.error().message;
    EXPECT_EQ(*output, "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\n");
    EXPECT_EQ(std::count(f.cli->writes.begin(), f.cli->writes.end(), " "), 2);
}

class NewlineStyles : public testing::TestWithParam<std::string> {};

TEST_P(NewlineStyles, EchoAndOutputAreNormalised) {
    Fixture f;
    f.cli->newline = GetParam();
    f.cli->outputs["show clock"] = "*10:00:00.000 UTC Mon Mar 1 2021";
    ASSERT_TRUE(f.open().ok());
    auto output = f.session->run("show clock", poe::deadline_in(generous));
    ASSERT_TRUE(output.ok()) << output.error().message;
    EXPECT_EQ(*output, "*10:00:00.000 UTC Mon Mar 1 2021\n");
}

INSTANTIATE_TEST_SUITE_P(IosSession, NewlineStyles, testing::Values("\r\n", "\n", "\r\r\n", "\n\r"));

TEST(IosSession, OneByteChunksWork) {
    Fixture f;
    f.cli->chunk_size = 1;
    f.cli->banner = "Welcome#\r\n";
    f.cli->show_power_inline = "Interface Admin\n--------- -----";
    ASSERT_TRUE(f.open().ok());
    auto output = f.session->run("show power inline", poe::deadline_in(generous));
    ASSERT_TRUE(output.ok()) << output.error().message;
    EXPECT_EQ(*output, "Interface Admin\n--------- -----\n");
}

TEST(IosSession, InvalidInputIsDeviceRejectedWithTheSwitchText) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    auto output = f.session->run("show powr inline", poe::deadline_in(generous));
    ASSERT_FALSE(output.ok());
    EXPECT_EQ(output.error().code, ErrorCode::device_rejected);
    EXPECT_THAT(output.error().device_text, HasSubstr("% Invalid input detected at '^' marker."));
    EXPECT_THAT(output.error().device_text, HasSubstr("^"));
    EXPECT_TRUE(f.session->usable());
}

TEST(IosSession, ConfigBlockSendsEachLineAndEnd) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->writes.clear();
    const std::vector<std::string> lines{"interface GigabitEthernet1/0/1", "power inline never",
                                         "interface GigabitEthernet1/0/2", "power inline auto max 15400"};
    ASSERT_TRUE(f.session->configure(lines, poe::deadline_in(generous)).ok());
    EXPECT_THAT(f.cli->writes, ElementsAre("configure terminal\n", "interface GigabitEthernet1/0/1\n",
                                           "power inline never\n", "interface GigabitEthernet1/0/2\n",
                                           "power inline auto max 15400\n", "end\n"));
    EXPECT_EQ(f.cli->mode, FakeIosCli::Mode::privileged);
}

TEST(IosSession, ConfigErrorStillEndsAndStopsAtTheRejectedLine) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->writes.clear();
    f.cli->rejects["power inline static max 99999"] = "% Invalid input detected at '^' marker.";
    const std::vector<std::string> lines{"interface GigabitEthernet1/0/1", "power inline static max 99999",
                                         "interface GigabitEthernet1/0/2", "power inline never"};
    auto configured = f.session->configure(lines, poe::deadline_in(generous));
    ASSERT_FALSE(configured.ok());
    EXPECT_EQ(configured.error().code, ErrorCode::device_rejected);
    EXPECT_THAT(configured.error().message, HasSubstr("power inline static max 99999"));
    EXPECT_THAT(configured.error().device_text, HasSubstr("% Invalid input"));
    EXPECT_THAT(f.cli->writes, ElementsAre("configure terminal\n", "interface GigabitEthernet1/0/1\n",
                                           "power inline static max 99999\n", "end\n"));
    EXPECT_EQ(f.cli->mode, FakeIosCli::Mode::privileged);
    EXPECT_TRUE(f.session->usable());
    EXPECT_TRUE(f.session->ping(poe::deadline_in(generous)).ok());
}

TEST(IosSession, UnconfirmedEndMakesTheSessionUnusable) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->rejects["power inline never"] = "% Invalid input detected at '^' marker.";
    f.cli->hang_on.insert("end");
    const std::vector<std::string> lines{"interface GigabitEthernet1/0/1", "power inline never"};
    auto configured = f.session->configure(lines, poe::deadline_in(std::chrono::milliseconds{200}));
    ASSERT_FALSE(configured.ok());
    EXPECT_EQ(configured.error().code, ErrorCode::device_rejected);  // the first error is what the user needs
    EXPECT_THAT(configured.error().message, HasSubstr("leaving configuration mode failed"));
    EXPECT_FALSE(f.session->usable());
    auto after = f.session->ping(poe::deadline_in(generous));
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().code, ErrorCode::connection_lost);
}

TEST(IosSession, NoPromptTimesOutAtTheDeadline) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->hang_on.insert("show power inline");
    const auto budget = std::chrono::milliseconds{150};
    const auto start = poe::Clock::now();
    auto output = f.session->run("show power inline", start + budget);
    const auto took = poe::Clock::now() - start;
    ASSERT_FALSE(output.ok());
    EXPECT_EQ(output.error().code, ErrorCode::timeout);
    EXPECT_GE(took, budget);
    EXPECT_LT(took, budget + std::chrono::milliseconds{100});
    EXPECT_FALSE(f.session->usable());
}

TEST(IosSession, GarbageWithoutPromptTimesOut) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->raw_answers["show power inline"] = "\x00\xff\xfe\x1b[31m\x07\x08\x08garbage\r\r\n\x1b]0;x"s;
    auto output = f.session->run("show power inline", poe::deadline_in(std::chrono::milliseconds{100}));
    ASSERT_FALSE(output.ok());
    EXPECT_EQ(output.error().code, ErrorCode::timeout);
}

TEST(IosSession, GarbageBeforeThePromptIsOutputNotACrash) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->raw_answers["show power inline"] = "show power inline\r\n\x01\x02\xff\xfe junk \x1b[2J\r\nsw1#"s;
    auto output = f.session->run("show power inline", poe::deadline_in(generous));
    ASSERT_TRUE(output.ok()) << output.error().message;
    EXPECT_THAT(*output, HasSubstr("junk"));
}

TEST(IosSession, MissingEchoIsParseErrorAndDropsTheSession) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->raw_answers["show power inline"] = "something else\r\nsw1#";
    auto output = f.session->run("show power inline", poe::deadline_in(generous));
    ASSERT_FALSE(output.ok());
    EXPECT_EQ(output.error().code, ErrorCode::parse_error);
    EXPECT_FALSE(f.session->usable());
}

TEST(IosSession, OutputOverOneMebibyteIsParseErrorAndDropsTheSession) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->raw_answers["show power inline"] = "show power inline\r\n" + std::string(1024 * 1024 + 10, 'x');
    auto output = f.session->run("show power inline", poe::deadline_in(generous));
    ASSERT_FALSE(output.ok());
    EXPECT_EQ(output.error().code, ErrorCode::parse_error);
    EXPECT_FALSE(f.session->usable());
}

TEST(IosSession, DroppedConnectionIsConnectionLost) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->drop_on.insert("show power inline");
    auto output = f.session->run("show power inline", poe::deadline_in(generous));
    ASSERT_FALSE(output.ok());
    EXPECT_EQ(output.error().code, ErrorCode::connection_lost);
    EXPECT_FALSE(f.session->usable());
}

TEST(IosSession, StaleOutputIsDiscardedBeforeACommand) {
    Fixture f;
    f.cli->show_power_inline = "table";
    ASSERT_TRUE(f.open().ok());
    f.cli->inbox.emplace_back("\r\n%SYS-5-CONFIG_I: Configured from console by vty0\r\nsw1#");
    auto output = f.session->run("show power inline", poe::deadline_in(generous));
    ASSERT_TRUE(output.ok()) << output.error().message;
    EXPECT_EQ(*output, "table\n");
}

TEST(IosSession, PingSendsAnEmptyLine) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.cli->writes.clear();
    ASSERT_TRUE(f.session->ping(poe::deadline_in(generous)).ok());
    EXPECT_THAT(f.cli->writes, ElementsAre("\n"));
}

TEST(IosSession, WriteMemoryNeedsOk) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    EXPECT_TRUE(f.session->save(poe::deadline_in(generous)).ok());
    f.cli->write_memory_output =
        "Building configuration...\r\n% Error opening nvram:/startup-config (No space)";
    auto saved = f.session->save(poe::deadline_in(generous));
    ASSERT_FALSE(saved.ok());
    EXPECT_EQ(saved.error().code, ErrorCode::device_rejected);
    EXPECT_THAT(saved.error().device_text, HasSubstr("No space"));
}

TEST(IosSession, CloseSaysExit) {
    Fixture f;
    ASSERT_TRUE(f.open().ok());
    f.session->close();
    EXPECT_EQ(f.cli->writes.back(), "exit\n");
    EXPECT_TRUE(f.cli->closed);
    EXPECT_FALSE(f.session->usable());
}

TEST(IosSession, ConnectErrorsPassThrough) {
    Fixture f;
    f.cli->connect_error = poe::make_error(ErrorCode::host_key_mismatch, "changed");
    auto opened = f.open();
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, ErrorCode::host_key_mismatch);
}

}  // namespace
