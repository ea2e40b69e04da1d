// attaind as a process: what refusing an oversized request costs the server in memory
// (its peak RSS, from /proc), and the drain on SIGTERM (readiness NOT_SERVING for the
// drain delay while calls are still served, a second signal cutting the delay short,
// then exit 0).
#include <signal.h>

#include <chrono>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <thread>

#include "attain/v1/planner_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/test_requests.h"
#include "tests/test_support.h"

namespace attain {
namespace {

using testing_support::Attaind;
using testing_support::EmptyPartnersRequest;
using testing_support::ExamplePortfolio;
using testing_support::RawUnaryCall;

// The peak resident set of `pid` (VmHWM), in bytes.
size_t PeakRssBytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6)) * 1024;  // kB
  }
  ADD_FAILURE() << "no VmHWM for " << pid;
  return 0;
}

grpc::Status SimulateExample(const std::shared_ptr<grpc::Channel>& channel) {
  v1::SimulateRequest request;
  *request.mutable_portfolio() = ExamplePortfolio();
  request.mutable_options()->set_paths(2'000);
  v1::SimulateResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return v1::PlannerService::NewStub(channel)->Simulate(&context, request, &response);
}

// A channel with a connection of its own (not shared with other channels).
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& address) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  arguments.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments);
}

grpc::health::v1::HealthCheckResponse::ServingStatus Readiness(const std::string& address) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("readiness");
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  const grpc::Status status = grpc::health::v1::Health::NewStub(OwnChannel(address))
                                  ->Check(&context, request, &response);
  return status.ok() ? response.status() : grpc::health::v1::HealthCheckResponse::UNKNOWN;
}

TEST(AttaindTest, RefusingTheLargestRequestCostsLittleMemory) {
  Attaind server;
  ASSERT_TRUE(server.Start(ATTAIND_PATH, {"--worker-threads=1"}));
  const std::shared_ptr<grpc::Channel> channel = OwnChannel(server.address());
  ASSERT_TRUE(SimulateExample(channel).ok());  // warm: threads, arenas, first run
  const size_t before = PeakRssBytes(server.pid());
  // 4M empty partners (7.6 MiB) took 6.0 GB before the sizes were checked on the wire;
  // 33M (63 MiB) is the largest request the default 64 MiB message limit lets through.
  for (const size_t partners : {size_t{4'000'000}, size_t{33'000'000}}) {
    const grpc::Status status = RawUnaryCall(channel, "Simulate", EmptyPartnersRequest(partners));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(), "portfolio.partners: has " + std::to_string(partners) +
                                          " entries, the limit is 10000");
  }
  const size_t growth = PeakRssBytes(server.pid()) - before;
  RecordProperty("peak_rss_growth_mib", static_cast<int>(growth >> 20));
  // The 63 MiB request itself is held while it is checked; nothing is parsed.
  EXPECT_LT(growth, size_t{256} << 20) << "peak RSS grew by " << (growth >> 20) << " MiB";
  EXPECT_TRUE(SimulateExample(channel).ok()) << "the server still serves";
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

TEST(AttaindTest, SigtermDrainsWithReadinessNotServingWhileServingThenExitsZero) {
  Attaind server;
  ASSERT_TRUE(server.Start(ATTAIND_PATH, {"--drain-delay=2"}));
  ASSERT_EQ(Readiness(server.address()), grpc::health::v1::HealthCheckResponse::SERVING);
  const auto signalled = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  // During the delay a new connection sees NOT_SERVING, and calls are still served.
  bool not_serving = false;
  for (int i = 0; i < 100 && !not_serving; ++i) {
    not_serving = Readiness(server.address()) == grpc::health::v1::HealthCheckResponse::NOT_SERVING;
    if (!not_serving) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(not_serving);
  EXPECT_TRUE(SimulateExample(OwnChannel(server.address())).ok());
  EXPECT_EQ(server.Wait(std::chrono::seconds(15)), 0) << server.log();
  EXPECT_GE(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(2))
      << "the server closed before its drain delay";
}

TEST(AttaindTest, ASecondSignalEndsTheDrainDelay) {
  Attaind server;
  ASSERT_TRUE(server.Start(ATTAIND_PATH, {"--drain-delay=600"}));
  server.Signal(SIGTERM);
  bool not_serving = false;
  for (int i = 0; i < 100 && !not_serving; ++i) {
    not_serving = Readiness(server.address()) == grpc::health::v1::HealthCheckResponse::NOT_SERVING;
    if (!not_serving) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(not_serving);
  server.Signal(SIGINT);
  EXPECT_EQ(server.Wait(std::chrono::seconds(15)), 0) << server.log();
}

}  // namespace
}  // namespace attain
