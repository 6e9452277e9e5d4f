// SPDX-License-Identifier: Apache-2.0
#include "auth/authenticator.hpp"

#include "support/http_test_client.hpp"

#include <gtest/gtest.h>

namespace maas_bridge {
namespace {

AuthConfig credentials() {
    AuthConfig config;
    config.mode = AuthConfig::Mode::credentials;
    config.tokens = {{"maas", "tok-en"}, {"ci", "other"}};
    config.users = {{"maas", "pa:ss"}};
    return config;
}

TEST(Authenticator, AcceptsBearerTokens) {
    const Authenticator auth(credentials());
    EXPECT_EQ(auth.check("Bearer tok-en").kind, AuthVerdict::Kind::accepted);
    EXPECT_EQ(auth.check("Bearer tok-en").identity, "maas");
    EXPECT_EQ(auth.check("bearer   other ").identity, "ci");
    EXPECT_EQ(auth.check("Bearer tok-e").kind, AuthVerdict::Kind::rejected);
    EXPECT_EQ(auth.check("Bearer tok-enn").kind, AuthVerdict::Kind::rejected);
    EXPECT_EQ(auth.check("Bearer").kind, AuthVerdict::Kind::rejected);
}

TEST(Authenticator, AcceptsBasicUsers) {
    const Authenticator auth(credentials());
    // The password may contain ":"; the user name ends at the first one.
    const AuthVerdict ok = auth.check(testing::basic_auth("maas", "pa:ss"));
    EXPECT_EQ(ok.kind, AuthVerdict::Kind::accepted);
    EXPECT_EQ(ok.identity, "maas");
    EXPECT_EQ(auth.check(testing::basic_auth("maas", "pa:s")).kind, AuthVerdict::Kind::rejected);
    EXPECT_EQ(auth.check(testing::basic_auth("maa", "pa:ss")).kind, AuthVerdict::Kind::rejected);
    EXPECT_EQ(auth.check("Basic !!!").kind, AuthVerdict::Kind::rejected);
    EXPECT_EQ(auth.check("Basic bWFhcw==").kind, AuthVerdict::Kind::rejected);  // "maas", no colon
    // A token is not a password and vice versa.
    EXPECT_EQ(auth.check("Bearer pa:ss").kind, AuthVerdict::Kind::rejected);
    EXPECT_EQ(auth.check(testing::basic_auth("maas", "tok-en")).kind, AuthVerdict::Kind::rejected);
}

TEST(Authenticator, MissingOrUnknownScheme) {
    const Authenticator auth(credentials());
    EXPECT_EQ(auth.check("").kind, AuthVerdict::Kind::missing);
    EXPECT_EQ(auth.check("   ").kind, AuthVerdict::Kind::missing);
    EXPECT_EQ(auth.check("Digest x").kind, AuthVerdict::Kind::missing);
    EXPECT_EQ(auth.check("Bearer " + std::string(5000, 'a')).kind, AuthVerdict::Kind::rejected);
}

TEST(Authenticator, OpenModesAcceptEverything) {
    AuthConfig none;
    none.mode = AuthConfig::Mode::none;
    EXPECT_TRUE(Authenticator(none).check("").ok());
    EXPECT_TRUE(Authenticator(none).open());
    EXPECT_TRUE(Authenticator(AuthConfig{}).check("Bearer whatever").ok());
    EXPECT_FALSE(Authenticator(credentials()).open());
}

TEST(Base64, StrictDecoding) {
    EXPECT_EQ(decode_base64("bWFhczpwYXNz"), "maas:pass");
    EXPECT_EQ(decode_base64("YQ=="), "a");
    EXPECT_EQ(decode_base64("YWI="), "ab");
    EXPECT_EQ(decode_base64(""), "");
    for (const char* bad : {"YQ", "YQ=", "Y===", "=YQ=", "YQ==YQ==", "YW\nI=", "YW-="}) {
        EXPECT_FALSE(decode_base64(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace maas_bridge
