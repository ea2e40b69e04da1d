#include "tests/test_server.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"

namespace attain::testing_support {

double MetricValue(AttainServer& server, const std::string& name,
                   const std::map<std::string, std::string>& labels) {
  double total = 0;
  for (const prometheus::MetricFamily& family : server.metrics().registry()->Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      bool matches = true;
      for (const auto& [key, value] : labels) {
        matches &= std::any_of(metric.label.begin(), metric.label.end(),
                               [&](const prometheus::ClientMetric::Label& label) {
                                 return label.name == key && label.value == value;
                               });
      }
      if (!matches) continue;
      total += metric.counter.value + metric.gauge.value +
               static_cast<double>(metric.histogram.sample_count);
    }
  }
  return total;
}

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
