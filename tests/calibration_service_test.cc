// CalibratePortfolio on attaind in process, over real gRPC: a synthetic history comes
// back as a portfolio that validates and simulates, run through the scheduler; bad rows,
// base partners without rows and over-limit requests are refused with the field.
#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "service/convert.h"
#include "service/server.h"
#include "service/wire_limits.h"
#include "tests/test_portfolios.h"
#include "tests/test_requests.h"
#include "tests/test_server.h"

namespace attain {
namespace {

using testing_support::CalibrationCase;
using testing_support::MetricValue;
using testing_support::CalibrationCaseOptions;
using testing_support::CalibrationRequest;
using testing_support::MakeCalibrationCase;
using testing_support::ViolatedFields;


v1::CalibratePortfolioRequest SyntheticRequest() {
  CalibrationCaseOptions options;
  options.partners = 60;
  options.periods = 24;
  const CalibrationCase c = MakeCalibrationCase(5, options);
  return CalibrationRequest(c.history);
}

class CalibrationServiceTest : public testing_support::InProcessServerTest {
 protected:
  void SetUp() override { StartServer(); }

  grpc::Status Calibrate(const v1::CalibratePortfolioRequest& request,
                         v1::CalibratePortfolioResponse& response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return stub_->CalibratePortfolio(&context, request, &response);
  }


};

TEST_F(CalibrationServiceTest, ASyntheticHistoryBecomesAPortfolioThatSimulates) {
  v1::CalibratePortfolioResponse response;
  const grpc::Status status = Calibrate(SyntheticRequest(), response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.partners_size(), 60);
  EXPECT_EQ(response.diagnostics().periods(), 24);
  EXPECT_EQ(response.diagnostics().first_period(), "2024-01");
  EXPECT_EQ(response.diagnostics().last_period(), "2025-12");
  EXPECT_GT(response.diagnostics().partners_with_hours_variation(), 0);
  EXPECT_EQ(response.portfolio().partners_size(),
            60 - response.diagnostics().dormant_partners());

  Violations conversion;
  const Portfolio portfolio = PortfolioFromProto(response.portfolio(), conversion);
  EXPECT_TRUE(conversion.empty()) << ViolationsMessage(conversion);
  const Violations invalid = ValidatePortfolio(portfolio, Limits());
  EXPECT_TRUE(invalid.empty()) << ViolationsMessage(invalid);
  bool any_errors = false;
  for (const Partner& p : portfolio.partners) any_errors |= p.errors.any();
  EXPECT_TRUE(any_errors) << "the portfolio carries its standard errors";

  v1::SimulateRequest simulate;
  *simulate.mutable_portfolio() = response.portfolio();
  simulate.mutable_options()->set_paths(2000);
  simulate.mutable_options()->set_seed(3);
  v1::SimulateResponse outcome;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  const grpc::Status simulated = stub_->Simulate(&context, simulate, &outcome);
  ASSERT_TRUE(simulated.ok()) << simulated.error_message();
  EXPECT_EQ(outcome.outcome().partners_size(), response.portfolio().partners_size());
  EXPECT_GT(outcome.outcome().attainment_probability(), 0);
  EXPECT_LT(outcome.outcome().attainment_probability(), 1);
}

TEST_F(CalibrationServiceTest, TheCalibrationRunsOnAnExecutorAndIsCounted) {
  v1::CalibratePortfolioResponse response;
  ASSERT_TRUE(Calibrate(SyntheticRequest(), response).ok());
  // The scheduler records the queue wait of every task it runs on an executor.
  EXPECT_EQ(MetricValue(*server_, "attain_queue_wait_seconds"), 1);
  EXPECT_EQ(MetricValue(*server_, "attain_rpc_handled_total",
                        {{"method", "CalibratePortfolio"}, {"code", "OK"}}),
            1);
  v1::CalibratePortfolioRequest bad = SyntheticRequest();
  bad.mutable_rows(2)->set_revenue(-1);
  EXPECT_EQ(Calibrate(bad, response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Refused before admission: no executor took it.
  EXPECT_EQ(MetricValue(*server_, "attain_queue_wait_seconds"), 1);
  EXPECT_EQ(MetricValue(*server_, "attain_rpc_handled_total",
                        {{"method", "CalibratePortfolio"}, {"code", "INVALID_ARGUMENT"}}),
            1);
}

TEST_F(CalibrationServiceTest, BadRowsAreInvalidArgumentNamingTheRowAndField) {
  v1::CalibratePortfolioRequest request = SyntheticRequest();
  request.mutable_rows(17)->set_revenue(-5);
  request.mutable_rows(3)->set_period("2025/07");
  request.mutable_rows(40)->set_hours(std::numeric_limits<double>::infinity());
  v1::CalibratePortfolioResponse response;
  const grpc::Status status = Calibrate(request, response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status),
            (std::vector<std::string>{"rows[3].period", "rows[17].revenue", "rows[40].hours"}));
}

TEST_F(CalibrationServiceTest, DuplicatesGapsAndNoRowsAreNamed) {
  v1::CalibratePortfolioRequest duplicate = SyntheticRequest();
  *duplicate.add_rows() = duplicate.rows(5);
  v1::CalibratePortfolioResponse response;
  EXPECT_EQ(ViolatedFields(Calibrate(duplicate, response)),
            (std::vector<std::string>{absl::StrCat("rows[", duplicate.rows_size() - 1,
                                                   "].period")}));

  v1::CalibratePortfolioRequest gap = SyntheticRequest();
  for (v1::HistoryRow& row : *gap.mutable_rows()) {
    if (row.period() == "2024-06") row.set_period("2023-01");
  }
  EXPECT_EQ(ViolatedFields(Calibrate(gap, response)), (std::vector<std::string>{"rows"}));

  EXPECT_EQ(ViolatedFields(Calibrate(v1::CalibratePortfolioRequest(), response)),
            (std::vector<std::string>{"rows"}));
}

TEST_F(CalibrationServiceTest, ABasePartnerWithoutRowsIsNamed) {
  v1::CalibratePortfolioRequest request = SyntheticRequest();
  v1::Portfolio* base = request.mutable_portfolio();
  base->set_quota(5e6);
  base->set_periods(6);
  base->set_capacity_hours(200);
  for (const char* id : {"P1", "zeta", "P7"}) {
    v1::Partner* partner = base->add_partners();
    partner->set_id(id);
    partner->set_tier(v1::TIER_MAINTAIN);
  }
  v1::CalibratePortfolioResponse response;
  const grpc::Status status = Calibrate(request, response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), (std::vector<std::string>{"portfolio.partners[1].id"}));
  EXPECT_NE(status.error_message().find("\"zeta\""), std::string::npos);

  base->mutable_partners()->DeleteSubrange(1, 1);
  ASSERT_TRUE(Calibrate(request, response).ok());
  EXPECT_EQ(response.portfolio().periods(), 6);
  EXPECT_EQ(response.portfolio().quota(), 5e6);
}

TEST_F(CalibrationServiceTest, RowsOverTheLimitAreRefusedBeforeParsing) {
  // kMaxHistoryRows + 1 empty rows, two bytes each, written without building a message:
  // parsed, every one would be a bad row; the size check refuses the count first.
  using google::protobuf::internal::WireFormatLite;
  const char entry[2] = {static_cast<char>(WireFormatLite::MakeTag(
                             v1::CalibratePortfolioRequest::kRowsFieldNumber,
                             WireFormatLite::WIRETYPE_LENGTH_DELIMITED)),
                         '\0'};
  std::string bytes;
  for (size_t i = 0; i <= kMaxHistoryRows; ++i) bytes.append(entry, 2);
  const grpc::Status status = testing_support::RawUnaryCall(channel_, "CalibratePortfolio", bytes);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), (std::vector<std::string>{"rows"}));
  EXPECT_NE(status.error_message().find(absl::StrCat("has ", kMaxHistoryRows + 1,
                                                     " entries, the limit is ", kMaxHistoryRows)),
            std::string::npos)
      << status.error_message();

  // Within the limit the same rows are parsed, and each is refused for itself.
  const grpc::Status parsed =
      testing_support::RawUnaryCall(channel_, "CalibratePortfolio", bytes.substr(0, 20));
  ASSERT_EQ(parsed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(parsed).front(), "rows[0].partner_id");
}

TEST_F(CalibrationServiceTest, LongStringsInRowsAreRefusedWithTheirPath) {
  v1::CalibratePortfolioRequest request = SyntheticRequest();
  request.mutable_rows(9)->set_name(std::string(300, 'n'));
  v1::CalibratePortfolioResponse response;
  const grpc::Status status = Calibrate(request, response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), (std::vector<std::string>{"rows[9].name"}));
}

}  // namespace
}  // namespace attain
