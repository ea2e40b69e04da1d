// How the CLI reaches attaind: plaintext, or TLS (--tls-ca, and --tls-cert with --tls-key
// for servers that require a client certificate), with a bearer token (--token-file, or
// the token itself in $ATTAIN_TOKEN) sent as "authorization: Bearer TOKEN" on every call.
#ifndef ATTAIN_CLIENTS_CLI_CONNECTION_H_
#define ATTAIN_CLIENTS_CLI_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace attain::cli {

inline constexpr char kTokenEnvironmentVariable[] = "ATTAIN_TOKEN";

// The files a command line names; "" when not given.
struct SecurityFlags {
  std::string tls_ca_path;
  std::string tls_cert_path;
  std::string tls_key_path;
  std::string token_path;
  std::string token;  // $ATTAIN_TOKEN, used when there is no --token-file
};

// What the files hold.
struct ChannelSecurity {
  bool tls = false;
  std::string root_certs;  // PEM; empty: the system's roots
  std::string cert_chain;  // PEM client certificate, with private_key
  std::string private_key;
  std::string token;  // empty: none
};

// Reads the files. INVALID_ARGUMENT naming the flag when one cannot be read, holds no
// PEM block or token, or --tls-cert and --tls-key are not given together.
absl::StatusOr<ChannelSecurity> LoadChannelSecurity(const SecurityFlags& flags);

// A channel to `server` with `security`; messages of any size are received.
std::shared_ptr<grpc::Channel> OpenChannel(const std::string& server,
                                           const ChannelSecurity& security);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_CONNECTION_H_
