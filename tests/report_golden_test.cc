// Golden outputs of the attain CLI's reports: each report rendered from a response the
// real attaind gave (tests/golden/*.response.json, made as tests/golden/README.md says)
// must equal its checked-in text (tests/golden/*.txt) byte for byte. A change to a table
// fails here until the text is regenerated on purpose:
//   ATTAIN_UPDATE_GOLDEN=1 build/tests/report_golden_test
// and the diff reviewed with git before it is committed.
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "attain/v1/planner_service.pb.h"
#include "clients/cli/coaching_report.h"
#include "clients/cli/portfolio_input.h"
#include "clients/cli/report.h"
#include "clients/cli/sensitivity_report.h"
#include "gtest/gtest.h"
#include "proto/support/json_io.h"
#include "tests/test_support.h"

namespace attain::cli {
namespace {

const std::string kSource = ATTAIN_SOURCE_DIR;
const std::string kGolden = kSource + "/tests/golden/";

// The request's portfolio, read as the CLI reads it (names, period length).
v1::Portfolio PortfolioOf(const std::string& path, const std::string& settings_path = "",
                          std::optional<double> capacity_hours = std::nullopt) {
  PortfolioSource source;
  source.path = kSource + "/" + path;
  if (!settings_path.empty()) source.settings_path = kSource + "/" + settings_path;
  source.overrides.capacity_hours = capacity_hours;
  absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(source);
  EXPECT_TRUE(portfolio.ok()) << portfolio.status();
  return portfolio.ok() ? *portfolio : v1::Portfolio();
}

template <class Response>
Response ResponseOf(const std::string& name) {
  Response response;
  const std::string json = testing_support::ReadFile(kGolden + name + ".response.json");
  const absl::Status parsed = ParseJsonMessage(json, response);
  EXPECT_TRUE(parsed.ok()) << name << ": " << parsed;
  return response;
}

// Compares `report` with tests/golden/NAME.txt, or rewrites that file under
// ATTAIN_UPDATE_GOLDEN. On a difference, shows the first differing line and the whole
// report.
void ExpectGolden(const std::string& name, const std::string& report) {
  const std::string path = kGolden + name + ".txt";
  if (std::getenv("ATTAIN_UPDATE_GOLDEN") != nullptr) {
    const absl::Status written = WriteTextFile(path, report);
    ASSERT_TRUE(written.ok()) << written;
    std::printf("rewrote %s: review it with git diff\n", path.c_str());
    return;
  }
  const std::string golden = testing_support::ReadFile(path);
  if (golden == report) return;
  const std::vector<std::string> want = absl::StrSplit(golden, '\n');
  const std::vector<std::string> got = absl::StrSplit(report, '\n');
  size_t line = 0;
  while (line < want.size() && line < got.size() && want[line] == got[line]) ++line;
  ADD_FAILURE() << name << ".txt differs from the report at line " << line + 1 << ":\n"
                << "  golden: " << (line < want.size() ? want[line] : "(end)") << "\n"
                << "  report: " << (line < got.size() ? got[line] : "(end)") << "\n"
                << "If the change is meant, run with ATTAIN_UPDATE_GOLDEN=1 and review the "
                   "diff. The whole report:\n"
                << report;
}

TEST(ReportGoldenTest, Simulate) {
  ExpectGolden("simulate",
               SimulationReport(ResponseOf<v1::SimulateResponse>("simulate"),
                                NamesOf(PortfolioOf("examples/portfolio.json"))));
}

TEST(ReportGoldenTest, SimulateQuarterlyGuideExample) {
  ExpectGolden("simulate-guide",
               SimulationReport(ResponseOf<v1::SimulateResponse>("simulate-guide"),
                                NamesOf(PortfolioOf("examples/guide/partners.csv",
                                                    "examples/guide/portfolio-meta.json"))));
}

TEST(ReportGoldenTest, SimulateWithWarnings) {
  ExpectGolden("warnings",
               SimulationReport(ResponseOf<v1::SimulateResponse>("warnings"),
                                NamesOf(PortfolioOf("tests/golden/annual-baseline.csv",
                                                    "tests/golden/annual-baseline-meta.json"))));
}

TEST(ReportGoldenTest, Compare) {
  ExpectGolden("compare", ComparisonReport(ResponseOf<v1::ComparePlansResponse>("compare")));
}

TEST(ReportGoldenTest, Recommend) {
  v1::RecommendTiersRequest request;
  *request.mutable_portfolio() = PortfolioOf("examples/portfolio.json");
  ExpectGolden("recommend", RecommendationReport(
                                request, ResponseOf<v1::RecommendTiersResponse>("recommend")));
}

TEST(ReportGoldenTest, RecommendOverCapacity) {
  v1::RecommendTiersRequest request;
  *request.mutable_portfolio() =
      PortfolioOf("examples/partners.csv", "examples/portfolio-meta.json", 40);
  ExpectGolden("recommend-over-capacity",
               RecommendationReport(
                   request, ResponseOf<v1::RecommendTiersResponse>("recommend-over-capacity")));
}

TEST(ReportGoldenTest, Coach) {
  ExpectGolden("coach", CoachingReport(ResponseOf<v1::CoachPlanResponse>("coach"),
                                       NamesOf(PortfolioOf("examples/portfolio.json"))));
}

TEST(ReportGoldenTest, Sensitivity) {
  ExpectGolden("sensitivity",
               SensitivityReport(ResponseOf<v1::AnalyzeSensitivityResponse>("sensitivity"),
                                 NamesOf(PortfolioOf("examples/portfolio.json"))));
}

}  // namespace
}  // namespace attain::cli
