#include "port_spec.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <string>

namespace ios_sim {

namespace {

int parse_int(std::string_view text, std::string_view element) {
    int value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) {
        throw std::invalid_argument("bad port number in \"" + std::string(element) + "\"");
    }
    return value;
}

void expand_element(std::string_view element, std::vector<InterfaceId>& out) {
    const auto digit = std::find_if(element.begin(), element.end(),
                                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    const auto type_len = static_cast<std::size_t>(digit - element.begin());
    const InterfaceType* type = find_interface_type(element.substr(0, type_len));
    if (type == nullptr) {
        throw std::invalid_argument("unknown interface type in \"" + std::string(element) + "\"");
    }
    std::string_view numbers = element.substr(type_len);
    const auto last_slash = numbers.rfind('/');
    const std::string_view stem = last_slash == std::string_view::npos ? "" : numbers.substr(0, last_slash);
    const std::string_view last = numbers.substr(last_slash == std::string_view::npos ? 0 : last_slash + 1);

    std::vector<int> prefix;
    if (!stem.empty()) {
        auto parsed = parse_interface_numbers(stem);
        if (!parsed) {
            throw std::invalid_argument("bad slot numbers in \"" + std::string(element) + "\"");
        }
        prefix = std::move(*parsed);
    }
    const auto dash = last.find('-');
    const int first = parse_int(last.substr(0, dash), element);
    const int final = dash == std::string_view::npos ? first : parse_int(last.substr(dash + 1), element);
    if (final < first || final - first > 1024) {
        throw std::invalid_argument("bad port range in \"" + std::string(element) + "\"");
    }
    for (int port = first; port <= final; ++port) {
        InterfaceId id{type, prefix};
        id.numbers.push_back(port);
        if (std::find(out.begin(), out.end(), id) != out.end()) {
            throw std::invalid_argument("duplicate port " + id.short_name());
        }
        out.push_back(std::move(id));
    }
}

}  // namespace

std::vector<InterfaceId> parse_port_spec(std::string_view spec) {
    std::vector<InterfaceId> ports;
    while (!spec.empty()) {
        const auto comma = spec.find(',');
        std::string_view element = spec.substr(0, comma);
        while (!element.empty() && element.front() == ' ') {
            element.remove_prefix(1);
        }
        while (!element.empty() && element.back() == ' ') {
            element.remove_suffix(1);
        }
        if (!element.empty()) {
            expand_element(element, ports);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        spec.remove_prefix(comma + 1);
    }
    if (ports.empty()) {
        throw std::invalid_argument("no ports given");
    }
    return ports;
}

}  // namespace ios_sim
