// SPDX-License-Identifier: Apache-2.0
#include <poe/registry.hpp>

#include "cisco_ios/cisco_ios_driver.hpp"
#include "fake/fake_driver.hpp"

namespace poe {

Result<void> register_builtin_drivers(Registry& registry) {
    if (auto added = registry.add(fake::driver_info()); !added) {
        return added;
    }
    return registry.add(ios::driver_info());
}

}  // namespace poe
