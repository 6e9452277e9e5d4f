// SPDX-License-Identifier: Apache-2.0
#include <poe/registry.hpp>

#include <set>

namespace poe {

Result<void> Registry::add(DriverInfo info) {
    if (info.name.empty()) {
        return make_error(ErrorCode::invalid_argument, "driver name must not be empty");
    }
    if (!info.factory) {
        return make_error(ErrorCode::invalid_argument, "driver \"" + info.name + "\" has no factory");
    }
    if (drivers_.contains(info.name)) {
        return make_error(ErrorCode::invalid_argument, "driver \"" + info.name + "\" is already registered");
    }
    std::set<std::string, std::less<>> keys;
    for (const auto& option : info.options) {
        if (!keys.insert(option.key).second) {
            return make_error(ErrorCode::invalid_argument,
                              "driver \"" + info.name + "\" declares option \"" + option.key + "\" twice");
        }
    }
    std::string name = info.name;
    drivers_.emplace(std::move(name), std::move(info));
    return success();
}

const DriverInfo* Registry::find(std::string_view name) const {
    const auto it = drivers_.find(name);
    return it == drivers_.end() ? nullptr : &it->second;
}

std::vector<const DriverInfo*> Registry::drivers() const {
    std::vector<const DriverInfo*> out;
    out.reserve(drivers_.size());
    for (const auto& [name, info] : drivers_) {
        out.push_back(&info);
    }
    return out;
}

Result<std::unique_ptr<Driver>> Registry::create(std::string_view name, DriverOptions options) const {
    const DriverInfo* info = find(name);
    if (info == nullptr) {
        std::string known;
        for (const auto& [key, unused] : drivers_) {
            known += known.empty() ? key : ", " + key;
        }
        return make_error(ErrorCode::invalid_argument,
                          "unknown driver \"" + std::string(name) + "\" (known: " + known + ")");
    }
    for (const auto& [key, value] : options) {
        bool known = false;
        for (const auto& option : info->options) {
            known = known || option.key == key;
        }
        if (!known) {
            return make_error(ErrorCode::invalid_argument,
                              "driver \"" + info->name + "\" has no option \"" + key + "\"");
        }
    }
    for (const auto& option : info->options) {
        if (options.contains(option.key)) {
            continue;
        }
        if (option.required) {
            return make_error(ErrorCode::invalid_argument,
                              "driver \"" + info->name + "\" needs option \"" + option.key + "\"");
        }
        if (!option.default_value.empty()) {
            options.emplace(option.key, option.default_value);
        }
    }
    auto driver = info->factory(options);
    if (driver && !driver.value()) {
        return make_error(ErrorCode::internal, "driver \"" + info->name + "\" factory returned nothing");
    }
    return driver;
}

}  // namespace poe
