#include "clients/cli/report.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace attain::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

void AddPartner(v1::PlanOutcome& outcome, const std::string& id, v1::Tier tier, double hours,
                double unassisted, double assisted, double uplift_per_hour, double dormancy) {
  v1::PartnerOutcome* partner = outcome.add_partners();
  partner->set_partner_id(id);
  partner->set_tier(tier);
  partner->set_hours(hours);
  partner->set_unassisted_expected_revenue(unassisted);
  partner->set_expected_revenue(assisted);
  partner->set_engagement_uplift(assisted - unassisted);
  partner->mutable_engagement_uplift_interval()->set_low(assisted - unassisted - 500);
  partner->mutable_engagement_uplift_interval()->set_high(assisted - unassisted + 500);
  partner->set_uplift_per_hour(uplift_per_hour);
  partner->set_dormancy_probability(dormancy);
}

v1::PlanOutcome SampleOutcome() {
  v1::PlanOutcome outcome;
  outcome.set_plan_name("current tiers");
  outcome.set_currency("USD");
  outcome.set_quota(4'200'000);
  outcome.set_attainment_probability(0.6342);
  outcome.mutable_attainment_interval()->set_low(0.6247);
  outcome.mutable_attainment_interval()->set_high(0.6436);
  outcome.set_expected_revenue(4'512'300.4);
  outcome.set_expected_revenue_std_error(4'820);
  outcome.set_unassisted_expected_revenue(3'901'234);
  outcome.set_unassisted_attainment_probability(0.214);
  v1::RevenuePercentiles* p = outcome.mutable_revenue_percentiles();
  p->set_p5(3'111'111);
  p->set_p10(3'222'222);
  p->set_p25(3'333'333);
  p->set_p50(3'444'444);
  p->set_p75(3'555'555);
  p->set_p90(3'666'666);
  p->set_p95(3'777'777);
  outcome.set_expected_shortfall(52'345);
  outcome.set_hours_used(53);
  outcome.set_capacity_hours(60);
  outcome.set_paths(10'000);
  outcome.set_seed(1234);
  for (int t = 1; t <= 4; ++t) outcome.add_periods()->set_period(t);
  // Deliberately not in uplift-per-hour order.
  AddPartner(outcome, "fathom", v1::TIER_INVEST, 16, 800'002, 823'673, 370, 0.0);
  AddPartner(outcome, "cobalt", v1::TIER_OPPORTUNISTIC, 1, 307'952, 343'805, 8'963, 0.165);
  AddPartner(outcome, "idle", v1::TIER_OPPORTUNISTIC, 0, 1'000, 1'000, 0, 0.5);
  AddPartner(outcome, "brightline", v1::TIER_INVEST, 16, 471'330, 727'932, 4'009, 0.016);
  return outcome;
}

// The lines of `report` from the one starting with `heading` to the next blank line.
std::vector<std::string> Section(const std::string& report, const std::string& heading) {
  std::vector<std::string> lines = absl::StrSplit(report, '\n');
  std::vector<std::string> section;
  bool in = false;
  for (const std::string& line : lines) {
    if (!in && line.rfind(heading, 0) == 0) in = true;
    if (in && line.empty()) break;
    if (in) section.push_back(line);
  }
  return section;
}

TEST(CliFormatMoneyTest, GroupsThousandsAndRoundsToUnits) {
  EXPECT_EQ(FormatMoney(0), "0");
  EXPECT_EQ(FormatMoney(999), "999");
  EXPECT_EQ(FormatMoney(1000), "1,000");
  EXPECT_EQ(FormatMoney(4'512'300.4), "4,512,300");
  EXPECT_EQ(FormatMoney(4'512'300.5), "4,512,301");
  EXPECT_EQ(FormatMoney(-12'000), "-12,000");
  EXPECT_EQ(FormatMoney(-0.4), "0");
  EXPECT_EQ(FormatMoney(1e12), "1,000,000,000,000");
  EXPECT_EQ(FormatMoney(45'000, /*signed_plus=*/true), "+45,000");
  EXPECT_EQ(FormatMoney(-45'000, /*signed_plus=*/true), "-45,000");
  EXPECT_EQ(FormatMoney(std::numeric_limits<double>::quiet_NaN()), "n/a");
}

TEST(CliFormatPercentTest, OneDecimal) {
  EXPECT_EQ(FormatPercent(0.6342), "63.4%");
  EXPECT_EQ(FormatPercent(1), "100.0%");
  EXPECT_EQ(FormatPercent(0), "0.0%");
}

TEST(CliSimulationReportTest, HeadlineFigures) {
  const std::string report = SimulationReport(SampleOutcome());
  EXPECT_THAT(report, HasSubstr("Plan: current tiers"));
  EXPECT_THAT(report, HasSubstr("4 partners, 4 periods, quota 4,200,000 USD"));
  EXPECT_THAT(report, HasSubstr("P(attain)"));
  EXPECT_THAT(report, HasSubstr("63.4%"));
  EXPECT_THAT(report, HasSubstr("62.5% to 64.4%"));
  EXPECT_THAT(report, HasSubstr("4,512,300 USD"));
  EXPECT_THAT(report, HasSubstr("std. error 4,820"));
  EXPECT_THAT(report, HasSubstr("Whether you show up or not"));
  EXPECT_THAT(report, HasSubstr("3,901,234 USD"));
  EXPECT_THAT(report, HasSubstr("21.4%"));
  EXPECT_THAT(report, HasSubstr("52,345 USD"));
  EXPECT_THAT(report, HasSubstr("53.0 used of 60.0 capacity"));
  EXPECT_THAT(report, HasSubstr("10,000"));
  EXPECT_THAT(report, HasSubstr("seed 1234"));
  EXPECT_THAT(report, Not(HasSubstr("antithetic")));
  EXPECT_THAT(report, Not(HasSubstr("WARNING")));
}

TEST(CliSimulationReportTest, RevenuePercentilesInOrder) {
  const std::vector<std::string> table = Section(SimulationReport(SampleOutcome()),
                                                 "  Revenue percentiles");
  ASSERT_EQ(table.size(), 3u);
  for (const char* name : {"P5", "P10", "P25", "P50", "P75", "P90", "P95"}) {
    EXPECT_THAT(table[1], HasSubstr(name));
  }
  const std::string& values = table[2];
  size_t previous = 0;
  for (const char* value : {"3,111,111", "3,222,222", "3,333,333", "3,444,444", "3,555,555",
                            "3,666,666", "3,777,777"}) {
    const size_t at = values.find(value);
    ASSERT_NE(at, std::string::npos) << value;
    EXPECT_GT(at, previous);
    previous = at;
  }
}

TEST(CliSimulationReportTest, PartnersSortedByUpliftPerHourDescending) {
  const std::vector<std::string> table =
      Section(SimulationReport(SampleOutcome()), "Partners by uplift per hour");
  ASSERT_EQ(table.size(), 6u);  // title, header, four partners
  EXPECT_THAT(table[1], HasSubstr("uplift/hour"));
  EXPECT_THAT(table[2], testing::StartsWith("  cobalt"));
  EXPECT_THAT(table[3], testing::StartsWith("  brightline"));
  EXPECT_THAT(table[4], testing::StartsWith("  fathom"));
  EXPECT_THAT(table[5], testing::StartsWith("  idle"));
  // One row carries every column.
  EXPECT_THAT(table[2], HasSubstr("OPPORTUNISTIC"));
  EXPECT_THAT(table[2], HasSubstr("1.0"));
  EXPECT_THAT(table[2], HasSubstr("307,952"));
  EXPECT_THAT(table[2], HasSubstr("343,805"));
  EXPECT_THAT(table[2], HasSubstr("35,853"));
  EXPECT_THAT(table[2], HasSubstr("35,353 to 36,353"));
  EXPECT_THAT(table[2], HasSubstr("8,963"));
  EXPECT_THAT(table[2], HasSubstr("16.5%"));
}

TEST(CliSimulationReportTest, PartnerColumnsAreAligned) {
  const std::vector<std::string> table =
      Section(SimulationReport(SampleOutcome()), "Partners by uplift per hour");
  ASSERT_GE(table.size(), 3u);
  // The last column is right-aligned, so aligned rows all end at the same column.
  for (size_t i = 2; i < table.size(); ++i) EXPECT_EQ(table[i].size(), table[1].size()) << i;
}

TEST(CliSimulationReportTest, OverCapacityWarning) {
  v1::PlanOutcome outcome = SampleOutcome();
  outcome.set_hours_used(72);
  outcome.set_over_capacity(true);
  const std::string report = SimulationReport(outcome);
  EXPECT_THAT(report, HasSubstr("WARNING"));
  EXPECT_THAT(report, HasSubstr("72.0 hours per period, over the capacity of 60.0"));
}

TEST(CliSimulationReportTest, AntitheticRunsSaySo) {
  v1::PlanOutcome outcome = SampleOutcome();
  outcome.set_antithetic(true);
  EXPECT_THAT(SimulationReport(outcome), HasSubstr("antithetic"));
}

TEST(CliSimulationReportTest, NoCurrency) {
  v1::PlanOutcome outcome = SampleOutcome();
  outcome.clear_currency();
  const std::string report = SimulationReport(outcome);
  EXPECT_THAT(report, HasSubstr("quota 4,200,000)"));
  EXPECT_THAT(report, Not(HasSubstr("USD")));
}

v1::ComparePlansResponse SampleComparison() {
  v1::ComparePlansResponse comparison;
  *comparison.add_outcomes() = SampleOutcome();
  v1::PlanOutcome* invest = comparison.add_outcomes();
  *invest = SampleOutcome();
  invest->set_plan_name("invest in cobalt");
  invest->set_attainment_probability(0.6912);
  invest->set_expected_revenue(4'601'000);
  invest->set_hours_used(68);
  invest->set_over_capacity(true);
  v1::PlanDifference* difference = comparison.add_differences();
  difference->set_plan_name("invest in cobalt");
  difference->set_baseline_plan_name("current tiers");
  difference->set_attainment_probability_difference(0.057);
  difference->mutable_attainment_probability_difference_interval()->set_low(0.052);
  difference->mutable_attainment_probability_difference_interval()->set_high(0.062);
  difference->set_expected_revenue_difference(88'700);
  difference->mutable_expected_revenue_difference_interval()->set_low(-1'200);
  difference->mutable_expected_revenue_difference_interval()->set_high(90'100);
  return comparison;
}

TEST(CliComparisonReportTest, SummaryOfEveryPlan) {
  const std::string report = ComparisonReport(SampleComparison());
  EXPECT_THAT(report, HasSubstr("Comparing 2 plans"));
  EXPECT_THAT(report, HasSubstr("current tiers"));
  EXPECT_THAT(report, HasSubstr("invest in cobalt"));
  EXPECT_THAT(report, HasSubstr("63.4%"));
  EXPECT_THAT(report, HasSubstr("69.1%"));
  EXPECT_THAT(report, HasSubstr("4,512,300"));
  EXPECT_THAT(report, HasSubstr("4,601,000"));
  EXPECT_THAT(report, HasSubstr("seed 1234"));
}

TEST(CliComparisonReportTest, PairedDifferencesToTheFirstPlan) {
  const std::vector<std::string> table =
      Section(ComparisonReport(SampleComparison()), "Differences to \"current tiers\"");
  ASSERT_EQ(table.size(), 3u);
  EXPECT_THAT(table[2], HasSubstr("invest in cobalt"));
  EXPECT_THAT(table[2], HasSubstr("+5.7"));
  EXPECT_THAT(table[2], HasSubstr("+5.2 to +6.2"));
  EXPECT_THAT(table[2], HasSubstr("+88,700"));
  EXPECT_THAT(table[2], HasSubstr("-1,200 to +90,100"));
}

TEST(CliComparisonReportTest, OverCapacityPlansAreFlagged) {
  const std::string report = ComparisonReport(SampleComparison());
  EXPECT_THAT(report, HasSubstr("over capacity"));
  EXPECT_THAT(report, HasSubstr("invest in cobalt: WARNING"));
  EXPECT_THAT(report, Not(HasSubstr("current tiers: WARNING")));
}

TEST(CliProgressLineTest, ShowsPathsShareAndAttainment) {
  v1::SimulationProgress progress;
  progress.set_paths_done(450'000);
  progress.set_paths_planned(1'000'000);
  progress.set_attainment_probability(0.382);
  const std::string line = ProgressLine(progress, 80);
  EXPECT_THAT(line, HasSubstr("45%"));
  EXPECT_THAT(line, HasSubstr("450,000 / 1,000,000 paths"));
  EXPECT_THAT(line, HasSubstr("P(attain) 38.2%"));
  EXPECT_LE(line.size(), 80u);
  const size_t filled = static_cast<size_t>(std::count(line.begin(), line.end(), '#'));
  const size_t empty = line.find(']') - 1 - filled;
  EXPECT_NEAR(static_cast<double>(filled) / static_cast<double>(filled + empty), 0.45, 0.05);
}

TEST(CliProgressLineTest, PrecisionTargetShowsHalfWidths) {
  v1::SimulationProgress progress;
  progress.set_paths_done(20'480);
  progress.set_paths_planned(1'000'000);
  progress.set_target_ci_half_width(0.005);
  progress.set_attainment_probability(0.5);
  progress.mutable_attainment_interval()->set_low(0.49);
  progress.mutable_attainment_interval()->set_high(0.51);
  EXPECT_THAT(ProgressLine(progress, 100), HasSubstr("+-1.00 (target +-0.50)"));
}

TEST(CliProgressLineTest, NothingPlannedYet) {
  v1::SimulationProgress progress;
  EXPECT_THAT(ProgressLine(progress, 60), HasSubstr("0%"));
}

}  // namespace
}  // namespace attain::cli
