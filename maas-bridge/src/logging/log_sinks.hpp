// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Where the daemon's log lines go: the systemd journal when systemd started
/// us with stderr connected to the journal, colour lines on a terminal, and a
/// buffered file descriptor otherwise (a file or pipe: one write(2) per batch
/// instead of per line, flushed at once for warnings and errors).

#include <spdlog/details/log_msg.h>
#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <string_view>

namespace maas_bridge {

enum class LogTarget {
    journal,   ///< systemd's journal (native protocol, with priorities).
    terminal,  ///< A TTY: colour, one flush per line.
    stream,    ///< A file or pipe: buffered, see BufferedFdSink.
};

/// Picks the target for `fd` (stderr in the daemon). `journal_stream` is the
/// value of $JOURNAL_STREAM ("DEVICE:INODE" of the stream systemd connected),
/// or nullptr; it only counts when it names `fd` itself, so a child that
/// inherited the variable but writes elsewhere does not log to the journal.
[[nodiscard]] LogTarget detect_log_target(int fd, const char* journal_stream);

/// Appends formatted lines to a file descriptor it does not own. Lines are
/// collected in memory and written when `flush_threshold` bytes are pending,
/// when a line at `flush_level` or above arrives (earlier lines first, order
/// kept), on flush() (the daemon flushes periodically) and on destruction.
/// A failed write drops the pending batch rather than block the caller.
template <typename Mutex>
class BufferedFdSink final : public spdlog::sinks::base_sink<Mutex> {
public:
    static constexpr std::size_t default_flush_threshold = 16 * 1024;

    explicit BufferedFdSink(int fd, spdlog::level::level_enum flush_level = spdlog::level::warn,
                            std::size_t flush_threshold = default_flush_threshold);
    ~BufferedFdSink() override;
    BufferedFdSink(const BufferedFdSink&) = delete;
    BufferedFdSink& operator=(const BufferedFdSink&) = delete;
    BufferedFdSink(BufferedFdSink&&) = delete;
    BufferedFdSink& operator=(BufferedFdSink&&) = delete;

    /// Bytes formatted but not yet written (for tests).
    [[nodiscard]] std::size_t pending_bytes();

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override;

private:
    void write_pending();

    int fd_;
    spdlog::level::level_enum flush_level_;
    std::size_t flush_threshold_;
    spdlog::memory_buf_t pending_;
};

using BufferedFdSinkMt = BufferedFdSink<std::mutex>;
using BufferedFdSinkSt = BufferedFdSink<spdlog::details::null_mutex>;

extern template class BufferedFdSink<std::mutex>;
extern template class BufferedFdSink<spdlog::details::null_mutex>;

}  // namespace maas_bridge
