// SPDX-License-Identifier: Apache-2.0
#include "support/latency_summary.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace poe_bench {

namespace {

double rounded(double value) {
    return std::round(value * 1000.0) / 1000.0;
}

}  // namespace

LatencySummary LatencySummary::of(std::vector<double> micros) {
    LatencySummary summary;
    summary.count = micros.size();
    if (micros.empty()) {
        return summary;
    }
    std::sort(micros.begin(), micros.end());
    const auto rank = [&](double q) {
        const auto index = static_cast<std::size_t>(std::ceil(q * static_cast<double>(micros.size()))) - 1;
        return micros[std::min(index, micros.size() - 1)] / 1000.0;
    };
    summary.p50_ms = rank(0.50);
    summary.p90_ms = rank(0.90);
    summary.p99_ms = rank(0.99);
    summary.max_ms = micros.back() / 1000.0;
    summary.mean_ms =
        std::accumulate(micros.begin(), micros.end(), 0.0) / static_cast<double>(micros.size()) / 1000.0;
    return summary;
}

boost::json::object LatencySummary::to_json() const {
    return {{"count", count},
            {"p50_ms", rounded(p50_ms)},
            {"p90_ms", rounded(p90_ms)},
            {"p99_ms", rounded(p99_ms)},
            {"max_ms", rounded(max_ms)},
            {"mean_ms", rounded(mean_ms)}};
}

}  // namespace poe_bench
