#include "service/tls.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"

namespace attain {
namespace {

// That `path` can be read now and holds a PEM block: gRPC's file watcher would only log
// a bad file, and serve nothing over TLS.
absl::Status CheckPem(const char* flag, const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::InvalidArgumentError(absl::StrCat("--", flag, ": cannot be read"));
  std::ostringstream contents;
  contents << file.rdbuf();
  if (contents.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": holds no PEM block"));
  }
  return absl::OkStatus();
}

// The flags that go together.
absl::Status CheckCombination(const ServerConfig& config) {
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert-file and --tls-key-file: set both for TLS, or neither");
  }
  if (config.tls_cert_file.empty() &&
      !(config.tls_client_ca_file.empty() && config.peer_tls_ca_file.empty())) {
    return absl::InvalidArgumentError(
        "--tls-client-ca-file and --peer-tls-ca-file need --tls-cert-file and --tls-key-file");
  }
  return absl::OkStatus();
}

absl::Status CheckIdentity(const ServerConfig& config) {
  if (absl::Status cert = CheckPem("tls-cert-file", config.tls_cert_file); !cert.ok()) {
    return cert;
  }
  return CheckPem("tls-key-file", config.tls_key_file);
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServerConfig& config) {
  if (absl::Status combination = CheckCombination(config); !combination.ok()) {
    return combination;
  }
  if (config.tls_cert_file.empty()) return grpc::InsecureServerCredentials();
  if (absl::Status identity = CheckIdentity(config); !identity.ok()) return identity;
  const bool mutual = !config.tls_client_ca_file.empty();
  if (mutual) {
    if (absl::Status ca = CheckPem("tls-client-ca-file", config.tls_client_ca_file); !ca.ok()) {
      return ca;
    }
  }
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      config.tls_key_file, config.tls_cert_file, config.tls_client_ca_file, kTlsRefreshSeconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (mutual) {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  } else {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerCredentialsFor(
    const ServerConfig& config) {
  if (config.tls_cert_file.empty()) return grpc::InsecureChannelCredentials();
  if (absl::Status identity = CheckIdentity(config); !identity.ok()) return identity;
  const bool own_ca = !config.peer_tls_ca_file.empty();
  const std::string& ca = own_ca ? config.peer_tls_ca_file : config.tls_client_ca_file;
  if (ca.empty()) {
    return absl::InvalidArgumentError(
        "--peers with TLS: set --peer-tls-ca-file (or --tls-client-ca-file) to check the "
        "peers' certificates");
  }
  if (absl::Status checked = CheckPem(own_ca ? "peer-tls-ca-file" : "tls-client-ca-file", ca);
      !checked.ok()) {
    return checked;
  }
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      config.tls_key_file, config.tls_cert_file, ca, kTlsRefreshSeconds);
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  return grpc::experimental::TlsCredentials(options);
}

}  // namespace attain
