// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Pure helpers for the IOS CLI dialogue: cleaning the bytes an IOS PTY
/// sends, recognising prompts and the pager, cutting the command echo and
/// the prompt off a command's output, and classifying IOS error messages.
/// No I/O; every function is safe to call from any thread.
///
/// Typical use by the SSH driver, on the bytes read since a command was sent:
/// @code
///   auto text = normalize_newlines(raw);
///   if (ends_with_more(text)) { /* send " " and keep reading */ }
///   if (detect_prompt(text, hostname)) { /* command finished */ }
///   auto output = extract_command_output(raw, command, hostname);
///   if (auto error = classify_cli_error(*output)) { /* switch said no */ }
/// @endcode

#include <poe/error.hpp>
#include <poe/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace poe::ios {

/// The CLI mode a prompt shows.
enum class CliMode {
    user_exec,        ///< `host>`
    privileged_exec,  ///< `host#`
    config,           ///< `host(config)#`
    config_submode,   ///< `host(config-if)#`, `host(config-line)#`, ...
};

/// A recognised prompt.
struct Prompt {
    /// The hostname as the prompt shows it. In config modes IOS may cut it
    /// short, so this can be a prefix of the real hostname.
    std::string hostname;
    CliMode mode{CliMode::user_exec};
    /// For CliMode::config_submode the part after "config-" ("if",
    /// "if-range", "line"); empty otherwise.
    std::string submode;

    friend bool operator==(const Prompt&, const Prompt&) = default;
};

/// Longest line considered as a prompt (IOS hostnames have at most 63
/// characters; a mode suffix adds a few).
inline constexpr std::size_t max_prompt_line_length = 128;

/// Turns raw PTY bytes into plain text: CRLF, CR CR LF, LF CR and lone CR
/// become LF; a backspace erases the character before it on the same line
/// (IOS erases its pager marker and redraws wrapped input that way); ANSI
/// escape sequences (CSI, OSC, two-byte ESC sequences) are removed; NUL and
/// the other C0 control characters except tab and LF are dropped.
/// Pass a whole buffer: a sequence split across two calls is not joined.
std::string normalize_newlines(std::string_view raw);

/// Recognises the prompt on the last line of `text` (normalised), which must
/// not end with a newline. `hostname` is the learned hostname: exec modes
/// need it exactly; config modes accept any non-empty prefix of it (IOS
/// truncates long hostnames there). Trailing blanks after the prompt are
/// tolerated. Empty `hostname` never matches.
/// @return the prompt, or nullopt when the last line is not one.
std::optional<Prompt> detect_prompt(std::string_view text, std::string_view hostname);

/// Learns the prompt after login: only the final line of `tail`
/// (normalised) counts, so `#` and `>` in banners are harmless; it must not
/// end with a newline and must look like `host>`, `host#` or
/// `host(config...)#`.
/// @return the prompt; parse_error (with the line as device text) when the
///         last line is no prompt.
Result<Prompt> learn_prompt(std::string_view tail);

/// True when the last line of `text` is a password request (`Password:`),
/// as after `enable`.
bool ends_with_password_prompt(std::string_view text);

/// True when `text` (normalised) ends with the IOS pager marker
/// ` --More-- ` (trailing blanks tolerated).
bool ends_with_more(std::string_view text);

/// `text` without a trailing pager marker and the blanks around it (the
/// newline before it is kept). Unchanged when there is no marker.
std::string_view strip_more(std::string_view text);

/// Removes every pager marker line and the marker remnants that survive
/// when the switch erases the marker with CR instead of backspaces.
std::string strip_more_markers(std::string_view text);

/// Cuts the echo of `command` off the start of `output` (normalised).
/// Leading empty lines are skipped; the echo may be wrapped over several
/// lines and its blanks may differ. Everything up to the end of the echo's
/// last line is removed.
/// @return the output after the echo; parse_error when the output does not
///         start with the echo (so stray output from an earlier command is
///         noticed, not parsed).
Result<std::string_view> strip_command_echo(std::string_view output, std::string_view command);

/// `output` without a final prompt line (see detect_prompt()). Unchanged
/// when the last line is not a prompt.
std::string_view strip_trailing_prompt(std::string_view output, std::string_view hostname);

/// The text a command printed: normalise `raw`, drop pager markers, the
/// command echo and the trailing prompt.
/// @return the output; parse_error when the echo is missing or raw is
///         larger than 1 MiB.
Result<std::string> extract_command_output(std::string_view raw, std::string_view command,
                                           std::string_view hostname);

/// Looks for IOS error messages in a command's output (normalised, without
/// echo): `% Invalid input detected at '^' marker.`, `% Incomplete
/// command.`, `% Ambiguous command:`, `% Unknown command`, `Command
/// rejected:`, `Command authorization failed.` (AAA refused the command),
/// and the authentication ones `% Bad secrets`, `% Access denied`,
/// `% Authorization failed`.
/// @return nullopt when there is none; otherwise device_rejected, or
///         auth_failed for the authorisation ones, with the first error line
///         in the message and the output (at most 8 KiB, including the
///         caret line) as device text.
std::optional<Error> classify_cli_error(std::string_view output);

}  // namespace poe::ios
