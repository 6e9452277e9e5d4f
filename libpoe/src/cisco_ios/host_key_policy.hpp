// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Whether to trust the SSH host key a switch presents: an OpenSSH
/// known_hosts file, a pinned fingerprint, or (explicitly) nothing. Pure
/// decisions plus known_hosts file access; no libssh here, so the rules are
/// unit-testable. The SSH transport computes the key's text forms and asks.

#include <poe/result.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poe::ios {

/// What to do with a key that is not known to be the right one.
enum class HostKeyCheck {
    strict,      ///< Unknown or changed key: refuse (default).
    accept_new,  ///< Unknown key: record it in known_hosts and accept; changed key: refuse.
    off,         ///< Accept anything (logged at warn on every connect).
};

/// Parses "strict", "accept-new", "off".
std::optional<HostKeyCheck> parse_host_key_check(std::string_view text) noexcept;

/// "strict", "accept-new", "off".
std::string_view to_string(HostKeyCheck check) noexcept;

/// A host key in the forms the policy needs (computed by the transport).
struct PresentedHostKey {
    std::string type;         ///< Key type as known_hosts writes it, e.g. "ssh-ed25519".
    std::string base64;       ///< The public key blob in base64, as in known_hosts.
    std::string fingerprint;  ///< "SHA256:<base64 without padding>".
};

/// Most bytes of a known_hosts file we read.
inline constexpr std::size_t max_known_hosts_bytes = std::size_t{16} * 1024 * 1024;

/// Settings of a HostKeyPolicy.
struct HostKeyPolicyOptions {
    HostKeyCheck check{HostKeyCheck::strict};
    std::string known_hosts;  ///< Path of an OpenSSH known_hosts file; may be empty.
    std::string fingerprint;  ///< Pinned "SHA256:<base64>"; may be empty.
};

/// Decides whether a presented host key is trusted.
///
/// Rules: with check off everything is accepted (warned each time). A pinned
/// fingerprint, when set, decides alone: equal → accept, else refuse. Else
/// the known_hosts file decides: an entry (plain or hashed `|1|`, patterns
/// with `*`, `?`, `!`, `[host]:port` for ports other than 22) with the same
/// key → accept; an `@revoked` entry with this key, or any other key for this
/// host → refuse as changed; no entry → unknown (strict: refuse; accept-new:
/// append `host type base64` and accept). `@cert-authority` lines are ignored.
///
/// Thread-safety: verify() and known_key_types() are const and may run
/// concurrently; two processes recording the same unknown host at once
/// may both append a line (harmless duplicates).
class HostKeyPolicy {
public:
    /// @return invalid_argument when strict or accept-new has nothing to
    ///         check against (neither known_hosts nor fingerprint; the message
    ///         says to set one or run `poectl trust`), when accept-new has no
    ///         known_hosts file, or when the fingerprint is not SHA256:<base64>.
    static Result<HostKeyPolicy> create(HostKeyPolicyOptions options);

    /// Checks `key` presented by `host`:`port`.
    /// @return host_key_mismatch for a changed, revoked, unknown (strict) or
    ///         unpinned key, or an unreadable/unwritable known_hosts file. The
    ///         message names the presented type and SHA256 fingerprint and,
    ///         for a conflict, the file:line it conflicts with.
    Result<void> verify(std::string_view host, std::uint16_t port, const PresentedHostKey& key) const;

    /// Key types known_hosts lists for this host, in file order without
    /// duplicates (so the transport can ask the switch for a key we can
    /// check). Empty when there is no file or no entry; never fails.
    [[nodiscard]] std::vector<std::string> known_key_types(std::string_view host, std::uint16_t port) const;

    [[nodiscard]] const HostKeyPolicyOptions& options() const noexcept { return options_; }

    /// The name known_hosts uses for host:port: "host" for port 22, else
    /// "[host]:port".
    static std::string known_hosts_name(std::string_view host, std::uint16_t port);

    /// One known_hosts line (with trailing newline) for this key.
    static std::string known_hosts_line(std::string_view host, std::uint16_t port,
                                        const PresentedHostKey& key);

private:
    explicit HostKeyPolicy(HostKeyPolicyOptions options) : options_(std::move(options)) {}

    HostKeyPolicyOptions options_;
};

}  // namespace poe::ios
