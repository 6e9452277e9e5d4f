// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// A finished answer, independent of the HTTP library.

#include <functional>
#include <optional>
#include <string>

namespace maas_bridge {

/// The session adds Content-Length. Every answer is JSON except /metrics.
struct Reply {
    unsigned status{200};
    std::string body;
    std::string content_type{"application/json"};
    std::string allow;                            ///< Allow header (405).
    std::optional<unsigned> retry_after_seconds;  ///< Retry-After header (503).
    bool challenge{false};                        ///< WWW-Authenticate header (401).
    // For the access log only.
    std::string machine;  ///< Machine name, or "switch/port", or "-".
    std::string outcome;  ///< "ok", "changed", "no-op", "cycled" or the error code.
};

/// Receives a Reply; may be called on any thread.
using ReplyCallback = std::function<void(Reply)>;

}  // namespace maas_bridge
