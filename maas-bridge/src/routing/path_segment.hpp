// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Strict percent-decoding of one URL path segment.

#include <poe/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace maas_bridge {

/// Longest decoded segment accepted (machine names, switch ids, ports).
inline constexpr std::size_t max_segment_chars = 64;

/// Decodes %XX escapes in `raw` (one segment, without '/'). "+" stays "+".
/// @return invalid_argument for a malformed escape, a decoded NUL or control
///         character, "." / ".." or any "..", or more than
///         max_segment_chars decoded characters.
poe::Result<std::string> decode_path_segment(std::string_view raw);

}  // namespace maas_bridge
