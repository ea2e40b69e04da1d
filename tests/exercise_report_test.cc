// What attain exercise new prints (the id, the briefing, the files and the commands to run
// next) and the report of attain exercise submit (the grade, then the truth revealed).
#include "clients/cli/exercise_report.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace attain::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing_support::Prose;

v1::Exercise Exercise() {
  v1::Exercise exercise;
  exercise.set_id("1-3-c1s-s6");
  exercise.set_difficulty(3);
  exercise.set_seed(12345);
  exercise.set_briefing(
      "You take over 2 reseller partners for the 12 months from 2026-01 to 2026-12. Your quota "
      "is 1,000,000 USD of partner revenue over those months, and you have 12 hours a month to "
      "give partners.");
  exercise.mutable_portfolio()->add_partners()->set_id("aspen");
  exercise.mutable_portfolio()->add_partners()->set_id("birch");
  for (const char* month : {"2025-10", "2025-11", "2025-12"}) {
    for (const char* id : {"aspen", "birch"}) {
      v1::HistoryRow* row = exercise.add_history();
      row->set_partner_id(id);
      row->set_period(month);
    }
  }
  return exercise;
}

TEST(ExerciseReportTest, TheBriefingSaysWhichExerciseItIsAndWhatTheFilesHold) {
  const std::string text = ExerciseBriefing(Exercise(), "ex");
  EXPECT_THAT(text, StartsWith("Exercise 1-3-c1s-s6 (difficulty 3, seed 12345)\n\n"));
  EXPECT_THAT(Prose(text), HasSubstr(Exercise().briefing()));
  EXPECT_THAT(Prose(text), HasSubstr("ex/portfolio.json: 2 partners with their current tiers"));
  EXPECT_THAT(Prose(text),
              HasSubstr("ex/history.csv: 3 periods of revenue and hours per partner (6 rows)"));
}

TEST(ExerciseReportTest, TheNextStepsAreCommandsToCopy) {
  const std::string text = ExerciseBriefing(Exercise(), "ex");
  EXPECT_THAT(text, HasSubstr("\n       attain calibrate ex/history.csv --portfolio "
                              "ex/portfolio.json --out ex/calibrated.json\n"));
  EXPECT_THAT(text, HasSubstr("\n       attain recommend ex/calibrated.json --out ex/plan.json\n"));
  EXPECT_THAT(text, HasSubstr("\n       attain exercise submit 1-3-c1s-s6 ex/plan.json\n"));

  // A directory the shell would split or expand is quoted.
  const std::string quoted = ExerciseBriefing(Exercise(), "it's mine");
  EXPECT_THAT(quoted, HasSubstr("attain calibrate 'it'\\''s mine/history.csv' --portfolio "
                                "'it'\\''s mine/portfolio.json' --out "
                                "'it'\\''s mine/calibrated.json'\n"));
}

v1::SubmitExerciseResponse Submission() {
  v1::SubmitExerciseResponse r;
  r.set_exercise_id("1-3-c1s-s6");
  v1::CoachPlanResponse* coaching = r.mutable_coaching();
  coaching->set_score(74);
  coaching->mutable_score_interval()->set_low(66);
  coaching->mutable_score_interval()->set_high(81);
  coaching->set_score_basis(v1::SCORE_BASIS_SHARE_OF_GAIN);
  coaching->mutable_plan_outcome()->set_plan_name("plan");
  r.mutable_truth()->set_currency("USD");

  v1::PartnerReveal* aspen = r.add_partners();
  aspen->set_partner_id("aspen");
  aspen->set_archetype(v1::PARTNER_ARCHETYPE_SELF_SUFFICIENT);
  aspen->mutable_truth()->set_baseline_revenue(292'289);
  aspen->mutable_truth()->set_growth_rate(0.005);
  aspen->mutable_truth()->mutable_response()->set_max_lift(0.04);
  aspen->mutable_truth()->mutable_retention()->set_churn_rate(0.005);
  v1::PartnerCalibration* estimate = aspen->mutable_calibrated();
  estimate->mutable_baseline_revenue()->set_value(290'100);
  estimate->mutable_baseline_revenue()->set_std_error(9'800);
  estimate->mutable_growth_rate()->set_value(0.003);
  estimate->mutable_growth_rate()->set_std_error(0.004);
  estimate->mutable_max_lift()->set_value(0.12);
  estimate->mutable_max_lift()->set_std_error(0.15);

  v1::PartnerReveal* birch = r.add_partners();
  birch->set_partner_id("birch");
  birch->set_archetype(v1::PARTNER_ARCHETYPE_GROWTH_BET);
  birch->mutable_truth()->mutable_response()->set_max_lift(1.2);
  birch->mutable_truth()->mutable_retention()->set_churn_rate(0.15);

  v1::CalibrationDiagnostics* d = r.mutable_calibration();
  d->mutable_half_effort_hours()->set_value(9.5);
  d->mutable_half_effort_hours()->set_std_error(2.25);
  d->mutable_pooled_max_lift()->set_value(0.45);
  d->mutable_pooled_max_lift()->set_std_error(0.1);
  d->mutable_churn_rate()->set_value(0.012);
  d->mutable_churn_rate()->set_std_error(0.006);
  d->set_dormancy_transitions(1);
  d->set_periods_at_risk(70);
  return r;
}

TEST(ExerciseReportTest, TheTruthNamesPartnersAndItsPeriod) {
  v1::SubmitExerciseResponse r = Submission();
  r.mutable_truth()->set_period_length(v1::PERIOD_LENGTH_QUARTER);
  v1::Partner* aspen = r.mutable_truth()->add_partners();
  aspen->set_id("aspen");
  aspen->set_name("Aspen Resellers");
  const std::string report = ExerciseResultReport(r);
  EXPECT_THAT(report, ContainsRegex("\n  partner +name +kind +baseline/quarter USD +"
                                    "growth/quarter +lift at saturation +churn/quarter\n"));
  EXPECT_THAT(report, ContainsRegex("\n  aspen +Aspen Resellers +self-sufficient +true"));
}

TEST(ExerciseReportTest, TheResultIsTheGradeThenTheTruthBesideTheEstimates) {
  const std::string report = ExerciseResultReport(Submission());
  EXPECT_THAT(report, StartsWith("Exercise 1-3-c1s-s6: your plan scored against the true "
                                 "parameters\n\nCoaching of plan \"plan\""));
  EXPECT_THAT(report, HasSubstr("Score 74 of 100   95% interval 66 to 81"));
  const size_t truth = report.find("The truth revealed");
  ASSERT_NE(truth, std::string::npos) << report;
  EXPECT_LT(report.find("Best plan found"), truth);

  EXPECT_THAT(report, HasSubstr("baseline/month USD"));
  // Each partner: the truth, and under it the calibration's estimates +-standard error.
  EXPECT_THAT(report, ContainsRegex("\n  aspen +self-sufficient +true +292,289 +\\+0.5% +\\+4.0% "
                                    "+0.5%\n +calibrated +290,100 \\+-9,800 +\\+0.3% \\+-0.4% "
                                    "+\\+12.0% \\+-15.0% +pooled\n"));
  EXPECT_THAT(report, ContainsRegex("\n  birch +growth bet +true .* \\+120.0% +15.0%\n"));
  EXPECT_THAT(Prose(report),
              HasSubstr("The calibration's shared estimates: half-effort hours 9.5 +-2.2 per "
                        "period; pooled lift +45.0% +-10.0%; churn 1.2% +-0.6% per period for a "
                        "neglected partner, from 1 transition to dormancy in 70 partner-periods "
                        "at risk."));
}

}  // namespace
}  // namespace attain::cli
