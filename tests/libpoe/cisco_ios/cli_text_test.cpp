// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/cli_text.hpp"

#include "cisco_ios/show_power_inline_parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace poe::ios {
namespace {

using ::testing::HasSubstr;

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(POE_FIXTURES_DIR) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in.good()) << "missing fixture " << name;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

Prompt prompt(std::string hostname, CliMode mode, std::string submode = {}) {
    return Prompt{std::move(hostname), mode, std::move(submode)};
}

// ------------------------------------------------------------ newlines

TEST(NormalizeNewlinesTest, LineEndings) {
    EXPECT_EQ(normalize_newlines("a\r\nb\r\n"), "a\nb\n");
    EXPECT_EQ(normalize_newlines("a\r\r\nb"), "a\nb");
    EXPECT_EQ(normalize_newlines("a\n\rb\n\r"), "a\nb\n");
    EXPECT_EQ(normalize_newlines("a\rb\r"), "a\nb\n");
    EXPECT_EQ(normalize_newlines("\rcisco1>"), "cisco1>");
    EXPECT_EQ(normalize_newlines("a\n\nb"), "a\n\nb");
    EXPECT_EQ(normalize_newlines("a\r\n\r\nb"), "a\n\nb");
}

TEST(NormalizeNewlinesTest, BackspacesEraseOnTheSameLineOnly) {
    EXPECT_EQ(normalize_newlines("abc\b\bX"), "aX");
    EXPECT_EQ(normalize_newlines("ab\n\b\bc"), "ab\nc");
    EXPECT_EQ(normalize_newlines("\b\bx"), "x");
}

TEST(NormalizeNewlinesTest, ControlsAndEscapesAreDropped) {
    EXPECT_EQ(normalize_newlines(std::string("a\0b\x07"
                                             "c",
                                             5)),
              "abc");
    EXPECT_EQ(normalize_newlines("\x1b[2J\x1b[1;1Hcisco1#"), "cisco1#");
    EXPECT_EQ(normalize_newlines("\x1b[?25lshow\x1b[0m"), "show");
    EXPECT_EQ(normalize_newlines("\x1b]0;title\x07sw#"), "sw#");
    EXPECT_EQ(normalize_newlines("\x1b]0;title\x1b\\sw#"), "sw#");
    EXPECT_EQ(normalize_newlines("\x1b(Bx\x1b"
                                 "7y\x1b=z"),
              "xyz");
    EXPECT_EQ(normalize_newlines("tab\tkept\x7f"), "tab\tkept");
    EXPECT_EQ(normalize_newlines("cut\x1b"), "cut");
    EXPECT_EQ(normalize_newlines("cut\x1b[12"), "cut");
    EXPECT_EQ(normalize_newlines("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(NormalizeNewlinesTest, BackspaceErasedPagerMarkerVanishes) {
    const std::string erase = std::string(10, '\b') + std::string(10, ' ') + std::string(10, '\b');
    EXPECT_EQ(normalize_newlines("line1\r\n --More-- " + erase + "line2\r\n"), "line1\nline2\n");
}

// ------------------------------------------------------------- prompts

TEST(PromptTest, DetectsEachMode) {
    EXPECT_EQ(detect_prompt("cisco1>", "cisco1"), prompt("cisco1", CliMode::user_exec));
    EXPECT_EQ(detect_prompt("output\ncisco1#", "cisco1"), prompt("cisco1", CliMode::privileged_exec));
    EXPECT_EQ(detect_prompt("x\ncisco1(config)#", "cisco1"), prompt("cisco1", CliMode::config));
    EXPECT_EQ(detect_prompt("cisco1(config-if)#", "cisco1"), prompt("cisco1", CliMode::config_submode, "if"));
    EXPECT_EQ(detect_prompt("cisco1(config-if-range)#", "cisco1"),
              prompt("cisco1", CliMode::config_submode, "if-range"));
    EXPECT_EQ(detect_prompt("cisco1(config-line)#", "cisco1"),
              prompt("cisco1", CliMode::config_submode, "line"));
    EXPECT_EQ(detect_prompt("cisco1# ", "cisco1"), prompt("cisco1", CliMode::privileged_exec));
}

TEST(PromptTest, ConfigModesAcceptATruncatedHostname) {
    const std::string host = "lab-poe-switch-rack-07";
    EXPECT_EQ(detect_prompt("lab-poe-switch-rack-(config)#", host),
              prompt("lab-poe-switch-rack-", CliMode::config));
    EXPECT_EQ(detect_prompt("lab-poe-switch-rack-(config-if)#", host),
              prompt("lab-poe-switch-rack-", CliMode::config_submode, "if"));
    EXPECT_EQ(detect_prompt("l(config)#", host), prompt("l", CliMode::config));
    // Exec modes show the whole name.
    EXPECT_FALSE(detect_prompt("lab-poe-switch-rack-#", host));
    EXPECT_TRUE(detect_prompt("lab-poe-switch-rack-07#", host));
}

TEST(PromptTest, RejectsWhatIsNotOurPrompt) {
    EXPECT_FALSE(detect_prompt("cisco1#\n", "cisco1")) << "a prompt has no trailing newline";
    EXPECT_FALSE(detect_prompt("other#", "cisco1"));
    EXPECT_FALSE(detect_prompt("cisco1x#", "cisco1"));
    EXPECT_FALSE(detect_prompt("cisco#", "cisco1"));
    EXPECT_FALSE(detect_prompt("xcisco1(config)#", "cisco1"));
    EXPECT_FALSE(detect_prompt("cisco1(vlan)#", "cisco1"));
    EXPECT_FALSE(detect_prompt("cisco1(config-if #", "cisco1"));
    EXPECT_FALSE(detect_prompt("cisco1#show power inline", "cisco1"));
    EXPECT_FALSE(detect_prompt("Password: ", "cisco1"));
    EXPECT_FALSE(detect_prompt("cisco1#", ""));
    EXPECT_FALSE(detect_prompt("", "cisco1"));
    EXPECT_FALSE(detect_prompt("#", "cisco1"));
    EXPECT_FALSE(detect_prompt(std::string(200, 'a') + "#", std::string(200, 'a')));
}

TEST(PromptTest, LearnsFromTheLastLineOnly) {
    const std::string banner =
        "##################################\n"
        "# Authorised access only. #1 > 0 #\n"
        "##################################\n"
        "\n"
        "lab-sw-01>";
    auto learned = learn_prompt(banner);
    ASSERT_TRUE(learned.ok()) << learned.error().message;
    EXPECT_EQ(*learned, prompt("lab-sw-01", CliMode::user_exec));

    auto enabled = learn_prompt("Welcome\ncore_sw.lab#");
    ASSERT_TRUE(enabled.ok());
    EXPECT_EQ(*enabled, prompt("core_sw.lab", CliMode::privileged_exec));

    auto config = learn_prompt("sw1(config-if)#");
    ASSERT_TRUE(config.ok());
    EXPECT_EQ(*config, prompt("sw1", CliMode::config_submode, "if"));
}

TEST(PromptTest, LearnFailsWithoutAPrompt) {
    for (const char* tail :
         {"", "banner #\n", "lab-sw-01>\n", "Password: ", "####", "% Access denied", "host name#", ">"}) {
        auto learned = learn_prompt(tail);
        EXPECT_FALSE(learned.ok()) << tail;
        if (!learned.ok()) {
            EXPECT_EQ(learned.error().code, ErrorCode::parse_error);
        }
    }
}

TEST(PromptTest, PasswordPrompt) {
    EXPECT_TRUE(ends_with_password_prompt("enable\nPassword: "));
    EXPECT_TRUE(ends_with_password_prompt("Password:"));
    EXPECT_TRUE(ends_with_password_prompt("password:"));
    EXPECT_FALSE(ends_with_password_prompt("Password: \n"));
    EXPECT_FALSE(ends_with_password_prompt("cisco1#"));
}

// ---------------------------------------------------------------- pager

TEST(PagerTest, DetectsAndStripsTheMarker) {
    EXPECT_TRUE(ends_with_more(" --More-- "));
    EXPECT_TRUE(ends_with_more("Gi1/0/1 ...\n --More-- "));
    EXPECT_TRUE(ends_with_more("x\n--More--"));
    EXPECT_FALSE(ends_with_more(" --More-- \nGi1/0/2"));
    EXPECT_FALSE(ends_with_more("cisco1#"));
    EXPECT_EQ(strip_more("a\nb\n --More-- "), "a\nb\n");
    EXPECT_EQ(strip_more("a\nb\n"), "a\nb\n");
}

TEST(PagerTest, StripsMarkerLinesLeftByCarriageReturnErase) {
    EXPECT_EQ(strip_more_markers("a\n --More-- \n          \nb\n"), "a\nb\n");
    EXPECT_EQ(strip_more_markers("a\n --More-- \nb\n"), "a\nb\n");
    EXPECT_EQ(strip_more_markers("a\n\nb\n"), "a\n\nb\n") << "ordinary blank lines stay";
    EXPECT_EQ(strip_more_markers("no marker"), "no marker");
}

// ----------------------------------------------------------------- echo

TEST(EchoTest, StripsTheEcho) {
    auto out = strip_command_echo("show power inline\nModule\n", "show power inline");
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(*out, "Module\n");
    auto leading = strip_command_echo("\n  \nshow power inline   \nModule\n", " show power inline ");
    ASSERT_TRUE(leading.ok()) << leading.error().message;
    EXPECT_EQ(*leading, "Module\n");
    auto only = strip_command_echo("end", "end");
    ASSERT_TRUE(only.ok());
    EXPECT_EQ(*only, "");
}

TEST(EchoTest, ToleratesWrappingAndBlankDifferences) {
    auto wrapped =
        strip_command_echo("interface GigabitEther\nnet1/0/5\nrest", "interface GigabitEthernet1/0/5");
    ASSERT_TRUE(wrapped.ok()) << wrapped.error().message;
    EXPECT_EQ(*wrapped, "rest");
    auto at_blank = strip_command_echo("power inline\n never\nrest", "power inline never");
    ASSERT_TRUE(at_blank.ok()) << at_blank.error().message;
    EXPECT_EQ(*at_blank, "rest");
}

TEST(EchoTest, MissingEchoIsAnError) {
    for (const auto& [output, command] : std::vector<std::pair<std::string, std::string>>{
             {"show ip interface brief\nx\n", "show power inline"},
             {"show power\n", "show power inline"},
             {"", "show power inline"},
             {"show power inline extra\n", "show power inline"},
             {"Module   Available\n", "show power inline"}}) {
        auto out = strip_command_echo(output, command);
        EXPECT_FALSE(out.ok()) << output;
        if (!out.ok()) {
            EXPECT_EQ(out.error().code, ErrorCode::parse_error);
            EXPECT_THAT(out.error().message, HasSubstr("command echo"));
        }
    }
}

TEST(EchoTest, StripsTrailingPrompt) {
    EXPECT_EQ(strip_trailing_prompt("a\nb\ncisco1#", "cisco1"), "a\nb\n");
    EXPECT_EQ(strip_trailing_prompt("cisco1#", "cisco1"), "");
    EXPECT_EQ(strip_trailing_prompt("a\nb\n", "cisco1"), "a\nb\n");
    EXPECT_EQ(strip_trailing_prompt("a\nother#", "cisco1"), "a\nother#");
}

// Raw bytes as the PTY delivers them: CRLF, a pager page break in the middle
// erased with backspaces (or CR), the trailing prompt. What comes out parses
// exactly like the clean capture.
TEST(ExtractCommandOutputTest, PagedRawOutputParsesLikeTheCapture) {
    const std::string capture = fixture("ntc_iosxe16_12_3stack_gi.txt");
    const auto expected = parse_show_power_inline(capture);
    ASSERT_TRUE(expected.ok());
    const std::size_t page_break = capture.find("Gi2/0/1 ");
    ASSERT_NE(page_break, std::string::npos);

    for (const std::string& erase : {std::string(10, '\b') + std::string(10, ' ') + std::string(10, '\b'),
                                     std::string("\r          \r")}) {
        std::string raw = "show power inline\r\n";
        for (std::size_t i = 0; i < capture.size(); ++i) {
            if (i == page_break) {
                raw += " --More-- " + erase;
            }
            raw += capture[i] == '\n' ? std::string("\r\n") : std::string(1, capture[i]);
        }
        raw += "\r\nsw-lab-01#";
        auto output = extract_command_output(raw, "show power inline", "sw-lab-01");
        ASSERT_TRUE(output.ok()) << output.error().message;
        EXPECT_EQ(output->find("More"), std::string::npos);
        EXPECT_EQ(output->find("sw-lab-01"), std::string::npos);
        auto ports = parse_show_power_inline(*output);
        ASSERT_TRUE(ports.ok()) << ports.error().message;
        EXPECT_EQ(*ports, *expected);
    }
}

// `terminal length 0`, `end` and friends print nothing but the next prompt.
TEST(ExtractCommandOutputTest, CommandThatPrintsNothingGivesEmptyOutput) {
    const std::pair<const char*, const char*> cases[] = {
        {"terminal length 0\r\nsw1#", "terminal length 0"}, {"end\r\nsw1#", "end"}, {"end\nsw1#", "end"}};
    for (const auto& [raw, command] : cases) {
        auto output = extract_command_output(raw, command, "sw1");
        ASSERT_TRUE(output.ok()) << raw << ": " << output.error().message;
        EXPECT_EQ(*output, "") << raw;
    }
}

TEST(ExtractCommandOutputTest, RejectsOversizedOutput) {
    auto output = extract_command_output(std::string(1024 * 1024 + 1, 'x'), "show power inline", "sw");
    ASSERT_FALSE(output.ok());
    EXPECT_EQ(output.error().code, ErrorCode::parse_error);
    EXPECT_LE(output.error().device_text.size(), 8U * 1024U);
}

// --------------------------------------------------------------- errors

TEST(ClassifyCliErrorTest, RejectionsAreDeviceRejected) {
    for (const char* output : {"                ^\n% Invalid input detected at '^' marker.\n",
                               "% Incomplete command.\n", "% Ambiguous command:  \"sh p\"\n",
                               "% Unknown command or computer name, or unable to find computer address\n",
                               "Command rejected: Bad VLAN list - character #1 is a non-numeric character.\n",
                               "%Invalid input detected at '^' marker.\n"}) {
        const auto error = classify_cli_error(output);
        ASSERT_TRUE(error.has_value()) << output;
        EXPECT_EQ(error->code, ErrorCode::device_rejected) << output;
        EXPECT_THAT(error->message, HasSubstr("switch rejected the command"));
        EXPECT_FALSE(error->device_text.empty());
    }
}

TEST(ClassifyCliErrorTest, CommandAuthorisationFailureIsARejectedCommandNotALoginFailure) {
    const auto error = classify_cli_error("Command authorization failed.\n");
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code, ErrorCode::device_rejected);
    EXPECT_THAT(error->message, HasSubstr("Command authorization failed."));
}

TEST(ClassifyCliErrorTest, AuthorisationFailuresAreAuthFailed) {
    for (const char* output : {"% Bad secrets\n", "% Access denied\n", "% Authorization failed.\n"}) {
        const auto error = classify_cli_error(output);
        ASSERT_TRUE(error.has_value()) << output;
        EXPECT_EQ(error->code, ErrorCode::auth_failed) << output;
        EXPECT_THAT(error->message, HasSubstr(lines_of(output).front()));
    }
}

TEST(ClassifyCliErrorTest, OrdinaryOutputIsNoError) {
    EXPECT_FALSE(classify_cli_error(""));
    EXPECT_FALSE(classify_cli_error(fixture("ntc_iosxe16_12_3stack_gi.txt")));
    EXPECT_FALSE(classify_cli_error("Building configuration...\n[OK]\n"));
    EXPECT_FALSE(classify_cli_error("Enter configuration commands, one per line.  End with CNTL/Z.\n"));
    EXPECT_FALSE(classify_cli_error("% Warning: power inline static max exceeds budget\n"));
    EXPECT_FALSE(classify_cli_error("Invalid input detected\n")) << "IOS prefixes these with %";
}

// ----------------------------------------------- real session transcripts

TEST(TranscriptTest, ShowSessionPromptsAndOutput) {
    const std::string log = fixture("netmiko_ios881_session_show.log");
    auto learned = learn_prompt(log.substr(0, log.find('\n')));
    ASSERT_TRUE(learned.ok()) << learned.error().message;
    EXPECT_EQ(*learned, prompt("cisco1", CliMode::user_exec));

    // The show command's output runs from its echo to the next prompt.
    const std::string command_line = "cisco1>show ip interface brief\n";
    const std::size_t start = log.find(command_line) + command_line.size();
    const std::size_t end = log.find("cisco1>", start) + std::string("cisco1>").size();
    const std::string segment = log.substr(start, end - start);
    EXPECT_TRUE(detect_prompt(segment, "cisco1"));
    const std::string_view output = strip_trailing_prompt(segment, "cisco1");
    EXPECT_TRUE(output.starts_with("Interface "));
    EXPECT_TRUE(output.ends_with(
        "Vlan1                      unassigned      YES unset  down                  down    \n"));
    EXPECT_FALSE(classify_cli_error(output));
}

TEST(TranscriptTest, InvalidInputWithCaretLine) {
    const std::string log = fixture("netmiko_ios881_session_invalid_input_echo.log");
    // This log records our writes and the switch's echo, so the command
    // appears after the prompt and again as the echo.
    const std::string typed = "cisco1>show foooooooo\n";
    const std::size_t start = log.find(typed) + typed.size();
    const std::size_t end = log.find("cisco1>", start) + std::string("cisco1>").size();
    const std::string segment = log.substr(start, end - start);

    auto after_echo = strip_command_echo(segment, "show foooooooo");
    ASSERT_TRUE(after_echo.ok()) << after_echo.error().message;
    const std::string_view output = strip_trailing_prompt(*after_echo, "cisco1");
    const auto error = classify_cli_error(output);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code, ErrorCode::device_rejected);
    EXPECT_THAT(error->message, HasSubstr("% Invalid input detected at '^' marker."));
    EXPECT_THAT(error->device_text, HasSubstr("              ^\n% Invalid input detected"));

    // The same session's later command output is clean.
    const std::string typed_show = "cisco1>show ip interface brief\n";
    const std::size_t show_start = log.find(typed_show) + typed_show.size();
    const std::size_t show_end = log.find("cisco1>", show_start) + std::string("cisco1>").size();
    const std::string show_segment = log.substr(show_start, show_end - show_start);
    auto show = strip_command_echo(show_segment, "show ip interface brief");
    ASSERT_TRUE(show.ok()) << show.error().message;
    EXPECT_TRUE(show->starts_with("Interface "));
    EXPECT_FALSE(classify_cli_error(*show));
}

TEST(TranscriptTest, EnableAndConfigModes) {
    const std::string log = fixture("netmiko_ios881_session_enable_config_redacted.log");
    std::vector<Prompt> prompts;
    for (const std::string& line : lines_of(log)) {
        if (auto found = detect_prompt(line, "cisco1")) {
            prompts.push_back(*found);
        }
    }
    ASSERT_FALSE(prompts.empty());
    std::size_t user = 0;
    std::size_t privileged = 0;
    std::size_t config = 0;
    for (const Prompt& p : prompts) {
        user += p.mode == CliMode::user_exec ? 1U : 0U;
        privileged += p.mode == CliMode::privileged_exec ? 1U : 0U;
        config += p.mode == CliMode::config ? 1U : 0U;
    }
    EXPECT_EQ(user, 3U);
    EXPECT_EQ(privileged, 4U);
    EXPECT_EQ(config, 2U);

    // "enable" is answered with a password request.
    const std::size_t password = log.find("Password: ");
    ASSERT_NE(password, std::string::npos);
    EXPECT_TRUE(ends_with_password_prompt(log.substr(0, password + 10)));

    // configure terminal: its banner is output, not an error; then config mode.
    const std::string typed = "cisco1#configure terminal\n";
    const std::size_t start = log.find(typed) + typed.size();
    const std::size_t end = log.find("cisco1(config)#", start) + std::string("cisco1(config)#").size();
    const std::string segment = log.substr(start, end - start);
    EXPECT_EQ(detect_prompt(segment, "cisco1"), prompt("cisco1", CliMode::config));
    auto after_echo = strip_command_echo(segment, "configure terminal");
    ASSERT_TRUE(after_echo.ok()) << after_echo.error().message;
    EXPECT_EQ(strip_trailing_prompt(*after_echo, "cisco1"),
              "Enter configuration commands, one per line.  End with CNTL/Z.\n");
    EXPECT_FALSE(classify_cli_error(*after_echo));
}

}  // namespace
}  // namespace poe::ios
