// End to end: `attain calibrate` against a real attaind process, then `attain simulate`
// on what it wrote; bad files exit 2 naming line and column, and leave --out alone.
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace attain {
namespace {

using ::testing::HasSubstr;
using testing_support::ReadFile;
using testing_support::TempPath;
using testing_support::WriteTempFile;

const std::string kExamples = std::string(ATTAIN_SOURCE_DIR) + "/examples/";

using Result = testing_support::ProcessResult;

class CalibrateEndToEndTest : public testing_support::AttainCliTest {
 protected:
  CalibrateEndToEndTest() : AttainCliTest(ATTAIN_CLI_PATH, ATTAIND_PATH, std::chrono::seconds(30)) {}
};

TEST_F(CalibrateEndToEndTest, TheExampleHistoryCalibratesAndItsOutputSimulates) {
  const std::string out = TempPath("calibrated.json");
  ::unlink(out.c_str());
  const Result calibrated = Attain({"calibrate", kExamples + "history.csv", "--portfolio",
                                    kExamples + "portfolio.json", "--out", out});
  ASSERT_EQ(calibrated.exit_code, 0) << calibrated.err;
  EXPECT_EQ(calibrated.err, "");
  EXPECT_THAT(calibrated.out,
              HasSubstr("Calibrated 12 partners from 24 periods (2024-01 to 2025-12)"));
  EXPECT_THAT(calibrated.out, HasSubstr("Partners by self-sufficiency"));
  EXPECT_THAT(calibrated.out, HasSubstr("Juniper Data"));
  EXPECT_THAT(calibrated.out, HasSubstr("OPPORTUNISTIC (from hours)"));  // not in the base
  EXPECT_THAT(calibrated.out, HasSubstr("no hours variation"));         // delta and fathom
  EXPECT_THAT(calibrated.out, HasSubstr("What the estimates rest on"));
  EXPECT_THAT(calibrated.out, HasSubstr("Half-effort hours"));
  EXPECT_THAT(calibrated.out, HasSubstr("CRM hours are chosen by the manager"));
  EXPECT_THAT(calibrated.out, HasSubstr(absl::StrCat("Wrote the calibrated portfolio to ", out)));

  v1::Portfolio portfolio;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(out), &portfolio).ok());
  EXPECT_EQ(portfolio.quota(), 4'200'000);  // the base's
  EXPECT_EQ(portfolio.periods(), 4);

  const Result simulated = Attain({"simulate", out, "--paths", "2000", "--seed", "5"});
  ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  EXPECT_THAT(simulated.out, HasSubstr("P(attain)"));
  EXPECT_THAT(simulated.out,
              HasSubstr(absl::StrCat(portfolio.partners_size(),
                                     " partners, 4 months, quota 4,200,000 USD")));
}

TEST_F(CalibrateEndToEndTest, JsonIsTheWholeResponseWithAReadyPortfolio) {
  const Result result = Attain({"calibrate", kExamples + "history.csv", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  v1::CalibratePortfolioResponse response;
  const auto status = google::protobuf::util::JsonStringToMessage(result.out, &response);
  ASSERT_TRUE(status.ok()) << status.message() << "\n" << result.out;
  EXPECT_EQ(response.partners_size(), 12);
  EXPECT_EQ(response.diagnostics().periods(), 24);
  EXPECT_EQ(response.portfolio().partners_size(),
            12 - response.diagnostics().dormant_partners());
  EXPECT_GT(response.portfolio().quota(), 0);  // without a base: the current tiers' revenue
  EXPECT_THAT(result.out, HasSubstr("\"selfSufficiency\""));  // JSON names
}

TEST_F(CalibrateEndToEndTest, ABadFileExitsTwoWithLineAndColumnAndWritesNothing) {
  const std::string history = WriteTempFile(
      "bad-history.csv",
      "partner_id,period,revenue,hours\na,2025-01,100,1\nb,2025-01,90,0\na,2025-02,-5,1\n"
      "b,2025-02,95,2\n");
  const std::string out = WriteTempFile("kept.json", "{\"quota\": 1}");
  const Result result = Attain({"calibrate", history, "--out", out});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr(absl::StrCat(history, " line 4, column revenue: -5 is negative")));
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(ReadFile(out), "{\"quota\": 1}");  // untouched
}

TEST_F(CalibrateEndToEndTest, ServerViolationsPointAtTheCsvLine) {
  // The CLI does not check revenue's upper bound or a partner's segment: the server does,
  // and its rows[i] come back as the file's lines (a quoted cell spans lines 3 and 4).
  const std::string out = TempPath("never-written.json");
  ::unlink(out.c_str());
  const std::string too_much = WriteTempFile(
      "too-much.csv",
      "partner_id,name,period,revenue,hours\n"
      "a,A,1,100,1\n"
      "a,\"A\nInc\",2,2e12,1\n");
  Result result = Attain({"calibrate", too_much, "--out", out});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(absl::StrCat(too_much, " line 3, column revenue: must be")));

  const std::string segments = WriteTempFile(
      "segments.csv",
      "partner_id,segment,period,revenue,hours\n"
      "a,north,1,100,1\n"
      "a,north,2,100,1\n"
      "b,south,1,5,0\n"
      "b,east,2,5,0\n");
  result = Attain({"calibrate", segments, "--out", out});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(absl::StrCat(segments, " line 5, column segment: differs")));
  EXPECT_EQ(ReadFile(out), "");
}

TEST_F(CalibrateEndToEndTest, ABasePartnerWithoutRowsExitsTwo) {
  const std::string base = WriteTempFile(
      "base-with-zeta.json",
      R"({"quota": 1000, "periods": 3, "partners": [{"id": "acme", "tier": "TIER_INVEST"},
          {"id": "zeta", "tier": "TIER_MAINTAIN"}]})");
  const Result result =
      Attain({"calibrate", kExamples + "history.csv", "--portfolio", base});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(absl::StrCat(base, " partners[1].id: partner \"zeta\" has "
                                                       "no rows in ")));
}

}  // namespace
}  // namespace attain
