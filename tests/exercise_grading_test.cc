// Grading a training exercise: the trainee's way through it (calibrate the history, then
// recommend on the calibrated portfolio) scores high at difficulty 1 against the truth;
// the floor scores 0, the truth's own best plan 100, misleading current tiers low;
// grading is a function of the id and the plan; and a plan naming no partner of the
// exercise is refused.
#include "simulator/exercise_grading.h"

#include <cstdio>

#include "gtest/gtest.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::WithThreads;

// The plan a trainee who calibrates and then recommends would submit.
Plan CalibrateAndRecommend(Engine& engine, const Exercise& exercise, uint64_t seed) {
  const BuiltHistory built = BuildHistory(exercise.history, engine.options().limits);
  EXPECT_TRUE(built.violations.empty());
  EXPECT_TRUE(ValidateCalibrationBase(built.history, exercise.shown, engine.options().limits)
                  .empty());
  const Calibration calibration = Calibrate(built.history, &exercise.shown);
  RecommendOptions options;
  options.simulation.paths = 5'000;
  options.simulation.seed = seed;
  const absl::StatusOr<Recommendation> recommendation =
      RecommendTiers(engine, calibration.portfolio, options);
  EXPECT_TRUE(recommendation.ok()) << recommendation.status();
  return recommendation.ok() ? recommendation->recommended_plan : Plan{};
}

Coaching Grade(Engine& engine, const Exercise& exercise, const Plan& plan) {
  EXPECT_TRUE(ValidateExercisePlan(engine, exercise, plan).empty());
  absl::StatusOr<ExerciseGrade> grade = GradeExercise(engine, exercise, plan);
  EXPECT_TRUE(grade.ok()) << grade.status();
  return grade.ok() ? grade->coaching : Coaching{};
}

TEST(ExerciseGradingTest, CalibratingAndRecommendingScoresHighAtDifficultyOne) {
  Engine engine(WithThreads(2));
  double total = 0;
  constexpr int kSeeds = 8;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const Exercise exercise = GenerateExercise({kExerciseGeneratorVersion, 1, seed});
    const Coaching coaching = Grade(engine, exercise, CalibrateAndRecommend(engine, exercise, seed));
    // Churn is calibrated as one pooled rate, so a retention-needy partner can be left
    // at OPPORTUNISTIC: some exercises lose a share of the gain to that.
    EXPECT_GE(coaching.score, 60) << exercise.id;
    EXPECT_GT(coaching.achievable_gain_interval.low, 0) << exercise.id;
    total += coaching.score;
    std::printf("%s: calibrate + recommend scores %.1f [%.1f, %.1f]\n", exercise.id.c_str(),
                coaching.score, coaching.score_interval.low, coaching.score_interval.high);
  }
  std::printf("mean of %d exercises: %.1f\n", kSeeds, total / kSeeds);
  EXPECT_GE(total / kSeeds, 80);
}

TEST(ExerciseGradingTest, TheFloorScoresZeroAndTheTruthsBestPlanOneHundred) {
  Engine engine(WithThreads(2));
  // Two levels, not five: each grading is a whole coaching at 10,000 paths, and the
  // sanitizer build runs these too.
  for (const int difficulty : {1, 3}) {
    const Exercise exercise = GenerateExercise({kExerciseGeneratorVersion, difficulty, 7});
    Plan floor;
    for (const Partner& p : exercise.truth.partners) floor.tiers[p.id] = Tier::kOpportunistic;
    const Coaching graded = Grade(engine, exercise, floor);
    EXPECT_EQ(graded.score, 0) << exercise.id;
    EXPECT_EQ(graded.basis, ScoreBasis::kShareOfGain) << exercise.id;
    EXPECT_EQ(Grade(engine, exercise, graded.best_plan).score, 100) << exercise.id;
  }
}

TEST(ExerciseGradingTest, MisleadingCurrentTiersScoreLow) {
  Engine engine(WithThreads(2));
  for (const int difficulty : {4, 5}) {
    const Exercise exercise = GenerateExercise({kExerciseGeneratorVersion, difficulty, 1});
    // An empty plan keeps the current tiers: INVEST on the self-sufficient, nothing on
    // the growth bets and the retention-needy.
    const Coaching coaching = Grade(engine, exercise, Plan{});
    EXPECT_LT(coaching.score, 50) << exercise.id;
  }
}

TEST(ExerciseGradingTest, AFunctionOfTheIdAndThePlan) {
  Engine one(WithThreads(1));
  Engine two(WithThreads(2));
  const Exercise exercise = GenerateExercise({kExerciseGeneratorVersion, 2, 11});
  const Coaching a = Grade(one, exercise, Plan{});
  const Coaching b = Grade(two, GenerateExercise(*ParseExerciseId(exercise.id)), Plan{});
  EXPECT_EQ(a.score, b.score);
  EXPECT_EQ(a.score_interval.low, b.score_interval.low);
  EXPECT_EQ(a.best_plan.tiers, b.best_plan.tiers);
  EXPECT_EQ(a.optimization_seed, *ExerciseGradingOptions(exercise.key).simulation.seed);
  // Another exercise of the same difficulty grades on other samples.
  EXPECT_NE(*ExerciseGradingOptions({kExerciseGeneratorVersion, 2, 12}).simulation.seed,
            a.optimization_seed);
}

TEST(ExerciseGradingTest, APlanNamingNoPartnerIsRefused) {
  Engine engine(WithThreads(1));
  const Exercise exercise = GenerateExercise({kExerciseGeneratorVersion, 1, 3});
  Plan plan;
  plan.tiers["nobody"] = Tier::kInvest;
  const Violations v = ValidateExercisePlan(engine, exercise, plan);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "tiers[\"nobody\"]");
}

TEST(ExerciseGradingTest, TheRevealCalibratesTheShownHistory) {
  Engine engine(WithThreads(2));
  const Exercise exercise = GenerateExercise({kExerciseGeneratorVersion, 1, 5});
  const absl::StatusOr<ExerciseGrade> grade = GradeExercise(engine, exercise, Plan{});
  ASSERT_TRUE(grade.ok()) << grade.status();
  // The history also holds former partners, gone dormant: calibration leaves them out of
  // its portfolio, which is then the exercise's partners.
  EXPECT_GT(grade->history.partners.size(), exercise.truth.partners.size());
  EXPECT_EQ(grade->calibration.partners.size(), grade->history.partners.size());
  ASSERT_EQ(grade->calibration.portfolio.partners.size(), exercise.truth.partners.size());
  for (const Partner& p : exercise.truth.partners) {
    bool found = false;
    for (const Partner& c : grade->calibration.portfolio.partners) found |= c.id == p.id;
    EXPECT_TRUE(found) << p.id;
  }
  EXPECT_GT(grade->calibration.diagnostics.dormancy_transitions, 0);
  EXPECT_EQ(grade->calibration.portfolio.quota, exercise.truth.quota);
}

}  // namespace
}  // namespace attain
