// Grading a training exercise (exercise.h): the trainee's plan coached against the
// exercise's true parameters (coaching.h), and what calibrating its history would have
// estimated (calibration.h), for the reveal. Stateless: the exercise is regenerated from
// its key, and the grading's seed derives from the key, so the same id and plan grade
// the same on every replica.
//
// Thread-safe as the engine is; one call runs on its calling thread.
#ifndef ATTAIN_SIMULATOR_EXERCISE_GRADING_H_
#define ATTAIN_SIMULATOR_EXERCISE_GRADING_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "simulator/calibration.h"
#include "simulator/coaching.h"
#include "simulator/exercise.h"
#include "simulator/history.h"

namespace attain {

// Paths of each of the coaching's samples: the score's interval is then a few points wide.
inline constexpr uint64_t kExerciseGradingPaths = 10'000;

// P(attain), kExerciseGradingPaths paths, a seed derived from the key.
CoachOptions ExerciseGradingOptions(const ExerciseKey& key);

struct ExerciseGrade {
  Coaching coaching;        // against exercise.truth
  History history;          // the exercise's history, built
  Calibration calibration;  // of `history`, with exercise.shown as the base
};

// The plan against the exercise's truth, relative to the plan ("tiers[\"P7\"]", "hours").
Violations ValidateExercisePlan(const Engine& engine, const Exercise& exercise, const Plan& plan);

// REQUIRES: ValidateExercisePlan is empty.
RunCost ExerciseGradingCost(const Engine& engine, const Exercise& exercise);

// Errors: CANCELLED; FAILED_PRECONDITION if no plan fits the capacity (no exercise is
// generated so). REQUIRES: ValidateExercisePlan is empty; ExerciseGradingCost is within
// the memory budget.
absl::StatusOr<ExerciseGrade> GradeExercise(Engine& engine, const Exercise& exercise,
                                            const Plan& plan, const RunControl& control = {});

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_EXERCISE_GRADING_H_
