#include "clients/cli/report.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace attain::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

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

// The simulation report of `outcome` with `warnings` (codes and messages) and `names`.
std::string Report(const v1::PlanOutcome& outcome, const PartnerNames& names = {},
                   const std::vector<std::pair<v1::WarningCode, std::string>>& warnings = {}) {
  v1::SimulateResponse response;
  *response.mutable_outcome() = outcome;
  for (const auto& [code, message] : warnings) {
    v1::Warning* w = response.add_warnings();
    w->set_code(code);
    w->set_message(message);
  }
  return SimulationReport(response, names);
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

TEST(CliSimulationReportTest, HeadlineFigures) {
  const std::string report = Report(SampleOutcome());
  EXPECT_THAT(report, HasSubstr("Plan: current tiers"));
  EXPECT_THAT(report, HasSubstr("4 partners, 4 months, quota 4,200,000 USD"));
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

TEST(CliSimulationReportTest, OnTrackByPeriod) {
  v1::PlanOutcome outcome = SampleOutcome();
  for (int t = 0; t < 4; ++t) {
    v1::PeriodOutcome* period = outcome.mutable_periods(t);
    period->set_expected_cumulative_revenue(1'100'000.0 * (t + 1));
    period->set_on_track_threshold(1'050'000.0 * (t + 1));
    period->set_on_track_probability(0.5 + 0.1 * t);
  }
  const std::vector<std::string> table = Section(Report(outcome), "On track by period");
  ASSERT_EQ(table.size(), 6u);  // heading, column names, four periods
  EXPECT_EQ(table[1], "  period  expected so far  on track at  P(on track)");
  EXPECT_EQ(table[2], "       1        1,100,000    1,050,000        50.0%");
  EXPECT_EQ(table[5], "       4        4,400,000    4,200,000        80.0%");
}

TEST(CliSimulationReportTest, HistogramOfRevenueWithTheQuotaMarked) {
  v1::PlanOutcome outcome = SampleOutcome();
  v1::RevenueHistogram* h = outcome.mutable_revenue_histogram();
  h->set_low(3'000'000);
  h->set_high(5'000'000);
  // 40 bins of 50,000, merged four to a row: rows of 200,000. The quota, 4,200,000, lies
  // in row 7 (4,200,000 to 4,400,000).
  for (int b = 0; b < 40; ++b) h->add_path_counts(b < 20 ? 100 : 400);
  const std::vector<std::string> rows =
      Section(Report(outcome), "Revenue over the horizon");
  ASSERT_EQ(rows.size(), 12u);  // heading, column names, ten rows
  EXPECT_EQ(rows[2], "     3,000,000  3,200,000   4.0%  ##########");
  EXPECT_EQ(rows[8], "     4,200,000  4,400,000  16.0%  ######################################## "
                     "<- quota");
  EXPECT_EQ(rows[11], "     4,800,000  5,000,000  16.0%  ########################################");

  outcome.set_quota(9'000'000);
  EXPECT_THAT(Report(outcome), HasSubstr("(the quota lies above every path)"));
  outcome.mutable_revenue_histogram()->clear_path_counts();
  EXPECT_THAT(Report(outcome), Not(HasSubstr("Revenue over the horizon")));
}

TEST(CliSimulationReportTest, RevenuePercentilesInOrder) {
  const std::vector<std::string> table = Section(Report(SampleOutcome()),
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
      Section(Report(SampleOutcome()), "Partners by uplift per hour");
  ASSERT_EQ(table.size(), 6u);  // title, header, four partners
  EXPECT_THAT(table[1], HasSubstr("uplift/hour"));
  EXPECT_THAT(table[2], StartsWith("  cobalt"));
  EXPECT_THAT(table[3], StartsWith("  brightline"));
  EXPECT_THAT(table[4], StartsWith("  fathom"));
  EXPECT_THAT(table[5], StartsWith("  idle"));
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
      Section(Report(SampleOutcome()), "Partners by uplift per hour");
  ASSERT_GE(table.size(), 3u);
  // The last column is right-aligned, so aligned rows all end at the same column.
  for (size_t i = 2; i < table.size(); ++i) EXPECT_EQ(table[i].size(), table[1].size()) << i;
}

TEST(CliSimulationReportTest, OverCapacityIsMarked) {
  v1::PlanOutcome outcome = SampleOutcome();
  outcome.set_hours_used(72);
  outcome.set_over_capacity(true);
  EXPECT_THAT(Report(outcome), HasSubstr("Hours per month         72.0 used of 60.0 capacity (over)"));
}

TEST(CliSimulationReportTest, WarningsComeUnderTheHeadlineWrapped) {
  const std::string message =
      "expected revenue with no hours at all is 18,300,000 over the horizon, 4.4x the quota "
      "of 4,200,000: every plan looks safe. Is baseline_revenue per month (not per year), "
      "and the quota for the whole horizon?";
  const std::string report =
      Report(SampleOutcome(), {}, {{v1::WARNING_CODE_UNASSISTED_FAR_ABOVE_QUOTA, message},
                                   {v1::WARNING_CODE_NO_CAPACITY, "capacity_hours is 0"}});
  const std::vector<std::string> lines = absl::StrSplit(report, '\n');
  ASSERT_GE(lines.size(), 6u);
  EXPECT_THAT(lines[1], StartsWith("  WARNING: expected revenue with no hours at all is 18,300,000"));
  for (size_t i = 1; i < 5; ++i) EXPECT_LE(lines[i].size(), 80u) << lines[i];
  EXPECT_THAT(report, HasSubstr("(not per year)"));
  EXPECT_THAT(report, HasSubstr("\n  WARNING: capacity_hours is 0\n"));
  EXPECT_THAT(Report(SampleOutcome()), Not(HasSubstr("WARNING")));
}

TEST(CliSimulationReportTest, QuarterlyPortfolioSaysQuarters) {
  v1::PlanOutcome outcome = SampleOutcome();
  outcome.set_period_length(v1::PERIOD_LENGTH_QUARTER);
  const std::string report = Report(outcome);
  EXPECT_THAT(report, HasSubstr("(4 partners, 4 quarters, quota"));
  EXPECT_THAT(report, HasSubstr("Hours per quarter"));
  EXPECT_THAT(report, HasSubstr("hours per quarter, revenue over the horizon"));
  outcome.clear_periods();
  outcome.add_periods()->set_period(1);
  EXPECT_THAT(Report(outcome), HasSubstr("(4 partners, 1 quarter, quota"));
}

TEST(CliSimulationReportTest, PartnerNamesBesideIds) {
  const PartnerNames names = {{"cobalt", "Cobalt Partners"},
                              {"brightline", "Brightline IT and a Name Longer Than Fits"}};
  const std::vector<std::string> table =
      Section(Report(SampleOutcome(), names), "Partners by uplift per hour");
  ASSERT_EQ(table.size(), 6u);
  EXPECT_THAT(table[1], ContainsRegex("^  partner +name +tier"));
  EXPECT_THAT(table[2], ContainsRegex("^  cobalt +Cobalt Partners +OPPORTUNISTIC"));
  EXPECT_THAT(table[3], ContainsRegex("^  brightline +Brightline IT and a N\\.\\.\\. +INVEST"));
  EXPECT_THAT(table[4], ContainsRegex("^  fathom +INVEST"));  // no name: an empty cell
  // Without names there is no name column.
  EXPECT_THAT(Section(Report(SampleOutcome()), "Partners by uplift per hour")[1],
              Not(HasSubstr("name")));
}

TEST(CliSimulationReportTest, AntitheticRunsSaySo) {
  v1::PlanOutcome outcome = SampleOutcome();
  outcome.set_antithetic(true);
  EXPECT_THAT(Report(outcome), HasSubstr("antithetic"));
}

TEST(CliSimulationReportTest, RunsWithParameterDrawsSaySoAndHowMany) {
  v1::PlanOutcome outcome = SampleOutcome();
  EXPECT_THAT(Report(outcome), Not(HasSubstr("parameters drawn")));
  outcome.set_parameter_draw_partners(3);
  EXPECT_THAT(Report(outcome), HasSubstr("parameters drawn per path for 3 partners"));
}

TEST(CliSimulationReportTest, NoCurrency) {
  v1::PlanOutcome outcome = SampleOutcome();
  outcome.clear_currency();
  const std::string report = Report(outcome);
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

TEST(CliComparisonReportTest, OverCapacityPlansAreFlaggedAndWarningsShown) {
  v1::ComparePlansResponse comparison = SampleComparison();
  v1::Warning* warning = comparison.add_warnings();
  warning->set_code(v1::WARNING_CODE_OVER_CAPACITY);
  warning->set_message("plan \"invest in cobalt\" uses 68.0 hours per month, over the capacity");
  const std::string report = ComparisonReport(comparison);
  EXPECT_THAT(report, ContainsRegex("invest in cobalt .* over capacity \\(60\\.0\\)"));
  EXPECT_THAT(report, HasSubstr("\n  WARNING: plan \"invest in cobalt\" uses 68.0 hours per month"));
  EXPECT_THAT(report, HasSubstr("hours/month"));
}

v1::TierChange* AddChange(v1::RecommendTiersResponse& r, const std::string& id, v1::Tier from,
                          v1::Tier to, double hours, double attainment, double revenue,
                          v1::ReasonCode code, const std::string& reason) {
  v1::TierChange* c = r.add_changes();
  c->set_partner_id(id);
  c->set_from_tier(from);
  c->set_to_tier(to);
  c->set_hours_change(hours);
  c->set_attainment_probability_effect(attainment);
  c->mutable_attainment_probability_effect_interval()->set_low(attainment - 0.004);
  c->mutable_attainment_probability_effect_interval()->set_high(attainment + 0.004);
  c->set_expected_revenue_effect(revenue);
  c->mutable_expected_revenue_effect_interval()->set_low(revenue - 1'000);
  c->mutable_expected_revenue_effect_interval()->set_high(revenue + 1'000);
  c->set_reason_code(code);
  c->set_reason(reason);
  return c;
}

v1::RecommendTiersResponse SampleRecommendation() {
  v1::RecommendTiersResponse r;
  (*r.mutable_recommended_plan()->mutable_tiers())["cobalt"] = v1::TIER_MAINTAIN;
  *r.mutable_current_outcome() = SampleOutcome();
  v1::PlanOutcome* recommended = r.mutable_recommended_outcome();
  *recommended = SampleOutcome();
  recommended->set_plan_name("recommended");
  recommended->set_attainment_probability(0.6912);
  recommended->mutable_attainment_interval()->set_low(0.6821);
  recommended->mutable_attainment_interval()->set_high(0.7001);
  recommended->set_expected_revenue(4'601'000);
  recommended->mutable_revenue_percentiles()->set_p10(3'300'000);
  recommended->set_hours_used(58);
  v1::PlanDifference* d = r.mutable_difference();
  d->set_plan_name("recommended");
  d->set_baseline_plan_name("current tiers");
  d->set_attainment_probability_difference(0.057);
  d->mutable_attainment_probability_difference_interval()->set_low(0.052);
  d->mutable_attainment_probability_difference_interval()->set_high(0.062);
  d->set_expected_revenue_difference(88'700);
  d->mutable_expected_revenue_difference_interval()->set_low(-1'200);
  d->mutable_expected_revenue_difference_interval()->set_high(90'100);
  // Deliberately not in effect order; evergreen and granite tie on P(attain).
  AddChange(r, "fathom", v1::TIER_INVEST, v1::TIER_MAINTAIN, -10, -0.003, -8'453,
            v1::REASON_CODE_SELF_SUFFICIENT,
            "it sells 97.1% as much with no hours at all as at INVEST; frees 10 hours per period");
  AddChange(r, "granite", v1::TIER_OPPORTUNISTIC, v1::TIER_MAINTAIN, 5, 0.014, 37'267,
            v1::REASON_CODE_HIGH_LIFT_PER_HOUR,
            "each extra hour per period adds about 1870 of revenue");
  AddChange(r, "cobalt", v1::TIER_OPPORTUNISTIC, v1::TIER_MAINTAIN, 5, 0.031, 81'611,
            v1::REASON_CODE_DORMANCY_RISK,
            "at OPPORTUNISTIC it has a 16.8% chance of going dormant within the horizon; at "
            "MAINTAIN 7.8% (expected revenue +80611)");
  AddChange(r, "evergreen", v1::TIER_OPPORTUNISTIC, v1::TIER_MAINTAIN, 5, 0.014, 51'898,
            v1::REASON_CODE_DORMANCY_RISK, "at OPPORTUNISTIC it has a 19.7% chance");
  v1::PartnerAdvice* acme = r.add_unchanged();
  acme->set_partner_id("acme");
  acme->set_tier(v1::TIER_MAINTAIN);
  acme->set_reason_code(v1::REASON_CODE_BEST_AS_IS);
  acme->set_reason("no other tier does better within the hours (MAINTAIN)");
  v1::PartnerAdvice* brightline = r.add_unchanged();
  brightline->set_partner_id("brightline");
  brightline->set_tier(v1::TIER_INVEST);
  brightline->set_reason_code(v1::REASON_CODE_LOCKED);
  brightline->set_reason("locked by the request");
  v1::RecommendationSearch* search = r.mutable_search();
  search->set_method(v1::SEARCH_METHOD_EXHAUSTIVE);
  search->set_candidate_plans_evaluated(3'212);
  search->set_search_seconds(0.0257);
  search->set_optimization_seed(7);
  search->set_validation_seed(17'454'865'949'639'441'193u);
  search->set_optimization_objective_current(0.8159);
  search->set_optimization_objective_recommended(0.8917);
  return r;
}

v1::RecommendTiersRequest SampleRecommendRequest() {
  v1::RecommendTiersRequest request;
  request.set_objective(v1::OBJECTIVE_ATTAINMENT_PROBABILITY);
  return request;
}

TEST(CliRecommendationReportTest, HeaderSaysWhatWasSearched) {
  const std::string report = RecommendationReport(SampleRecommendRequest(), SampleRecommendation());
  EXPECT_THAT(report, StartsWith(
                          "Tier recommendation (4 partners, 4 months, quota 4,200,000 USD)\n"));
  EXPECT_THAT(report, HasSubstr("maximize P(attain)"));
  EXPECT_THAT(report, HasSubstr("exhaustive, 3,212 candidate plans evaluated in 0.03 s"));
  EXPECT_THAT(report, HasSubstr("10,000 per sample"));
  EXPECT_THAT(report, HasSubstr("optimization 7, validation 17454865949639441193"));
  EXPECT_THAT(report, HasSubstr("P(attain) 81.6% -> 89.2% (optimistic)"));
  // Only constraints the request set.
  EXPECT_THAT(report, Not(HasSubstr("Locked")));
  EXPECT_THAT(report, Not(HasSubstr("Max changes")));
  EXPECT_THAT(report, Not(HasSubstr("WARNING")));
}

TEST(CliRecommendationReportTest, ConstraintsAndOtherObjectives) {
  v1::RecommendTiersRequest request;
  request.set_objective(v1::OBJECTIVE_EXPECTED_REVENUE);
  request.add_locked_partner_ids("brightline");
  request.add_locked_partner_ids("delta");
  request.set_max_changes(2);
  v1::RecommendTiersResponse response = SampleRecommendation();
  response.mutable_search()->set_method(v1::SEARCH_METHOD_HEURISTIC);
  response.mutable_search()->set_optimization_objective_current(4'500'000);
  response.mutable_search()->set_optimization_objective_recommended(4'610'000.4);
  std::string report = RecommendationReport(request, response);
  EXPECT_THAT(report, HasSubstr("maximize expected revenue"));
  EXPECT_THAT(report, HasSubstr("expected revenue 4,500,000 USD -> 4,610,000 USD"));
  EXPECT_THAT(report, HasSubstr("heuristic, 3,212 candidate plans"));
  EXPECT_THAT(report, HasSubstr("Locked                  brightline, delta\n"));
  EXPECT_THAT(report, HasSubstr("Max changes             2\n"));

  request.set_objective(v1::OBJECTIVE_DOWNSIDE_REVENUE);
  report = RecommendationReport(request, response);
  EXPECT_THAT(report, HasSubstr("maximize downside revenue (10th percentile)"));
  request.set_objective(v1::OBJECTIVE_UNSPECIFIED);  // the server's default
  EXPECT_THAT(RecommendationReport(request, response), HasSubstr("maximize P(attain)"));

  response.mutable_search()->set_method(v1::SEARCH_METHOD_SCREENED);  // a large portfolio
  EXPECT_THAT(RecommendationReport(request, response),
              HasSubstr("screened, 3,212 candidate plans"));
}

TEST(CliRecommendationReportTest, BeforeAndAfterWithPairedDifference) {
  const std::vector<std::string> table =
      Section(RecommendationReport(SampleRecommendRequest(), SampleRecommendation()),
              "Current and recommended tiers");
  ASSERT_EQ(table.size(), 7u);  // title, header, five rows
  EXPECT_THAT(table[1], HasSubstr("current tiers"));
  EXPECT_THAT(table[1], HasSubstr("recommended"));
  EXPECT_THAT(table[1], HasSubstr("difference"));
  EXPECT_THAT(table[2], StartsWith("  P(attain)"));
  EXPECT_THAT(table[2], ContainsRegex("63\\.4% +69\\.1% +\\+5\\.7 pts +\\+5\\.2 to \\+6\\.2 pts$"));
  EXPECT_THAT(table[3], ContainsRegex("95% interval +62\\.5% to 64\\.4% +68\\.2% to 70\\.0%$"));
  EXPECT_THAT(table[4], StartsWith("  Expected revenue USD"));
  EXPECT_THAT(table[4], ContainsRegex("4,512,300 +4,601,000 +\\+88,700 +-1,200 to \\+90,100$"));
  EXPECT_THAT(table[5], ContainsRegex("Revenue P10 USD +3,222,222 +3,300,000 +\\+77,778$"));
  EXPECT_THAT(table[6],
              ContainsRegex("Hours per month +53\\.0 of 60\\.0 +58\\.0 of 60\\.0 +\\+5\\.0$"));
}

// The issue's case: 67 hours against 60. Fitting needs harbor's hours (P(attain) falls);
// cobalt's move then improves on the fitted plan with acme's hours.
v1::RecommendTiersResponse OverCapacityRecommendation() {
  v1::RecommendTiersResponse r = SampleRecommendation();
  r.clear_changes();
  v1::PlanOutcome& now = *r.mutable_current_outcome();
  now.set_hours_used(67);
  now.set_over_capacity(true);
  now.set_attainment_probability(0.510);
  r.mutable_recommended_outcome()->set_attainment_probability(0.480);
  r.mutable_recommended_outcome()->set_hours_used(57);
  v1::TierChange* harbor =
      AddChange(r, "harbor", v1::TIER_MAINTAIN, v1::TIER_OPPORTUNISTIC, -5, -0.031, -48'329,
                v1::REASON_CODE_FITS_CAPACITY, "");
  harbor->set_needed_to_fit(true);
  v1::TierChange* acme = AddChange(r, "acme", v1::TIER_MAINTAIN, v1::TIER_OPPORTUNISTIC, -5,
                                   -0.025, -47'159, v1::REASON_CODE_FREES_HOURS, "");
  acme->set_freed_hours_used(true);
  AddChange(r, "cobalt", v1::TIER_OPPORTUNISTIC, v1::TIER_MAINTAIN, 5, 0.049, 81'611,
            v1::REASON_CODE_DORMANCY_RISK, "");
  for (v1::TierChange& change : *r.mutable_changes()) {
    change.mutable_facts()->set_hours(change.hours_change() < 0 ? 1 : 6);
    change.mutable_facts()->set_compared_hours(change.hours_change() < 0 ? 6 : 1);
    change.set_reason(ChangeReasonText(change, 4));
  }
  v1::FittedPlan& fitted = *r.mutable_fitted();
  fitted.set_hours_used(62 - 5);
  fitted.set_attainment_probability(0.478);
  fitted.mutable_attainment_interval()->set_low(0.468);
  fitted.mutable_attainment_interval()->set_high(0.488);
  fitted.set_expected_revenue(4'400'000);
  fitted.mutable_improvement()->set_attainment_probability_difference(0.002);
  fitted.mutable_improvement()->set_expected_revenue_difference(34'000);
  v1::Warning* warning = r.add_warnings();
  warning->set_code(v1::WARNING_CODE_OVER_CAPACITY);
  warning->set_message("plan \"current tiers\" uses 67.0 hours per month");
  return r;
}

TEST(CliRecommendationReportTest, CurrentPlanOverCapacitySeparatesNeededFromImproving) {
  const std::string report =
      RecommendationReport(SampleRecommendRequest(), OverCapacityRecommendation());
  EXPECT_THAT(report, HasSubstr("The current tiers use 67.0 hours per month, over the capacity "
                                "of 60.0: they cannot be kept."));
  // The headline figures compare the recommendation with the fitted plan, not the current.
  EXPECT_THAT(report, HasSubstr("recommended P(attain) 89.2% (optimistic); the current tiers' "
                                "81.6% is over capacity"));
  const std::vector<std::string> fitted = Section(report, "The current tiers use");
  ASSERT_GE(fitted.size(), 9u);
  EXPECT_THAT(fitted[4], ContainsRegex("current \\(over\\) +fitted +recommended +rec\\. - fitted"));
  EXPECT_THAT(fitted[5], ContainsRegex("P\\(attain\\) +51\\.0% +47\\.8% +48\\.0% +\\+0\\.2 pts"));
  EXPECT_THAT(fitted[8], ContainsRegex("Hours per month +67\\.0 of 60\\.0 \\(over\\) +57\\.0 of 60\\.0"));
  // Needed: harbor, with no claim that its hours go anywhere else.
  const std::vector<std::string> needed = Section(report, "Needed to fit the hours (1)");
  ASSERT_GE(needed.size(), 4u);
  EXPECT_THAT(needed[2], StartsWith("  harbor "));
  EXPECT_THAT(needed[3], HasSubstr("fits capacity: gives up 5 hours per period"));
  EXPECT_THAT(absl::StrJoin(needed, "\n"), Not(HasSubstr("frees")));
  const std::vector<std::string> improving = Section(report, "Improving on the fitted plan (2)");
  ASSERT_GE(improving.size(), 5u);
  EXPECT_THAT(improving[2], StartsWith("  cobalt "));
  EXPECT_THAT(absl::StrJoin(improving, "\n"),
              HasSubstr("frees hours: frees 5 hours per period"));
  // The over-capacity warning is the section itself, not said twice.
  EXPECT_THAT(report, Not(HasSubstr("WARNING: plan")));
}

TEST(CliRecommendationReportTest, FreedHoursNoChangeUsesAreSaidToBeUnused) {
  v1::TierChange change;
  change.set_reason_code(v1::REASON_CODE_HOURS_LEFT_UNUSED);
  change.set_hours_change(-5);
  change.mutable_facts()->set_hours(1);
  change.mutable_facts()->set_compared_hours(6);
  EXPECT_THAT(ChangeReasonText(change, 4), HasSubstr("they are left unused"));
  EXPECT_THAT(ChangeReasonText(change, 4), Not(HasSubstr("frees")));
  change.set_reason_code(v1::REASON_CODE_SELF_SUFFICIENT);
  EXPECT_THAT(ChangeReasonText(change, 4), HasSubstr("left unused"));
  change.set_freed_hours_used(true);
  EXPECT_THAT(ChangeReasonText(change, 4), HasSubstr("frees 5 hours per period for partners"));
}

TEST(CliRecommendationReportTest, PartnerNamesBesideIdsInEveryTable) {
  v1::RecommendTiersRequest request = SampleRecommendRequest();
  for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
           {"cobalt", "Cobalt Partners"}, {"acme", "Acme Systems"}, {"harbor", "Harbor Digital"}}) {
    v1::Partner* partner = request.mutable_portfolio()->add_partners();
    partner->set_id(id);
    partner->set_name(name);
  }
  const std::string report = RecommendationReport(request, SampleRecommendation());
  EXPECT_THAT(report, ContainsRegex("\n  cobalt +Cobalt Partners +OPPORTUNISTIC -> MAINTAIN"));
  EXPECT_THAT(report, ContainsRegex("\n  acme +Acme Systems +MAINTAIN +best as is"));
  const std::string over = RecommendationReport(request, OverCapacityRecommendation());
  EXPECT_THAT(over, ContainsRegex("\n  harbor +Harbor Digital +MAINTAIN -> OPPORTUNISTIC"));
}

TEST(CliRecommendationReportTest, ChangesByAttainmentEffectThenRevenueEffect) {
  const std::vector<std::string> table =
      Section(RecommendationReport(SampleRecommendRequest(), SampleRecommendation()),
              "Tier changes (4)");
  // Title (two lines), header, and per change its row and its reason line(s).
  ASSERT_GE(table.size(), 11u);
  EXPECT_THAT(table[2], HasSubstr("from -> to"));
  EXPECT_THAT(table[2], HasSubstr("P(attain) pts"));
  EXPECT_THAT(table[2], HasSubstr("E[revenue] USD"));
  std::vector<std::string> rows;
  for (size_t i = 3; i < table.size(); ++i) {
    if (table[i].rfind("  ", 0) == 0 && table[i][2] != ' ') rows.push_back(table[i]);
  }
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[0], StartsWith("  cobalt "));
  EXPECT_THAT(rows[1], StartsWith("  evergreen "));  // ties granite on P(attain)
  EXPECT_THAT(rows[2], StartsWith("  granite "));
  EXPECT_THAT(rows[3], StartsWith("  fathom "));
  // One row carries every column.
  EXPECT_THAT(rows[0], ContainsRegex("cobalt +OPPORTUNISTIC -> MAINTAIN +\\+5\\.0 +\\+3\\.1 +"
                                     "\\+2\\.7 to \\+3\\.5 +\\+81,611 +\\+80,611 to \\+82,611$"));
  EXPECT_THAT(rows[3], ContainsRegex("fathom +INVEST -> MAINTAIN +-10\\.0 +-0\\.3 +"
                                     "-0\\.7 to \\+0\\.1 +-8,453 +-9,453 to -7,453$"));
  // Each reason on its own indented line(s) under its row, the code in words first.
  const std::string report = RecommendationReport(SampleRecommendRequest(), SampleRecommendation());
  EXPECT_THAT(report, HasSubstr("\n      dormancy risk: at OPPORTUNISTIC it has a 16.8% chance"));
  EXPECT_THAT(report, HasSubstr("\n      high lift per hour: each extra hour per period adds"));
  EXPECT_THAT(report, HasSubstr("\n      self-sufficient: it sells 97.1% as much"));
  EXPECT_THAT(report, Not(HasSubstr("REASON_CODE")));
}

TEST(CliRecommendationReportTest, ReasonLinesWrapWithinTheTable) {
  v1::RecommendTiersResponse response = SampleRecommendation();
  std::string long_reason;
  for (int i = 0; i < 40; ++i) long_reason += "word ";
  response.mutable_changes(0)->set_reason(long_reason);
  const std::vector<std::string> table =
      Section(RecommendationReport(SampleRecommendRequest(), response), "Tier changes (4)");
  ASSERT_GE(table.size(), 3u);
  size_t widest_row = 0;
  for (size_t i = 2; i < table.size(); ++i) {
    if (table[i].rfind("      ", 0) != 0) widest_row = std::max(widest_row, table[i].size());
  }
  size_t reason_lines = 0;
  for (size_t i = 3; i < table.size(); ++i) {
    if (table[i].rfind("      ", 0) == 0) {
      ++reason_lines;
      EXPECT_LE(table[i].size(), std::max<size_t>(widest_row, 80)) << table[i];
    }
  }
  EXPECT_GE(reason_lines, 6u);  // the long reason takes more than one line
}

TEST(CliRecommendationReportTest, UnchangedPartnersCompact) {
  const std::vector<std::string> table =
      Section(RecommendationReport(SampleRecommendRequest(), SampleRecommendation()),
              "Unchanged (2)");
  ASSERT_EQ(table.size(), 4u);  // title, header, one line per partner
  EXPECT_THAT(table[2], ContainsRegex(
                            "^  acme +MAINTAIN +best as is: no other tier does better within the "
                            "hours \\(MAINTAIN\\)$"));
  // A reason that already names its code is not prefixed with it again.
  EXPECT_THAT(table[3], ContainsRegex("^  brightline +INVEST +locked by the request$"));
}

TEST(CliRecommendationReportTest, NoChanges) {
  v1::RecommendTiersResponse response = SampleRecommendation();
  response.clear_changes();
  const std::string report = RecommendationReport(SampleRecommendRequest(), response);
  EXPECT_THAT(report, HasSubstr("No tier changes: the current tiers are the best plan found."));
  EXPECT_THAT(report, Not(HasSubstr("Tier changes (")));
  EXPECT_THAT(report, HasSubstr("Unchanged (2)"));
}

TEST(CliRecommendationReportTest, UnknownReasonCodeStillReadable) {
  v1::RecommendTiersResponse response = SampleRecommendation();
  response.mutable_unchanged(0)->set_reason_code(static_cast<v1::ReasonCode>(42));
  response.mutable_unchanged(0)->set_reason("");
  EXPECT_THAT(RecommendationReport(SampleRecommendRequest(), response),
              ContainsRegex("acme +MAINTAIN +reason 42\n"));
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

TEST(CliRecommendationProgressLineTest, Sampling) {
  v1::RecommendationProgress progress;
  progress.set_phase(v1::RECOMMENDATION_PHASE_SAMPLING);
  progress.set_paths_done(12'000);
  progress.set_paths_planned(20'000);
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, "USD", 80),
            "sampling 12,000/20,000 paths");
}

TEST(CliRecommendationProgressLineTest, SearchingShowsTheBestObjectiveAsItsKind) {
  v1::RecommendationProgress progress;
  progress.set_phase(v1::RECOMMENDATION_PHASE_SEARCHING);
  progress.set_candidate_plans_evaluated(41'200);
  progress.set_best_objective(0.7134);
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, "USD", 80),
            "searching: 41,200 plans evaluated, best P(attain) 71.3%");
  // The server's default objective is P(attain).
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_UNSPECIFIED, "USD", 80),
            "searching: 41,200 plans evaluated, best P(attain) 71.3%");

  progress.set_best_objective(4'512'300.4);
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_EXPECTED_REVENUE, "USD", 80),
            "searching: 41,200 plans evaluated, best expected revenue 4,512,300 USD");
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_DOWNSIDE_REVENUE, "", 80),
            "searching: 41,200 plans evaluated, best downside revenue 4,512,300");
}

TEST(CliRecommendationProgressLineTest, SearchingBeforeAnyPlanShowsNoBest) {
  v1::RecommendationProgress progress;
  progress.set_phase(v1::RECOMMENDATION_PHASE_SEARCHING);
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, "USD", 80),
            "searching: 0 plans evaluated");
}

TEST(CliRecommendationProgressLineTest, Validating) {
  v1::RecommendationProgress progress;
  progress.set_phase(v1::RECOMMENDATION_PHASE_VALIDATING);
  progress.set_paths_done(5'000);
  progress.set_paths_planned(20'000);
  // Figures of an earlier phase, if any, are not shown.
  progress.set_candidate_plans_evaluated(41'200);
  progress.set_best_objective(0.7134);
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, "USD", 80),
            "validating 5,000/20,000 paths");
}

TEST(CliRecommendationProgressLineTest, UnknownPhaseStillReadable) {
  v1::RecommendationProgress progress;
  progress.set_phase(static_cast<v1::RecommendationPhase>(9));
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, "USD", 80),
            "working");
  progress.set_paths_done(1'000);
  progress.set_paths_planned(4'000);
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, "USD", 80),
            "working: 1,000/4,000 paths");
}

TEST(CliRecommendationProgressLineTest, CutToTheWidthAtACharacterBoundary) {
  v1::RecommendationProgress progress;
  progress.set_phase(v1::RECOMMENDATION_PHASE_SEARCHING);
  progress.set_candidate_plans_evaluated(41'200);
  progress.set_best_objective(4'512'300);
  const std::string full = "searching: 41,200 plans evaluated, best expected revenue 4,512,300 €";
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_EXPECTED_REVENUE, "€", 200), full);
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_EXPECTED_REVENUE, "€", 30),
            full.substr(0, 30));
  // The whole line is 68 columns, the last a three-byte "€": one short, the cut falls
  // before it, not inside it.
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_EXPECTED_REVENUE, "€", 67),
            full.substr(0, full.size() - 3));
  EXPECT_EQ(RecommendationProgressLine(progress, v1::OBJECTIVE_EXPECTED_REVENUE, "€", 68), full);
}

}  // namespace
}  // namespace attain::cli
