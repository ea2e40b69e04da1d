// Requests and calls that several service tests use: the example portfolio as the API
// message, requests written byte by byte, calls with raw bytes, and the fields an error
// names.
#ifndef ATTAIN_TESTS_TEST_REQUESTS_H_
#define ATTAIN_TESTS_TEST_REQUESTS_H_

#include <memory>
#include <string>
#include <vector>

#include "attain/v1/calibration.pb.h"
#include "attain/v1/portfolio.pb.h"
#include "attain/v1/team.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"
#include "grpcpp/support/sync_stream.h"
#include "gtest/gtest.h"
#include "simulator/history.h"

namespace attain::testing_support {

// examples/portfolio.json (8 partners, 4 periods).
v1::Portfolio ExamplePortfolio();

// examples/team.json (4 managers of 8 partners, 4 periods).
v1::Team ExampleTeam();

// A serialized SimulateRequest whose portfolio lists `partners` empty partners: two bytes
// each on the wire, written without building a message.
std::string EmptyPartnersRequest(size_t partners);

// Calls attain.v1.PlannerService's unary `method` ("Simulate") with `bytes` as its
// request, as they are; waits up to two minutes.
grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                          const std::string& bytes);

// The same for any method by its full path ("/grpc.reflection.v1alpha.ServerReflection/
// ServerReflectionInfo"), one request as a unary call; waits up to two minutes.
grpc::Status RawCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& path,
                     const std::string& bytes);

// `history` as CalibratePortfolio rows, period by period: months from "2024-01", each
// partner's segment, and the name "Partner <id>".
v1::CalibratePortfolioRequest CalibrationRequest(const History& history);

// A progress stream read to its end: its progress events, its results (one, the last
// event, when the stream is right: a progress event after a result is a test failure)
// and its status. Event is a *StreamResponse with a `progress` and a `result`.
template <class Progress, class Result>
struct StreamEvents {
  std::vector<Progress> progress;
  std::vector<Result> results;
  grpc::Status status;
};
template <class Progress, class Result, class Event>
StreamEvents<Progress, Result> ReadStream(grpc::ClientReader<Event>& reader) {
  StreamEvents<Progress, Result> events;
  Event event;
  while (reader.Read(&event)) {
    if (event.has_progress()) {
      EXPECT_TRUE(events.results.empty()) << "progress after the result";
      events.progress.push_back(event.progress());
    } else {
      events.results.push_back(event.result());
    }
  }
  events.status = reader.Finish();
  return events;
}

// The fields of the google.rpc.BadRequest violations in an error status's details, in
// order; empty when it has none.
std::vector<std::string> ViolatedFields(const grpc::Status& status);

}  // namespace attain::testing_support

#endif  // ATTAIN_TESTS_TEST_REQUESTS_H_
