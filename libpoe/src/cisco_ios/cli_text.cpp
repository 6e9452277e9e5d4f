// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/cli_text.hpp"

#include "cisco_ios/string_helpers.hpp"

#include <array>

namespace poe::ios {
namespace {

constexpr char escape_char = '\x1b';
constexpr char bell_char = '\x07';
constexpr char backspace_char = '\x08';
constexpr std::string_view more_marker = "--More--";

// The last line of `text` (after the last LF), without trailing blanks.
std::string_view last_line(std::string_view text) {
    const std::size_t newline = text.rfind('\n');
    return trim_right(newline == std::string_view::npos ? text : text.substr(newline + 1));
}

constexpr bool is_hostname_char(char c) noexcept {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7f && c != '#' && c != '>' && c != '(' && c != ')';
}

constexpr bool is_submode_char(char c) noexcept {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '_';
}

bool valid_hostname(std::string_view host) {
    if (host.empty()) {
        return false;
    }
    for (const char c : host) {
        if (!is_hostname_char(c)) {
            return false;
        }
    }
    return true;
}

// Recognises `host>`, `host#`, `host(config)#`, `host(config-xxx)#` without
// knowing the hostname.
std::optional<Prompt> parse_prompt_line(std::string_view line) {
    if (line.size() < 2 || line.size() > max_prompt_line_length) {
        return std::nullopt;
    }
    Prompt prompt;
    std::string_view body = line.substr(0, line.size() - 1);
    if (line.back() == '>') {
        prompt.mode = CliMode::user_exec;
    } else if (line.back() != '#') {
        return std::nullopt;
    } else if (body.back() != ')') {
        prompt.mode = CliMode::privileged_exec;
    } else {
        const std::size_t open = body.rfind('(');
        if (open == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string_view mode = body.substr(open + 1, body.size() - open - 2);
        body = body.substr(0, open);
        if (mode == "config") {
            prompt.mode = CliMode::config;
        } else if (mode.starts_with("config-") && mode.size() > 7) {
            const std::string_view submode = mode.substr(7);
            for (const char c : submode) {
                if (!is_submode_char(c)) {
                    return std::nullopt;
                }
            }
            prompt.mode = CliMode::config_submode;
            prompt.submode = std::string(submode);
        } else {
            return std::nullopt;
        }
    }
    if (!valid_hostname(body)) {
        return std::nullopt;
    }
    prompt.hostname = std::string(body);
    return prompt;
}

// `text` without leading blank lines and trailing blanks; the first line
// keeps its indentation (an IOS caret line is only meaningful with it).
std::string_view without_blank_edges(std::string_view text) {
    text = trim_right(text);
    while (!text.empty()) {
        const std::size_t newline = text.find('\n');
        if (newline == std::string_view::npos || !trim(text.substr(0, newline)).empty()) {
            break;
        }
        text.remove_prefix(newline + 1);
    }
    return text;
}

struct ErrorRule {
    std::string_view text;  // as IOS prints it, without the leading "% "
    bool percent;           // IOS puts "% " in front
    ErrorCode code;
};

constexpr std::array<ErrorRule, 11> error_rules{{
    {"Invalid input detected", true, ErrorCode::device_rejected},
    {"Incomplete command", true, ErrorCode::device_rejected},
    {"Ambiguous command", true, ErrorCode::device_rejected},
    {"Unknown command", true, ErrorCode::device_rejected},
    {"Unrecognized command", true, ErrorCode::device_rejected},
    {"Command rejected:", false, ErrorCode::device_rejected},
    // AAA refused this one command: the session is fine, the account lacks
    // the right to configure PoE. Not a login failure.
    {"Command authorization failed", false, ErrorCode::device_rejected},
    {"Command authorization failed", true, ErrorCode::device_rejected},
    {"Bad secrets", true, ErrorCode::auth_failed},
    {"Access denied", true, ErrorCode::auth_failed},
    {"Authorization failed", true, ErrorCode::auth_failed},
}};

std::optional<ErrorCode> classify_line(std::string_view line) {
    line = trim_left(line);
    std::string_view after_percent;
    const bool has_percent = !line.empty() && line.front() == '%';
    if (has_percent) {
        after_percent = trim_left(line.substr(1));
    }
    for (const auto& rule : error_rules) {
        if (rule.percent ? has_percent && after_percent.starts_with(rule.text)
                         : line.starts_with(rule.text)) {
            return rule.code;
        }
    }
    return std::nullopt;
}

}  // namespace

std::string normalize_newlines(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    std::size_t line_start = 0;
    const std::size_t n = raw.size();
    for (std::size_t i = 0; i < n; ++i) {
        // Copy runs of plain text in one go; only controls need a look.
        std::size_t run = i;
        std::size_t last_newline = std::string_view::npos;
        while (run < n) {
            const auto byte = static_cast<unsigned char>(raw[run]);
            if (byte == '\n') {
                last_newline = run;
            } else if ((byte < 0x20 && byte != '\t') || byte == 0x7f) {
                break;
            }
            ++run;
        }
        if (run > i) {
            out.append(raw.data() + i, run - i);
            if (last_newline != std::string_view::npos) {
                line_start = out.size() - (run - last_newline - 1);
            }
            i = run;
            if (i == n) {
                break;
            }
        }
        const char c = raw[i];
        if (c == '\r') {
            std::size_t j = i;
            while (j < n && raw[j] == '\r') {
                ++j;
            }
            if (j < n && raw[j] == '\n') {
                out += '\n';
                line_start = out.size();
                i = j;
            } else {
                // A lone CR after text is a line end (as netmiko treats
                // it): a terminal would overwrite, but a line break loses
                // no text. At the start of a line (LF CR, as old IOS
                // sends) it moves nothing.
                if (out.size() != line_start) {
                    out += '\n';
                    line_start = out.size();
                }
                i = j - 1;
            }
        } else if (c == backspace_char) {
            if (out.size() > line_start) {
                out.pop_back();
            }
        } else if (c == escape_char) {
            if (i + 1 >= n) {
                break;
            }
            const char kind = raw[i + 1];
            if (kind == '[') {
                // CSI: parameters and intermediates up to a final byte 0x40..0x7e.
                std::size_t j = i + 2;
                while (j < n && !(raw[j] >= '@' && raw[j] <= '~')) {
                    ++j;
                }
                i = j;
            } else if (kind == ']') {
                // OSC: up to BEL or ESC backslash.
                std::size_t j = i + 2;
                while (j < n && raw[j] != bell_char &&
                       !(raw[j] == escape_char && j + 1 < n && raw[j + 1] == '\\')) {
                    ++j;
                }
                i = (j < n && raw[j] == escape_char) ? j + 1 : j;
            } else if (kind >= ' ' && kind <= '/') {
                // ESC, intermediate, final (e.g. ESC ( B).
                i += 2;
            } else {
                i += 1;
            }
        }
        // Other C0 controls (NUL, BEL, ...) and DEL carry nothing for us.
    }
    return out;
}

std::optional<Prompt> detect_prompt(std::string_view text, std::string_view hostname) {
    if (hostname.empty() || (!text.empty() && text.back() == '\n')) {
        return std::nullopt;
    }
    auto prompt = parse_prompt_line(last_line(text));
    if (!prompt) {
        return std::nullopt;
    }
    const bool exec = prompt->mode == CliMode::user_exec || prompt->mode == CliMode::privileged_exec;
    if (exec ? prompt->hostname != hostname : !hostname.starts_with(prompt->hostname)) {
        return std::nullopt;
    }
    return prompt;
}

Result<Prompt> learn_prompt(std::string_view tail) {
    if (tail.empty()) {
        return make_error(ErrorCode::parse_error, "no prompt: the switch sent nothing");
    }
    if (tail.back() == '\n') {
        return make_error(ErrorCode::parse_error, "no prompt: the switch's output ends with a line break",
                          device_text_excerpt(tail.substr(tail.size() > 512 ? tail.size() - 512 : 0)));
    }
    const std::string_view line = last_line(tail);
    auto prompt = parse_prompt_line(line);
    if (!prompt) {
        return make_error(
            ErrorCode::parse_error,
            "no prompt: last line " + quote_for_message(line) + " is not of the form host> or host#",
            std::string(line.substr(0, max_prompt_line_length * 2)));
    }
    return std::move(*prompt);
}

bool ends_with_password_prompt(std::string_view text) {
    const std::string_view line = last_line(text);
    return line.size() >= 9 && iequals(line.substr(line.size() - 9), "password:");
}

bool ends_with_more(std::string_view text) {
    return trim_right(text).ends_with(more_marker);
}

std::string_view strip_more(std::string_view text) {
    const std::string_view trimmed = trim_right(text);
    if (!trimmed.ends_with(more_marker)) {
        return text;
    }
    return trim_right(trimmed.substr(0, trimmed.size() - more_marker.size()));
}

std::string strip_more_markers(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool after_marker = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        const bool has_newline = end != std::string_view::npos;
        if (!has_newline) {
            end = text.size();
        }
        const std::string_view line = text.substr(pos, end - pos);
        pos = has_newline ? end + 1 : end;
        const std::size_t marker = line.find(more_marker);
        if (marker != std::string_view::npos) {
            const std::string_view before = trim_right(line.substr(0, marker));
            const std::string_view after = trim_left(line.substr(marker + more_marker.size()));
            after_marker = true;
            if (before.empty() && after.empty()) {
                continue;
            }
            out += before;
            if (!before.empty() && !after.empty()) {
                out += ' ';
            }
            out += after;
        } else if (after_marker && !line.empty() && trim(line).empty()) {
            // The blanks a CR-style erase of the marker leaves behind.
            after_marker = false;
            continue;
        } else {
            after_marker = false;
            out += line;
        }
        if (has_newline) {
            out += '\n';
        }
    }
    return out;
}

Result<std::string_view> strip_command_echo(std::string_view output, std::string_view command) {
    const std::string_view cmd = trim(command);
    std::size_t i = 0;
    // Leading empty lines: the CR LF that followed the previous prompt redraw.
    while (true) {
        std::size_t j = i;
        while (j < output.size() && is_blank(output[j])) {
            ++j;
        }
        if (j < output.size() && output[j] == '\n') {
            i = j + 1;
        } else {
            break;
        }
    }
    if (cmd.empty()) {
        return output.substr(i);
    }
    auto missing = [&](std::string_view why) -> Error {
        std::string message = "command echo of " + quote_for_message(cmd) + " not found: ";
        message += why;
        return make_error(ErrorCode::parse_error, std::move(message), device_text_excerpt(output));
    };
    std::size_t j = 0;
    while (j < cmd.size()) {
        if (i >= output.size()) {
            return missing("output ends inside the echo");
        }
        const char oc = output[i];
        const char cc = cmd[j];
        if (is_blank(cc)) {
            // Blanks in the command: any run of blanks or line breaks in the echo.
            if (!is_blank(oc) && oc != '\n') {
                return missing("echo differs at " + quote_for_message(output.substr(i, 20)));
            }
            while (j < cmd.size() && is_blank(cmd[j])) {
                ++j;
            }
            while (i < output.size() && (is_blank(output[i]) || output[i] == '\n')) {
                ++i;
            }
        } else if (oc == cc) {
            ++i;
            ++j;
        } else if (oc == '\n') {
            ++i;  // the terminal wrapped the echo here
        } else {
            return missing("echo differs at " + quote_for_message(output.substr(i, 20)));
        }
    }
    while (i < output.size() && is_blank(output[i])) {
        ++i;
    }
    if (i < output.size()) {
        if (output[i] != '\n') {
            return missing("unexpected text after the echo: " + quote_for_message(output.substr(i, 20)));
        }
        ++i;
    }
    return output.substr(i);
}

std::string_view strip_trailing_prompt(std::string_view output, std::string_view hostname) {
    if (!detect_prompt(output, hostname)) {
        return output;
    }
    const std::size_t newline = output.rfind('\n');
    // substr keeps pointing into `output` even when empty (callers may compare pointers).
    return output.substr(0, newline == std::string_view::npos ? 0 : newline + 1);
}

Result<std::string> extract_command_output(std::string_view raw, std::string_view command,
                                           std::string_view hostname) {
    if (raw.size() > max_output_bytes) {
        return make_error(ErrorCode::parse_error,
                          "output of " + quote_for_message(trim(command)) + " is " +
                              std::to_string(raw.size()) + " bytes, more than the 1 MiB limit",
                          device_text_excerpt(raw));
    }
    std::string text = normalize_newlines(raw);
    if (text.find(more_marker) != std::string::npos) {
        text = strip_more_markers(text);
    }
    auto after_echo = strip_command_echo(text, command);
    if (!after_echo) {
        return std::move(after_echo).error();
    }
    return std::string(strip_trailing_prompt(*after_echo, hostname));
}

std::optional<Error> classify_cli_error(std::string_view output) {
    std::size_t pos = 0;
    while (pos < output.size()) {
        std::size_t end = output.find('\n', pos);
        if (end == std::string_view::npos) {
            end = output.size();
        }
        const std::string_view line = trim(output.substr(pos, end - pos));
        pos = end + 1;
        const auto code = classify_line(line);
        if (!code) {
            continue;
        }
        std::string message = *code == ErrorCode::auth_failed ? "switch refused authorization: "
                                                              : "switch rejected the command: ";
        // One printable line whatever the switch sent (a stray CR or NUL
        // inside the error line was copied raw; found by fuzz/fuzz_show_power_inline).
        for (const char c : line.substr(0, 200)) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte < 0x20 || byte == 0x7f) {
                static constexpr char hex[] = "0123456789abcdef";
                message += "\\x";
                message += hex[byte >> 4U];
                message += hex[byte & 0x0fU];
            } else {
                message += c;
            }
        }
        return make_error(*code, std::move(message), device_text_excerpt(without_blank_edges(output)));
    }
    return std::nullopt;
}

}  // namespace poe::ios
