#include "clients/cli/connection.h"

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_interceptor.h"

namespace attain::cli {
namespace {

constexpr size_t kMaxFileBytes = 1 << 20;

absl::StatusOr<std::string> ReadSmallFile(const char* flag, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::InvalidArgumentError(absl::StrCat("--", flag, ": cannot read ", path));
  std::ostringstream contents;
  contents << file.rdbuf();
  if (contents.str().size() > kMaxFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", path, " is over ", kMaxFileBytes, " bytes"));
  }
  return contents.str();
}

absl::StatusOr<std::string> ReadPem(const char* flag, const std::string& path) {
  absl::StatusOr<std::string> pem = ReadSmallFile(flag, path);
  if (pem.ok() && pem->find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", path, " holds no PEM block"));
  }
  return pem;
}

// Adds the bearer token to every call's metadata: gRPC's own call credentials refuse
// plaintext channels, and a token over plaintext is the deployment's choice to make.
class TokenInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit TokenInterceptor(const std::string& header) : header_(header) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->insert({"authorization", header_});
    }
    methods->Proceed();
  }

 private:
  const std::string& header_;
};

class TokenInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit TokenInterceptorFactory(std::string token) : header_("Bearer " + std::move(token)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* /*info*/) override {
    return new TokenInterceptor(header_);
  }

 private:
  const std::string header_;  // outlives the channel's calls: the channel owns the factory
};

}  // namespace

absl::StatusOr<ChannelSecurity> LoadChannelSecurity(const SecurityFlags& flags) {
  ChannelSecurity security;
  if (flags.tls_cert_path.empty() != flags.tls_key_path.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key: give both, or neither");
  }
  security.tls = !flags.tls_ca_path.empty() || !flags.tls_cert_path.empty();
  if (!flags.tls_ca_path.empty()) {
    absl::StatusOr<std::string> ca = ReadPem("tls-ca", flags.tls_ca_path);
    if (!ca.ok()) return ca.status();
    security.root_certs = *std::move(ca);
  }
  if (!flags.tls_cert_path.empty()) {
    absl::StatusOr<std::string> cert = ReadPem("tls-cert", flags.tls_cert_path);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem("tls-key", flags.tls_key_path);
    if (!key.ok()) return key.status();
    security.cert_chain = *std::move(cert);
    security.private_key = *std::move(key);
  }
  std::string token = flags.token;
  if (!flags.token_path.empty()) {
    absl::StatusOr<std::string> file = ReadSmallFile("token-file", flags.token_path);
    if (!file.ok()) return file.status();
    token = *std::move(file);
  }
  security.token = std::string(absl::StripAsciiWhitespace(token));
  if (!flags.token_path.empty() && security.token.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--token-file: ", flags.token_path, " holds no token"));
  }
  return security;
}

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& server,
                                           const ChannelSecurity& security) {
  grpc::ChannelArguments arguments;
  // The outcome of a portfolio with thousands of partners exceeds gRPC's 4 MiB default.
  arguments.SetMaxReceiveMessageSize(-1);
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (security.tls) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = security.root_certs;
    options.pem_cert_chain = security.cert_chain;
    options.pem_private_key = security.private_key;
    credentials = grpc::SslCredentials(options);
  }
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> tokens;
  if (!security.token.empty()) {
    tokens.push_back(std::make_unique<TokenInterceptorFactory>(security.token));
  }
  return grpc::experimental::CreateCustomChannelWithInterceptors(server, credentials, arguments,
                                                                 std::move(tokens));
}

}  // namespace attain::cli
