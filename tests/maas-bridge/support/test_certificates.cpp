// SPDX-License-Identifier: Apache-2.0
#include "support/test_certificates.hpp"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <ctime>
#include <memory>
#include <stdexcept>

namespace maas_bridge::testing {
namespace {

struct Free {
    void operator()(BIO* p) const { BIO_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

void check(bool ok, const char* what) {
    if (!ok) {
        throw std::runtime_error(std::string("test certificate: ") + what + " failed");
    }
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

Owned<X509> parse_certificate(const std::string& pem) {
    Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Owned<X509> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    check(cert != nullptr, "reading the issuer certificate");
    return cert;
}

Owned<EVP_PKEY> parse_key(const std::string& pem) {
    Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Owned<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    check(key != nullptr, "reading the issuer key");
    return key;
}

void add_extension(X509* cert, X509V3_CTX* context, int nid, const std::string& value) {
    Owned<X509_EXTENSION> extension(X509V3_EXT_conf_nid(nullptr, context, nid, value.c_str()));
    check(extension != nullptr, "making an extension");
    check(X509_add_ext(cert, extension.get(), -1) == 1, "adding an extension");
}

}  // namespace

TestCertificate make_test_certificate(const TestCertificateRequest& request, const TestCertificate* issuer) {
    static std::atomic<long> serial{1};
    Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
    check(key != nullptr, "generating a P-256 key");

    Owned<X509> cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "setting the version");
    check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()),
                           static_cast<long>(std::time(nullptr)) * 1000 + serial++) == 1,
          "setting the serial");
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), request.valid_from_seconds) != nullptr,
          "setting notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), request.valid_for_seconds) != nullptr,
          "setting notAfter");
    check(X509_set_pubkey(cert.get(), key.get()) == 1, "setting the public key");
    X509_NAME* name = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(request.common_name.c_str()), -1,
                                     -1, 0) == 1,
          "setting the subject");

    Owned<X509> issuer_cert;
    Owned<EVP_PKEY> issuer_key;
    if (issuer != nullptr) {
        issuer_cert = parse_certificate(issuer->certificate_pem);
        issuer_key = parse_key(issuer->private_key_pem);
    }
    X509* signer_cert = issuer != nullptr ? issuer_cert.get() : cert.get();
    EVP_PKEY* signer_key = issuer != nullptr ? issuer_key.get() : key.get();
    check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer_cert)) == 1, "setting the issuer");

    X509V3_CTX context;
    X509V3_set_ctx(&context, signer_cert, cert.get(), nullptr, nullptr, 0);
    add_extension(cert.get(), &context, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), &context, NID_authority_key_identifier, "keyid:always");
    if (request.certificate_authority) {
        add_extension(cert.get(), &context, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert.get(), &context, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
    } else {
        add_extension(cert.get(), &context, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert.get(), &context, NID_key_usage, "critical,digitalSignature");
        add_extension(cert.get(), &context, NID_ext_key_usage, "serverAuth");
    }
    std::string alt_names;
    for (const auto& dns : request.dns_names) {
        alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + dns;
    }
    for (const auto& ip : request.ip_addresses) {
        alt_names += (alt_names.empty() ? "IP:" : ",IP:") + ip;
    }
    if (!alt_names.empty()) {
        add_extension(cert.get(), &context, NID_subject_alt_name, alt_names);
    }
    check(X509_sign(cert.get(), signer_key, EVP_sha256()) > 0, "signing");

    Owned<BIO> cert_out(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_X509(cert_out.get(), cert.get()) == 1, "writing the certificate");
    Owned<BIO> key_out(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "writing the key");
    return TestCertificate{bio_text(cert_out.get()), bio_text(key_out.get())};
}

TestPki make_test_pki() {
    TestPki pki;
    TestCertificateRequest ca;
    ca.common_name = "maas-bridge test CA";
    ca.certificate_authority = true;
    pki.ca = make_test_certificate(ca);
    TestCertificateRequest server;
    server.common_name = "maas-bridge test server";
    server.dns_names = {"localhost"};
    server.ip_addresses = {"127.0.0.1"};
    pki.server = make_test_certificate(server, &pki.ca);
    return pki;
}

}  // namespace maas_bridge::testing
