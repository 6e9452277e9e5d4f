// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every fuzz target shares: an invariant check that aborts (libFuzzer
// then keeps the input as a crash), and silencing libpoe's log.

#include <poe/log.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace poe_fuzz {

/// Aborts with `what` when `condition` is false: a broken documented
/// property is a finding just like a sanitizer report.
inline void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
        std::abort();
    }
}

/// True when POE_FUZZ_VERBOSE is set: targets then print what they
/// decided about an input (for triage: `POE_FUZZ_VERBOSE=1 build-fuzz/T FILE`).
inline bool verbose() {
    static const bool on = std::getenv("POE_FUZZ_VERBOSE") != nullptr;
    return on;
}

/// libpoe logs to stderr by default; at fuzzing speed that is noise.
inline void quiet_poe_log() {
    poe::set_log_sink([](poe::LogLevel, std::string_view) {});
    poe::set_log_level(poe::LogLevel::error);
}

/// True when `part` lies inside `whole` (a view cut from it).
inline bool is_view_into(std::string_view part, std::string_view whole) {
    if (part.empty()) {
        return true;
    }
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace poe_fuzz
