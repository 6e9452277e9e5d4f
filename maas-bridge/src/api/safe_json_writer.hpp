// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// A one-line JSON writer whose string values can never spell the words
/// MAAS's power regexes look for.
///
/// MAAS searches a query body with `status.*\:.*running`, then
/// `status.*\:.*stopped`. Device names, machine names, switch output can
/// contain any of those words, so every string written with string() has
/// the first letter of each occurrence of "status", "running" or "stopped"
/// (any letter case) written as a \u escape: the JSON still decodes to the
/// same text, but the raw bytes no longer match. Control characters are
/// always \u escapes (a short "\r" followed by "unning" would spell the
/// word), and invalid UTF-8 becomes U+FFFD, so the output is valid JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maas_bridge {

/// Appends `text` as a JSON string literal (with quotes), defused as
/// described above.
void append_defused_json_string(std::string& out, std::string_view text);

/// Builds one JSON value on a single line. Keys must be fixed identifiers
/// chosen by the bridge (they are written as they are). Not thread-safe.
class SafeJsonWriter {
public:
    SafeJsonWriter& begin_object();
    SafeJsonWriter& end_object();
    SafeJsonWriter& begin_array();
    SafeJsonWriter& end_array();
    /// Starts a member; the next call writes its value.
    SafeJsonWriter& key(std::string_view name);
    /// A defused string value.
    SafeJsonWriter& string(std::string_view text);
    /// A string written verbatim. Only for the "status" value of a query
    /// answer, which must match MAAS's regex; `word` must need no escaping.
    SafeJsonWriter& verbatim_string(std::string_view word);
    SafeJsonWriter& number(double value);  ///< NaN/inf become null.
    SafeJsonWriter& integer(std::int64_t value);
    SafeJsonWriter& boolean(bool value);
    SafeJsonWriter& null();
    /// A string when set, null otherwise.
    SafeJsonWriter& optional_string(const std::optional<std::string>& text);

    /// The text written so far.
    [[nodiscard]] const std::string& str() const noexcept { return out_; }
    [[nodiscard]] std::string take() && { return std::move(out_); }

private:
    void separate();

    std::string out_;
    std::vector<bool> first_;  // per open container: no member written yet
    bool after_key_{false};
};

}  // namespace maas_bridge
