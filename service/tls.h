// TLS credentials of attaind (--tls-cert-file, --tls-key-file, --tls-client-ca-file) and
// of its calls to its peers, from PEM files that gRPC rereads every kTlsRefreshSeconds:
// Kubernetes rotates a Secret's files in place, and new connections then use the new
// certificate without a restart.
//
// Thread-safe.
#ifndef ATTAIN_SERVICE_TLS_H_
#define ATTAIN_SERVICE_TLS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "service/server_config.h"

namespace attain {

inline constexpr unsigned kTlsRefreshSeconds = 10;

// Insecure without --tls-cert-file; else TLS, requiring and checking a client
// certificate with --tls-client-ca-file. INVALID_ARGUMENT naming the flags when a file
// cannot be read or holds no PEM block, or flags that go together are not set together.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServerConfig& config);

// What this replica calls its peers with: insecure without TLS; else TLS checking the
// peers' certificates against --peer-tls-ca-file (or --tls-client-ca-file), presenting
// this replica's own certificate (for peers that require mTLS).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerCredentialsFor(
    const ServerConfig& config);

}  // namespace attain

#endif  // ATTAIN_SERVICE_TLS_H_
