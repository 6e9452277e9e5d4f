// SPDX-License-Identifier: Apache-2.0
#include "config/demo_config.hpp"

namespace maas_bridge {

std::string_view demo_config_text() noexcept {
    // Leading zeros in the capture ("01") are fine: the driver normalises
    // Gi1/0/01 to Gi1/0/1.
    return R"yaml(# maas-bridge --demo: an in-memory PoE switch, nothing leaves this machine.
listen: 127.0.0.1:8550
auth: none
policy:
  cycle_dwell: 2s
switches:
  demo:
    driver: fake
    ports: Gi1/0/1-8
machines:
  - pattern: 'pi-(\d+)'
    switch: demo
    port: 'Gi1/0/{1}'
)yaml";
}

}  // namespace maas_bridge
