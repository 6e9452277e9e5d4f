#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <libssh/libssh.h>
#include <libssh/server.h>

namespace ios_sim {

struct KeyDeleter {
    void operator()(ssh_key key) const { ssh_key_free(key); }
};
using KeyPtr = std::unique_ptr<std::remove_pointer_t<ssh_key>, KeyDeleter>;
using BindPtr = std::shared_ptr<std::remove_pointer_t<ssh_bind>>;

/// Loads private host keys (OpenSSH or PEM format). @throws std::runtime_error
std::vector<KeyPtr> load_private_keys(const std::vector<std::string>& files);
/// Ephemeral Ed25519 + RSA-2048 host keys.
std::vector<KeyPtr> generate_host_keys();
/// Every public key of an authorized_keys-style file. @throws std::runtime_error
std::vector<KeyPtr> load_public_keys(const std::string& file);

/// `SHA256:base64` as OpenSSH prints it.
std::string key_fingerprint(ssh_key key);
std::string key_type_name(ssh_key key);

/// A bind object that only carries host keys and algorithm preferences for
/// ssh_bind_accept_fd() (we own the listening socket). Swapping it changes
/// what new connections see without touching live ones.
/// @throws std::runtime_error when libssh rejects a setting.
BindPtr make_bind(const std::vector<KeyPtr>& keys, bool legacy_only, int log_verbosity);

}  // namespace ios_sim
