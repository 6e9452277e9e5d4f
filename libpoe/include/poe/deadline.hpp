// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Every libpoe call that may wait takes an absolute deadline on the
/// monotonic clock.

#include <chrono>

namespace poe {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

/// A deadline `d` from now.
template <typename Rep, typename Period>
Deadline deadline_in(std::chrono::duration<Rep, Period> d) {
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(d);
}

/// Time left until `deadline` (zero if it has passed).
inline std::chrono::milliseconds time_left(Deadline deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? left : std::chrono::milliseconds{0};
}

}  // namespace poe
