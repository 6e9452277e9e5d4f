// SPDX-License-Identifier: Apache-2.0
#include <poe/version.hpp>

#include "poe_version_config.hpp"

namespace poe {

std::string_view version() noexcept {
    return POE_VERSION_STRING;
}

}  // namespace poe
