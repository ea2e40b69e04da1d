#include "service/coaching_convert.h"

#include <string>

#include "proto/support/coaching_text.h"
#include "service/convert.h"

namespace attain {
namespace {

v1::FeedbackCode FeedbackCodeToProto(FeedbackCode code) {
  switch (code) {
    case FeedbackCode::kAligned: return v1::FEEDBACK_CODE_ALIGNED;
    case FeedbackCode::kOverInvested: return v1::FEEDBACK_CODE_OVER_INVESTED;
    case FeedbackCode::kUnderInvested: return v1::FEEDBACK_CODE_UNDER_INVESTED;
    case FeedbackCode::kRetentionRisk: return v1::FEEDBACK_CODE_RETENTION_RISK;
    case FeedbackCode::kOverCapacity: return v1::FEEDBACK_CODE_OVER_CAPACITY;
  }
  return v1::FEEDBACK_CODE_UNSPECIFIED;
}

v1::ScoreBasis ScoreBasisToProto(ScoreBasis basis) {
  switch (basis) {
    case ScoreBasis::kShareOfGain: return v1::SCORE_BASIS_SHARE_OF_GAIN;
    case ScoreBasis::kNothingToGain: return v1::SCORE_BASIS_NOTHING_TO_GAIN;
    case ScoreBasis::kAboveFoundBest: return v1::SCORE_BASIS_ABOVE_FOUND_BEST;
    case ScoreBasis::kBelowFloor: return v1::SCORE_BASIS_BELOW_FLOOR;
  }
  return v1::SCORE_BASIS_UNSPECIFIED;
}

v1::PlanEffect PlanEffectToProto(const PlanEffect& effect) {
  v1::PlanEffect proto;
  proto.set_objective_effect(effect.objective);
  *proto.mutable_objective_effect_interval() = IntervalToProto(effect.objective_interval);
  proto.set_expected_revenue_effect(effect.revenue);
  *proto.mutable_expected_revenue_effect_interval() = IntervalToProto(effect.revenue_interval);
  return proto;
}

void PortfolioFeedbackToProto(const PortfolioFeedback& f, const Portfolio& portfolio,
                              v1::Objective objective, v1::PortfolioFeedback& proto) {
  proto.set_capacity_code(f.over_capacity ? v1::FEEDBACK_CODE_OVER_CAPACITY
                                          : v1::FEEDBACK_CODE_ALIGNED);
  proto.set_hours_used(f.hours_used);
  proto.set_capacity_hours(f.capacity_hours);
  proto.set_capacity_use(f.capacity_hours > 0 ? f.hours_used / f.capacity_hours : 0);
  proto.set_self_sufficient_hours(f.self_sufficient_hours);
  proto.set_self_sufficient_hours_share(f.self_sufficient_hours_share);
  proto.set_self_sufficient_partners(f.self_sufficient_partners);
  proto.set_largest_partner_id(f.largest_partner_id);
  proto.set_largest_revenue_share(f.largest_revenue_share);
  proto.set_top3_revenue_share(f.top3_revenue_share);
  proto.set_effective_partners(f.effective_partners);
  for (const CoachingMove& move : f.top_moves) {
    v1::CoachingMove* m = proto.add_top_moves();
    for (const TierMove& change : move.changes) {
      v1::TierMove* c = m->add_changes();
      c->set_partner_id(change.partner_id);
      c->set_from_tier(TierToProto(change.from));
      c->set_to_tier(TierToProto(change.to));
      c->set_hours_change(change.hours_change);
    }
    *m->mutable_effect() = PlanEffectToProto(move.effect);
    m->set_message(MoveText(*m, objective));
  }
  for (std::string& text :
       PortfolioFeedbackTexts(proto, static_cast<int>(portfolio.partners.size()))) {
    proto.add_messages(std::move(text));
  }
}

}  // namespace

Violations CoachingInputFromProto(const v1::CoachPlanRequest& request, CoachingInput& input) {
  Violations violations;
  Violations conversion;
  input.portfolio = PortfolioFromProto(request.portfolio(), conversion);
  violations.Append("portfolio", conversion);
  Violations plan;
  input.plan = PlanFromProto(request.plan(), plan);
  violations.Append("plan", plan);
  input.options.objective = ObjectiveFromProto(request.objective(), violations);
  input.options.simulation = OptionsFromProto(request.options(), violations);
  return violations;
}

v1::CoachPlanResponse CoachingToProto(const Coaching& coaching, const Portfolio& portfolio) {
  v1::CoachPlanResponse proto;
  const v1::Objective objective = ObjectiveToProto(coaching.objective);
  proto.set_score(coaching.score);
  *proto.mutable_score_interval() = IntervalToProto(coaching.score_interval);
  proto.set_score_basis(ScoreBasisToProto(coaching.basis));
  proto.set_objective(objective);
  proto.set_plan_gain(coaching.plan_gain);
  *proto.mutable_plan_gain_interval() = IntervalToProto(coaching.plan_gain_interval);
  proto.set_achievable_gain(coaching.achievable_gain);
  *proto.mutable_achievable_gain_interval() = IntervalToProto(coaching.achievable_gain_interval);
  *proto.mutable_plan() = PlanToProto(coaching.plan);
  *proto.mutable_best_plan() = PlanToProto(coaching.best_plan);
  const std::vector<PlanOutcome>& outcomes = coaching.validation.outcomes;
  *proto.mutable_plan_outcome() = PlanOutcomeToProto(outcomes[0], portfolio);
  *proto.mutable_best_outcome() = PlanOutcomeToProto(outcomes[1], portfolio);
  *proto.mutable_floor_outcome() = PlanOutcomeToProto(outcomes[2], portfolio);
  proto.set_score_message(ScoreText(proto));
  for (const PartnerFeedback& feedback : coaching.partners) {
    v1::PartnerFeedback* f = proto.add_partners();
    f->set_partner_id(feedback.partner_id);
    f->set_code(FeedbackCodeToProto(feedback.code));
    f->set_plan_tier(TierToProto(feedback.plan_tier));
    f->set_best_tier(TierToProto(feedback.best_tier));
    f->set_reason_code(ReasonCodeToProto(feedback.reason.code));
    *f->mutable_facts() = ReasonFactsToProto(feedback.reason.facts);
    if (feedback.code != FeedbackCode::kAligned) {
      *f->mutable_to_best() = PlanEffectToProto(feedback.to_best);
    }
    f->set_message(PartnerFeedbackText(*f, objective, portfolio.periods));
  }
  PortfolioFeedbackToProto(coaching.portfolio, portfolio, objective, *proto.mutable_portfolio());
  proto.set_optimization_seed(coaching.optimization_seed);
  proto.set_validation_seed(coaching.validation_seed);
  return proto;
}

}  // namespace attain
