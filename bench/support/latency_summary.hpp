// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <vector>

namespace poe_bench {

/// Percentiles of a set of durations in milliseconds (nearest rank).
struct LatencySummary {
    std::size_t count{0};
    double p50_ms{0.0};
    double p90_ms{0.0};
    double p99_ms{0.0};
    double max_ms{0.0};
    double mean_ms{0.0};

    static LatencySummary of(std::vector<double> micros);
    [[nodiscard]] boost::json::object to_json() const;
};

}  // namespace poe_bench
