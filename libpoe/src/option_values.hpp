// SPDX-License-Identifier: Apache-2.0
#pragma once

// Typed reads of driver option text, shared by the backends. Each returns
// invalid_argument naming the option when the text does not fit.

#include <poe/registry.hpp>
#include <poe/result.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace poe::detail {

/// Unsigned integer in [min, max].
Result<std::uint64_t> option_uint(const DriverOptions& options, std::string_view key, std::uint64_t fallback,
                                  std::uint64_t min, std::uint64_t max);

/// "true"/"false"/"yes"/"no"/"1"/"0".
Result<bool> option_bool(const DriverOptions& options, std::string_view key, bool fallback);

/// Milliseconds, written as a plain number of ms.
Result<std::chrono::milliseconds> option_ms(const DriverOptions& options, std::string_view key,
                                            std::chrono::milliseconds fallback,
                                            std::chrono::milliseconds max);

/// Text value or fallback.
std::string option_text(const DriverOptions& options, std::string_view key, std::string_view fallback = {});

}  // namespace poe::detail
