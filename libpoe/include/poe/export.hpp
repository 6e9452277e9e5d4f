// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Symbol visibility for libpoe. Everything not marked POE_API is hidden.

#if defined(POE_STATIC_DEFINE)
#define POE_API
#elif defined(POE_BUILDING_LIBRARY)
#define POE_API __attribute__((visibility("default")))
#else
#define POE_API
#endif
