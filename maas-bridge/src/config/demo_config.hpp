// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The configuration behind `maas-bridge --demo`: an in-memory switch, no
/// hardware, no credentials, loopback only.

#include <string_view>

namespace maas_bridge {

/// Source name used in messages about the demo configuration.
inline constexpr std::string_view demo_config_name = "<demo>";

/// YAML text: fake switch `demo` with ports Gi1/0/1-8, machines pi-01..pi-08
/// via the pattern pi-(\d+) → Gi1/0/{1}, `auth: none`, listen 127.0.0.1:8550.
std::string_view demo_config_text() noexcept;

}  // namespace maas_bridge
