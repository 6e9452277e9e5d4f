#include "interface_name.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace ios_sim {

namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

std::span<const InterfaceType> interface_types() {
    // Longest short names first so that `Twe` wins over `Tw` when a port spec
    // is split into type and numbers.
    static constexpr std::array<InterfaceType, 8> types{{
        {"TwentyFiveGigE", "Twe", 30000},
        {"FastEthernet", "Fa", 15400},
        {"GigabitEthernet", "Gi", 30000},
        {"TwoGigabitEthernet", "Tw", 60000},
        {"FiveGigabitEthernet", "Fi", 60000},
        {"TenGigabitEthernet", "Te", 30000},
        {"FortyGigabitEthernet", "Fo", 30000},
        {"HundredGigE", "Hu", 30000},
    }};
    return types;
}

const InterfaceType* find_interface_type(std::string_view name) {
    for (const auto& type : interface_types()) {
        if (iequals(name, type.short_name) || iequals(name, type.full_name)) {
            return &type;
        }
    }
    return nullptr;
}

std::string InterfaceId::short_name() const {
    std::string out(type->short_name);
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        if (i > 0) {
            out += '/';
        }
        out += std::to_string(numbers[i]);
    }
    return out;
}

std::string InterfaceId::full_name() const {
    std::string out(type->full_name);
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        if (i > 0) {
            out += '/';
        }
        out += std::to_string(numbers[i]);
    }
    return out;
}

int InterfaceId::module() const {
    return numbers.size() >= 3 ? numbers.front() : 1;
}

std::optional<std::vector<int>> parse_interface_numbers(std::string_view text) {
    std::vector<int> numbers;
    while (true) {
        const auto slash = text.find('/');
        const auto part = text.substr(0, slash);
        if (part.empty() || part.size() > 4) {
            return std::nullopt;
        }
        int value = 0;
        const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (ec != std::errc{} || ptr != part.data() + part.size()) {
            return std::nullopt;
        }
        numbers.push_back(value);
        if (slash == std::string_view::npos) {
            break;
        }
        text.remove_prefix(slash + 1);
    }
    return numbers;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

}  // namespace ios_sim
