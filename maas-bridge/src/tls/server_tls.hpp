// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The bridge's HTTPS settings: checks a certificate chain and private key
/// (PEM text from the configuration) and builds the OpenSSL context every
/// HTTPS connection uses. Settings: TLS 1.2 and later, no compression, no
/// renegotiation, the server's cipher order, OpenSSL's default ciphers.

#include "config/bridge_config.hpp"

#include <poe/result.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace maas_bridge {

/// Largest certificate chain file accepted.
inline constexpr std::size_t max_tls_certificate_bytes = std::size_t{256} * 1024;
/// Largest private key file accepted.
inline constexpr std::size_t max_tls_private_key_bytes = std::size_t{64} * 1024;

/// A ready server context and what is worth warning about.
struct ServerTls {
    /// Shared by every connection (OpenSSL contexts are thread-safe once set up).
    std::shared_ptr<boost::asio::ssl::context> context;
    /// E.g. the certificate has expired or names no host (subjectAltName).
    std::vector<std::string> warnings;
};

/// Parses `tls.certificate_pem` (the server certificate first, then any
/// intermediates) and `tls.private_key_pem` and checks that they belong
/// together. Never prompts for a passphrase.
/// @return invalid_argument naming the file (tls.certificate /
///         tls.private_key, never the key's content) when a PEM block is
///         missing or unreadable, the key is passphrase-protected, the key
///         does not match the certificate, or OpenSSL refuses them (e.g. a
///         key too weak for the system's security level).
/// Thread-safety: may be called from any thread.
poe::Result<ServerTls> make_server_tls(const TlsConfig& tls);

}  // namespace maas_bridge
