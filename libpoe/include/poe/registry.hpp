// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Drivers registered by name with a factory and self-described options.
/// No static self-registration: call register_builtin_drivers().

#include <poe/driver.hpp>
#include <poe/export.hpp>
#include <poe/result.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace poe {

/// Driver options as key/value text, e.g. {"host","10.0.0.2"}.
using DriverOptions = std::map<std::string, std::string, std::less<>>;

/// One option a driver understands.
struct OptionInfo {
    std::string key;
    std::string description;
    std::string default_value;  ///< Empty when there is no default.
    bool required{false};
    bool secret{false};  ///< Never print the value (passwords, secrets).
};

/// Creates a driver from validated options.
using DriverFactory = std::function<Result<std::unique_ptr<Driver>>(const DriverOptions&)>;

/// A registered backend.
struct DriverInfo {
    std::string name;         ///< e.g. "cisco-ios", "fake".
    std::string description;  ///< One line for humans.
    std::vector<OptionInfo> options;
    DriverFactory factory;
};

/// Name → driver factory. Not thread-safe for add(); create() and lookups
/// are safe to call concurrently once registration is done.
class POE_API Registry {
public:
    /// Adds a driver. @return invalid_argument when the name is taken or
    /// empty, or an option key appears twice.
    Result<void> add(DriverInfo info);

    /// Looks a driver up by name (nullptr when unknown).
    [[nodiscard]] const DriverInfo* find(std::string_view name) const;

    /// Registered drivers, sorted by name.
    [[nodiscard]] std::vector<const DriverInfo*> drivers() const;

    /// Validates `options` against the driver's option list (unknown keys,
    /// missing required keys), fills in defaults and calls the factory.
    /// @return invalid_argument naming the offending key; the factory's
    ///         own errors.
    [[nodiscard]] Result<std::unique_ptr<Driver>> create(std::string_view name, DriverOptions options) const;

private:
    std::map<std::string, DriverInfo, std::less<>> drivers_;
};

/// Registers every driver built into this libpoe ("fake", "cisco-ios").
POE_API Result<void> register_builtin_drivers(Registry& registry);

}  // namespace poe
