// SPDX-License-Identifier: Apache-2.0
#include "app/maas_url_banner.hpp"

#include "app/startup_checks.hpp"
#include "config/config_loader.hpp"
#include "config/demo_config.hpp"
#include "support/test_drivers.hpp"

#include <gtest/gtest.h>

namespace maas_bridge {
namespace {

BridgeConfig load(const std::string& yaml) {
    auto registry = testing::make_test_registry();
    ConfigLoadOptions options;
    options.registry = registry.get();
    auto config = load_config_text(yaml, "test.yaml", options);
    EXPECT_TRUE(config.ok()) << config.error().message;
    return config.ok() ? std::move(config).value() : BridgeConfig{};
}

TEST(MaasUrlBanner, ListsExactUrlsPerMachine) {
    const BridgeConfig config = load(R"(switches:
  demo:
    driver: fake
machines:
  - name: pi-01
    switch: demo
    port: Gi1/0/1
  - pattern: 'pi-(\d+)'
    switch: demo
    port: 'Gi1/0/{1}'
  - pattern: '(?:x|y)-([a-z]+)'
    switch: demo
    port: 'Gi1/0/{1}'
)");
    const std::string banner = maas_url_banner(config, "http://127.0.0.1:8550");
    EXPECT_NE(banner.find("pi-01: on     POST http://127.0.0.1:8550/v1/machines/pi-01/on\n"
                          "       off    POST http://127.0.0.1:8550/v1/machines/pi-01/off\n"
                          "       query  GET  http://127.0.0.1:8550/v1/machines/pi-01\n"),
              std::string::npos)
        << banner;
    EXPECT_NE(banner.find("machines matching 'pi-(\\d+)' -> demo Gi1/0/{1}, e.g.\npi-01: on"),
              std::string::npos)
        << banner;
    EXPECT_NE(banner.find("{name}: on     POST http://127.0.0.1:8550/v1/machines/{name}/on"),
              std::string::npos)
        << banner;
}

TEST(MaasUrlBanner, BaseUrl) {
    EXPECT_EQ(base_url(ListenAddress{"127.0.0.1", 8550}, false), "http://127.0.0.1:8550");
    EXPECT_EQ(base_url(ListenAddress{"::1", 80}, false), "http://[::1]:80");
    EXPECT_EQ(base_url(ListenAddress{"0.0.0.0", 8550}, false), "http://<bridge-host>:8550");
}

TEST(MaasUrlBanner, BaseUrlWithHttps) {
    EXPECT_EQ(base_url(ListenAddress{"10.0.0.5", 8550}, true), "https://10.0.0.5:8550");
    EXPECT_EQ(base_url(ListenAddress{"::", 8550}, true), "https://<bridge-host>:8550");
}

TEST(StartupChecks, AuthExposure) {
    BridgeConfig config = load("switches:\n  demo:\n    driver: fake\n");
    EXPECT_TRUE(check_auth_exposure(config).ok());
    EXPECT_EQ(exposure_warning(config), "");
    config.listen = ListenAddress{"0.0.0.0", 8550};
    EXPECT_FALSE(check_auth_exposure(config).ok());
    config.auth.mode = AuthConfig::Mode::none;
    EXPECT_TRUE(check_auth_exposure(config).ok());
    EXPECT_TRUE(exposure_warning(config).starts_with("AUTHENTICATION IS OFF")) << exposure_warning(config);
    config.auth.mode = AuthConfig::Mode::credentials;
    EXPECT_TRUE(check_auth_exposure(config).ok());
    EXPECT_EQ(exposure_warning(config), "");
}

TEST(StartupChecks, SummaryHidesSecrets) {
    const BridgeConfig config = load(R"(auth:
  tokens:
    - name: maas
      token: very-secret-token
switches:
  core:
    driver: lab
    host: 192.0.2.1
    password: switch-secret
)");
    const std::string summary = config_summary(config);
    EXPECT_NE(summary.find("password=(secret)"), std::string::npos) << summary;
    EXPECT_NE(summary.find("auth: 1 token(s) maas"), std::string::npos) << summary;
    EXPECT_EQ(summary.find("switch-secret"), std::string::npos) << summary;
    EXPECT_EQ(summary.find("very-secret-token"), std::string::npos) << summary;
}

}  // namespace
}  // namespace maas_bridge
