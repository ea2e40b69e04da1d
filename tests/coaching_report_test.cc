// The coach report: the score with its interval and basis, an over-capacity plan flagged
// before anything else, the three plans, the partners off the best plan first with their
// codes and sentences, the portfolio's findings, the moves, the best plan and the seeds.
#include "clients/cli/coaching_report.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace attain::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing_support::Prose;

void SetInterval(v1::Interval* interval, double low, double high) {
  interval->set_low(low);
  interval->set_high(high);
}

void SetOutcome(v1::PlanOutcome* outcome, const char* name, double attainment, double revenue,
                double hours) {
  outcome->set_plan_name(name);
  outcome->set_currency("USD");
  outcome->set_quota(4'200'000);
  outcome->set_attainment_probability(attainment);
  SetInterval(outcome->mutable_attainment_interval(), attainment - 0.01, attainment + 0.01);
  outcome->set_expected_revenue(revenue);
  outcome->mutable_revenue_percentiles()->set_p10(revenue * 0.9);
  outcome->set_hours_used(hours);
  outcome->set_paths(10'000);
  for (int t = 1; t <= 4; ++t) outcome->add_periods()->set_period(t);
}

v1::PartnerFeedback* AddPartner(v1::CoachPlanResponse& r, const char* id, v1::FeedbackCode code,
                                v1::Tier plan_tier, v1::Tier best_tier, double effect,
                                const char* message) {
  v1::PartnerFeedback* p = r.add_partners();
  p->set_partner_id(id);
  p->set_code(code);
  p->set_plan_tier(plan_tier);
  p->set_best_tier(best_tier);
  p->set_message(message);
  if (code != v1::FEEDBACK_CODE_ALIGNED) {
    p->mutable_to_best()->set_objective_effect(effect);
    SetInterval(p->mutable_to_best()->mutable_objective_effect_interval(), effect - 0.013,
                effect + 0.013);
  }
  (*r.mutable_best_plan()->mutable_tiers())[id] = best_tier;
  return p;
}

// A plan over its capacity: cobalt and delta under their best tiers, fathom over it.
v1::CoachPlanResponse Response() {
  v1::CoachPlanResponse r;
  r.set_objective(v1::OBJECTIVE_ATTAINMENT_PROBABILITY);
  r.set_score(62);
  SetInterval(r.mutable_score_interval(), 55, 70);
  r.set_score_basis(v1::SCORE_BASIS_SHARE_OF_GAIN);
  r.set_score_message(
      "Your plan captures 62 of the 100 points available over the floor [55, 70]: P(attain) "
      "48.0%, against 30.0% for the floor and 59.0% for the best plan found.");
  r.set_plan_gain(0.18);
  SetInterval(r.mutable_plan_gain_interval(), 0.15, 0.21);
  r.set_achievable_gain(0.29);
  SetInterval(r.mutable_achievable_gain_interval(), 0.26, 0.32);
  SetOutcome(r.mutable_plan_outcome(), "my plan", 0.48, 4'400'000, 68);
  SetOutcome(r.mutable_best_outcome(), "best", 0.59, 4'550'000, 58);
  SetOutcome(r.mutable_floor_outcome(), "floor", 0.30, 4'100'000, 8);
  AddPartner(r, "acme", v1::FEEDBACK_CODE_ALIGNED, v1::TIER_MAINTAIN, v1::TIER_MAINTAIN, 0,
             "MAINTAIN, as in the best plan (1,308,856 expected over the horizon)");
  AddPartner(r, "fathom", v1::FEEDBACK_CODE_OVER_INVESTED, v1::TIER_INVEST,
             v1::TIER_OPPORTUNISTIC, 0.004,
             "it sells 97.6% as much at OPPORTUNISTIC as at INVEST: the 15 extra hours per "
             "period add only 19,722 over the horizon");
  AddPartner(r, "cobalt", v1::FEEDBACK_CODE_UNDER_INVESTED, v1::TIER_OPPORTUNISTIC,
             v1::TIER_INVEST, 0.082,
             "its revenue responds to hours: at INVEST each of the 15 extra hours per period "
             "adds about 2,150");
  AddPartner(r, "delta", v1::FEEDBACK_CODE_RETENTION_RISK, v1::TIER_OPPORTUNISTIC,
             v1::TIER_INVEST, 0.03,
             "at OPPORTUNISTIC it has a 41.0% chance of going dormant within the horizon");
  v1::PortfolioFeedback* portfolio = r.mutable_portfolio();
  portfolio->set_capacity_code(v1::FEEDBACK_CODE_OVER_CAPACITY);
  portfolio->set_hours_used(68);
  portfolio->set_capacity_hours(60);
  portfolio->add_messages("23 of your 68 hours per period (33.8%) go to 3 partners that sell at "
                          "least 90% as much without them.");
  portfolio->add_messages(
      "The plan needs 68 hours per period, 8 more than the capacity of 60: OVER_CAPACITY.");
  portfolio->add_top_moves()->set_message(
      "move 15 hours per period from fathom (INVEST -> OPPORTUNISTIC) to cobalt "
      "(OPPORTUNISTIC -> INVEST): P(attain) +8.2 pts [6.9, 9.5], expected revenue +120,000");
  portfolio->add_top_moves()->set_message(
      "delta OPPORTUNISTIC -> INVEST (+15 hours per period): P(attain) +3.0 pts [1.7, 4.3], "
      "expected revenue +40,000");
  r.set_optimization_seed(7);
  r.set_validation_seed(99);
  return r;
}

TEST(CoachingReportTest, OpensWithTheScoreItsIntervalItsBasisAndItsSentence) {
  const std::string report = CoachingReport(Response(), {});
  EXPECT_THAT(report, StartsWith("Coaching of plan \"my plan\" (4 partners, 4 months, "
                                            "quota 4,200,000 USD), on P(attain)\n"));
  EXPECT_THAT(report, HasSubstr("  Score 62 of 100   95% interval 55 to 70   (its share of the "
                                "best plan's gain over the floor)\n"));
  EXPECT_THAT(Prose(report), HasSubstr(Response().score_message()));
}

TEST(CoachingReportTest, AnOverCapacityPlanIsFlaggedBeforeTheFigures) {
  const std::string report = CoachingReport(Response(), {});
  const size_t warning = report.find(
      "OVER_CAPACITY: your plan needs 68 hours per month, 8 more than the capacity of 60.");
  ASSERT_NE(warning, std::string::npos) << report;
  EXPECT_LT(warning, report.find("The three plans"));
  EXPECT_THAT(Prose(report), HasSubstr("8 more than the capacity of 60: OVER_CAPACITY."));

  v1::CoachPlanResponse fits = Response();
  fits.mutable_portfolio()->set_capacity_code(v1::FEEDBACK_CODE_ALIGNED);
  EXPECT_THAT(CoachingReport(fits, {}), Not(HasSubstr("OVER_CAPACITY: your plan needs")));
}

TEST(CoachingReportTest, ShowsTheThreePlansAndTheirGainsOverTheFloor) {
  const std::string report = CoachingReport(Response(), {});
  EXPECT_THAT(report, HasSubstr("E[revenue] USD"));
  EXPECT_THAT(report, ContainsRegex(
                          "your plan \"my plan\" +48.0% +47.0% to 49.0% +4,400,000 +3,960,000 "
                          "+68.0\n"));
  EXPECT_THAT(report, ContainsRegex("best plan found +59.0% .* +58.0\n"));
  EXPECT_THAT(report, ContainsRegex("floor \\(all OPPORTUNISTIC\\) +30.0% .* +8.0\n"));
  EXPECT_THAT(Prose(report),
              HasSubstr("Gain over the floor in P(attain): your plan +18.0 pts [15.0, 21.0], the "
                        "best plan found +29.0 pts [26.0, 32.0]."));
}

TEST(CoachingReportTest, PartnersOffTheBestPlanComeFirstByEffectWithCodesAndSentences) {
  const std::string report = CoachingReport(Response(), {});
  const size_t cobalt = report.find("\n  cobalt ");
  const size_t delta = report.find("\n  delta ");
  const size_t fathom = report.find("\n  fathom ");
  const size_t acme = report.find("\n  acme ");
  ASSERT_NE(cobalt, std::string::npos) << report;
  ASSERT_NE(acme, std::string::npos) << report;
  EXPECT_LT(cobalt, delta);
  EXPECT_LT(delta, fathom);
  EXPECT_LT(fathom, acme);  // aligned last, whatever the effects
  EXPECT_THAT(report, HasSubstr("moving it to best: P(attain)"));
  EXPECT_THAT(report, ContainsRegex("cobalt +OPPORTUNISTIC +INVEST +UNDER_INVESTED "
                                               "+\\+8.2 pts \\[6.9, 9.5\\]"));
  EXPECT_THAT(report, ContainsRegex("delta +OPPORTUNISTIC +INVEST +RETENTION_RISK"));
  EXPECT_THAT(report, ContainsRegex("fathom +INVEST +OPPORTUNISTIC +OVER_INVESTED"));
  EXPECT_THAT(report, ContainsRegex("acme +MAINTAIN +MAINTAIN +ALIGNED\n"));
  EXPECT_THAT(report, Not(HasSubstr("FEEDBACK_CODE_")));
  // Each sentence under its partner's row.
  const std::string prose = Prose(report);
  EXPECT_THAT(prose, HasSubstr("UNDER_INVESTED +8.2 pts [6.9, 9.5] its revenue responds to "
                               "hours: at INVEST each of the 15 extra hours per period adds "
                               "about 2,150"));
  EXPECT_THAT(prose, HasSubstr("ALIGNED MAINTAIN, as in the best plan (1,308,856 expected"));
}

TEST(CoachingReportTest, ListsTheFindingsTheMovesTheBestPlanAndTheSeeds) {
  const std::string report = CoachingReport(Response(), {});
  const std::string prose = Prose(report);
  EXPECT_THAT(prose, HasSubstr("Portfolio: - 23 of your 68 hours per period (33.8%) go to 3 "
                               "partners that sell at least 90% as much without them. - The plan "
                               "needs 68 hours"));
  EXPECT_THAT(report, HasSubstr("\n  1. move 15 hours per period from fathom"));
  EXPECT_THAT(report, HasSubstr("\n  2. delta OPPORTUNISTIC -> INVEST"));
  EXPECT_THAT(prose, HasSubstr("1. move 15 hours per period from fathom (INVEST -> OPPORTUNISTIC) "
                               "to cobalt (OPPORTUNISTIC -> INVEST): P(attain) +8.2 pts"));
  // By tier, partners in portfolio order.
  EXPECT_THAT(prose, HasSubstr("Best plan found: INVEST cobalt, delta; MAINTAIN acme; "
                               "OPPORTUNISTIC fathom"));
  EXPECT_THAT(report, HasSubstr("Paths 10,000 per sample; seeds: optimization 7, validation 99\n"));
}

TEST(CoachingReportTest, SaysSoWhenNoMoveHelps) {
  v1::CoachPlanResponse r = Response();
  r.mutable_portfolio()->clear_top_moves();
  EXPECT_THAT(CoachingReport(r, {}),
              HasSubstr("No single step toward the best plan improves your plan."));
}

TEST(CoachingReportTest, RevenueObjectivesShowEffectsInMoney) {
  v1::CoachPlanResponse r = Response();
  r.set_objective(v1::OBJECTIVE_EXPECTED_REVENUE);
  r.set_plan_gain(300'000);
  SetInterval(r.mutable_plan_gain_interval(), 250'000, 350'000);
  r.mutable_partners(2)->mutable_to_best()->set_objective_effect(120'000);
  SetInterval(r.mutable_partners(2)->mutable_to_best()->mutable_objective_effect_interval(),
              90'000, 150'000);
  r.set_score_basis(v1::SCORE_BASIS_NOTHING_TO_GAIN);
  const std::string report = CoachingReport(r, {});
  EXPECT_THAT(report, HasSubstr("), on expected revenue\n"));
  EXPECT_THAT(report, HasSubstr("moving it to best: expected revenue"));
  EXPECT_THAT(report, HasSubstr("+120,000 [90,000, 150,000]"));
  EXPECT_THAT(Prose(report), HasSubstr("Gain over the floor in expected revenue: your plan "
                                       "+300,000 [250,000, 350,000]"));
  EXPECT_THAT(report, HasSubstr("(no plan gains measurably over the floor: 100)"));
}

}  // namespace
}  // namespace attain::cli
