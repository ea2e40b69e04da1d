#include "tests/test_server.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"

namespace attain::testing_support {

void InProcessServerTest::StartServer(ServerConfig config) {
  config.listen_address = "127.0.0.1:0";
  config.metrics_address = "";
  config.log_level = LogLevel::kError;
  if (config.worker_threads == 0) config.worker_threads = 2;
  absl::StatusOr<std::unique_ptr<AttainServer>> server = AttainServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = std::move(*server);
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->grpc_port()),
                                 grpc::InsecureChannelCredentials());
  stub_ = v1::PlannerService::NewStub(channel_);
}

void InProcessServerTest::TearDown() {
  if (server_) server_->Shutdown(std::chrono::milliseconds(0));
}

}  // namespace attain::testing_support
