// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// sd_notify for Type=notify units; does nothing outside systemd.

#include <string_view>

namespace maas_bridge {

/// Sends READY=1 (with a STATUS= line) when $NOTIFY_SOCKET is set.
void notify_ready(std::string_view status);

/// Sends RELOADING=1 (with MONOTONIC_USEC=, which systemd 253+ expects)
/// when $NOTIFY_SOCKET is set; follow it with notify_ready() when done.
void notify_reloading();

/// Sends STOPPING=1 when $NOTIFY_SOCKET is set.
void notify_stopping();

}  // namespace maas_bridge
