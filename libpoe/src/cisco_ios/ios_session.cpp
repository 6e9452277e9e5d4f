// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/ios_session.hpp"

#include "cisco_ios/string_helpers.hpp"
#include "logging.hpp"

#include <array>
#include <utility>

namespace poe::ios {
namespace {

// The prompt, the pager marker and a password request sit on the last
// line; normalising only the end of the buffer keeps a large output from
// being re-normalised after every chunk.
constexpr std::size_t tail_window_bytes = 2048;
// Banner and first prompt together; more than this is not a login dialogue.
constexpr std::size_t max_login_bytes = std::size_t{64} * 1024;
// Bytes discarded before a command, in reads; a switch that keeps talking
// on its own past this is not in a state we understand.
constexpr int max_stale_reads = 64;
constexpr std::string_view secret_mask = "********";

bool in_config(CliMode mode) {
    return mode == CliMode::config || mode == CliMode::config_submode;
}

std::string_view last_line_of(std::string_view text) {
    const std::size_t newline = text.rfind('\n');
    return trim(newline == std::string_view::npos ? text : text.substr(newline + 1));
}

// How many lines of `text` are exactly `line` (blanks around ignored).
std::size_t count_lines(std::string_view text, std::string_view line) {
    std::size_t count = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        if (trim(text.substr(pos, end - pos)) == line) {
            ++count;
        }
        pos = end + 1;
    }
    return count;
}

std::string end_of(std::string_view text, std::size_t bytes) {
    return std::string(text.size() > bytes ? text.substr(text.size() - bytes) : text);
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
    if (what.empty()) {
        return;
    }
    std::size_t pos = 0;
    while ((pos = text.find(what, pos)) != std::string::npos) {
        text.replace(pos, what.size(), with);
        pos += with.size();
    }
}

}  // namespace

IosSession::IosSession(std::unique_ptr<Transport> transport, IosSessionOptions options)
    : transport_(std::move(transport)), options_(std::move(options)) {
}

IosSession::~IosSession() {
    close();
}

Result<void> IosSession::open(Deadline deadline) {
    if (auto connected = transport_->connect(deadline); !connected) {
        return connected;
    }
    connected_ = true;
    usable_ = true;
    if (auto learned = learn_hostname(deadline); !learned) {
        return learned;
    }
    if (auto enabled = enable(deadline); !enabled) {
        return enabled;
    }
    // Paging off and a wide terminal: output arrives in one piece and
    // commands are never wrapped. A switch that refuses these still works
    // (--More-- is answered), so a refusal is only logged.
    const std::array<std::string, 2> settings{"terminal length 0",
                                              "terminal width " + std::to_string(options_.terminal_width)};
    for (const std::string& command : settings) {
        auto output = run(command, deadline);
        if (!output) {
            if (!usable_) {
                return std::move(output).error();
            }
            detail::log(LogLevel::debug, "cisco-ios: ", hostname_, " refused `", command,
                        "`: ", output.error().message);
        }
    }
    detail::log(LogLevel::debug, "cisco-ios: logged in to ", hostname_);
    return success();
}

Result<void> IosSession::learn_hostname(Deadline deadline) {
    Received received;
    auto looks_like_prompt = [](const Received& r) { return learn_prompt(r.tail).ok(); };
    if (auto first = read_until(received, deadline, "first prompt", looks_like_prompt); !first) {
        return first;
    }
    // A banner may hold lines ending in '#' or '>' and may arrive in pieces,
    // so the last line seen is only a candidate. IOS answers an empty line
    // with exactly one more prompt: once the prompt line occurs twice, the
    // banner is over and nothing is left in flight.
    if (auto sent = send("\n", deadline); !sent) {
        return sent;
    }
    Prompt prompt;
    auto prompt_twice = [&](const Received& r) {
        const std::string text = normalize_newlines(r.raw);
        auto candidate = learn_prompt(text);
        if (!candidate || count_lines(text, last_line_of(text)) < 2) {
            return false;
        }
        prompt = std::move(candidate).value();
        return true;
    };
    if (auto second = read_until(received, deadline, "prompt after an empty line", prompt_twice); !second) {
        return second;
    }
    hostname_ = prompt.hostname;
    if (in_config(prompt.mode)) {
        // Nobody should land in config mode at login, but if so, leave it.
        auto ended = exchange("end", deadline);
        if (!ended) {
            return std::move(ended).error();
        }
        prompt = ended->prompt;
    }
    privileged_ = prompt.mode == CliMode::privileged_exec;
    return success();
}

Result<void> IosSession::enable(Deadline deadline) {
    if (privileged_) {
        return success();
    }
    if (options_.enable_secret.empty()) {
        return broken(make_error(ErrorCode::auth_failed, "the switch " + hostname_ +
                                                             " logged us in at user EXEC (" + hostname_ +
                                                             ">) and no enable_secret is set"));
    }
    if (auto stale = discard_stale_input(); !stale) {
        return stale;
    }
    if (auto sent = send("enable\n", deadline); !sent) {
        return sent;
    }
    auto prompt_or_password = [&](const Received& r) {
        return detect_prompt(r.tail, hostname_).has_value() || ends_with_password_prompt(r.tail);
    };
    Received received;
    if (auto asked = read_until(received, deadline, "answer to `enable`", prompt_or_password); !asked) {
        return asked;
    }
    if (ends_with_password_prompt(received.tail)) {
        // The secret goes straight to the transport: never into a log line,
        // an error message or a transcript of ours.
        if (auto sent = send(options_.enable_secret + "\n", deadline); !sent) {
            return scrub(sent.error());
        }
        received = Received{};
        if (auto answered = read_until(received, deadline, "answer to the enable secret", prompt_or_password);
            !answered) {
            return scrub(answered.error());
        }
        if (ends_with_password_prompt(received.tail)) {
            // IOS asks again after a wrong secret. The session is dropped
            // (auth_failed breaks it), so the pending question does no harm.
            return broken(
                make_error(ErrorCode::auth_failed,
                           "the switch " + hostname_ + " refused the enable secret (it asked again)"));
        }
    }
    const std::string text = normalize_newlines(received.raw);
    const auto prompt = detect_prompt(received.tail, hostname_);
    if (prompt && prompt->mode == CliMode::privileged_exec) {
        privileged_ = true;
        return success();
    }
    std::string reason = "the switch " + hostname_ + " refused `enable`";
    if (auto error = classify_cli_error(text)) {
        reason += ": " + error->message;
    }
    return broken(
        scrub(make_error(ErrorCode::auth_failed, std::move(reason), device_text_excerpt(trim(text)))));
}

Result<std::string> IosSession::run(std::string_view command, Deadline deadline) {
    auto reply = exchange(command, deadline);
    if (!reply) {
        return std::move(reply).error();
    }
    if (reply->prompt.mode != CliMode::privileged_exec) {
        return broken(make_error(ErrorCode::connection_lost,
                                 "the switch left privileged EXEC mode after " + quote_for_message(command),
                                 device_text_excerpt(reply->output)));
    }
    if (auto error = classify_cli_error(reply->output)) {
        return std::move(*error);
    }
    return std::move(reply->output);
}

Result<void> IosSession::configure(std::span<const std::string> lines, Deadline deadline) {
    auto entered = exchange("configure terminal", deadline);
    if (!entered) {
        return std::move(entered).error();
    }
    std::optional<Error> failure = classify_cli_error(entered->output);
    CliMode mode = entered->prompt.mode;
    if (!failure && !in_config(mode)) {
        failure =
            make_error(ErrorCode::device_rejected, "`configure terminal` did not enter configuration mode",
                       device_text_excerpt(entered->output));
    }
    if (!failure) {
        for (const std::string& line : lines) {
            auto reply = exchange(line, deadline);
            if (!reply) {
                // Timeout or lost connection: the session is already marked
                // broken, and `end` could not be trusted to arrive in order.
                return std::move(reply).error();
            }
            mode = reply->prompt.mode;
            if (auto error = classify_cli_error(reply->output)) {
                failure = std::move(*error);
                failure->message += " (line " + quote_for_message(line) + ")";
                break;
            }
            if (!in_config(mode)) {
                failure = make_error(ErrorCode::device_rejected,
                                     "the switch left configuration mode after " + quote_for_message(line),
                                     device_text_excerpt(reply->output));
                break;
            }
        }
    }
    if (in_config(mode)) {
        // Always, also after an error: a session must never be reused (or
        // left on the switch) in configuration mode.
        auto ended = exchange("end", deadline);
        std::optional<Error> end_error;
        if (!ended) {
            end_error = std::move(ended).error();
        } else if (ended->prompt.mode != CliMode::privileged_exec || classify_cli_error(ended->output)) {
            end_error = make_error(ErrorCode::connection_lost, "`end` did not return to privileged EXEC mode",
                                   device_text_excerpt(ended->output));
        }
        if (end_error) {
            usable_ = false;
            detail::log(LogLevel::warn, "cisco-ios: ", hostname_,
                        ": leaving configuration mode failed, dropping the session: ", end_error->message);
            if (failure) {
                failure->message += "; leaving configuration mode failed too: " + end_error->message;
                return std::move(*failure);
            }
            return std::move(*end_error);
        }
    }
    if (failure) {
        return std::move(*failure);
    }
    return success();
}

Result<void> IosSession::save(Deadline deadline) {
    auto output = run("write memory", deadline);
    if (!output) {
        return std::move(output).error();
    }
    if (output->find("[OK]") == std::string::npos) {
        return make_error(ErrorCode::device_rejected, "`write memory` did not confirm with [OK]",
                          device_text_excerpt(trim(*output)));
    }
    return success();
}

Result<void> IosSession::ping(Deadline deadline) {
    auto reply = exchange("", deadline);
    if (!reply) {
        return std::move(reply).error();
    }
    if (reply->prompt.mode != CliMode::privileged_exec) {
        return broken(
            make_error(ErrorCode::connection_lost, "the switch is no longer in privileged EXEC mode"));
    }
    return success();
}

void IosSession::close() noexcept {
    if (connected_ && usable_) {
        // Polite logout so the vty line is freed at once; no answer awaited.
        (void)transport_->write("exit\n", deadline_in(std::chrono::milliseconds{100}));
    }
    transport_->close();
    connected_ = false;
    usable_ = false;
}

Result<void> IosSession::discard_stale_input() {
    // Late output (a syslog line, the rest of a reply we mistook for a
    // prompt) would otherwise be taken for the next command's answer.
    for (int i = 0; i < max_stale_reads; ++i) {
        auto chunk = transport_->read_some(Deadline{});
        if (!chunk) {
            if (chunk.error().code == ErrorCode::timeout) {
                return success();
            }
            return broken(std::move(chunk).error());
        }
        detail::log(LogLevel::debug, "cisco-ios: ", hostname_, ": discarded ", chunk->size(),
                    " bytes of unrequested output");
    }
    return broken(make_error(ErrorCode::parse_error, "the switch keeps sending output nobody asked for"));
}

Result<CommandReply> IosSession::exchange(std::string_view line, Deadline deadline) {
    if (!usable_) {
        return make_error(ErrorCode::connection_lost, "the session to the switch is no longer usable");
    }
    if (auto stale = discard_stale_input(); !stale) {
        return std::move(stale).error();
    }
    std::string bytes(line);
    bytes += '\n';
    if (auto sent = send(bytes, deadline); !sent) {
        return std::move(sent).error();
    }
    Received received;
    auto at_prompt = [&](const Received& r) { return detect_prompt(r.tail, hostname_).has_value(); };
    const std::string waiting_for = "prompt after " + quote_for_message(line);
    if (auto read = read_until(received, deadline, waiting_for, at_prompt); !read) {
        return std::move(read).error();
    }
    auto output = extract_command_output(received.raw, line, hostname_);
    if (!output) {
        // Without our echo we cannot tell this output from an earlier one.
        return broken(std::move(output).error());
    }
    CommandReply reply;
    reply.output = std::move(output).value();
    reply.prompt = *detect_prompt(received.tail, hostname_);
    return reply;
}

Result<void> IosSession::read_until(Received& received, Deadline deadline, std::string_view waiting_for,
                                    const std::function<bool(const Received&)>& done) {
    const std::size_t limit = hostname_.empty() ? max_login_bytes : max_output_bytes;
    while (true) {
        auto chunk = transport_->read_some(deadline);
        if (!chunk) {
            Error error = std::move(chunk).error();
            if (error.code == ErrorCode::timeout) {
                error.message = "no " + std::string(waiting_for) + " from the switch before the deadline";
                error.device_text = device_text_excerpt(received.tail);
            } else if (error.code == ErrorCode::connection_lost) {
                error.message += " (waiting for " + std::string(waiting_for) + ")";
            }
            return broken(scrub(std::move(error)));
        }
        received.raw += *chunk;
        if (received.raw.size() > limit) {
            // Scrubbed like the timeout above: the tail may hold an echoed secret.
            return broken(scrub(make_error(ErrorCode::parse_error,
                                           "the switch sent more than " + std::to_string(limit / 1024) +
                                               " KiB while we waited for the " + std::string(waiting_for),
                                           device_text_excerpt(end_of(received.raw, 2048)))));
        }
        received.tail = normalize_newlines(end_of(received.raw, tail_window_bytes));
        if (done(received)) {
            return success();
        }
        if (ends_with_more(received.tail)) {
            if (auto sent = send(" ", deadline); !sent) {
                return sent;
            }
        }
    }
}

Result<void> IosSession::send(std::string_view bytes, Deadline deadline) {
    auto written = transport_->write(bytes, deadline);
    if (!written) {
        return broken(scrub(std::move(written).error()));
    }
    return success();
}

Error IosSession::broken(Error error) {
    usable_ = false;
    return error;
}

Error IosSession::scrub(Error error) const {
    replace_all(error.message, options_.enable_secret, secret_mask);
    replace_all(error.device_text, options_.enable_secret, secret_mask);
    return error;
}

}  // namespace poe::ios
