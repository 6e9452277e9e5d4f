// SPDX-License-Identifier: Apache-2.0
#include "audit/audit_log.hpp"

#include <poe/error.hpp>
#include <poe/port.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace maas_bridge {
namespace {

std::string system_reason(int error_number) {
    return std::error_code(error_number, std::generic_category()).message();
}

// Length of the valid UTF-8 sequence starting at text[i], 0 when invalid.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
        return 1;
    }
    std::size_t length = 0;
    unsigned char min_second = 0x80;
    unsigned char max_second = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        min_second = lead == 0xe0 ? 0xa0 : 0x80;  // no overlong forms
        max_second = lead == 0xed ? 0x9f : 0xbf;  // no surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        min_second = lead == 0xf0 ? 0x90 : 0x80;
        max_second = lead == 0xf4 ? 0x8f : 0xbf;  // up to U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size() || byte(i + 1) < min_second || byte(i + 1) > max_second) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) {
            return 0;
        }
    }
    return length;
}

// Valid UTF-8 (invalid bytes become U+FFFD), at most `limit` bytes, cut on
// a character boundary and marked with "..." when cut.
std::string clean_text(std::string_view text, std::size_t limit) {
    static constexpr std::string_view replacement = "\xef\xbf\xbd";
    static constexpr std::string_view cut_mark = "...";
    std::string out;
    out.reserve(std::min(text.size(), limit + 4));
    for (std::size_t i = 0; i < text.size() && out.size() <= limit;) {
        const std::size_t length = utf8_sequence(text, i);
        out += length == 0 ? replacement : text.substr(i, length);
        i += length == 0 ? 1 : length;
    }
    if (out.size() <= limit) {  // all of it fitted
        return out;
    }
    if (limit < cut_mark.size()) {
        return {};
    }
    std::size_t cut = limit - cut_mark.size();
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0U) == 0x80U) {
        --cut;  // back to the start of a character
    }
    out.resize(cut);
    out += cut_mark;
    return out;
}

std::string utc_timestamp(std::chrono::system_clock::time_point time) {
    const auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
    const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
    const auto millis = (since_epoch - seconds).count();
    const std::time_t as_time_t = static_cast<std::time_t>(seconds.count());
    std::tm parts{};
    ::gmtime_r(&as_time_t, &parts);
    std::array<char, 40> text{};
    const std::size_t n = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &parts);
    std::array<char, 8> fraction{};
    std::snprintf(fraction.data(), fraction.size(), ".%03dZ", static_cast<int>(millis));
    return std::string(text.data(), n) + fraction.data();
}

boost::json::value port_state(const std::optional<poe::PowerOutcome>& outcome, bool after) {
    if (!outcome) {
        return nullptr;
    }
    const poe::PortStatus& status = after ? outcome->after : outcome->before;
    boost::json::object state;
    state["admin"] = poe::to_string(status.admin);
    state["oper"] = poe::to_string(status.oper);
    return state;
}

// Per-field byte limits; halved together until the line fits.
struct FieldLimits {
    std::size_t name{256};
    std::size_t message{1024};
    std::size_t device_text{3072};

    void halve() {
        name /= 2;
        message /= 2;
        device_text /= 2;
    }
};

std::string render(const AuditRecord& record, const FieldLimits& limits) {
    const auto text = [&](std::string_view value, std::size_t limit) -> boost::json::value {
        return boost::json::string(clean_text(value, limit));
    };
    const auto text_or_null = [&](std::string_view value, std::size_t limit) -> boost::json::value {
        return value.empty() ? boost::json::value(nullptr) : text(value, limit);
    };
    boost::json::object line;
    line["time"] = utc_timestamp(record.time);
    line["identity"] = text(record.identity, limits.name);
    line["source"] = text(record.source, limits.name);
    line["request_id"] = text_or_null(record.request_id, limits.name);
    line["machine"] = text_or_null(record.machine, limits.name);
    line["switch"] = text(record.switch_id, limits.name);
    line["port"] = text(record.port, limits.name);
    line["action"] = poe::to_string(record.action);
    if (record.error) {
        line["result"] = poe::to_string(record.error->code);
        line["changed"] = nullptr;
        line["cycled"] = nullptr;
    } else {
        line["result"] = "ok";
        line["changed"] = record.outcome && (record.outcome->changed || record.outcome->cycled);
        line["cycled"] = record.outcome && record.outcome->cycled;
    }
    line["before"] = port_state(record.outcome, false);
    line["after"] = port_state(record.outcome, true);
    if (record.error) {
        line["message"] = text(record.error->message, limits.message);
        line["device_text"] = text(record.error->device_text, limits.device_text);
    }
    return boost::json::serialize(line) + "\n";
}

}  // namespace

std::string audit_line(const AuditRecord& record) {
    FieldLimits limits;
    std::string line = render(record, limits);
    while (line.size() > max_audit_line_bytes && limits.name > 0) {
        limits.halve();
        line = render(record, limits);
    }
    return line;
}

poe::Result<std::shared_ptr<AuditLog>> AuditLog::open(const std::string& path) {
    // O_NONBLOCK only so that a FIFO in the way cannot block the open; it is
    // refused below, and regular files ignore the flag.
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
                          S_IRUSR | S_IWUSR | S_IRGRP);
    if (fd < 0) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               "audit_log " + path + ": cannot open: " + system_reason(errno));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               "audit_log " + path + ": not a regular file");
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) {
        (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
    return std::shared_ptr<AuditLog>(new AuditLog(path, fd));
}

AuditLog::AuditLog(std::string path, int fd) : path_(std::move(path)), fd_(fd) {
}

AuditLog::~AuditLog() {
    ::close(fd_);
}

poe::Result<void> AuditLog::append(const AuditRecord& record) {
    const std::string line = audit_line(record);
    const std::lock_guard lock(mutex_);
    std::size_t written = 0;
    while (written < line.size()) {
        const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return poe::make_error(poe::ErrorCode::internal,
                                   "audit_log " + path_ + ": write failed: " + system_reason(errno));
        }
        written += static_cast<std::size_t>(n);
    }
    return poe::success();
}

poe::Result<void> check_audit_log_path(const std::string& path) {
    const auto failure = [&](const std::string& reason) {
        return poe::make_error(poe::ErrorCode::invalid_argument, "audit_log " + path + ": " + reason);
    };
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        if (!S_ISREG(info.st_mode)) {
            return failure("not a regular file");
        }
        if (::access(path.c_str(), W_OK) != 0) {
            return failure("cannot write: " + system_reason(errno));
        }
        return poe::success();
    }
    if (errno != ENOENT) {
        return failure(system_reason(errno));
    }
    std::string directory = std::filesystem::path(path).parent_path().string();
    if (directory.empty()) {
        directory = ".";
    }
    if (::stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        return failure("directory " + directory + " does not exist");
    }
    if (::access(directory.c_str(), W_OK | X_OK) != 0) {
        return failure("cannot create the file in " + directory + ": " + system_reason(errno));
    }
    return poe::success();
}

}  // namespace maas_bridge
