// SPDX-License-Identifier: Apache-2.0
// Fuzzes the interface-name parser, normaliser and port-range expansion
// (user input from configs, URLs and poectl; names from switch output).
//
// Input: byte 0 picks the entry point (even: a name, odd: a port spec);
// the rest is the text.

#include "cisco_ios/interface_name.hpp"
#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace {

using poe_fuzz::check;
namespace ios = poe::ios;

void fuzz_name(std::string_view text) {
    const auto parsed = ios::parse_interface_name(text);
    const auto normal = ios::normalize_interface_name(text);
    check(parsed.ok() == normal.ok(), "parse_interface_name and normalize_interface_name disagree");
    if (!parsed) {
        check(parsed.error().code == poe::ErrorCode::invalid_argument, "parse error is not invalid_argument");
        return;
    }
    const std::string short_name = parsed->short_name();
    check(*normal == short_name, "normalize_interface_name differs from short_name()");
    check(!parsed->numbers.empty() && parsed->numbers.size() <= ios::max_interface_number_parts,
          "parsed name has a bad number of parts");
    for (const unsigned n : parsed->numbers) {
        check(n <= ios::max_interface_number, "parsed number above the maximum");
    }
    // The canonical forms parse back to the same name.
    const auto from_short = ios::parse_interface_name(short_name);
    check(from_short.ok() && *from_short == *parsed, "short_name() does not parse back to the same name");
    const auto from_long = ios::parse_interface_name(parsed->long_name());
    check(from_long.ok() && *from_long == *parsed, "long_name() does not parse back to the same name");
    const auto again = ios::normalize_interface_name(short_name);
    check(again.ok() && *again == short_name, "normalize_interface_name is not idempotent");
}

void fuzz_spec(std::string_view spec) {
    const auto ports = ios::expand_port_spec(spec);
    if (!ports) {
        check(ports.error().code == poe::ErrorCode::invalid_argument, "spec error is not invalid_argument");
        return;
    }
    check(!ports->empty(), "expand_port_spec succeeded with no ports");
    check(ports->size() <= ios::max_port_spec_ports, "expand_port_spec returned too many ports");
    std::set<std::string> seen;
    for (const std::string& port : *ports) {
        check(seen.insert(port).second, "expand_port_spec returned a duplicate");
        const auto normal = ios::normalize_interface_name(port);
        check(normal.ok() && *normal == port, "expand_port_spec returned a name that is not canonical");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    poe_fuzz::quiet_poe_log();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if ((data[0] & 1) == 0) {
        fuzz_name(text);
    } else {
        fuzz_spec(text);
    }
    return 0;
}
