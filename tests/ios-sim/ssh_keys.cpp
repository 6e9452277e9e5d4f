#include "ssh_keys.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ios_sim {

namespace {

// What old IOS 15 offers (see DESIGN.md section 3).
constexpr const char* legacy_kex = "diffie-hellman-group14-sha1,diffie-hellman-group1-sha1";
constexpr const char* legacy_host_keys = "ssh-rsa";
constexpr const char* legacy_ciphers = "aes128-ctr,aes256-ctr,aes128-cbc,aes256-cbc";
constexpr const char* legacy_macs = "hmac-sha1";
constexpr const char* legacy_user_keys = "ssh-rsa";
// What IOS announces in its SSH identification string.
constexpr const char* identification = "Cisco-1.25";

void set_option(ssh_bind bind, ssh_bind_options_e option, const void* value, const char* what) {
    if (ssh_bind_options_set(bind, option, value) != SSH_OK) {
        throw std::runtime_error(std::string("libssh rejected ") + what + ": " + ssh_get_error(bind));
    }
}

}  // namespace

std::vector<KeyPtr> load_private_keys(const std::vector<std::string>& files) {
    std::vector<KeyPtr> keys;
    for (const auto& file : files) {
        ssh_key key = nullptr;
        if (ssh_pki_import_privkey_file(file.c_str(), nullptr, nullptr, nullptr, &key) != SSH_OK) {
            throw std::runtime_error("cannot load private key " + file);
        }
        keys.emplace_back(key);
    }
    return keys;
}

std::vector<KeyPtr> generate_host_keys() {
    std::vector<KeyPtr> keys;
    for (const auto& [type, bits] : {std::pair{SSH_KEYTYPE_ED25519, 0}, std::pair{SSH_KEYTYPE_RSA, 2048}}) {
        ssh_key key = nullptr;
        if (ssh_pki_generate(type, bits, &key) != SSH_OK) {
            throw std::runtime_error("cannot generate a host key");
        }
        keys.emplace_back(key);
    }
    return keys;
}

std::vector<KeyPtr> load_public_keys(const std::string& file) {
    std::ifstream in(file);
    if (!in) {
        throw std::runtime_error("cannot read " + file);
    }
    std::vector<KeyPtr> keys;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string type;
        std::string blob;
        if (!(words >> type >> blob) || type.front() == '#') {
            continue;
        }
        ssh_key key = nullptr;
        const auto key_type = ssh_key_type_from_name(type.c_str());
        if (key_type == SSH_KEYTYPE_UNKNOWN ||
            ssh_pki_import_pubkey_base64(blob.c_str(), key_type, &key) != SSH_OK) {
            throw std::runtime_error("bad public key line in " + file);
        }
        keys.emplace_back(key);
    }
    if (keys.empty()) {
        throw std::runtime_error("no public key in " + file);
    }
    return keys;
}

std::string key_fingerprint(ssh_key key) {
    unsigned char* hash = nullptr;
    size_t length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK) {
        return "?";
    }
    char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
    std::string out = text != nullptr ? text : "?";
    ssh_string_free_char(text);
    ssh_clean_pubkey_hash(&hash);
    return out;
}

std::string key_type_name(ssh_key key) {
    const char* name = ssh_key_type_to_char(ssh_key_type(key));
    return name != nullptr ? name : "?";
}

BindPtr make_bind(const std::vector<KeyPtr>& keys, bool legacy_only, int log_verbosity) {
    BindPtr bind(ssh_bind_new(), ssh_bind_free);
    if (!bind) {
        throw std::runtime_error("ssh_bind_new failed");
    }
    // Hermetic: never read the system's libssh server configuration.
    const bool process_config = false;
    set_option(bind.get(), SSH_BIND_OPTIONS_PROCESS_CONFIG, &process_config, "process-config");
    set_option(bind.get(), SSH_BIND_OPTIONS_BANNER, identification, "banner");
    set_option(bind.get(), SSH_BIND_OPTIONS_LOG_VERBOSITY, &log_verbosity, "log verbosity");
    if (legacy_only) {
        set_option(bind.get(), SSH_BIND_OPTIONS_KEY_EXCHANGE, legacy_kex, "legacy key exchange");
        set_option(bind.get(), SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS, legacy_host_keys,
                   "legacy host key algorithms");
        set_option(bind.get(), SSH_BIND_OPTIONS_CIPHERS_C_S, legacy_ciphers, "legacy ciphers");
        set_option(bind.get(), SSH_BIND_OPTIONS_CIPHERS_S_C, legacy_ciphers, "legacy ciphers");
        set_option(bind.get(), SSH_BIND_OPTIONS_HMAC_C_S, legacy_macs, "legacy MACs");
        set_option(bind.get(), SSH_BIND_OPTIONS_HMAC_S_C, legacy_macs, "legacy MACs");
        set_option(bind.get(), SSH_BIND_OPTIONS_PUBKEY_ACCEPTED_KEY_TYPES, legacy_user_keys,
                   "legacy user key types");
    }
    std::size_t imported = 0;
    for (const auto& key : keys) {
        if (legacy_only && ssh_key_type(key.get()) != SSH_KEYTYPE_RSA) {
            continue;
        }
        ssh_key copy = ssh_key_dup(key.get());
        if (copy == nullptr) {
            throw std::runtime_error("cannot copy a host key");
        }
        // The bind takes ownership of the copy.
        if (ssh_bind_options_set(bind.get(), SSH_BIND_OPTIONS_IMPORT_KEY, copy) != SSH_OK) {
            ssh_key_free(copy);
            throw std::runtime_error(std::string("libssh rejected a host key: ") + ssh_get_error(bind.get()));
        }
        ++imported;
    }
    if (imported == 0) {
        throw std::runtime_error(legacy_only ? "legacy mode needs an RSA host key" : "no host key");
    }
    return bind;
}

}  // namespace ios_sim
