// SPDX-License-Identifier: Apache-2.0
#pragma once

// Replaces spdlog's default logger with one that records every line at or
// above a level (trace unless told) for the lifetime of the object, and
// forwards libpoe logs at that level too, as maas-bridge --log-level does.

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace maas_bridge::testing {

class CaptureSink;

class LogCapture {
public:
    explicit LogCapture(spdlog::level::level_enum level = spdlog::level::trace);
    ~LogCapture();
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    /// Everything logged so far, one formatted line per record.
    [[nodiscard]] std::string text() const;

private:
    std::shared_ptr<CaptureSink> sink_;
    std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace maas_bridge::testing
