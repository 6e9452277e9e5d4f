// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary device bytes through the pure IOS CLI helpers (newline
// normalisation, prompt detection and learning, --More-- handling, echo and
// prompt stripping, error classification) and checks their documented
// properties. Seeds: the captured sessions and outputs in
// tests/fixtures/cisco-ios/.
//
// Input: byte 0 picks the command whose echo is expected, byte 1 the
// hostname; the rest is what the switch sent.

#include "cisco_ios/cli_text.hpp"
#include "cisco_ios/string_helpers.hpp"
#include "fuzz_check.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using poe_fuzz::check;
using poe_fuzz::is_view_into;
namespace ios = poe::ios;

constexpr std::array<std::string_view, 8> commands{"show power inline",
                                                   "terminal length 0",
                                                   "terminal width 511",
                                                   "",
                                                   "enable",
                                                   "interface GigabitEthernet1/0/5",
                                                   "power inline never",
                                                   "write memory"};

constexpr std::array<std::string_view, 6> hostnames{"sw1",    "Switch",          "core-sw.lab",
                                                    "cisco1", "c2960x-stack-01", "s"};

bool clean_text(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\t' && c != '\n') || byte == 0x7f) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    poe_fuzz::quiet_poe_log();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const std::string_view command = commands[data[0] % commands.size()];
    std::string_view hostname = hostnames[data[1] % hostnames.size()];
    const std::string_view raw(reinterpret_cast<const char*>(data) + 2, size - 2);

    const std::string text = ios::normalize_newlines(raw);
    check(clean_text(text), "normalize_newlines left a control character (other than tab/LF)");
    check(text.size() <= raw.size(), "normalize_newlines made the text longer");
    check(ios::normalize_newlines(text) == text, "normalize_newlines is not idempotent");

    // Prompt learning on the whole text, then detection with what was learned.
    const auto learned = ios::learn_prompt(text);
    std::string learned_host;
    if (learned) {
        learned_host = learned->hostname;
        check(!learned_host.empty(), "learn_prompt returned an empty hostname");
        const auto detected = ios::detect_prompt(text, learned_host);
        check(detected.has_value(), "detect_prompt rejects the prompt learn_prompt accepted");
        check(*detected == *learned, "detect_prompt and learn_prompt disagree");
        // Sometimes carry on with the hostname the text itself claims.
        if ((data[1] & 0x80) != 0) {
            hostname = learned_host;
        }
    } else {
        check(learned.error().device_text.size() <= ios::max_device_text_bytes,
              "learn_prompt device_text too big");
    }
    (void)ios::detect_prompt(text, hostname);
    (void)ios::detect_prompt(raw, hostname);
    (void)ios::ends_with_password_prompt(text);

    if (ios::ends_with_more(text)) {
        const std::string_view stripped = ios::strip_more(text);
        check(is_view_into(stripped, text), "strip_more returned a view outside its input");
        check(stripped.size() < text.size(), "strip_more kept the --More-- marker");
    } else {
        check(ios::strip_more(text).size() == text.size(), "strip_more changed text without a marker");
    }
    const std::string unpaged = ios::strip_more_markers(text);
    check(unpaged.size() <= text.size(), "strip_more_markers made the text longer");

    const auto after_echo = ios::strip_command_echo(unpaged, command);
    if (after_echo) {
        check(is_view_into(*after_echo, unpaged), "strip_command_echo returned a view outside its input");
        check(unpaged.ends_with(*after_echo), "strip_command_echo did not return a suffix");
        const std::string_view output = ios::strip_trailing_prompt(*after_echo, hostname);
        check(after_echo->starts_with(output), "strip_trailing_prompt did not return a prefix");
    }

    const auto extracted = ios::extract_command_output(raw, command, hostname);
    if (extracted) {
        check(extracted->size() <= raw.size(), "extract_command_output made the output longer");
        check(clean_text(*extracted), "extract_command_output left a control character");
        if (const auto error = ios::classify_cli_error(*extracted)) {
            check(error->device_text.size() <= ios::max_device_text_bytes,
                  "classify_cli_error device_text too big");
        }
    } else {
        check(extracted.error().code == poe::ErrorCode::parse_error,
              "extract_command_output: not parse_error");
        check(extracted.error().device_text.size() <= ios::max_device_text_bytes,
              "extract_command_output device_text too big");
    }

    if (const auto error = ios::classify_cli_error(text)) {
        check(error->code == poe::ErrorCode::device_rejected || error->code == poe::ErrorCode::auth_failed,
              "classify_cli_error returned an unexpected code");
        check(error->device_text.size() <= ios::max_device_text_bytes,
              "classify_cli_error device_text too big");
        check(error->message.find('\n') == std::string::npos, "classify_cli_error message spans lines");
    }
    return 0;
}
