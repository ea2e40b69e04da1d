// The attain CLI's readable output for training exercises: what attain exercise new
// prints (the id, the briefing, the files, what to do next) and the report of attain
// exercise submit (the grade, then the true parameters revealed).
//
// Pure functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_EXERCISE_REPORT_H_
#define ATTAIN_CLIENTS_CLI_EXERCISE_REPORT_H_

#include <string>

#include "attain/v1/coaching.pb.h"

namespace attain::cli {

// The exercise's id, difficulty and seed; the briefing, word-wrapped; the files in
// `directory` (ExerciseFilesIn) with what they hold; and the commands to run next:
// attain calibrate on the history with the portfolio as base, attain recommend on the
// calibrated portfolio with --out, attain exercise submit ID with the plan. The next files
// go in `directory` too, and every path is quoted for a POSIX shell where it needs to be.
// Ends in "\n".
std::string ExerciseBriefing(const v1::Exercise& exercise, const std::string& directory);

// The exercise's id; CoachingReport of the plan against the true parameters; then the
// truth revealed: per partner (portfolio order) its kind (self-sufficient, growth bet,
// retention-needy, long tail) and its true baseline, growth, lift and churn above what
// calibrating the history estimates, +-standard error (churn: the pooled estimate); and
// the calibration's shared estimates. Ends in "\n".
std::string ExerciseResultReport(const v1::SubmitExerciseResponse& response);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_EXERCISE_REPORT_H_
