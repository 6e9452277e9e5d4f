// SPDX-License-Identifier: Apache-2.0
#include "tls/server_tls.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string_view>

namespace maas_bridge {
namespace {

namespace ssl = boost::asio::ssl;

struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
    void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// A read-only memory BIO over `text` (which must outlive it).
BioPtr memory_bio(const std::string& text) {
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Refuses every passphrase request: OpenSSL's default would prompt on the
// terminal, which a daemon must never do.
int no_passphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*user*/) {
    return -1;
}

// OpenSSL's reason for the last failure (library and reason names only:
// never data from the file), and a clean error queue.
std::string openssl_reason() {
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0) {
        return "unknown OpenSSL error";
    }
    const char* reason = ERR_reason_error_string(code);
    return reason != nullptr ? reason : "OpenSSL error " + std::to_string(code);
}

poe::Error invalid(std::string message) {
    ERR_clear_error();
    return poe::make_error(poe::ErrorCode::invalid_argument, std::move(message));
}

std::string quoted(const std::string& text) {
    return "\"" + text + "\"";
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

std::string asn1_time_text(const ASN1_TIME* time) {
    const BioPtr out(BIO_new(BIO_s_mem()));
    if (!out || ASN1_TIME_print(out.get(), time) != 1) {
        return "?";
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : "?";
}

std::vector<std::string> certificate_warnings(X509* leaf, const std::string& source) {
    std::vector<std::string> warnings;
    if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
        warnings.push_back("TLS certificate " + quoted(source) + " expired on " +
                           asn1_time_text(X509_get0_notAfter(leaf)) +
                           "; clients that verify it will refuse it");
    }
    if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0) {
        warnings.push_back("TLS certificate " + quoted(source) + " is not valid before " +
                           asn1_time_text(X509_get0_notBefore(leaf)) + " (is the clock right?)");
    }
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr));
    if (names == nullptr) {
        warnings.push_back("TLS certificate " + quoted(source) +
                           " has no subjectAltName: clients that check the host name (curl, browsers) will "
                           "refuse it");
    }
    GENERAL_NAMES_free(names);
    return warnings;
}

}  // namespace

poe::Result<ServerTls> make_server_tls(const TlsConfig& tls) {
    ERR_clear_error();
    const std::string& cert_source = tls.certificate;
    const std::string& key_source = tls.private_key;

    if (!contains(tls.certificate_pem, "-----BEGIN CERTIFICATE-----")) {
        return invalid("certificate " + quoted(cert_source) +
                       ": no PEM certificate in it (expected a block starting with "
                       "-----BEGIN CERTIFICATE-----)");
    }
    X509Ptr leaf;
    if (const BioPtr bio = memory_bio(tls.certificate_pem); bio) {
        leaf.reset(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
    }
    if (!leaf) {
        return invalid("certificate " + quoted(cert_source) + ": cannot read it: " + openssl_reason());
    }

    // Decide from the PEM labels, not from OpenSSL's error: "bad decrypt"
    // would not tell an operator what to do.
    if (contains(tls.private_key_pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
        contains(tls.private_key_pem, "Proc-Type: 4,ENCRYPTED")) {
        return invalid("private key " + quoted(key_source) +
                       ": it is protected by a passphrase, which maas-bridge cannot ask for; store it "
                       "unencrypted (openssl pkey -in KEY -out PLAIN) and readable only by the service");
    }
    if (!contains(tls.private_key_pem, "-----BEGIN ") || !contains(tls.private_key_pem, "PRIVATE KEY-----")) {
        return invalid("private key " + quoted(key_source) +
                       ": no PEM private key in it (expected a block starting with -----BEGIN PRIVATE "
                       "KEY-----, -----BEGIN EC PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
    }
    PkeyPtr key;
    if (const BioPtr bio = memory_bio(tls.private_key_pem); bio) {
        key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
    }
    if (!key) {
        return invalid("private key " + quoted(key_source) + ": cannot read it: " + openssl_reason());
    }
    if (X509_check_private_key(leaf.get(), key.get()) != 1) {
        return invalid("private key " + quoted(key_source) + " does not belong to the certificate " +
                       quoted(cert_source) +
                       " (the first certificate in that file must be the bridge's own)");
    }

    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = context->native_handle();
    SSL_CTX_set_default_passwd_cb(native, no_passphrase);
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
        return invalid("cannot require TLS 1.2 or later: " + openssl_reason());
    }
    SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                    SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 |
                                    SSL_OP_NO_TLSv1_1);
    // Idle keep-alive connections give their read/write buffers back.
    SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);

    boost::system::error_code ec;
    context->use_certificate_chain(boost::asio::buffer(tls.certificate_pem), ec);
    if (ec) {
        return invalid("certificate " + quoted(cert_source) + ": OpenSSL refuses it: " + ec.message());
    }
    if (SSL_CTX_use_PrivateKey(native, key.get()) != 1) {
        return invalid("private key " + quoted(key_source) + ": OpenSSL refuses it: " + openssl_reason());
    }
    if (SSL_CTX_check_private_key(native) != 1) {
        return invalid("private key " + quoted(key_source) + " does not belong to the certificate " +
                       quoted(cert_source) + ": " + openssl_reason());
    }
    ERR_clear_error();
    return ServerTls{std::move(context), certificate_warnings(leaf.get(), cert_source)};
}

}  // namespace maas_bridge
