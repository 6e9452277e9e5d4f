// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The audit trail of power changes: one JSON object per line, appended to
/// a file with one write(2) per line, so a line is in the kernel (and
/// survives a crash of the bridge) before the HTTP answer is sent.

#include <poe/result.hpp>
#include <poe/switch_controller.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace maas_bridge {

/// Longest line the audit log writes, newline included. Longer text (the
/// switch's message, hostile machine names) is cut to fit.
inline constexpr std::size_t max_audit_line_bytes = 8192;

/// One power request that reached a switch controller, and what came of it.
struct AuditRecord {
    std::chrono::system_clock::time_point time;  ///< When the result was known.
    std::string identity;                        ///< Auth name; "-" when authentication is off.
    std::string source;                          ///< Client "ip:port"; "" when unknown.
    std::string request_id;                      ///< X-Request-ID sent by the client; "" when none.
    std::string machine;                         ///< "" when addressed by switch and port.
    std::string switch_id;
    std::string port;
    poe::PowerAction action{poe::PowerAction::on};
    /// Set when the change succeeded (result "ok").
    std::optional<poe::PowerOutcome> outcome;
    /// Set when it failed: result is the error code, message and device_text
    /// are the error's.
    std::optional<poe::Error> error;
};

/// The line written for `record`, ending in '\n', at most
/// max_audit_line_bytes long. Strings are JSON-escaped (Boost.JSON) after
/// invalid UTF-8 has been replaced by U+FFFD, so any machine name or switch
/// text yields one valid JSON line.
///
/// Members, in this order: time (UTC, "2026-01-31T12:00:00.123Z"),
/// identity, source, request_id (null when none), machine (null when
/// addressed by port), switch, port, action ("on"/"off"/"cycle"), result
/// ("ok" or an error code), changed (the switch was written; null when
/// unknown after an error), cycled, before and after ({"admin","oper"}, null
/// after an error), and after an error message and device_text.
std::string audit_line(const AuditRecord& record);

/// An open audit log file.
///
/// Thread-safety: append() may be called from any thread; lines never
/// interleave (one write(2) per line under a mutex, file opened O_APPEND).
class AuditLog {
public:
    /// Opens (creating with mode 0640 when missing) `path` for appending,
    /// O_APPEND | O_CLOEXEC.
    /// @return invalid_argument "audit_log PATH: cannot open: REASON" when
    ///         the file cannot be opened for writing or is not a regular file.
    static poe::Result<std::shared_ptr<AuditLog>> open(const std::string& path);

    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    /// Writes audit_line(record) with write(2), before returning. No
    /// fdatasync: the line is safe from a crash of the bridge, not from a
    /// power loss of its host.
    /// @return internal with the system's reason when the line could not be
    ///         written in full.
    poe::Result<void> append(const AuditRecord& record);

    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    AuditLog(std::string path, int fd);

    std::string path_;
    std::mutex mutex_;
    int fd_;
};

/// For --check-config: whether `path` could be opened by open(), without
/// creating it (an existing file must be a writable regular file; otherwise
/// its directory must be writable). Checked with the caller's permissions,
/// which may differ from the service's.
/// @return invalid_argument "audit_log PATH: REASON".
poe::Result<void> check_audit_log_path(const std::string& path);

}  // namespace maas_bridge
