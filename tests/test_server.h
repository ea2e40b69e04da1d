// An attaind in the test's own process, for the service's tests over real gRPC: on
// 127.0.0.1 and a free port, without a metrics endpoint, logging errors only, and a stub
// to call it. Not thread-safe; for test fixtures.
#ifndef ATTAIN_TESTS_TEST_SERVER_H_
#define ATTAIN_TESTS_TEST_SERVER_H_

#include <map>
#include <memory>
#include <string>

#include "attain/v1/planner_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "service/server.h"

namespace attain::testing_support {

// The value of a metric in `server`'s registry: counters and gauges by value, histograms
// by sample count, summed over the label sets that have every label of `labels`.
double MetricValue(AttainServer& server, const std::string& name,
                   const std::map<std::string, std::string>& labels = {});

class InProcessServerTest : public ::testing::Test {
 protected:
  // Starts the server with `config`'s limits (two worker threads unless it sets them), a
  // test failure if it cannot; a test may stop it and start another.
  void StartServer(ServerConfig config = {});
  void TearDown() override;  // stops the server without a drain

  std::unique_ptr<AttainServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PlannerService::Stub> stub_;
};

}  // namespace attain::testing_support

#endif  // ATTAIN_TESTS_TEST_SERVER_H_
