#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ios_sim {

/// One IOS interface type: the long name IOS writes in configs and the short
/// name it prints in `show power inline`.
struct InterfaceType {
    std::string_view full_name;
    std::string_view short_name;
    /// Default PoE budget of such a port in milliwatts (the Max column).
    int default_max_mw;
};

/// Every physical type the simulator knows, longest short names first.
std::span<const InterfaceType> interface_types();

/// Looks a type up by its exact short or full name (case-insensitive).
const InterfaceType* find_interface_type(std::string_view name);

/// An interface: type plus its slot/port numbers (`Gi1/0/5` = Gi, {1,0,5}).
struct InterfaceId {
    const InterfaceType* type = nullptr;
    std::vector<int> numbers;

    std::string short_name() const;
    std::string full_name() const;
    /// Stack member / line card the port belongs to (first number of a
    /// three-level name, 1 for the rest, because IOS numbers modules from 1).
    int module() const;

    friend bool operator==(const InterfaceId& a, const InterfaceId& b) {
        return a.type == b.type && a.numbers == b.numbers;
    }
};

/// Parses `1/0/05` into {1,0,5}; nullopt unless it is digits separated by `/`.
std::optional<std::vector<int>> parse_interface_numbers(std::string_view text);

/// Case-insensitive ASCII comparison helpers shared by the parsers.
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
std::string to_lower(std::string_view text);

}  // namespace ios_sim
