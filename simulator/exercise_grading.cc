#include "simulator/exercise_grading.h"

#include <utility>

#include "simulator/random.h"

namespace attain {

CoachOptions ExerciseGradingOptions(const ExerciseKey& key) {
  CoachOptions options;
  options.simulation.paths = kExerciseGradingPaths;
  options.simulation.seed =
      Mix64(Mix64(key.seed) ^ static_cast<uint64_t>(key.difficulty) ^ kExerciseGradingSalt);
  return options;
}

Violations ValidateExercisePlan(const Engine& engine, const Exercise& exercise, const Plan& plan) {
  return ValidateCoaching(engine, exercise.truth, plan, ExerciseGradingOptions(exercise.key)).plan;
}

RunCost ExerciseGradingCost(const Engine& engine, const Exercise& exercise) {
  return CoachingCost(engine, exercise.truth, ExerciseGradingOptions(exercise.key));
}

absl::StatusOr<ExerciseGrade> GradeExercise(Engine& engine, const Exercise& exercise,
                                            const Plan& plan, const RunControl& control) {
  absl::StatusOr<Coaching> coaching = CoachPlanChecked(
      engine, exercise.truth, plan, ExerciseGradingOptions(exercise.key), control);
  if (!coaching.ok()) return coaching.status();
  ExerciseGrade grade;
  grade.coaching = *std::move(coaching);
  // The generator writes a history that builds and fits its shown portfolio.
  grade.history = BuildHistory(exercise.history, engine.options().limits).history;
  grade.calibration = Calibrate(grade.history, &exercise.shown);
  return grade;
}

}  // namespace attain
