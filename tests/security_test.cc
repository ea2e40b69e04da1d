// attaind behind TLS, mTLS and bearer tokens, as processes, with certificates made by
// openssl for each run: TLS works and plaintext to it fails cleanly; mTLS refuses a
// client without a certificate; a missing or wrong token gets UNAUTHENTICATED, a right one
// works and names its caller in the log (never the token); health needs no token; a
// rotated token file takes effect without a restart; reflection is off unless asked for;
// replicas spread a run over each other with mTLS and a token; and the CLI reaches such a
// server (its health without a token), or exits 5 when its token is refused.
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "proto/support/json_io.h"
#include "tests/test_requests.h"
#include "tests/test_support.h"

namespace attain {
namespace {

using testing_support::Attaind;
using testing_support::ExamplePortfolio;
using testing_support::ReadFile;
using testing_support::RunProcess;
using testing_support::TempPath;
using testing_support::WriteTempFile;

constexpr char kCiToken[] = "ci-token-0123456789abcdef";
constexpr char kPeerToken[] = "peer-token-0123456789abcdef";

// A CA, a server certificate for 127.0.0.1 and localhost signed by it, and a client
// certificate signed by it: made once for the suite, in its temporary directory.
struct Certificates {
  std::string dir;
  std::string Path(const std::string& name) const { return dir + "/" + name; }
  std::string Pem(const std::string& name) const { return ReadFile(Path(name)); }
};

const Certificates& TestCertificates() {
  static const Certificates* const certificates = [] {
    auto* made = new Certificates{TempPath("certs")};
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string script = absl::StrCat(
        "set -e; mkdir -p ", made->dir, "; cd ", made->dir, "; ",
        "openssl req -x509 ", ec, " -keyout ca.key -out ca.pem -days 2 -subj /CN=attain-test-ca;",
        "openssl req ", ec, " -keyout server.key -out server.csr -subj /CN=attaind;",
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > server.ext;",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial ",
        "-out server.pem -days 2 -extfile server.ext;",
        "openssl req ", ec, " -keyout client.key -out client.csr -subj /CN=crm-plugin;",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial ",
        "-out client.pem -days 2");
    const std::string command = absl::StrCat("bash -c \"", script, "\" >/dev/null 2>&1");
    EXPECT_EQ(std::system(command.c_str()), 0) << "openssl failed: " << script;
    return made;
  }();
  return *certificates;
}

std::vector<std::string> TlsFlags(bool mutual) {
  const Certificates& c = TestCertificates();
  std::vector<std::string> flags = {"--tls-cert-file=" + c.Path("server.pem"),
                                    "--tls-key-file=" + c.Path("server.key")};
  if (mutual) flags.push_back("--tls-client-ca-file=" + c.Path("ca.pem"));
  return flags;
}

std::shared_ptr<grpc::ChannelCredentials> ClientTls(bool with_certificate) {
  const Certificates& c = TestCertificates();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = c.Pem("ca.pem");
  if (with_certificate) {
    options.pem_cert_chain = c.Pem("client.pem");
    options.pem_private_key = c.Pem("client.key");
  }
  return grpc::SslCredentials(options);
}

// A Simulate of `paths` on `credentials`, with `token` ("" for none).
grpc::Status Simulate(const Attaind& server,
                      const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                      const std::string& token = "", uint64_t paths = 2'000) {
  auto stub = v1::PlannerService::NewStub(grpc::CreateChannel(server.address(), credentials));
  v1::SimulateRequest request;
  *request.mutable_portfolio() = ExamplePortfolio();
  request.mutable_options()->set_paths(paths);
  request.mutable_options()->set_seed(3);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  v1::SimulateResponse response;
  return stub->Simulate(&context, request, &response);
}

bool Serving(const Attaind& server, const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  auto stub =
      grpc::health::v1::Health::NewStub(grpc::CreateChannel(server.address(), credentials));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("readiness");
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return stub->Check(&context, request, &response).ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

TEST(SecurityTest, TlsServesTlsAndPlaintextFailsCleanly) {
  Attaind server;
  ASSERT_TRUE(server.Start(ATTAIND_PATH, TlsFlags(/*mutual=*/false)));
  EXPECT_TRUE(Serving(server, ClientTls(false)));
  const grpc::Status tls = Simulate(server, ClientTls(false));
  EXPECT_TRUE(tls.ok()) << tls.error_message();
  const grpc::Status plaintext = Simulate(server, grpc::InsecureChannelCredentials());
  EXPECT_EQ(plaintext.error_code(), grpc::StatusCode::UNAVAILABLE) << plaintext.error_message();
  EXPECT_TRUE(Serving(server, ClientTls(false)));  // and it goes on serving
  EXPECT_NE(server.log().find("tls=on"), std::string::npos);
}

TEST(SecurityTest, AHealthPortAnswersProbesInPlaintextAndNothingElse) {
  std::vector<std::string> flags = TlsFlags(/*mutual=*/true);
  flags.push_back("--health-listen=127.0.0.1:0");
  Attaind server;
  ASSERT_TRUE(server.Start(ATTAIND_PATH, flags));
  const std::string log = server.log();
  const size_t at = log.find("health_port=");
  ASSERT_NE(at, std::string::npos) << log;
  const std::string health = "127.0.0.1:" + std::to_string(std::atoi(log.c_str() + at + 12));
  auto channel = grpc::CreateChannel(health, grpc::InsecureChannelCredentials());
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("readiness");
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(grpc::health::v1::Health::NewStub(channel)->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  // The planner is not served there.
  v1::SimulateRequest simulate;
  v1::SimulateResponse simulated;
  grpc::ClientContext simulate_context;
  EXPECT_EQ(v1::PlannerService::NewStub(channel)
                ->Simulate(&simulate_context, simulate, &simulated)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST(SecurityTest, MutualTlsRefusesAClientWithoutACertificate) {
  Attaind server;
  ASSERT_TRUE(server.Start(ATTAIND_PATH, TlsFlags(/*mutual=*/true)));
  EXPECT_EQ(Simulate(server, ClientTls(false)).error_code(), grpc::StatusCode::UNAVAILABLE);
  const grpc::Status with = Simulate(server, ClientTls(true));
  EXPECT_TRUE(with.ok()) << with.error_message();
  EXPECT_NE(server.log().find("tls=mutual"), std::string::npos);
}

TEST(SecurityTest, TokensGuardEveryCallButHealthAndRotateWithoutARestart) {
  const std::string tokens = TempPath("tokens");
  std::ofstream(tokens) << "# test\nci " << kCiToken << "\n";
  Attaind server;
  ASSERT_TRUE(server.Start(ATTAIND_PATH, {"--auth-token-file=" + tokens}));
  const auto plaintext = grpc::InsecureChannelCredentials();
  for (const std::string& token : {std::string(), std::string("wrong-token-0123456789ab")}) {
    const grpc::Status refused = Simulate(server, plaintext, token);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(refused.error_message(), "missing or invalid bearer token");
  }
  EXPECT_TRUE(Serving(server, plaintext));
  const grpc::Status right = Simulate(server, plaintext, kCiToken);
  EXPECT_TRUE(right.ok()) << right.error_message();

  // A stream is guarded as a unary call is.
  auto stub = v1::PlannerService::NewStub(grpc::CreateChannel(server.address(), plaintext));
  v1::SimulateStreamRequest stream_request;
  *stream_request.mutable_portfolio() = ExamplePortfolio();
  grpc::ClientContext stream_context;
  auto reader = stub->SimulateStream(&stream_context, stream_request);
  v1::SimulateStreamResponse event;
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // Rotated in place (a new file renamed over the old, as a Secret volume does).
  const std::string next = tokens + ".next";
  std::ofstream(next) << "ci-next next-token-0123456789abcdef\n";
  ASSERT_EQ(std::rename(next.c_str(), tokens.c_str()), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // rechecked once a second
  Simulate(server, plaintext, kCiToken).error_code();  // the call that notices the change
  EXPECT_EQ(Simulate(server, plaintext, kCiToken).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Simulate(server, plaintext, "next-token-0123456789abcdef").ok());

  const std::string log = server.log();
  EXPECT_NE(log.find("method=Simulate client=ci status=OK"), std::string::npos) << log;
  EXPECT_NE(log.find("method=Simulate client=ci-next status=OK"), std::string::npos) << log;
  EXPECT_NE(log.find("status=UNAUTHENTICATED"), std::string::npos) << log;
  EXPECT_NE(log.find("auth tokens reloaded tokens=1"), std::string::npos) << log;
  EXPECT_EQ(log.find("0123456789abcdef"), std::string::npos) << log;
}

// Lists services over reflection: one request, as a unary call on the stream method.
grpc::Status ListServices(const Attaind& server) {
  return testing_support::RawCall(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()),
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      std::string("\x3a\x00", 2));  // ServerReflectionRequest.list_services = ""
}

TEST(SecurityTest, ReflectionIsOffUnlessAskedFor) {
  Attaind off;
  ASSERT_TRUE(off.Start(ATTAIND_PATH));
  EXPECT_EQ(ListServices(off).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  Attaind on;
  ASSERT_TRUE(on.Start(ATTAIND_PATH, {"--reflection=true"}));
  const grpc::Status listed = ListServices(on);
  EXPECT_TRUE(listed.ok()) << listed.error_message();
}

TEST(SecurityTest, ReplicasSpreadARunOverMutualTlsWithTokens) {
  const std::string tokens = WriteTempFile(
      "replica-tokens", absl::StrCat("ci ", kCiToken, "\npeer ", kPeerToken, "\n"));
  const std::string peer_token = WriteTempFile("peer-token", absl::StrCat(kPeerToken, "\n"));
  std::vector<std::string> flags = TlsFlags(/*mutual=*/true);
  flags.push_back("--auth-token-file=" + tokens);
  flags.push_back("--worker-threads=1");
  Attaind peer;
  ASSERT_TRUE(peer.Start(ATTAIND_PATH, flags));
  flags.push_back("--peers=" + peer.address());
  flags.push_back("--peer-token-file=" + peer_token);
  flags.push_back("--scale-out-min-work=0");
  Attaind asking;
  ASSERT_TRUE(asking.Start(ATTAIND_PATH, flags));
  // 30 blocks: 8 hold the percentile samples, the rest may spread.
  const grpc::Status spread = Simulate(asking, ClientTls(true), kCiToken, 30'000);
  EXPECT_TRUE(spread.ok()) << spread.error_message();
  const std::string log = peer.log();
  EXPECT_NE(log.find("method=SimulateBlocks client=peer status=OK"), std::string::npos) << log;
}

TEST(SecurityTest, TheCliReachesASecuredServerOrExitsFiveWhenRefused) {
  const std::string tokens = WriteTempFile("cli-tokens", absl::StrCat("cli ", kCiToken, "\n"));
  std::vector<std::string> flags = TlsFlags(/*mutual=*/true);
  flags.push_back("--auth-token-file=" + tokens);
  Attaind server;
  ASSERT_TRUE(server.Start(ATTAIND_PATH, flags));
  const Certificates& c = TestCertificates();
  const std::string portfolio = std::string(ATTAIN_SOURCE_DIR) + "/examples/portfolio.json";
  const std::vector<std::string> base = {
      ATTAIN_CLI_PATH, "simulate", portfolio,      "--paths", "2000",
      "--server",      "localhost:" + std::to_string(server.port()),
      "--tls-ca",      c.Path("ca.pem"),
      "--tls-cert",    c.Path("client.pem"),
      "--tls-key",     c.Path("client.key")};
  const auto timeout = std::chrono::seconds(60);
  const std::string token_file = WriteTempFile("cli-token", absl::StrCat(kCiToken, "\n"));
  std::vector<std::string> with_file = base;
  with_file.insert(with_file.end(), {"--token-file", token_file});
  const testing_support::ProcessResult ok = RunProcess(with_file, timeout);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  const testing_support::ProcessResult by_env =
      RunProcess(base, timeout, {absl::StrCat("ATTAIN_TOKEN=", kCiToken)});
  EXPECT_EQ(by_env.exit_code, 0) << by_env.err;
  const testing_support::ProcessResult refused =
      RunProcess(base, timeout, {"ATTAIN_TOKEN=wrong-token-0123456789ab"});
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  EXPECT_NE(refused.err.find("refused the credentials"), std::string::npos) << refused.err;
  // Health needs no token.
  std::vector<std::string> health = {ATTAIN_CLI_PATH, "health", "--service", "readiness"};
  health.insert(health.end(), base.begin() + 5, base.end());
  const testing_support::ProcessResult healthy = RunProcess(health, timeout);
  EXPECT_EQ(healthy.exit_code, 0) << healthy.err;
  EXPECT_EQ(healthy.out, "readiness: SERVING\n");

  std::vector<std::string> missing_ca = base;
  missing_ca[8] = c.Path("no-such-ca.pem");
  const testing_support::ProcessResult bad_file = RunProcess(missing_ca, timeout);
  EXPECT_EQ(bad_file.exit_code, 2) << bad_file.err;
  EXPECT_NE(bad_file.err.find("--tls-ca"), std::string::npos) << bad_file.err;
}

}  // namespace
}  // namespace attain
