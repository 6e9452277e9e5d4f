// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Umbrella header: everything a libpoe user needs.

#include <poe/deadline.hpp>
#include <poe/driver.hpp>
#include <poe/error.hpp>
#include <poe/log.hpp>
#include <poe/port.hpp>
#include <poe/registry.hpp>
#include <poe/result.hpp>
#include <poe/switch_controller.hpp>
#include <poe/version.hpp>
