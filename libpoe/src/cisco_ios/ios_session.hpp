// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The IOS CLI dialogue over a Transport: login (prompt learning, enable,
/// terminal settings), commands with their output, configuration blocks
/// that always leave config mode, `write memory`, and a cheap ping.

#include "cisco_ios/cli_text.hpp"
#include "cisco_ios/transport.hpp"

#include <poe/deadline.hpp>
#include <poe/result.hpp>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace poe::ios {

/// Settings of an IosSession.
struct IosSessionOptions {
    /// Sent when `enable` asks for a password. Needed when the switch logs
    /// us in at user EXEC (`host>`); empty means none is configured.
    std::string enable_secret;
    /// Terminal settings sent after login. IOS caps the width at 512.
    unsigned terminal_width{511};
};

/// A command's output and the prompt that ended it.
struct CommandReply {
    std::string output;  ///< Normalised text between the echo and the prompt.
    Prompt prompt;       ///< The prompt after the command.
};

/// One logged-in IOS CLI session in privileged EXEC mode.
///
/// Every operation is bounded by its deadline. After a timeout, a lost
/// connection, oversized output or a failed exit from config mode the
/// session is no longer usable() (its state on the switch is unknown) and
/// must be dropped; operations on it then fail with connection_lost.
///
/// Secrets (the enable secret) are never logged and never appear in error
/// messages or device text.
///
/// Thread-safety: none; one owner uses it at a time.
class IosSession {
public:
    IosSession(std::unique_ptr<Transport> transport, IosSessionOptions options);
    ~IosSession();
    IosSession(const IosSession&) = delete;
    IosSession& operator=(const IosSession&) = delete;

    /// Connects the transport, learns the prompt (banners may contain `#`
    /// and `>`), enters privileged EXEC (`enable`) when needed and turns
    /// paging off.
    /// @return the transport's errors; auth_failed when `enable` is refused
    ///         or needed without a secret; parse_error when no prompt can be
    ///         recognised; timeout.
    Result<void> open(Deadline deadline);

    /// Runs one EXEC command and returns its output (echo, pager markers and
    /// prompt removed, newlines normalised).
    /// @return device_rejected / auth_failed for an IOS error message (text
    ///         in device_text); parse_error for output over 1 MiB or without
    ///         the command's echo; timeout; connection_lost.
    Result<std::string> run(std::string_view command, Deadline deadline);

    /// `configure terminal`, each of `lines`, then always `end`, and checks
    /// that the prompt is `host#` again. Stops at the first line the switch
    /// rejects.
    /// @return device_rejected with the switch's text for a rejected line
    ///         (nothing after it was sent); timeout; connection_lost. When
    ///         `end` cannot be confirmed the session becomes unusable.
    Result<void> configure(std::span<const std::string> lines, Deadline deadline);

    /// `write memory`; succeeds when the switch prints `[OK]`.
    /// @return device_rejected when it does not; timeout; connection_lost.
    Result<void> save(Deadline deadline);

    /// Sends an empty line and waits for the privileged prompt.
    /// @return timeout; connection_lost.
    Result<void> ping(Deadline deadline);

    /// Says `exit` (best effort, without waiting) and closes the transport.
    void close() noexcept;

    /// False once the session's state is unknown (see the class comment).
    [[nodiscard]] bool usable() const noexcept { return usable_; }

    /// The hostname learned from the prompt (empty before open()).
    [[nodiscard]] const std::string& hostname() const noexcept { return hostname_; }

    /// The transport's peer identity (e.g. the verified SSH host key).
    [[nodiscard]] std::string peer_identity() const { return transport_->peer_identity(); }

private:
    struct Received {
        std::string raw;   ///< Every byte since reading started.
        std::string tail;  ///< Normalised end of raw (the last lines).
    };

    Result<void> learn_hostname(Deadline deadline);
    Result<void> enable(Deadline deadline);
    Result<void> discard_stale_input();
    Result<CommandReply> exchange(std::string_view line, Deadline deadline);
    Result<void> read_until(Received& received, Deadline deadline, std::string_view waiting_for,
                            const std::function<bool(const Received&)>& done);
    Result<void> send(std::string_view bytes, Deadline deadline);
    Error broken(Error error);
    [[nodiscard]] Error scrub(Error error) const;

    std::unique_ptr<Transport> transport_;
    IosSessionOptions options_;
    std::string hostname_;
    bool usable_{false};
    bool privileged_{false};
    bool connected_{false};
};

}  // namespace poe::ios
