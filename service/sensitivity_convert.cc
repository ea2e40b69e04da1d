#include "service/sensitivity_convert.h"

#include <utility>

#include "service/convert.h"

namespace attain {
namespace {

SensitivityRange RangeFromProto(bool set, const v1::SensitivityRange& proto,
                                const SensitivityRange& default_range) {
  return set ? SensitivityRange{proto.low(), proto.high()} : default_range;
}

v1::SensitivityAssumption AssumptionToProto(Assumption assumption) {
  switch (assumption) {
    case Assumption::kLift:
      return v1::SENSITIVITY_ASSUMPTION_MAX_LIFT;
    case Assumption::kHalfEffortHours:
      return v1::SENSITIVITY_ASSUMPTION_HALF_EFFORT_HOURS;
    case Assumption::kChurnRate:
      return v1::SENSITIVITY_ASSUMPTION_CHURN_RATE;
    case Assumption::kVolatility:
      return v1::SENSITIVITY_ASSUMPTION_VOLATILITY;
    case Assumption::kGrowthRate:
      return v1::SENSITIVITY_ASSUMPTION_GROWTH_RATE;
    case Assumption::kMarketCorrelation:
      return v1::SENSITIVITY_ASSUMPTION_MARKET_CORRELATION;
    case Assumption::kBaselineRevenue:
      return v1::SENSITIVITY_ASSUMPTION_BASELINE_REVENUE;
  }
  return v1::SENSITIVITY_ASSUMPTION_UNSPECIFIED;
}

v1::RangeSource SourceToProto(RangeSource source) {
  return source == RangeSource::kStandardError ? v1::RANGE_SOURCE_STANDARD_ERROR
                                               : v1::RANGE_SOURCE_DEFAULT_RANGE;
}

v1::TierCheckStatus TierCheckToProto(TierCheck check) {
  switch (check) {
    case TierCheck::kOff:
      return v1::TIER_CHECK_STATUS_OFF;
    case TierCheck::kDone:
      return v1::TIER_CHECK_STATUS_DONE;
    case TierCheck::kNoFeasiblePlan:
      return v1::TIER_CHECK_STATUS_NO_FEASIBLE_PLAN;
  }
  return v1::TIER_CHECK_STATUS_UNSPECIFIED;
}

void EndToProto(const SensitivityEnd& end, v1::SensitivityEnd& proto) {
  proto.set_setting(end.setting);
  proto.set_value(end.value);
  proto.set_attainment_probability(end.attainment_probability);
  *proto.mutable_attainment_interval() = IntervalToProto(end.attainment_interval);
  proto.set_expected_revenue(end.expected_revenue);
  proto.set_tiers_checked(end.tiers_checked);
  for (const TierShift& shift : end.tier_changes) {
    v1::TierShift& out = *proto.add_tier_changes();
    out.set_partner_id(shift.partner_id);
    out.set_base_tier(TierToProto(shift.base_tier));
    out.set_tier(TierToProto(shift.tier));
  }
}

}  // namespace

SensitivityOptions SensitivityOptionsFromProto(const v1::SensitivityOptions& proto) {
  SensitivityOptions options;
  AssumptionRanges& r = options.ranges;
  r.max_lift_factor = RangeFromProto(proto.has_max_lift_factor(), proto.max_lift_factor(),
                                     r.max_lift_factor);
  r.half_effort_hours_factor =
      RangeFromProto(proto.has_half_effort_hours_factor(), proto.half_effort_hours_factor(),
                     r.half_effort_hours_factor);
  r.churn_rate_factor = RangeFromProto(proto.has_churn_rate_factor(), proto.churn_rate_factor(),
                                       r.churn_rate_factor);
  r.volatility_factor = RangeFromProto(proto.has_volatility_factor(), proto.volatility_factor(),
                                       r.volatility_factor);
  r.growth_rate_shift = RangeFromProto(proto.has_growth_rate_shift(), proto.growth_rate_shift(),
                                       r.growth_rate_shift);
  r.market_correlation_factor =
      RangeFromProto(proto.has_market_correlation_factor(), proto.market_correlation_factor(),
                     r.market_correlation_factor);
  r.baseline_revenue_factor =
      RangeFromProto(proto.has_baseline_revenue_factor(), proto.baseline_revenue_factor(),
                     r.baseline_revenue_factor);
  if (proto.has_top_partners()) r.top_partners = proto.top_partners();
  if (proto.has_use_standard_errors()) r.use_standard_errors = proto.use_standard_errors();
  if (proto.has_check_tiers()) options.check_tiers = proto.check_tiers();
  if (proto.has_tier_check_assumptions()) {
    options.tier_check_assumptions = proto.tier_check_assumptions();
  }
  if (proto.has_tier_check_paths()) options.tier_check_paths = proto.tier_check_paths();
  return options;
}

Violations SensitivityInputFromProto(const v1::AnalyzeSensitivityRequest& request,
                                     SensitivityInput& input) {
  Violations violations;
  Violations conversion;
  input.portfolio = PortfolioFromProto(request.portfolio(), conversion);
  violations.Append("portfolio", conversion);
  if (request.has_plan()) {
    conversion = {};
    input.plan = PlanFromProto(request.plan(), conversion);
    violations.Append("plan", conversion);
  }
  if (input.plan.name.empty()) input.plan.name = request.has_plan() ? "plan" : "current tiers";
  input.options = OptionsFromProto(request.options(), violations);
  input.sensitivity = SensitivityOptionsFromProto(request.sensitivity());
  return violations;
}

v1::AnalyzeSensitivityResponse SensitivityToProto(const Sensitivity& sensitivity,
                                                  const Portfolio& portfolio) {
  v1::AnalyzeSensitivityResponse proto;
  *proto.mutable_base_outcome() = PlanOutcomeToProto(sensitivity.base, portfolio);
  for (const AssumptionSensitivity& row : sensitivity.assumptions) {
    v1::AssumptionSensitivity& out = *proto.add_assumptions();
    out.set_assumption(AssumptionToProto(row.assumption));
    out.set_partner_id(row.partner_id);
    out.set_source(SourceToProto(row.source));
    out.set_base_value(row.base_value);
    EndToProto(row.low, *out.mutable_low());
    EndToProto(row.high, *out.mutable_high());
    out.set_attainment_swing(row.attainment_swing);
    out.set_expected_revenue_swing(row.expected_revenue_swing);
  }
  proto.set_tier_check(TierCheckToProto(sensitivity.tier_check));
  if (sensitivity.tier_check == TierCheck::kDone) {
    v1::Plan& plan = *proto.mutable_recommended_plan();
    plan.set_name("recommended");
    for (size_t i = 0; i < sensitivity.recommended_tiers.size(); ++i) {
      (*plan.mutable_tiers())[portfolio.partners[i].id] =
          TierToProto(sensitivity.recommended_tiers[i]);
    }
  }
  proto.set_tier_check_paths(sensitivity.tier_check_paths);
  proto.set_seed(sensitivity.seed);
  return proto;
}

}  // namespace attain
