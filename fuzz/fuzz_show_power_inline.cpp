// SPDX-License-Identifier: Apache-2.0
// Fuzzes poe::ios::parse_show_power_inline with arbitrary switch output.
// Seeds: tests/fixtures/cisco-ios/*.txt.

#include "cisco_ios/interface_name.hpp"
#include "cisco_ios/show_power_inline_parser.hpp"
#include "cisco_ios/string_helpers.hpp"
#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    poe_fuzz::quiet_poe_log();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view output(reinterpret_cast<const char*>(data), size);
    const auto parsed = poe::ios::parse_show_power_inline(output);
    if (parsed) {
        // Documented: a port listed twice is a parse error; names are non-empty.
        std::set<std::string> seen;
        for (const poe::PortStatus& port : *parsed) {
            poe_fuzz::check(!port.name.empty(), "parsed port has an empty name");
            poe_fuzz::check(seen.insert(port.name).second, "parsed output lists a port twice");
            const auto normal = poe::ios::normalize_interface_name(port.name);
            poe_fuzz::check(normal && *normal == port.name, "parsed port name is not normalised");
        }
    } else {
        // Documented: device_text holds the raw output, at most 8 KiB.
        const poe::Error& error = parsed.error();
        if (poe_fuzz::verbose()) {
            std::fprintf(stderr, "parse error (code %d): [%s]\n", static_cast<int>(error.code),
                         error.message.c_str());
        }
        poe_fuzz::check(error.device_text.size() <= poe::ios::max_device_text_bytes,
                        "parse error device_text larger than 8 KiB");
        // The message names the line in quotes; it must stay one line (logs, HTTP bodies).
        poe_fuzz::check(error.message.find_first_of("\r\n") == std::string::npos,
                        "parse error message spans several lines");
    }
    return 0;
}
