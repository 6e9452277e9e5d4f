// SPDX-License-Identifier: Apache-2.0
#include "logging/log_sinks.hpp"

#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace maas_bridge {
namespace {

// A pipe whose read end never blocks: what has not been written reads as "".
class Pipe {
public:
    Pipe() {
        if (::pipe2(fds_.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
            throw std::runtime_error("pipe2 failed");
        }
    }
    ~Pipe() {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    Pipe(Pipe&&) = delete;
    Pipe& operator=(Pipe&&) = delete;

    [[nodiscard]] int write_end() const { return fds_[1]; }
    std::string drain() {
        std::string out;
        std::array<char, 4096> buffer{};
        for (;;) {
            const ssize_t got = ::read(fds_[0], buffer.data(), buffer.size());
            if (got <= 0) {
                return out;
            }
            out.append(buffer.data(), static_cast<std::size_t>(got));
        }
    }

private:
    std::array<int, 2> fds_{-1, -1};
};

std::shared_ptr<spdlog::logger> logger_on(const std::shared_ptr<BufferedFdSinkSt>& sink) {
    auto logger = std::make_shared<spdlog::logger>("test", sink);
    logger->set_pattern("%l %v");
    logger->set_level(spdlog::level::trace);
    return logger;
}

TEST(BufferedFdSink, InfoLinesWaitForAFlushWarningsGoOutAtOnceInOrder) {
    Pipe pipe;
    auto sink = std::make_shared<BufferedFdSinkSt>(pipe.write_end());
    auto logger = logger_on(sink);
    logger->info("GET /v1/machines/pi-01 200");
    logger->info("GET /v1/machines/pi-02 200");
    EXPECT_EQ(pipe.drain(), "");
    EXPECT_GT(sink->pending_bytes(), 0U);
    logger->warn("switch sw1: keepalive failed");
    EXPECT_EQ(pipe.drain(),
              "info GET /v1/machines/pi-01 200\ninfo GET /v1/machines/pi-02 200\n"
              "warning switch sw1: keepalive failed\n");
    EXPECT_EQ(sink->pending_bytes(), 0U);
}

TEST(BufferedFdSink, FlushWritesEverythingPending) {
    Pipe pipe;
    auto sink = std::make_shared<BufferedFdSinkSt>(pipe.write_end());
    auto logger = logger_on(sink);
    logger->debug("one");
    logger->flush();
    EXPECT_EQ(pipe.drain(), "debug one\n");
}

TEST(BufferedFdSink, ALargeBatchIsWrittenWithoutAFlush) {
    Pipe pipe;
    auto sink = std::make_shared<BufferedFdSinkSt>(pipe.write_end(), spdlog::level::warn, 64);
    auto logger = logger_on(sink);
    logger->info("{}", std::string(40, 'a'));
    EXPECT_EQ(pipe.drain(), "");
    logger->info("{}", std::string(40, 'b'));
    EXPECT_EQ(pipe.drain(), "info " + std::string(40, 'a') + "\ninfo " + std::string(40, 'b') + "\n");
}

TEST(BufferedFdSink, DestructionWritesWhatIsLeft) {
    Pipe pipe;
    {
        auto sink = std::make_shared<BufferedFdSinkSt>(pipe.write_end());
        logger_on(sink)->info("last words");
    }
    EXPECT_EQ(pipe.drain(), "info last words\n");
}

TEST(BufferedFdSink, AWriteErrorDropsTheBatchAndLoggingGoesOn) {
    auto sink = std::make_shared<BufferedFdSinkSt>(-1);
    auto logger = logger_on(sink);
    logger->error("nowhere to go");
    EXPECT_EQ(sink->pending_bytes(), 0U);
    logger->info("still fine");
    EXPECT_GT(sink->pending_bytes(), 0U);
}

class TempFile {
public:
    TempFile() : fd_(::mkstemp(path_.data())) {
        if (fd_ < 0) {
            throw std::runtime_error("mkstemp failed");
        }
    }
    ~TempFile() {
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    TempFile(TempFile&&) = delete;
    TempFile& operator=(TempFile&&) = delete;

    [[nodiscard]] int fd() const { return fd_; }
    [[nodiscard]] std::string journal_stream() const {
        struct stat st {};
        ::fstat(fd_, &st);
        return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    }

private:
    std::string path_{"/tmp/log-sinks-test-XXXXXX"};
    int fd_;
};

TEST(LogTarget, TheJournalOnlyWhenJournalStreamNamesThisVeryDescriptor) {
    TempFile file;
    TempFile other;
    EXPECT_EQ(detect_log_target(file.fd(), file.journal_stream().c_str()), LogTarget::journal);
    // Inherited from a parent whose stderr was the journal, but ours is not.
    EXPECT_EQ(detect_log_target(file.fd(), other.journal_stream().c_str()), LogTarget::stream);
    EXPECT_EQ(detect_log_target(file.fd(), nullptr), LogTarget::stream);
    EXPECT_EQ(detect_log_target(file.fd(), "garbage"), LogTarget::stream);
    EXPECT_EQ(detect_log_target(file.fd(), (file.journal_stream() + "x").c_str()), LogTarget::stream);
}

TEST(LogTarget, ATerminalGetsTheTerminalSink) {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(master, 0);
    ASSERT_EQ(::grantpt(master), 0);
    ASSERT_EQ(::unlockpt(master), 0);
    const char* name = ::ptsname(master);  // NOLINT(concurrency-mt-unsafe): single-threaded test
    ASSERT_NE(name, nullptr);
    const int tty = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(tty, 0);
    EXPECT_EQ(detect_log_target(tty, nullptr), LogTarget::terminal);
    ::close(tty);
    ::close(master);
}

}  // namespace
}  // namespace maas_bridge
