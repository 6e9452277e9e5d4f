// SPDX-License-Identifier: Apache-2.0
#include "support/log_capture.hpp"

#include "logging/poe_log_forwarding.hpp"

#include <poe/log.hpp>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace maas_bridge::testing {

class CaptureSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::string text() {
        const std::lock_guard lock(mutex_);
        return text_;
    }

private:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        text_.append(formatted.data(), formatted.size());
    }
    void flush_() override {}

    std::string text_;
};

LogCapture::LogCapture(spdlog::level::level_enum level)
    : sink_(std::make_shared<CaptureSink>()), previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("capture", sink_);
    logger->set_level(level);
    spdlog::set_default_logger(logger);
    forward_poe_logs_to_spdlog(level);
}

LogCapture::~LogCapture() {
    poe::set_log_sink({});
    spdlog::set_default_logger(previous_);
}

std::string LogCapture::text() const {
    return sink_->text();
}

}  // namespace maas_bridge::testing
