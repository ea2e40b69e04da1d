#include "service/exercise_convert.h"

#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/calibration_convert.h"
#include "service/coaching_convert.h"
#include "service/convert.h"

namespace attain {
namespace {

v1::PartnerArchetype ArchetypeToProto(Archetype archetype) {
  switch (archetype) {
    case Archetype::kSelfSufficient: return v1::PARTNER_ARCHETYPE_SELF_SUFFICIENT;
    case Archetype::kGrowthBet: return v1::PARTNER_ARCHETYPE_GROWTH_BET;
    case Archetype::kRetentionNeedy: return v1::PARTNER_ARCHETYPE_RETENTION_NEEDY;
    case Archetype::kLongTail: return v1::PARTNER_ARCHETYPE_LONG_TAIL;
  }
  return v1::PARTNER_ARCHETYPE_UNSPECIFIED;
}

std::map<std::string, std::string> NamesOf(const Exercise& exercise) {
  std::map<std::string, std::string> names;
  for (size_t i = 0; i < exercise.truth.partners.size(); ++i) {
    names[exercise.truth.partners[i].id] = exercise.names[i];
  }
  return names;
}

}  // namespace

Violations ExerciseKeyFromProto(const v1::CreateExerciseRequest& request, ExerciseKey& key) {
  Violations violations;
  key.generator_version = kExerciseGeneratorVersion;
  key.difficulty = request.difficulty() == 0 ? kMinExerciseDifficulty : request.difficulty();
  if (key.difficulty < kMinExerciseDifficulty || key.difficulty > kMaxExerciseDifficulty) {
    violations.Add("difficulty", absl::StrCat("must be ", kMinExerciseDifficulty, "..",
                                              kMaxExerciseDifficulty, ", got ",
                                              request.difficulty()));
  }
  key.seed = request.has_seed() ? request.seed() : DrawSeed();
  return violations;
}

v1::CreateExerciseResponse ExerciseToProto(const Exercise& exercise) {
  v1::CreateExerciseResponse proto;
  v1::Exercise* e = proto.mutable_exercise();
  e->set_id(exercise.id);
  e->set_generator_version(exercise.key.generator_version);
  e->set_difficulty(exercise.key.difficulty);
  e->set_seed(exercise.key.seed);
  e->set_briefing(exercise.briefing);
  *e->mutable_portfolio() = PortfolioToProto(exercise.shown, NamesOf(exercise));
  for (const HistoryRow& row : exercise.history) {
    v1::HistoryRow* r = e->add_history();
    r->set_partner_id(row.partner_id);
    r->set_period(row.period);
    r->set_revenue(row.revenue);
    r->set_hours(row.hours);
    r->set_segment(row.segment);
    r->set_name(row.name);
  }
  return proto;
}

Violations SubmissionInputFromProto(const v1::SubmitExerciseRequest& request,
                                    const Engine& engine, SubmissionInput& input) {
  Violations violations;
  const absl::StatusOr<ExerciseKey> key = ParseExerciseId(request.exercise_id());
  if (!key.ok()) {
    violations.Add("exercise_id", std::string(key.status().message()));
    return violations;
  }
  input.exercise = GenerateExercise(*key);
  Violations plan;
  input.plan = PlanFromProto(request.plan(), plan);
  if (plan.empty()) plan = ValidateExercisePlan(engine, input.exercise, input.plan);
  violations.Append("plan", plan);
  return violations;
}

v1::SubmitExerciseResponse GradeToProto(const ExerciseGrade& grade, const Exercise& exercise) {
  v1::SubmitExerciseResponse proto;
  proto.set_exercise_id(exercise.id);
  *proto.mutable_coaching() = CoachingToProto(grade.coaching, exercise.truth);
  const std::map<std::string, std::string> names = NamesOf(exercise);
  *proto.mutable_truth() = PortfolioToProto(exercise.truth, names);
  CalibrationInput calibrated{grade.history, exercise.shown, names};
  v1::CalibratePortfolioResponse calibration = CalibrationToProto(grade.calibration, calibrated);
  std::map<std::string, v1::PartnerCalibration*> estimates;
  for (v1::PartnerCalibration& pc : *calibration.mutable_partners()) {
    estimates[pc.partner_id()] = &pc;
  }
  for (size_t i = 0; i < exercise.truth.partners.size(); ++i) {
    const std::string& id = exercise.truth.partners[i].id;
    v1::PartnerReveal* reveal = proto.add_partners();
    reveal->set_partner_id(id);
    reveal->set_name(exercise.names[i]);
    reveal->set_archetype(ArchetypeToProto(exercise.archetypes[i]));
    *reveal->mutable_truth() = proto.truth().partners(static_cast<int>(i));
    if (const auto found = estimates.find(id); found != estimates.end()) {
      *reveal->mutable_calibrated() = std::move(*found->second);
    }
  }
  *proto.mutable_calibration() = std::move(*calibration.mutable_diagnostics());
  return proto;
}

}  // namespace attain
