#include "tests/test_requests.h"

#include <chrono>
#include <future>

#include "attain/v1/planner_service.pb.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "proto/support/json_io.h"

namespace attain::testing_support {

v1::Portfolio ExamplePortfolio() {
  absl::StatusOr<v1::Portfolio> portfolio =
      ReadPortfolioJson(std::string(ATTAIN_SOURCE_DIR) + "/examples/portfolio.json");
  EXPECT_TRUE(portfolio.ok()) << portfolio.status();
  return portfolio.ok() ? *portfolio : v1::Portfolio();
}

v1::Team ExampleTeam() {
  v1::Team team;
  const absl::Status read =
      ReadJsonMessage(std::string(ATTAIN_SOURCE_DIR) + "/examples/team.json", team);
  EXPECT_TRUE(read.ok()) << read;
  return team;
}

std::string EmptyPartnersRequest(size_t partners) {
  using google::protobuf::internal::WireFormatLite;
  auto tag = [](int field) {
    return static_cast<char>(
        WireFormatLite::MakeTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  };
  std::string portfolio;
  portfolio.reserve(2 * partners);
  const char entry[2] = {tag(v1::Portfolio::kPartnersFieldNumber), '\0'};
  for (size_t i = 0; i < partners; ++i) portfolio.append(entry, 2);
  std::string request(1, tag(v1::SimulateRequest::kPortfolioFieldNumber));
  {
    google::protobuf::io::StringOutputStream out(&request);
    google::protobuf::io::CodedOutputStream(&out).WriteVarint64(portfolio.size());
  }
  return request + portfolio;
}

grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                          const std::string& bytes) {
  return RawCall(channel, "/attain.v1.PlannerService/" + method, bytes);
}

grpc::Status RawCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& path,
                     const std::string& bytes) {
  grpc::GenericStub stub(channel);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, path, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

v1::CalibratePortfolioRequest CalibrationRequest(const History& history) {
  v1::CalibratePortfolioRequest request;
  for (int t = 0; t < history.periods; ++t) {
    for (const PartnerHistory& partner : history.partners) {
      v1::HistoryRow* row = request.add_rows();
      row->set_partner_id(partner.id);
      row->set_period(absl::StrFormat("%04d-%02d", 2024 + t / 12, t % 12 + 1));
      row->set_revenue(partner.revenue[static_cast<size_t>(t)]);
      row->set_hours(partner.hours[static_cast<size_t>(t)]);
      row->set_segment(partner.segment);
      row->set_name(absl::StrCat("Partner ", partner.id));
    }
  }
  return request;
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  std::vector<std::string> fields;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) fields.push_back(violation.field());
  }
  return fields;
}

}  // namespace attain::testing_support
