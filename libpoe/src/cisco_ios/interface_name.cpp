// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/interface_name.hpp"

#include "cisco_ios/string_helpers.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

namespace poe::ios {
namespace {

struct InterfaceType {
    std::string_view short_name;
    std::string_view long_name;
};

// Order matters only for messages listing ambiguous candidates.
constexpr std::array<InterfaceType, 9> interface_types{{
    {"Fa", "FastEthernet"},
    {"Gi", "GigabitEthernet"},
    {"Tw", "TwoGigabitEthernet"},
    {"Fi", "FiveGigabitEthernet"},
    {"Te", "TenGigabitEthernet"},
    {"Twe", "TwentyFiveGigE"},
    {"Fo", "FortyGigabitEthernet"},
    {"Hu", "HundredGigE"},
    {"Ap", "AppGigabitEthernet"},
}};

struct TypeAlias {
    std::string_view spelling;
    std::size_t type_index;
};

// IOS itself says TwentyFiveGigE / HundredGigE, but Cisco documents and
// people write the spelled-out forms; accept those (and their prefixes) too.
constexpr std::array<TypeAlias, 2> type_aliases{{
    {"TwentyFiveGigabitEthernet", 5},
    {"HundredGigabitEthernet", 7},
}};

struct ParsedName {
    std::size_t type_index{0};
    std::array<unsigned, max_interface_number_parts> numbers{};
    std::size_t count{0};
};

Error name_error(std::string_view text, std::string_view problem) {
    std::string message = "invalid interface name ";
    message += quote_for_message(text, max_interface_name_length);
    message += ": ";
    message += problem;
    return make_error(ErrorCode::invalid_argument, std::move(message));
}

// Returns the index into interface_types, or an error naming the problem.
Result<std::size_t> lookup_type(std::string_view original, std::string_view type) {
    // The switch's own spelling first: it is what every parsed row holds.
    for (std::size_t i = 0; i < interface_types.size(); ++i) {
        if (type == interface_types[i].short_name) {
            return i;
        }
    }
    for (std::size_t i = 0; i < interface_types.size(); ++i) {
        if (iequals(type, interface_types[i].short_name) || iequals(type, interface_types[i].long_name)) {
            return i;
        }
    }
    for (const auto& alias : type_aliases) {
        if (iequals(type, alias.spelling)) {
            return alias.type_index;
        }
    }
    std::array<bool, interface_types.size()> candidate{};
    for (std::size_t i = 0; i < interface_types.size(); ++i) {
        candidate[i] = istarts_with(interface_types[i].long_name, type);
    }
    for (const auto& alias : type_aliases) {
        if (istarts_with(alias.spelling, type)) {
            candidate[alias.type_index] = true;
        }
    }
    const auto matches = static_cast<std::size_t>(std::count(candidate.begin(), candidate.end(), true));
    if (matches == 1) {
        return static_cast<std::size_t>(std::find(candidate.begin(), candidate.end(), true) -
                                        candidate.begin());
    }
    if (matches == 0) {
        return name_error(original, "unknown interface type " + quote_for_message(type) +
                                        " (expected e.g. Gi, GigabitEthernet, Te, Tw, Fa)");
    }
    std::string problem = "ambiguous interface type " + quote_for_message(type) + " (could be ";
    std::size_t listed = 0;
    for (std::size_t i = 0; i < interface_types.size(); ++i) {
        if (candidate[i]) {
            problem += listed++ == 0 ? "" : (listed == matches ? " or " : ", ");
            problem += interface_types[i].long_name;
        }
    }
    problem += ")";
    return name_error(original, problem);
}

Result<ParsedName> parse_name(std::string_view text) {
    if (text.size() > max_interface_name_length) {
        return name_error(text, "longer than " + std::to_string(max_interface_name_length) + " bytes");
    }
    const std::string_view name = trim(text);
    if (name.empty()) {
        return name_error(text, "empty");
    }
    std::size_t pos = 0;
    while (pos < name.size() && is_alpha(name[pos])) {
        ++pos;
    }
    if (pos == 0) {
        return name_error(text, "does not start with an interface type (e.g. Gi1/0/5)");
    }
    auto type = lookup_type(text, name.substr(0, pos));
    if (!type) {
        return std::move(type).error();
    }
    ParsedName parsed;
    parsed.type_index = *type;
    while (pos < name.size() && is_blank(name[pos])) {
        ++pos;
    }
    if (pos == name.size()) {
        return name_error(text, "missing port numbers (e.g. 1/0/5)");
    }
    while (true) {
        const char c = name[pos];
        if (!is_digit(c)) {
            if (c == '/') {
                return name_error(text, parsed.count == 0 ? "port numbers start with '/'"
                                                          : "empty number between '/' separators");
            }
            if (is_blank(c)) {
                return name_error(text, "blank inside the port numbers");
            }
            return name_error(text, std::string("unexpected character ") +
                                        quote_for_message(std::string_view(&c, 1)) + " in the port numbers");
        }
        if (parsed.count == max_interface_number_parts) {
            return name_error(text, "more than " + std::to_string(max_interface_number_parts) + " numbers");
        }
        unsigned value = 0;
        while (pos < name.size() && is_digit(name[pos])) {
            value = value * 10U + static_cast<unsigned>(name[pos] - '0');
            if (value > max_interface_number) {
                return name_error(text, "number larger than " + std::to_string(max_interface_number));
            }
            ++pos;
        }
        parsed.numbers[parsed.count++] = value;
        if (pos == name.size()) {
            return parsed;
        }
        if (name[pos] != '/') {
            if (is_blank(name[pos])) {
                return name_error(text, "blank inside the port numbers");
            }
            return name_error(text, std::string("unexpected character ") +
                                        quote_for_message(name.substr(pos, 1)) + " in the port numbers");
        }
        ++pos;
        if (pos == name.size()) {
            return name_error(text, "port numbers end with '/'");
        }
    }
}

void append_numbers(std::string& out, const unsigned* numbers, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0) {
            out += '/';
        }
        std::array<char, 16> digits{};
        const auto converted = std::to_chars(digits.data(), digits.data() + digits.size(), numbers[i]);
        out.append(digits.data(), converted.ptr);
    }
}

// Built in a stack buffer and copied once: this runs for every port row.
std::string short_form(const ParsedName& parsed) {
    std::array<char, 4 + max_interface_number_parts * 5> buffer{};
    const std::string_view type = interface_types[parsed.type_index].short_name;
    char* out = std::copy(type.begin(), type.end(), buffer.data());
    char* const end = buffer.data() + buffer.size();
    for (std::size_t i = 0; i < parsed.count; ++i) {
        if (i > 0) {
            *out++ = '/';
        }
        out = std::to_chars(out, end, parsed.numbers[i]).ptr;
    }
    return std::string(buffer.data(), out);
}

}  // namespace

std::string InterfaceName::short_name() const {
    std::string out = type_short;
    append_numbers(out, numbers.data(), numbers.size());
    return out;
}

std::string InterfaceName::long_name() const {
    std::string out = type_long;
    append_numbers(out, numbers.data(), numbers.size());
    return out;
}

Result<InterfaceName> parse_interface_name(std::string_view text) {
    auto parsed = parse_name(text);
    if (!parsed) {
        return std::move(parsed).error();
    }
    const auto& type = interface_types[parsed->type_index];
    InterfaceName name;
    name.type_short = std::string(type.short_name);
    name.type_long = std::string(type.long_name);
    name.numbers.assign(parsed->numbers.begin(),
                        parsed->numbers.begin() + static_cast<std::ptrdiff_t>(parsed->count));
    return name;
}

Result<std::string> normalize_interface_name(std::string_view text) {
    auto parsed = parse_name(text);
    if (!parsed) {
        return std::move(parsed).error();
    }
    return short_form(*parsed);
}

namespace {

Error spec_error(std::string_view item, std::string_view problem) {
    std::string message = "invalid port spec item ";
    message += quote_for_message(item);
    message += ": ";
    message += problem;
    return make_error(ErrorCode::invalid_argument, std::move(message));
}

Result<unsigned> parse_range_end(std::string_view item, std::string_view text) {
    if (text.empty()) {
        return spec_error(item, "range has no upper bound");
    }
    unsigned value = 0;
    for (const char c : text) {
        if (!is_digit(c)) {
            return spec_error(item, "range upper bound is not a number (write e.g. Gi1/0/1-48)");
        }
        value = value * 10U + static_cast<unsigned>(c - '0');
        if (value > max_interface_number) {
            return spec_error(item, "range upper bound larger than " + std::to_string(max_interface_number));
        }
    }
    return value;
}

}  // namespace

Result<std::vector<std::string>> expand_port_spec(std::string_view spec) {
    if (spec.size() > max_port_spec_length) {
        return make_error(ErrorCode::invalid_argument,
                          "port spec longer than " + std::to_string(max_port_spec_length) + " bytes");
    }
    if (trim(spec).empty()) {
        return make_error(ErrorCode::invalid_argument, "empty port spec");
    }
    std::vector<std::string> ports;
    std::set<std::string, std::less<>> seen;
    std::size_t start = 0;
    while (start <= spec.size()) {
        std::size_t comma = spec.find(',', start);
        if (comma == std::string_view::npos) {
            comma = spec.size();
        }
        const std::string_view item = trim(spec.substr(start, comma - start));
        start = comma + 1;
        if (item.empty()) {
            return make_error(ErrorCode::invalid_argument,
                              "empty item in port spec " + quote_for_message(spec));
        }
        const std::size_t dash = item.find('-');
        const std::string_view first_text =
            dash == std::string_view::npos ? item : trim(item.substr(0, dash));
        auto first = parse_name(first_text);
        if (!first) {
            return spec_error(item, std::move(first).error().message);
        }
        unsigned last = first->numbers[first->count - 1];
        if (dash != std::string_view::npos) {
            const std::string_view upper = trim(item.substr(dash + 1));
            if (upper.find('-') != std::string_view::npos) {
                return spec_error(item, "more than one '-'");
            }
            auto bound = parse_range_end(item, upper);
            if (!bound) {
                return std::move(bound).error();
            }
            if (*bound < last) {
                return spec_error(item, "range runs backwards");
            }
            last = *bound;
        }
        ParsedName port = *first;
        const unsigned low = first->numbers[first->count - 1];
        if (ports.size() + (last - low) >= max_port_spec_ports) {
            return make_error(ErrorCode::invalid_argument,
                              "port spec names more than " + std::to_string(max_port_spec_ports) + " ports");
        }
        for (unsigned n = low; n <= last; ++n) {
            port.numbers[port.count - 1] = n;
            std::string name = short_form(port);
            if (seen.insert(name).second) {
                ports.push_back(std::move(name));
            }
        }
    }
    return ports;
}

}  // namespace poe::ios
