// SPDX-License-Identifier: Apache-2.0
#include "logging/log_sinks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string>

namespace maas_bridge {

LogTarget detect_log_target(int fd, const char* journal_stream) {
    struct stat st {};
    const bool have_stat = ::fstat(fd, &st) == 0;
    if (journal_stream != nullptr && have_stat) {
        const std::string_view text(journal_stream);
        const auto colon = text.find(':');
        if (colon != std::string_view::npos) {
            unsigned long long device = 0;
            unsigned long long inode = 0;
            const auto* dev_end = text.data() + colon;
            const auto* end = text.data() + text.size();
            const auto parsed_dev = std::from_chars(text.data(), dev_end, device);
            const auto parsed_ino = std::from_chars(dev_end + 1, end, inode);
            if (parsed_dev.ec == std::errc{} && parsed_dev.ptr == dev_end && parsed_ino.ec == std::errc{} &&
                parsed_ino.ptr == end && device == st.st_dev && inode == st.st_ino) {
                return LogTarget::journal;
            }
        }
    }
    return ::isatty(fd) == 1 ? LogTarget::terminal : LogTarget::stream;
}

template <typename Mutex>
BufferedFdSink<Mutex>::BufferedFdSink(int fd, spdlog::level::level_enum flush_level,
                                      std::size_t flush_threshold)
    : fd_(fd), flush_level_(flush_level), flush_threshold_(flush_threshold) {
}

template <typename Mutex>
BufferedFdSink<Mutex>::~BufferedFdSink() {
    const std::lock_guard lock(this->mutex_);
    write_pending();
}

template <typename Mutex>
std::size_t BufferedFdSink<Mutex>::pending_bytes() {
    const std::lock_guard lock(this->mutex_);
    return pending_.size();
}

template <typename Mutex>
void BufferedFdSink<Mutex>::sink_it_(const spdlog::details::log_msg& msg) {
    this->formatter_->format(msg, pending_);
    if (msg.level >= flush_level_ || pending_.size() >= flush_threshold_) {
        write_pending();
    }
}

template <typename Mutex>
void BufferedFdSink<Mutex>::flush_() {
    write_pending();
}

template <typename Mutex>
void BufferedFdSink<Mutex>::write_pending() {
    const char* data = pending_.data();
    std::size_t left = pending_.size();
    while (left > 0) {
        const ssize_t wrote = ::write(fd_, data, left);
        if (wrote < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;  // EPIPE, ENOSPC, ...: the lines are lost, the daemon goes on
        }
        data += wrote;
        left -= static_cast<std::size_t>(wrote);
    }
    pending_.clear();
}

template class BufferedFdSink<std::mutex>;
template class BufferedFdSink<spdlog::details::null_mutex>;

}  // namespace maas_bridge
