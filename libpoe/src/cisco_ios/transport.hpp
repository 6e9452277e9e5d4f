// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The byte stream an IosSession talks over: in production an SSH shell
/// channel (SshTransport), in unit tests a scripted in-memory peer. Keeping
/// the CLI dialogue on this interface is what lets it be tested without
/// sockets.

#include <poe/deadline.hpp>
#include <poe/result.hpp>

#include <string>
#include <string_view>

namespace poe::ios {

/// A bidirectional byte stream to one switch's CLI.
///
/// Every blocking call is bounded by its deadline. Error codes:
/// connect_failed (could not reach or negotiate), auth_failed (login
/// refused), host_key_mismatch (untrusted peer), timeout (deadline passed),
/// connection_lost (the peer went away after connect()).
///
/// Thread-safety: none; one owner uses it at a time.
class Transport {
public:
    Transport() = default;
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;
    virtual ~Transport() = default;

    /// Opens the stream (for SSH: TCP, key exchange, host key check, login,
    /// PTY and shell). Call once.
    /// @return connect_failed, auth_failed, host_key_mismatch, timeout.
    virtual Result<void> connect(Deadline deadline) = 0;

    /// Sends all of `bytes`.
    /// @return connection_lost, timeout (then part of the bytes may be sent).
    virtual Result<void> write(std::string_view bytes, Deadline deadline) = 0;

    /// Waits until some bytes arrive and returns them (never empty on
    /// success). A deadline in the past still returns bytes already
    /// received, without waiting.
    /// @return timeout when nothing arrived in time; connection_lost when
    ///         the peer closed the stream.
    virtual Result<std::string> read_some(Deadline deadline) = 0;

    /// Closes the stream; never blocks for long. Safe to call repeatedly
    /// and before connect().
    virtual void close() noexcept = 0;

    /// How the peer identified itself, e.g. "ssh-ed25519 SHA256:..." for
    /// the verified SSH host key; empty before connect().
    [[nodiscard]] virtual std::string peer_identity() const = 0;
};

}  // namespace poe::ios
