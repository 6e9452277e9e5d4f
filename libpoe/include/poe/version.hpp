// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// libpoe's version, as built.

#include <poe/export.hpp>

#include <string_view>

namespace poe {

/// "MAJOR.MINOR.PATCH" of the library actually loaded.
POE_API std::string_view version() noexcept;

}  // namespace poe
