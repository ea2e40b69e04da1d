// The attain sensitivity report: headline with the Monte Carlo interval, one row per
// assumption in the server's order, range labels by source, tier changes under their
// rows, and the sentences on what each range is about.
#include "clients/cli/sensitivity_report.h"

#include <algorithm>
#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace attain::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::AssumptionSensitivity Row(v1::SensitivityAssumption assumption, double low, double high,
                              double p_low, double p_high) {
  v1::AssumptionSensitivity row;
  row.set_assumption(assumption);
  row.set_source(v1::RANGE_SOURCE_DEFAULT_RANGE);
  row.mutable_low()->set_setting(low);
  row.mutable_high()->set_setting(high);
  row.mutable_low()->set_attainment_probability(p_low);
  row.mutable_high()->set_attainment_probability(p_high);
  row.mutable_low()->set_expected_revenue(4'000'000);
  row.mutable_high()->set_expected_revenue(4'500'000);
  row.set_attainment_swing(std::abs(p_high - p_low));
  row.set_expected_revenue_swing(500'000);
  return row;
}

v1::AnalyzeSensitivityResponse Response() {
  v1::AnalyzeSensitivityResponse r;
  v1::PlanOutcome& base = *r.mutable_base_outcome();
  base.set_plan_name("current tiers");
  base.set_currency("USD");
  base.set_quota(4'200'000);
  base.add_partners();
  base.add_partners();
  base.add_periods();
  base.set_attainment_probability(0.512);
  base.mutable_attainment_interval()->set_low(0.502);
  base.mutable_attainment_interval()->set_high(0.522);
  base.set_expected_revenue(4'312'000);
  base.set_paths(10'000);
  r.set_seed(7);
  *r.add_assumptions() = Row(v1::SENSITIVITY_ASSUMPTION_MAX_LIFT, 0.5, 1.5, 0.16, 0.95);
  v1::AssumptionSensitivity churn =
      Row(v1::SENSITIVITY_ASSUMPTION_CHURN_RATE, -1.645, 1.645, 0.6, 0.4);
  churn.set_source(v1::RANGE_SOURCE_STANDARD_ERROR);
  v1::TierShift& shift = *churn.mutable_high()->add_tier_changes();
  shift.set_partner_id("cobalt");
  shift.set_base_tier(v1::TIER_OPPORTUNISTIC);
  shift.set_tier(v1::TIER_INVEST);
  churn.mutable_low()->set_tiers_checked(true);
  churn.mutable_high()->set_tiers_checked(true);
  *r.add_assumptions() = churn;
  v1::AssumptionSensitivity growth = Row(v1::SENSITIVITY_ASSUMPTION_GROWTH_RATE, -0.01, 0.01,
                                         0.45, 0.55);
  growth.mutable_low()->set_tiers_checked(true);
  growth.mutable_high()->set_tiers_checked(true);
  *r.add_assumptions() = growth;
  v1::AssumptionSensitivity baseline =
      Row(v1::SENSITIVITY_ASSUMPTION_BASELINE_REVENUE, 0.8, 1.2, 0.48, 0.53);
  baseline.set_partner_id("acme");
  baseline.mutable_low()->set_value(248'000);
  baseline.mutable_high()->set_value(372'000);
  *r.add_assumptions() = baseline;
  r.set_tier_check(v1::TIER_CHECK_STATUS_DONE);
  r.set_tier_check_paths(10'000);
  return r;
}

TEST(SensitivityReportTest, HeadlineRowsInOrderAndWhatEachRangeIsAbout) {
  const std::string text = SensitivityReport(Response(), {});
  EXPECT_THAT(text, HasSubstr("Sensitivity of plan \"current tiers\" (2 partners, 1 month, "
                              "quota 4,200,000 USD)"));
  EXPECT_THAT(text, HasSubstr("51.2%   95% Monte Carlo interval 50.2% to 52.2%"));
  EXPECT_THAT(text, HasSubstr("10,000   seed 7"));
  const size_t lift = text.find("max_lift (all partners)");
  const size_t churn = text.find("churn_rate (all partners)");
  const size_t growth = text.find("growth_rate (all partners)");
  const size_t acme = text.find("baseline_revenue of acme");
  ASSERT_NE(acme, std::string::npos);
  EXPECT_LT(lift, churn);
  EXPECT_LT(churn, growth);
  EXPECT_LT(growth, acme);
  EXPECT_THAT(text, HasSubstr("x0.5 .. x1.5"));
  EXPECT_THAT(text, HasSubstr("-1.645 .. +1.645 SE"));
  EXPECT_THAT(text, HasSubstr("-0.01 .. +0.01 per period"));
  EXPECT_THAT(text, HasSubstr("16.0% -> 95.0%"));
  EXPECT_THAT(text, HasSubstr("79.0 pts"));
  EXPECT_THAT(text, HasSubstr("248,000 -> 372,000"));
  EXPECT_THAT(text, HasSubstr("4,000,000 -> 4,500,000"));
  EXPECT_THAT(text, HasSubstr("change at high"));
  EXPECT_THAT(text, HasSubstr("recommended tiers at high: cobalt OPPORTUNISTIC -> INVEST"));
  EXPECT_THAT(text, HasSubstr("same"));
  std::string prose = text;  // the notes under the table, whatever their wrapping
  std::replace(prose.begin(), prose.end(), '\n', ' ');
  EXPECT_THAT(prose, HasSubstr("checked at both ends of the first 2 of 4 assumptions"));
  EXPECT_THAT(prose, HasSubstr("The tornado's ranges are about the ASSUMPTIONS"));
  EXPECT_THAT(prose, HasSubstr("Monte Carlo interval is about SAMPLING only"));
  EXPECT_EQ(text.back(), '\n');
}

// The report on one line: its notes, whatever their wrapping.
std::string Flat(const v1::AnalyzeSensitivityResponse& r) {
  std::string text = SensitivityReport(r, {});
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

TEST(SensitivityReportTest, SaysWhyTiersWereNotChecked) {
  v1::AnalyzeSensitivityResponse r = Response();
  r.set_tier_check(v1::TIER_CHECK_STATUS_OFF);
  EXPECT_THAT(Flat(r), HasSubstr("were not checked (--no-tier-check)"));
  r.set_tier_check(v1::TIER_CHECK_STATUS_NO_FEASIBLE_PLAN);
  EXPECT_THAT(Flat(r), HasSubstr("no plan fits the capacity hours"));
  EXPECT_THAT(Flat(r), Not(HasSubstr("checked at both ends")));
}

}  // namespace
}  // namespace attain::cli
