# Sources of the cisco-ios backend, relative to libpoe/ (included by libpoe/CMakeLists.txt).
set(POE_CISCO_IOS_SOURCES
  src/cisco_ios/cisco_ios_driver.cpp
  src/cisco_ios/cli_text.cpp
  src/cisco_ios/host_key_policy.cpp
  src/cisco_ios/interface_name.cpp
  src/cisco_ios/ios_session.cpp
  src/cisco_ios/show_power_inline_parser.cpp
  src/cisco_ios/ssh_transport.cpp
  src/cisco_ios/string_helpers.cpp
)
