// SPDX-License-Identifier: Apache-2.0
#pragma once

// Certificates made at test time with the OpenSSL API (no `openssl`
// binary, nothing checked in): a CA and server certificates it signs, or
// self-signed ones. Keys are fresh P-256 keys. Throws on failure (tests only).

#include <string>
#include <vector>

namespace maas_bridge::testing {

/// A certificate and its private key, both PEM.
struct TestCertificate {
    std::string certificate_pem;
    std::string private_key_pem;
};

struct TestCertificateRequest {
    std::string common_name{"maas-bridge test"};
    std::vector<std::string> dns_names;     ///< subjectAltName DNS entries.
    std::vector<std::string> ip_addresses;  ///< subjectAltName IP entries.
    bool certificate_authority{false};      ///< CA:TRUE, may sign others.
    long valid_for_seconds{24L * 3600};     ///< From an hour ago.
    long valid_from_seconds{-3600};         ///< notBefore relative to now.
};

/// Issues a certificate for `request`, signed by `issuer` (self-signed when null).
TestCertificate make_test_certificate(const TestCertificateRequest& request,
                                      const TestCertificate* issuer = nullptr);

/// A CA plus a server certificate for 127.0.0.1 and localhost it signed.
struct TestPki {
    TestCertificate ca;
    TestCertificate server;
};
TestPki make_test_pki();

}  // namespace maas_bridge::testing
