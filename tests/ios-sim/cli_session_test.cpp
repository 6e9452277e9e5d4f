// The CLI engine without SSH: exact bytes, explicit time (no sleeps).

#include "cli_session.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "port_spec.hpp"
#include "quoted_words.hpp"

namespace ios_sim {
namespace {

using namespace std::chrono_literals;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string read_fixture(const std::string& name) {
    std::ifstream in(std::string(IOS_SIM_FIXTURES_DIR) + "/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        lines.push_back(line);
    }
    return lines;
}

class CliSessionTest : public ::testing::Test {
protected:
    explicit CliSessionTest(std::string ports = "Gi1/0/1-48", std::string hostname = "Switch")
        : state_(std::move(hostname), parse_port_spec(ports)), settings_(default_settings()) {}

    static SettingsValues default_settings() {
        SettingsValues values;
        values.enable_secret = "enablepw";
        values.write_delay = 500ms;
        return values;
    }

    CliSession& session(bool privileged = false) {
        sessions_.push_back(
            std::make_unique<CliSession>(SessionEnv{state_, faults_, stats_, settings_, t0_}, privileged));
        return *sessions_.back();
    }

    CliSession& shell() {
        auto& cli = session();
        cli.start_shell(t0_);
        cli.advance(t0_);
        cli.take_output();
        return cli;
    }

    static std::string type(CliSession& cli, std::string_view input, Clock::time_point at) {
        cli.feed(input, at);
        cli.advance(at);
        return cli.take_output();
    }

    std::string type(CliSession& cli, std::string_view input) { return type(cli, input, t0_); }

    void add_fault(const std::string& spec) {
        const auto words = split_quoted(spec);
        ASSERT_TRUE(words);
        ASSERT_EQ(faults_.add(*words), std::nullopt);
    }

    boost::json::object stats() { return stats_.to_json(state_, t0_); }

    Clock::time_point t0_ = Clock::time_point{} + 1000h;
    SwitchState state_;
    FaultSet faults_;
    SimStats stats_;
    RuntimeSettings settings_;
    std::vector<std::unique_ptr<CliSession>> sessions_;
};

TEST_F(CliSessionTest, ShellShowsBannerThenUserPrompt) {
    settings_.update([](SettingsValues& v) { v.banner = "Authorized # users > only\nsecond line"; });
    auto& cli = session();
    cli.start_shell(t0_);
    cli.advance(t0_);
    EXPECT_EQ(cli.take_output(), "\r\nAuthorized # users > only\r\nsecond line\r\n\r\nSwitch>");
}

TEST_F(CliSessionTest, EchoesTypedCommandAndAnswersWithCrlf) {
    auto& cli = shell();
    const std::string out = type(cli, "show privilege\r");
    EXPECT_EQ(out, "show privilege\r\nCurrent privilege level is 1\r\nSwitch>");
}

TEST_F(CliSessionTest, CrLfCrAndLfAreEachOneEnter) {
    auto& cli = shell();
    EXPECT_EQ(type(cli, "\r\n"), "\r\nSwitch>");
    EXPECT_EQ(type(cli, "\n"), "\r\nSwitch>");
    EXPECT_EQ(type(cli, "\r"), "\r\nSwitch>");
    // A CRLF split across two reads is still one Enter.
    EXPECT_EQ(type(cli, "\n"), "");
}

TEST_F(CliSessionTest, SeveralLinesAtOnceRunInOrder) {
    auto& cli = shell();
    const std::string out = type(cli, "terminal length 0\nshow privilege\nshow privilege\n");
    EXPECT_EQ(out,
              "terminal length 0\r\nSwitch>show privilege\r\nCurrent privilege level is 1\r\nSwitch>"
              "show privilege\r\nCurrent privilege level is 1\r\nSwitch>");
}

TEST_F(CliSessionTest, BackspaceEditsTheLine) {
    auto& cli = shell();
    const std::string out = type(cli,
                                 "show privx\x7f"
                                 "ilege\r");
    EXPECT_THAT(out, HasSubstr("\b \b"));
    EXPECT_THAT(out, HasSubstr("Current privilege level is 1"));
}

TEST_F(CliSessionTest, EnableAsksForSecretWithoutEcho) {
    auto& cli = shell();
    EXPECT_EQ(type(cli, "enable\n"), "enable\r\nPassword: ");
    EXPECT_EQ(type(cli, "enablepw\n"), "\r\nSwitch#");
    EXPECT_TRUE(cli.privileged());
}

TEST_F(CliSessionTest, ThreeWrongSecretsGiveBadSecrets) {
    auto& cli = shell();
    const std::string out = type(cli, "enable\nx\ny\nz\n");
    EXPECT_EQ(out, "enable\r\nPassword: \r\nPassword: \r\nPassword: \r\n% Bad secrets\r\n\r\nSwitch>");
    EXPECT_FALSE(cli.privileged());
}

TEST_F(CliSessionTest, EnableWithoutSecretNeedsNoPassword) {
    settings_.update([](SettingsValues& v) { v.enable_secret.reset(); });
    auto& cli = shell();
    EXPECT_EQ(type(cli, "en\n"), "en\r\nSwitch#");
}

TEST_F(CliSessionTest, InvalidInputCaretSitsUnderTheFirstBadCharacter) {
    auto& cli = shell();
    // "Switch>" is 7 columns, "show " 5 more: nothing at this level starts
    // with "f", so the caret goes under it.
    EXPECT_EQ(type(cli, "show foooooooo\n"),
              "show foooooooo\r\n            ^\r\n% Invalid input detected at '^' marker.\r\n\r\nSwitch>");
    // "pow" still matches "power"; the caret lands on the "x".
    EXPECT_EQ(
        type(cli, "show powxr inline\n"),
        "show powxr inline\r\n               ^\r\n% Invalid input detected at '^' marker.\r\n\r\nSwitch>");
}

TEST_F(CliSessionTest, PrivilegedCommandsAreInvalidAtUserLevel) {
    auto& cli = shell();
    EXPECT_EQ(type(cli, "configure terminal\n"),
              "configure terminal\r\n       ^\r\n% Invalid input detected at '^' marker.\r\n\r\nSwitch>");
}

TEST_F(CliSessionTest, IncompleteAndAmbiguousCommands) {
    auto& cli = shell();
    EXPECT_EQ(type(cli, "show power\n"), "show power\r\n% Incomplete command.\r\n\r\nSwitch>");
    EXPECT_EQ(type(cli, "sh p\n"), "sh p\r\n% Ambiguous command:  \"sh p\"\r\nSwitch>");
}

TEST_F(CliSessionTest, AbbreviatedKeywordsAndInterfaceNames) {
    auto& cli = shell();
    type(cli, "terminal length 0\n");
    for (const char* name :
         {"gi1/0/5", "GigabitEthernet1/0/5", "Gi1/0/05", "g 1/0/5", "GIGABITETHERNET 1/0/5"}) {
        const std::string out = type(cli, std::string("sh pow inl ") + name + "\n");
        EXPECT_THAT(out, HasSubstr("\r\nGi1/0/5   auto   on ")) << name;
    }
}

TEST_F(CliSessionTest, UnknownInterfaceIsInvalidInput) {
    auto& cli = shell();
    const std::string out = type(cli, "show power inline gi1/0/49\n");
    // Caret under the number: 7 (prompt) + 20 ("show power inline gi").
    EXPECT_THAT(out,
                HasSubstr("\r\n" + std::string(27, ' ') + "^\r\n% Invalid input detected at '^' marker."));
}

TEST_F(CliSessionTest, ConfigurationChangeShowsInTheNextShow) {
    auto& cli = shell();
    EXPECT_EQ(type(cli, "enable\nenablepw\n"), "enable\r\nPassword: \r\nSwitch#");
    EXPECT_EQ(type(cli, "conf t\n"),
              "conf t\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\nSwitch(config)#");
    EXPECT_EQ(type(cli, "int gi1/0/5\n"), "int gi1/0/5\r\nSwitch(config-if)#");
    EXPECT_EQ(type(cli, "power inline never\n"), "power inline never\r\nSwitch(config-if)#");
    EXPECT_EQ(type(cli, "end\n"), "end\r\nSwitch#");
    EXPECT_THAT(type(cli, "show power inline gi1/0/5\n"),
                HasSubstr("\r\nGi1/0/5   off    off        0.0     n/a                 n/a   30.0 \r\n"));
    EXPECT_THAT(type(cli, "show running-config interface gi1/0/5\n"),
                HasSubstr("!\r\ninterface GigabitEthernet1/0/5\r\n power inline never\r\nend\r\n"));
    EXPECT_EQ(stats().at("config_changes").as_uint64(), 1u);
    // Setting what is already set is no change.
    type(cli, "conf t\nint gi1/0/5\npower inline never\nend\n");
    EXPECT_EQ(stats().at("config_changes").as_uint64(), 1u);
}

TEST_F(CliSessionTest, StaticMaxShowsInTableAndRunningConfig) {
    auto& cli = session(true);
    cli.start_shell(t0_);
    type(cli, "conf t\ninterface Gi1/0/3\npower inline static max 15400\nend\n");
    EXPECT_THAT(type(cli, "show power inline gi1/0/3\n"),
                HasSubstr("\r\nGi1/0/3   static on         15.4    Ieee PD             4     15.4 \r\n"));
    EXPECT_THAT(type(cli, "show run int gi1/0/3\n"), HasSubstr("\r\n power inline static max 15400\r\n"));
}

TEST_F(CliSessionTest, MaxAboveThePortLimitIsRejected) {
    auto& cli = session(true);
    cli.start_shell(t0_);
    type(cli, "conf t\nint gi1/0/3\n");
    // "Switch(config-if)#" is 18 columns, the number starts at 20.
    EXPECT_EQ(type(cli, "power inline auto max 60000\n"),
              "power inline auto max 60000\r\n" + std::string(18 + 22, ' ') +
                  "^\r\n% Invalid input detected at '^' marker.\r\n\r\nSwitch(config-if)#");
}

TEST_F(CliSessionTest, ExitLeavesModesOneByOneAndClosesAtExec) {
    auto& cli = session(true);
    cli.start_shell(t0_);
    type(cli, "conf t\nint gi1/0/1\n");
    EXPECT_EQ(type(cli, "exit\n"), "exit\r\nSwitch(config)#");
    EXPECT_EQ(type(cli, "exit\n"), "exit\r\nSwitch#");
    EXPECT_EQ(cli.outcome(), CliSession::Outcome::running);
    type(cli, "exit\n");
    EXPECT_EQ(cli.outcome(), CliSession::Outcome::close);
}

TEST_F(CliSessionTest, CtrlZLeavesConfigurationMode) {
    auto& cli = session(true);
    cli.start_shell(t0_);
    type(cli, "conf t\nint gi1/0/1\n");
    EXPECT_EQ(type(cli, "\x1a"), "^Z\r\nSwitch#");
    EXPECT_EQ(cli.mode(), CliMode::exec);
}

TEST_F(CliSessionTest, DoRunsExecCommandsInConfigMode) {
    auto& cli = session(true);
    cli.start_shell(t0_);
    type(cli, "terminal length 0\nconf t\n");
    EXPECT_THAT(type(cli, "do show power inline gi1/0/2\n"), HasSubstr("\r\nGi1/0/2   auto   on "));
    EXPECT_EQ(cli.mode(), CliMode::config);
}

class LongHostnameTest : public CliSessionTest {
protected:
    LongHostnameTest() : CliSessionTest("Gi1/0/1-4", "lab-core-switch-number-7") {}
};

TEST_F(LongHostnameTest, ConfigPromptsCutTheHostnameAt20) {
    auto& cli = session(true);
    cli.start_shell(t0_);
    cli.advance(t0_);
    EXPECT_THAT(cli.take_output(), EndsWith("lab-core-switch-number-7#"));
    EXPECT_THAT(type(cli, "conf t\n"), EndsWith("\r\nlab-core-switch-numb(config)#"));
    EXPECT_THAT(type(cli, "int gi1/0/1\n"), EndsWith("\r\nlab-core-switch-numb(config-if)#"));
}

TEST_F(CliSessionTest, LongOutputPagesWithMore) {
    auto& cli = shell();
    // 48 ports in one member: 3+1+3 header lines, 48 rows, ruler + totals.
    const std::string first = type(cli, "show power inline\n");
    const auto lines = split_lines(first);
    // Echo line, then 23 lines of output, then the --More-- prompt.
    ASSERT_EQ(lines.size(), 25u);
    EXPECT_EQ(lines.back(), " --More-- ");
    EXPECT_EQ(lines[1], "Module   Available     Used     Remaining");

    const std::string second = type(cli, " ");
    EXPECT_THAT(second, StartsWith("\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b"));
    EXPECT_THAT(second, EndsWith(" --More-- "));
    const std::string one_line = type(cli, "\r");
    EXPECT_EQ(split_lines(one_line).size(), 2u);  // one row, then --More-- again
    const std::string quit = type(cli, "q");
    EXPECT_THAT(quit, EndsWith("Switch>"));
    EXPECT_THAT(quit, Not(HasSubstr("Totals")));
}

TEST_F(CliSessionTest, TerminalLengthZeroDisablesPaging) {
    auto& cli = shell();
    const std::string out = type(cli, "terminal length 0\nshow power inline\n");
    EXPECT_THAT(out, Not(HasSubstr("--More--")));
    EXPECT_THAT(out, HasSubstr("Totals:          48   on    "));
    EXPECT_THAT(out, EndsWith("\r\nSwitch>"));
}

TEST_F(CliSessionTest, CommandDelayHoldsTheAnswer) {
    settings_.update([](SettingsValues& v) { v.command_delay = 100ms; });
    auto& cli = shell();
    EXPECT_EQ(type(cli, "show privilege\n"), "show privilege\r\n");
    ASSERT_TRUE(cli.next_wakeup());
    EXPECT_EQ(*cli.next_wakeup(), t0_ + 100ms);
    cli.advance(t0_ + 99ms);
    EXPECT_EQ(cli.take_output(), "");
    cli.advance(t0_ + 100ms);
    EXPECT_EQ(cli.take_output(), "Current privilege level is 1\r\nSwitch>");
}

TEST_F(CliSessionTest, TypeaheadWaitsForThePrompt) {
    settings_.update([](SettingsValues& v) { v.command_delay = 100ms; });
    auto& cli = shell();
    EXPECT_EQ(type(cli, "show privilege\nshow clock\n"), "show privilege\r\n");
    cli.advance(t0_ + 100ms);
    EXPECT_EQ(cli.take_output(), "Current privilege level is 1\r\nSwitch>show clock\r\n");
}

TEST_F(CliSessionTest, WriteMemoryIsSlow) {
    auto& cli = session(true);
    cli.start_shell(t0_);
    cli.advance(t0_);
    cli.take_output();
    EXPECT_EQ(type(cli, "wr\n"), "wr\r\nBuilding configuration...\r\n");
    cli.advance(t0_ + 499ms);
    EXPECT_EQ(cli.take_output(), "");
    cli.advance(t0_ + 500ms);
    EXPECT_EQ(cli.take_output(), "[OK]\r\nSwitch#");
    EXPECT_EQ(stats().at("commands_by_name").at("write memory").as_uint64(), 1u);
}

TEST_F(CliSessionTest, CopyRunStartAsksForTheDestination) {
    settings_.update([](SettingsValues& v) { v.write_delay = 0ms; });
    auto& cli = session(true);
    cli.start_shell(t0_);
    cli.advance(t0_);
    cli.take_output();
    EXPECT_EQ(type(cli, "copy running-config startup-config\n"),
              "copy running-config startup-config\r\nDestination filename [startup-config]? ");
    EXPECT_EQ(type(cli, "\n"), "\r\nBuilding configuration...\r\n[OK]\r\nSwitch#");
}

TEST_F(CliSessionTest, DetectionDelaysOperOn) {
    settings_.update([](SettingsValues& v) { v.detect_delay = 200ms; });
    auto& cli = session(true);
    cli.start_shell(t0_);
    type(cli, "terminal length 0\nconf t\nint gi1/0/9\npower inline never\npower inline auto\nend\n");
    EXPECT_THAT(type(cli, "sh power inline gi1/0/9\n", t0_ + 199ms),
                HasSubstr("Gi1/0/9   auto   off        0.0"));
    EXPECT_THAT(type(cli, "sh power inline gi1/0/9\n", t0_ + 200ms), HasSubstr("Gi1/0/9   auto   on "));
}

TEST_F(CliSessionTest, ExecRunsOneCommandWithoutEchoOrPrompt) {
    auto& cli = session();
    cli.start_exec("show power inline gi1/0/1", t0_);
    cli.advance(t0_);
    const std::string out = cli.take_output();
    EXPECT_THAT(out, StartsWith("Interface Admin  Oper"));
    EXPECT_THAT(out, EndsWith(" 30.0 \r\n"));
    EXPECT_EQ(cli.outcome(), CliSession::Outcome::close);
}

TEST_F(CliSessionTest, HangFaultNeverAnswersOnce) {
    add_fault("hang 'show power inline' 1");
    auto& cli = shell();
    EXPECT_EQ(type(cli, "sh pow inl gi1/0/1\nshow clock\n"), "sh pow inl gi1/0/1\r\n");
    EXPECT_EQ(cli.next_wakeup(), std::nullopt);
    EXPECT_EQ(type(cli, "\n", t0_ + 10s), "");
    EXPECT_EQ(cli.outcome(), CliSession::Outcome::running);
    // The fault was for one command: a new session is answered.
    auto& next = shell();
    EXPECT_THAT(type(next, "sh pow inl gi1/0/1\n"), HasSubstr("Gi1/0/1 "));
}

TEST_F(CliSessionTest, GarbageFaultReplacesTheAnswer) {
    add_fault("garbage 'show power inline'");
    auto& cli = shell();
    const std::string out = type(cli, "terminal length 0\nshow power inline\n");
    EXPECT_THAT(out, Not(HasSubstr("Interface")));
    EXPECT_THAT(out, EndsWith("\r\nSwitch>"));
}

TEST_F(CliSessionTest, InvalidFaultAnswersInvalidInput) {
    add_fault("invalid 'show power inline'");
    auto& cli = shell();
    EXPECT_EQ(type(cli, "show power inline\n"),
              "show power inline\r\n       ^\r\n% Invalid input detected at '^' marker.\r\n\r\nSwitch>");
}

TEST_F(CliSessionTest, RejectedAndAuthorizationFaults) {
    add_fault("rejected 'power inline' 1");
    add_fault("authorization-failed 'configure' 1");
    auto& cli = session(true);
    cli.start_shell(t0_);
    cli.advance(t0_);
    cli.take_output();
    EXPECT_EQ(type(cli, "configure terminal\n"),
              "configure terminal\r\nCommand authorization failed.\r\nSwitch#");
    type(cli, "configure terminal\ninterface gi1/0/1\n");
    EXPECT_EQ(
        type(cli, "power inline never\n"),
        "power inline never\r\nCommand rejected: power inline never is not allowed.\r\nSwitch(config-if)#");
    EXPECT_EQ(stats().at("ports").at("Gi1/0/1").at("mode").as_string(), "auto");
}

TEST_F(CliSessionTest, MorePromptWaitsForTheClientNotTheClock) {
    auto& cli = shell();
    type(cli, "show power inline\n");
    EXPECT_EQ(cli.next_wakeup(), std::nullopt);
    EXPECT_EQ(type(cli, "", t0_ + 1h), "");
    EXPECT_EQ(cli.outcome(), CliSession::Outcome::running);
    cli.peer_eof();
    cli.advance(t0_ + 1h);
    EXPECT_EQ(cli.outcome(), CliSession::Outcome::close);
}

TEST_F(CliSessionTest, DropFaultCutsTheOutputAndDrops) {
    add_fault("drop 'show power inline'");
    auto& cli = shell();
    const std::string out = type(cli, "terminal length 0\nshow power inline\n");
    EXPECT_THAT(out, HasSubstr("Module   Available"));
    EXPECT_THAT(out, Not(HasSubstr("Totals")));
    EXPECT_EQ(cli.outcome(), CliSession::Outcome::drop);
}

TEST_F(CliSessionTest, DropAfterCountsCommands) {
    add_fault("drop-after 2");
    auto& cli = shell();
    type(cli, "show privilege\n");
    EXPECT_EQ(cli.outcome(), CliSession::Outcome::running);
    EXPECT_EQ(type(cli, "show privilege\n"), "show privilege\r\nCurrent privilege level is 1\r\n");
    EXPECT_EQ(cli.outcome(), CliSession::Outcome::drop);
}

TEST_F(CliSessionTest, SlowFaultAddsDelay) {
    add_fault("slow 'show clock' 300 1");
    auto& cli = shell();
    EXPECT_EQ(type(cli, "show clock\n"), "show clock\r\n");
    EXPECT_EQ(cli.next_wakeup(), t0_ + 300ms);
}

TEST_F(CliSessionTest, RefuseEnableFault) {
    add_fault("refuse-enable 1");
    auto& cli = shell();
    EXPECT_THAT(type(cli, "enable\nenablepw\nenablepw\nenablepw\n"), HasSubstr("% Bad secrets"));
    EXPECT_EQ(type(cli, "enable\nenablepw\n"), "enable\r\nPassword: \r\nSwitch#");
}

TEST_F(CliSessionTest, TwoSessionsCommandingAtOnceIsAViolation) {
    settings_.update([](SettingsValues& v) { v.command_delay = 100ms; });
    auto& a = shell();
    auto& b = shell();
    type(a, "show power inline gi1/0/1\n", t0_);
    type(b, "show power inline gi1/0/1\n", t0_ + 50ms);
    a.advance(t0_ + 100ms);
    b.advance(t0_ + 150ms);
    EXPECT_EQ(stats().at("concurrent_command_violations").as_uint64(), 1u);
    // One after the other is fine.
    type(a, "show power inline gi1/0/1\n", t0_ + 200ms);
    a.advance(t0_ + 300ms);
    type(b, "show power inline gi1/0/1\n", t0_ + 300ms);
    b.advance(t0_ + 400ms);
    EXPECT_EQ(stats().at("concurrent_command_violations").as_uint64(), 1u);
}

TEST_F(CliSessionTest, CommandsAreCountedByName) {
    auto& cli = session(true);
    cli.start_shell(t0_);
    type(cli,
         "terminal length 0\nsh pow inl\nconf t\nint gi1/0/1\npower inline never\nno power inline\nend\n");
    const auto s = stats();
    EXPECT_EQ(s.at("commands").as_uint64(), 7u);
    const auto& by_name = s.at("commands_by_name").as_object();
    EXPECT_EQ(by_name.at("show power inline").as_uint64(), 1u);
    EXPECT_EQ(by_name.at("configure terminal").as_uint64(), 1u);
    EXPECT_EQ(by_name.at("power inline").as_uint64(), 2u);
    EXPECT_EQ(s.at("config_changes").as_uint64(), 2u);
    EXPECT_EQ(s.at("ports").at("Gi1/0/1").at("admin").as_string(), "auto");
}

TEST_F(CliSessionTest, ReplayAnswersVerbatim) {
    const std::string capture = read_fixture("ntc_iosxe16_12_3stack_gi.txt");
    settings_.update([&](SettingsValues& v) { v.replay = capture; });
    auto& cli = session();
    cli.start_exec("show power inline", t0_);
    cli.advance(t0_);
    // The capture has no final newline; the simulator ends the line.
    EXPECT_EQ(cli.take_output(), capture + "\r\n");
}

// The layouts are modelled on real captures: header and ruler lines must be
// byte-identical to the fixtures.
std::string render(OutputStyle style, const std::string& ports) {
    SwitchState state("Switch", parse_port_spec(ports));
    return render_power_inline(state.snapshot(Clock::now()), style);
}

TEST(ShowRendererTest, IosXeMatchesTheStackCaptures) {
    const auto ours = split_lines(render(OutputStyle::iosxe, "Gi1/0/1-4,Gi2/0/1-4"));
    const auto real = split_lines(read_fixture("ntc_iosxe17_12_2stack_tw_te.txt"));
    for (const std::size_t i : {0u, 1u, 2u, 4u, 5u, 6u}) {
        EXPECT_EQ(ours[i], real[i]) << "line " << i;
    }
    EXPECT_EQ(ours[3], "1           740.0       21.6       718.4");
    EXPECT_EQ(ours[7], "Gi1/0/1   auto   on         4.5     Ieee PD             4     30.0 ");
    EXPECT_EQ(ours[11], real[13]);  // Totals ruler
    EXPECT_EQ(ours[12], "Totals:          4    on    21.6      ");
    EXPECT_EQ(ours[13], "");
    EXPECT_EQ(ours[14], "");
    EXPECT_EQ(ours[15], real[0]);  // next member's Module table
    EXPECT_EQ(ours[18], "2           740.0       21.4       718.6");
}

TEST(ShowRendererTest, IosXe16HasNoTotals) {
    const auto ours = split_lines(render(OutputStyle::iosxe16, "Gi1/0/1-2,Gi2/0/1-2"));
    const auto real = split_lines(read_fixture("ntc_iosxe16_12_3stack_gi.txt"));
    EXPECT_EQ(ours[6], real[6]);
    EXPECT_EQ(ours[9], "");
    EXPECT_EQ(ours[10], real[0]);
}

TEST(ShowRendererTest, Ios15MatchesTheClassicCapture) {
    const auto ours = split_lines(render(OutputStyle::ios15, "Fa0/1-24"));
    const auto real = split_lines(read_fixture("ntc_ios12_2960_available_fa.txt"));
    EXPECT_EQ(ours[0], "Available:370.0(w)  Used:130.8(w)  Remaining:239.2(w)");
    for (const std::size_t i : {1u, 2u, 3u, 4u}) {
        EXPECT_EQ(ours[i], real[i]) << "line " << i;
    }
    EXPECT_EQ(ours[5], "Fa0/1     auto   on         4.5     Ieee PD             4     15.4");
    EXPECT_EQ(ours.size(), 5u + 24u);
}

TEST(ShowRendererTest, Cat4500MatchesFromPsToDevice) {
    const auto ours = split_lines(render(OutputStyle::cat4500, "Gi1/1-2"));
    const auto real = split_lines(read_fixture("genie_cat4500_frompS_todevice.txt"));
    EXPECT_EQ(ours[0], "Available:4800(w)  Used:10(w)  Remaining:4790(w)");
    for (const std::size_t i : {1u, 2u, 3u, 4u, 5u}) {
        EXPECT_EQ(ours[i], real[i]) << "line " << i;
    }
    EXPECT_EQ(ours[6], "Gi1/1     auto   on         4.7        4.5        Ieee PD             4    ");
    EXPECT_EQ(ours[8], real[10]);
    EXPECT_EQ(ours[9], "");
    EXPECT_EQ(ours[10], "Totals:          2    on    10.8       10.3  ");
}

TEST(ShowRendererTest, NeverPortShowsOffNaAndZero) {
    SwitchState state("Switch", parse_port_spec("Gi1/0/1"));
    const InterfaceId port = state.port_ids().front();
    state.set_power(port, AdminMode::never, std::nullopt, Clock::now(), 0ms);
    EXPECT_EQ(render_power_inline_port(*state.port(port, Clock::now()), OutputStyle::iosxe),
              "Interface Admin  Oper       Power   Device              Class Max\n"
              "                            (Watts)                            \n"
              "--------- ------ ---------- ------- ------------------- ----- ----\n"
              "Gi1/0/1   off    off        0.0     n/a                 n/a   30.0 \n");
}

TEST(ShowRendererTest, DetailFollowsTheGenieLayout) {
    SwitchState state("Switch", parse_port_spec("Te1/0/1"));
    const auto detail =
        split_lines(render_power_inline_detail(*state.port(state.port_ids().front(), Clock::now())));
    const auto real = split_lines(read_fixture("genie_detail_1.txt"));
    ASSERT_EQ(detail.size(), real.size());
    EXPECT_EQ(detail[0], "Interface: Te1/0/1");
    EXPECT_EQ(detail[2], "Operational status: on");
    for (std::size_t i = 0; i < real.size(); ++i) {
        const auto colon = real[i].find(':');
        EXPECT_EQ(detail[i].substr(0, colon), real[i].substr(0, colon)) << "line " << i;
    }
}

TEST(PortSpecTest, ExpandsRangesAndStacks) {
    const auto ports = parse_port_spec("Gi1/0/1-48,Gi2/0/1-48,Te1/1/1-4");
    ASSERT_EQ(ports.size(), 100u);
    EXPECT_EQ(ports.front().short_name(), "Gi1/0/1");
    EXPECT_EQ(ports[48].full_name(), "GigabitEthernet2/0/1");
    EXPECT_EQ(ports.back().short_name(), "Te1/1/4");
    EXPECT_EQ(parse_port_spec("Fa0/1-24").back().short_name(), "Fa0/24");
    EXPECT_EQ(parse_port_spec("Twe1/0/1").front().full_name(), "TwentyFiveGigE1/0/1");
    EXPECT_THROW(parse_port_spec("Xx1/0/1"), std::invalid_argument);
    EXPECT_THROW(parse_port_spec("Gi1/0/5-1"), std::invalid_argument);
}

TEST(CommandParserTest, ShortNamesWinOverPrefixes) {
    const auto ports = parse_port_spec("Tw1/0/1,Te1/0/1,Twe1/0/1");
    const auto parse = [&](const char* line) { return parse_command(line, CliMode::exec, false, ports); };
    EXPECT_EQ(std::get<Command>(parse("sh pow inl tw1/0/1")).interface->short_name(), "Tw1/0/1");
    EXPECT_EQ(std::get<Command>(parse("sh pow inl twe1/0/1")).interface->short_name(), "Twe1/0/1");
    EXPECT_EQ(std::get<Command>(parse("sh pow inl tenGig1/0/1")).interface->short_name(), "Te1/0/1");
    EXPECT_EQ(std::get<ParseError>(parse("sh pow inl t1/0/1")).kind, ParseError::Kind::ambiguous);
}

}  // namespace
}  // namespace ios_sim
