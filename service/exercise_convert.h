// Conversion of CreateExercise and SubmitExercise (attain/v1/coaching.proto) between the
// API and the domain (simulator/exercise.h, simulator/exercise_grading.h). Field paths
// of violations are the request's ("difficulty", "exercise_id", "plan.tiers[\"P7\"]").
// The exercise is regenerated from its key: nothing is stored between the two calls.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_EXERCISE_CONVERT_H_
#define ATTAIN_SERVICE_EXERCISE_CONVERT_H_

#include "attain/v1/coaching.pb.h"
#include "simulator/engine.h"
#include "simulator/exercise.h"
#include "simulator/exercise_grading.h"
#include "simulator/validation.h"

namespace attain {

// The key of a CreateExercise request: difficulty 1 when unset (0), the seed drawn when
// unset. Returns the violations ("difficulty").
Violations ExerciseKeyFromProto(const v1::CreateExerciseRequest& request, ExerciseKey& key);

// What the trainee sees: id, briefing, the shown portfolio (with names) and the history.
v1::CreateExerciseResponse ExerciseToProto(const Exercise& exercise);

// A SubmitExercise request in domain terms.
struct SubmissionInput {
  Exercise exercise;
  Plan plan;
};

// Parses the id ("exercise_id": the parser's message), regenerates the exercise and
// converts and checks the plan against its truth ("plan..."). Returns the violations;
// when there are any, `input` is unspecified.
Violations SubmissionInputFromProto(const v1::SubmitExerciseRequest& request,
                                    const Engine& engine, SubmissionInput& input);

v1::SubmitExerciseResponse GradeToProto(const ExerciseGrade& grade, const Exercise& exercise);

}  // namespace attain

#endif  // ATTAIN_SERVICE_EXERCISE_CONVERT_H_
