// Coaching in words (proto/support/coaching_text.h): the score sentence for every basis
// (and a plan over capacity), each feedback code's sentence with the numbers it must
// carry, moves (one change and a shift of hours), and the portfolio's findings.
#include "proto/support/coaching_text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Interval MakeInterval(double low, double high) {
  v1::Interval interval;
  interval.set_low(low);
  interval.set_high(high);
  return interval;
}

v1::CoachPlanResponse Response(v1::ScoreBasis basis, double score) {
  v1::CoachPlanResponse r;
  r.set_objective(v1::OBJECTIVE_ATTAINMENT_PROBABILITY);
  r.set_score(score);
  r.set_score_basis(basis);
  *r.mutable_score_interval() = MakeInterval(score - 5, score + 5);
  r.mutable_plan_outcome()->set_attainment_probability(0.413);
  r.mutable_plan_outcome()->set_hours_used(20);
  r.mutable_plan_outcome()->set_capacity_hours(24);
  r.mutable_best_outcome()->set_attainment_probability(0.594);
  r.mutable_floor_outcome()->set_attainment_probability(0.12);
  return r;
}

TEST(ObjectiveTextTest, ProbabilitiesInPointsAndMoneyOtherwise) {
  EXPECT_EQ(ObjectiveWord(v1::OBJECTIVE_UNSPECIFIED), "P(attain)");
  EXPECT_EQ(ObjectiveWord(v1::OBJECTIVE_DOWNSIDE_REVENUE), "10th-percentile revenue");
  EXPECT_EQ(FormatObjective(v1::OBJECTIVE_ATTAINMENT_PROBABILITY, 0.413), "41.3%");
  EXPECT_EQ(FormatObjective(v1::OBJECTIVE_EXPECTED_REVENUE, 12345.4), "12,345");
  EXPECT_EQ(FormatObjectiveEffect(v1::OBJECTIVE_ATTAINMENT_PROBABILITY, 0.082,
                                  MakeInterval(0.069, 0.095)),
            "+8.2 pts [6.9, 9.5]");
  EXPECT_EQ(FormatObjectiveEffect(v1::OBJECTIVE_EXPECTED_REVENUE, 12000,
                                  MakeInterval(9000, 15000)),
            "+12,000 [9,000, 15,000]");
}

TEST(ScoreTextTest, EveryBasisSaysWhatTheScoreMeans) {
  const std::string share = ScoreText(Response(v1::SCORE_BASIS_SHARE_OF_GAIN, 62));
  EXPECT_THAT(share, HasSubstr("captures 62 of the 100 points"));
  EXPECT_THAT(share, HasSubstr("[57, 67]"));
  EXPECT_THAT(share, HasSubstr("41.3%"));
  EXPECT_THAT(share, HasSubstr("12.0% for the floor"));
  EXPECT_THAT(share, HasSubstr("59.4% for the best plan found"));
  EXPECT_THAT(share, Not(HasSubstr("do not have")));
  EXPECT_THAT(ScoreText(Response(v1::SCORE_BASIS_NOTHING_TO_GAIN, 100)),
              HasSubstr("every plan scores 100"));
  EXPECT_THAT(ScoreText(Response(v1::SCORE_BASIS_ABOVE_FOUND_BEST, 100)),
              HasSubstr("better than the best plan found"));
  EXPECT_THAT(ScoreText(Response(v1::SCORE_BASIS_BELOW_FLOOR, 0)), HasSubstr("scores 0"));

  v1::CoachPlanResponse over = Response(v1::SCORE_BASIS_ABOVE_FOUND_BEST, 100);
  over.mutable_plan_outcome()->set_hours_used(64);
  over.mutable_plan_outcome()->set_over_capacity(true);
  EXPECT_THAT(ScoreText(over), HasSubstr("needs 64 hours per period of 24"));
}

v1::PartnerFeedback Feedback(v1::FeedbackCode code, v1::ReasonCode reason, v1::Tier plan,
                             v1::Tier best) {
  v1::PartnerFeedback f;
  f.set_partner_id("p");
  f.set_code(code);
  f.set_reason_code(reason);
  f.set_plan_tier(plan);
  f.set_best_tier(best);
  f.mutable_facts()->set_compared_tier(plan);
  f.mutable_to_best()->set_objective_effect(-0.022);
  *f.mutable_to_best()->mutable_objective_effect_interval() = MakeInterval(-0.026, -0.018);
  return f;
}

TEST(PartnerFeedbackTextTest, EachCodeCarriesItsNumbers) {
  // INVEST (16 h) on a producer that sells 97.6% as much at OPPORTUNISTIC (1 h).
  v1::PartnerFeedback over = Feedback(v1::FEEDBACK_CODE_OVER_INVESTED,
                                      v1::REASON_CODE_SELF_SUFFICIENT, v1::TIER_INVEST,
                                      v1::TIER_OPPORTUNISTIC);
  over.mutable_facts()->set_expected_revenue(976'000);
  over.mutable_facts()->set_compared_expected_revenue(1'000'000);
  over.mutable_facts()->set_hours(1);
  over.mutable_facts()->set_compared_hours(16);
  const std::string o = PartnerFeedbackText(over, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, 4);
  EXPECT_THAT(o, HasSubstr("97.6% as much at OPPORTUNISTIC as at INVEST"));
  EXPECT_THAT(o, HasSubstr("15 extra hours per period add only 24,000"));
  EXPECT_THAT(o, HasSubstr("(400 per hour)"));
  EXPECT_THAT(o, HasSubstr("-2.2 pts [-2.6, -1.8]"));

  v1::PartnerFeedback under = Feedback(v1::FEEDBACK_CODE_UNDER_INVESTED,
                                       v1::REASON_CODE_HIGH_LIFT_PER_HOUR,
                                       v1::TIER_OPPORTUNISTIC, v1::TIER_INVEST);
  under.mutable_facts()->set_expected_revenue(160'000);
  under.mutable_facts()->set_compared_expected_revenue(100'000);
  under.mutable_facts()->set_hours(16);
  under.mutable_facts()->set_compared_hours(1);
  const std::string u = PartnerFeedbackText(under, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, 4);
  EXPECT_THAT(u, HasSubstr("at INVEST each of the 15 extra hours per period adds about 1,000"));
  EXPECT_THAT(u, HasSubstr("+60,000 expected"));

  v1::PartnerFeedback risk = Feedback(v1::FEEDBACK_CODE_RETENTION_RISK,
                                      v1::REASON_CODE_DORMANCY_RISK, v1::TIER_OPPORTUNISTIC,
                                      v1::TIER_MAINTAIN);
  risk.mutable_facts()->set_compared_dormancy_probability(0.78);
  risk.mutable_facts()->set_dormancy_probability(0.52);
  risk.mutable_facts()->set_hours(6);
  risk.mutable_facts()->set_compared_hours(1);
  const std::string r = PartnerFeedbackText(risk, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, 4);
  EXPECT_THAT(r, HasSubstr("78.0% chance of going dormant"));
  EXPECT_THAT(r, HasSubstr("MAINTAIN cuts that to 52.0% for 5 more hours per period"));

  v1::PartnerFeedback aligned = Feedback(v1::FEEDBACK_CODE_ALIGNED,
                                         v1::REASON_CODE_SELF_SUFFICIENT,
                                         v1::TIER_OPPORTUNISTIC, v1::TIER_OPPORTUNISTIC);
  aligned.mutable_facts()->set_expected_revenue(100);
  aligned.mutable_facts()->set_unassisted_expected_revenue(96);
  const std::string a = PartnerFeedbackText(aligned, v1::OBJECTIVE_ATTAINMENT_PROBABILITY, 4);
  EXPECT_THAT(a, HasSubstr("OPPORTUNISTIC, as in the best plan"));
  EXPECT_THAT(a, HasSubstr("96.0% as much with no hours"));
  EXPECT_THAT(a, Not(HasSubstr("moving it")));
}

TEST(MoveTextTest, OneChangeAndAShiftOfHours) {
  v1::CoachingMove one;
  v1::TierMove* c = one.add_changes();
  c->set_partner_id("growth");
  c->set_from_tier(v1::TIER_MAINTAIN);
  c->set_to_tier(v1::TIER_INVEST);
  c->set_hours_change(10);
  one.mutable_effect()->set_objective_effect(0.05);
  *one.mutable_effect()->mutable_objective_effect_interval() = MakeInterval(0.04, 0.06);
  one.mutable_effect()->set_expected_revenue_effect(30'000);
  EXPECT_EQ(MoveText(one, v1::OBJECTIVE_ATTAINMENT_PROBABILITY),
            "growth MAINTAIN -> INVEST (+10 hours per period): P(attain) +5.0 pts [4.0, 6.0], "
            "expected revenue +30,000");

  v1::CoachingMove shift = one;
  shift.clear_changes();
  v1::TierMove* from = shift.add_changes();
  from->set_partner_id("producer");
  from->set_from_tier(v1::TIER_INVEST);
  from->set_to_tier(v1::TIER_OPPORTUNISTIC);
  from->set_hours_change(-15);
  *shift.add_changes() = *c;
  EXPECT_THAT(MoveText(shift, v1::OBJECTIVE_ATTAINMENT_PROBABILITY),
              HasSubstr("free 15 hours per period from producer (INVEST -> OPPORTUNISTIC) and "
                        "give 10 to growth (MAINTAIN -> INVEST)"));
}

TEST(PortfolioFeedbackTextTest, HoursCapacityAndConcentration) {
  v1::PortfolioFeedback f;
  f.set_capacity_code(v1::FEEDBACK_CODE_ALIGNED);
  f.set_hours_used(19);
  f.set_capacity_hours(24);
  f.set_capacity_use(19.0 / 24);
  f.set_self_sufficient_hours(17);
  f.set_self_sufficient_hours_share(17.0 / 19);
  f.set_self_sufficient_partners(2);
  f.set_largest_partner_id("producer");
  f.set_largest_revenue_share(0.6);
  f.set_top3_revenue_share(0.95);
  f.set_effective_partners(2.3);
  std::vector<std::string> texts = PortfolioFeedbackTexts(f, 4);
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_THAT(texts[0], HasSubstr("17 of your 19 hours per period (89.5%) go to 2 partners"));
  EXPECT_EQ(texts[1], "The plan uses 19 of 24 hours per period (79.2%).");
  EXPECT_THAT(texts[2], HasSubstr("producer brings 60.0%"));
  EXPECT_THAT(texts[2], HasSubstr("like 2.3 equal partners of 4"));

  f.set_capacity_code(v1::FEEDBACK_CODE_OVER_CAPACITY);
  f.set_hours_used(30);
  f.set_self_sufficient_hours(0);
  texts = PortfolioFeedbackTexts(f, 4);
  EXPECT_THAT(texts[0], HasSubstr("None of your hours"));
  EXPECT_THAT(texts[1], HasSubstr("30 hours per period, 6 more than the capacity of 24"));
  EXPECT_THAT(texts[1], HasSubstr("OVER_CAPACITY"));
}

}  // namespace
}  // namespace attain
