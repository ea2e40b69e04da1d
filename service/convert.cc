#include "service/convert.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "proto/support/text.h"
#include "simulator/sanity.h"

namespace attain {

bool TierFromProto(v1::Tier proto, Tier& tier) {
  switch (proto) {
    case v1::TIER_INVEST:
      tier = Tier::kInvest;
      return true;
    case v1::TIER_MAINTAIN:
      tier = Tier::kMaintain;
      return true;
    case v1::TIER_OPPORTUNISTIC:
      tier = Tier::kOpportunistic;
      return true;
    default:
      return false;
  }
}

namespace {

std::string TierProblem(v1::Tier proto) {
  return proto == v1::TIER_UNSPECIFIED
             ? "is required: TIER_INVEST, TIER_MAINTAIN or TIER_OPPORTUNISTIC"
             : absl::StrCat("has unknown value ", static_cast<int>(proto));
}

Partner PartnerFromProto(const v1::Partner& proto, PeriodLength length,
                         const std::string& field, Violations& violations) {
  Partner p = DefaultPartner(length);
  p.id = proto.id();
  if (!TierFromProto(proto.tier(), p.tier)) {
    violations.Add(field + "tier", TierProblem(proto.tier()));
  }
  p.baseline_revenue = proto.baseline_revenue();
  if (proto.has_growth_rate()) p.growth_rate = proto.growth_rate();
  if (proto.has_volatility()) p.volatility = proto.volatility();
  if (proto.has_market_correlation()) p.market_correlation = proto.market_correlation();
  p.segment = proto.segment();
  const v1::EngagementResponse& response = proto.response();
  if (response.has_max_lift()) p.max_lift = response.max_lift();
  if (response.has_half_effort_hours()) p.half_effort_hours = response.half_effort_hours();
  p.defaulted.max_lift = !response.has_max_lift();
  p.defaulted.half_effort_hours = !response.has_half_effort_hours();
  if (response.has_ramp_periods()) p.ramp_periods = response.ramp_periods();
  if (response.has_growth_boost()) p.growth_boost = response.growth_boost();
  const v1::Retention& retention = proto.retention();
  if (retention.has_churn_rate()) p.churn_rate = retention.churn_rate();
  if (retention.has_retention_hours()) p.retention_hours = retention.retention_hours();
  p.defaulted.churn_rate = !retention.has_churn_rate();
  p.defaulted.retention_hours = !retention.has_retention_hours();
  switch (proto.revenue_model()) {
    case v1::REVENUE_MODEL_UNSPECIFIED:
    case v1::REVENUE_MODEL_LOGNORMAL:
      p.revenue_model = RevenueModel::kLognormal;
      break;
    case v1::REVENUE_MODEL_DEALS:
      p.revenue_model = RevenueModel::kDeals;
      break;
    default:
      violations.Add(field + "revenue_model",
                            absl::StrCat("has unknown value ", proto.revenue_model()));
  }
  p.mean_deal_size = proto.deals().mean_deal_size();
  if (proto.deals().has_deal_size_cv()) p.deal_size_cv = proto.deals().deal_size_cv();
  if (proto.has_hours_override()) p.hours_override = proto.hours_override();
  p.errors = ParameterErrorsFromProto(proto.errors());
  return p;
}

PeriodLength PeriodLengthFromProto(v1::PeriodLength proto, Violations& violations) {
  switch (proto) {
    case v1::PERIOD_LENGTH_UNSPECIFIED:
    case v1::PERIOD_LENGTH_MONTH:
      return PeriodLength::kMonth;
    case v1::PERIOD_LENGTH_QUARTER:
      return PeriodLength::kQuarter;
    default:
      violations.Add("period_length",
                     absl::StrCat("has unknown value ", static_cast<int>(proto),
                                  ": PERIOD_LENGTH_MONTH or PERIOD_LENGTH_QUARTER"));
      return PeriodLength::kMonth;
  }
}

void SetInterval(const Interval& from, v1::Interval* to) { *to = IntervalToProto(from); }

}  // namespace

Portfolio PortfolioFromProto(const v1::Portfolio& proto,
                             Violations& violations) {
  Portfolio portfolio;
  portfolio.channel_manager_id = proto.channel_manager_id();
  portfolio.currency = proto.currency();
  portfolio.quota = proto.quota();
  portfolio.periods = proto.periods();
  portfolio.capacity_hours = proto.capacity_hours();
  portfolio.period_length = PeriodLengthFromProto(proto.period_length(), violations);
  portfolio.tier_policy = DefaultTierPolicy(portfolio.period_length);
  const v1::TierPolicy& policy = proto.tier_policy();
  if (policy.has_invest_hours()) portfolio.tier_policy.invest_hours = policy.invest_hours();
  if (policy.has_maintain_hours()) portfolio.tier_policy.maintain_hours = policy.maintain_hours();
  if (policy.has_opportunistic_hours()) {
    portfolio.tier_policy.opportunistic_hours = policy.opportunistic_hours();
  }
  portfolio.seasonality.assign(proto.seasonality().begin(), proto.seasonality().end());
  portfolio.segment_correlation = proto.segment_correlation();
  portfolio.partners.reserve(static_cast<size_t>(proto.partners_size()));
  for (int i = 0; i < proto.partners_size(); ++i) {
    portfolio.partners.push_back(PartnerFromProto(proto.partners(i), portfolio.period_length,
                                                  absl::StrCat("partners[", i, "]."),
                                                  violations));
  }
  return portfolio;
}

Plan PlanFromProto(const v1::Plan& proto, Violations& violations) {
  Plan plan;
  plan.name = proto.name();
  for (const auto& [id, proto_tier] : proto.tiers()) {
    Tier tier;
    if (TierFromProto(proto_tier, tier)) {
      plan.tiers.emplace(id, tier);
    } else {
      violations.Add(absl::StrCat("tiers[", QuoteForMessage(id), "]"), TierProblem(proto_tier));
    }
  }
  plan.hours.insert(proto.hours().begin(), proto.hours().end());
  return plan;
}

SimulationOptions OptionsFromProto(const v1::SimulationOptions& proto, Violations& violations) {
  SimulationOptions options;
  if (proto.has_paths()) options.paths = proto.paths();
  if (proto.has_seed()) options.seed = proto.seed();
  options.antithetic = proto.antithetic();
  options.target_ci_half_width = proto.target_ci_half_width();
  if (proto.has_max_paths()) options.max_paths = proto.max_paths();
  options.parameter_uncertainty = proto.parameter_uncertainty();
  switch (proto.attainment_estimator()) {
    case v1::ATTAINMENT_ESTIMATOR_UNSPECIFIED:
      options.attainment_estimator = AttainmentEstimator::kDefault;
      break;
    case v1::ATTAINMENT_ESTIMATOR_CONDITIONAL:
      options.attainment_estimator = AttainmentEstimator::kConditional;
      break;
    case v1::ATTAINMENT_ESTIMATOR_PATH_COUNT:
      options.attainment_estimator = AttainmentEstimator::kPathCount;
      break;
    default:
      violations.Add("options.attainment_estimator",
                     absl::StrCat("has unknown value ",
                                  static_cast<int>(proto.attainment_estimator()),
                                  ": ATTAINMENT_ESTIMATOR_CONDITIONAL or "
                                  "ATTAINMENT_ESTIMATOR_PATH_COUNT"));
  }
  return options;
}

ParameterErrors ParameterErrorsFromProto(const v1::ParameterErrors& proto) {
  ParameterErrors errors;
  errors.baseline_revenue = proto.baseline_revenue();
  errors.growth_rate = proto.growth_rate();
  errors.max_lift = proto.max_lift();
  errors.churn_rate = proto.churn_rate();
  return errors;
}

v1::ParameterErrors ParameterErrorsToProto(const ParameterErrors& errors) {
  v1::ParameterErrors proto;
  proto.set_baseline_revenue(errors.baseline_revenue);
  proto.set_growth_rate(errors.growth_rate);
  proto.set_max_lift(errors.max_lift);
  proto.set_churn_rate(errors.churn_rate);
  return proto;
}

v1::Interval IntervalToProto(const Interval& interval) {
  v1::Interval proto;
  proto.set_low(interval.low);
  proto.set_high(interval.high);
  return proto;
}

v1::PeriodLength PeriodLengthToProto(PeriodLength length) {
  return length == PeriodLength::kQuarter ? v1::PERIOD_LENGTH_QUARTER : v1::PERIOD_LENGTH_MONTH;
}

v1::Tier TierToProto(Tier tier) {
  switch (tier) {
    case Tier::kInvest:
      return v1::TIER_INVEST;
    case Tier::kMaintain:
      return v1::TIER_MAINTAIN;
    case Tier::kOpportunistic:
      return v1::TIER_OPPORTUNISTIC;
  }
  return v1::TIER_UNSPECIFIED;
}

v1::PlanOutcome PlanOutcomeToProto(const PlanOutcome& outcome, const Portfolio& portfolio) {
  v1::PlanOutcome proto;
  proto.set_plan_name(outcome.plan_name);
  proto.set_currency(portfolio.currency);
  proto.set_quota(portfolio.quota);
  proto.set_period_length(PeriodLengthToProto(portfolio.period_length));
  proto.set_attainment_probability(outcome.attainment_probability);
  SetInterval(outcome.attainment_interval, proto.mutable_attainment_interval());
  proto.set_expected_revenue(outcome.expected_revenue);
  proto.set_revenue_std_dev(outcome.revenue_std_dev);
  proto.set_expected_revenue_std_error(outcome.expected_revenue_std_error);
  v1::RevenuePercentiles* percentiles = proto.mutable_revenue_percentiles();
  percentiles->set_p5(outcome.revenue_percentiles[0]);
  percentiles->set_p10(outcome.revenue_percentiles[1]);
  percentiles->set_p25(outcome.revenue_percentiles[2]);
  percentiles->set_p50(outcome.revenue_percentiles[3]);
  percentiles->set_p75(outcome.revenue_percentiles[4]);
  percentiles->set_p90(outcome.revenue_percentiles[5]);
  percentiles->set_p95(outcome.revenue_percentiles[6]);
  proto.set_expected_shortfall(outcome.expected_shortfall);
  v1::RevenueHistogram* histogram = proto.mutable_revenue_histogram();
  histogram->set_low(outcome.histogram.low);
  histogram->set_high(outcome.histogram.high);
  histogram->mutable_path_counts()->Add(outcome.histogram.path_counts.begin(),
                                        outcome.histogram.path_counts.end());
  for (const PeriodOutcome& period : outcome.periods) {
    v1::PeriodOutcome* p = proto.add_periods();
    p->set_period(period.period);
    p->set_expected_cumulative_revenue(period.expected_cumulative_revenue);
    p->set_on_track_threshold(period.on_track_threshold);
    p->set_on_track_probability(period.on_track_probability);
  }
  for (const PartnerOutcome& partner : outcome.partners) {
    v1::PartnerOutcome* p = proto.add_partners();
    p->set_partner_id(partner.partner_id);
    p->set_tier(TierToProto(partner.tier));
    p->set_hours(partner.hours);
    p->set_expected_revenue(partner.expected_revenue);
    p->set_unassisted_expected_revenue(partner.unassisted_expected_revenue);
    p->set_engagement_uplift(partner.engagement_uplift);
    SetInterval(partner.engagement_uplift_interval, p->mutable_engagement_uplift_interval());
    p->set_uplift_per_hour(partner.uplift_per_hour);
    p->set_dormancy_probability(partner.dormancy_probability);
    p->set_revenue_share(partner.revenue_share);
    p->set_revenue_p10(partner.revenue_p10);
    p->set_revenue_p90(partner.revenue_p90);
  }
  proto.set_unassisted_expected_revenue(outcome.unassisted_expected_revenue);
  proto.set_unassisted_attainment_probability(outcome.unassisted_attainment_probability);
  proto.set_hours_used(outcome.hours_used);
  proto.set_capacity_hours(outcome.capacity_hours);
  proto.set_over_capacity(outcome.over_capacity);
  proto.set_paths(outcome.paths);
  proto.set_seed(outcome.seed);
  proto.set_sampler_version(static_cast<uint32_t>(outcome.sampler_version));
  proto.set_antithetic(outcome.antithetic);
  proto.set_attainment_estimator(outcome.attainment_estimator == AttainmentEstimator::kPathCount
                                     ? v1::ATTAINMENT_ESTIMATOR_PATH_COUNT
                                     : v1::ATTAINMENT_ESTIMATOR_CONDITIONAL);
  proto.set_partner_percentile_paths(outcome.partner_percentile_paths);
  proto.set_parameter_draw_partners(outcome.parameter_draw_partners);
  return proto;
}

namespace {

v1::WarningCode WarningCodeToProto(WarningCode code) {
  switch (code) {
    case WarningCode::kUnassistedFarAboveQuota: return v1::WARNING_CODE_UNASSISTED_FAR_ABOVE_QUOTA;
    case WarningCode::kUnassistedFarBelowQuota: return v1::WARNING_CODE_UNASSISTED_FAR_BELOW_QUOTA;
    case WarningCode::kNoCapacity: return v1::WARNING_CODE_NO_CAPACITY;
    case WarningCode::kRestsOnDefaults: return v1::WARNING_CODE_RESTS_ON_DEFAULTS;
    case WarningCode::kOverCapacity: return v1::WARNING_CODE_OVER_CAPACITY;
  }
  return v1::WARNING_CODE_UNSPECIFIED;
}

}  // namespace

void AddWarnings(const Portfolio& portfolio, std::span<const Plan> plans,
                 google::protobuf::RepeatedPtrField<v1::Warning>& out) {
  std::vector<ResolvedPlan> resolved;
  resolved.reserve(plans.size());
  for (const Plan& plan : plans) resolved.push_back(ResolvePlan(portfolio, plan));
  const std::string period = PeriodLengthName(portfolio.period_length);
  for (const SanityWarning& warning : CheckSanity(portfolio, resolved)) {
    v1::Warning* w = out.Add();
    w->set_code(WarningCodeToProto(warning.code));
    w->set_field(warning.field);
    w->set_value(warning.value);
    w->set_reference(warning.reference);
    w->set_count(warning.count);
    w->set_total(warning.total);
    w->set_plan_name(warning.plan_name);
    w->set_message(WarningText(*w, period));
  }
}

v1::PlanDifference PlanDifferenceToProto(const PlanDifference& difference) {
  v1::PlanDifference d;
  d.set_plan_name(difference.plan_name);
  d.set_baseline_plan_name(difference.baseline_plan_name);
  d.set_attainment_probability_difference(difference.attainment_probability_difference);
  SetInterval(difference.attainment_probability_difference_interval,
              d.mutable_attainment_probability_difference_interval());
  d.set_expected_revenue_difference(difference.expected_revenue_difference);
  SetInterval(difference.expected_revenue_difference_interval,
              d.mutable_expected_revenue_difference_interval());
  return d;
}

v1::Plan PlanToProto(const Plan& plan) {
  v1::Plan proto;
  proto.set_name(plan.name);
  for (const auto& [id, tier] : plan.tiers) (*proto.mutable_tiers())[id] = TierToProto(tier);
  return proto;
}

v1::ComparePlansResponse ComparisonToProto(const Comparison& comparison,
                                     const Portfolio& portfolio) {
  v1::ComparePlansResponse proto;
  for (const PlanOutcome& outcome : comparison.outcomes) {
    *proto.add_outcomes() = PlanOutcomeToProto(outcome, portfolio);
  }
  for (const PlanDifference& difference : comparison.differences) {
    *proto.add_differences() = PlanDifferenceToProto(difference);
  }
  return proto;
}

Objective ObjectiveFromProto(v1::Objective proto, Violations& violations) {
  switch (proto) {
    case v1::OBJECTIVE_UNSPECIFIED:
    case v1::OBJECTIVE_ATTAINMENT_PROBABILITY:
      return Objective::kAttainmentProbability;
    case v1::OBJECTIVE_EXPECTED_REVENUE:
      return Objective::kExpectedRevenue;
    case v1::OBJECTIVE_DOWNSIDE_REVENUE:
      return Objective::kDownsideRevenue;
    default:
      violations.Add("objective", absl::StrCat("has unknown value ", proto));
      return Objective::kAttainmentProbability;
  }
}

v1::Objective ObjectiveToProto(Objective objective) {
  switch (objective) {
    case Objective::kAttainmentProbability: return v1::OBJECTIVE_ATTAINMENT_PROBABILITY;
    case Objective::kExpectedRevenue: return v1::OBJECTIVE_EXPECTED_REVENUE;
    case Objective::kDownsideRevenue: return v1::OBJECTIVE_DOWNSIDE_REVENUE;
  }
  return v1::OBJECTIVE_UNSPECIFIED;
}

RecommendOptions RecommendOptionsFromProto(const v1::RecommendTiersRequest& proto,
                                           Violations& violations) {
  RecommendOptions options;
  options.objective = ObjectiveFromProto(proto.objective(), violations);
  options.locked_partner_ids.assign(proto.locked_partner_ids().begin(),
                                    proto.locked_partner_ids().end());
  if (proto.has_max_changes()) options.max_changes = proto.max_changes();
  options.simulation = OptionsFromProto(proto.options(), violations);
  return options;
}

v1::ReasonCode ReasonCodeToProto(ReasonCode code) {
  switch (code) {
    case ReasonCode::kHighLiftPerHour: return v1::REASON_CODE_HIGH_LIFT_PER_HOUR;
    case ReasonCode::kDormancyRisk: return v1::REASON_CODE_DORMANCY_RISK;
    case ReasonCode::kSelfSufficient: return v1::REASON_CODE_SELF_SUFFICIENT;
    case ReasonCode::kFreesHours: return v1::REASON_CODE_FREES_HOURS;
    case ReasonCode::kFitsCapacity: return v1::REASON_CODE_FITS_CAPACITY;
    case ReasonCode::kHoursLeftUnused: return v1::REASON_CODE_HOURS_LEFT_UNUSED;
    case ReasonCode::kLocked: return v1::REASON_CODE_LOCKED;
    case ReasonCode::kChangeLimit: return v1::REASON_CODE_CHANGE_LIMIT;
    case ReasonCode::kBestAsIs: return v1::REASON_CODE_BEST_AS_IS;
  }
  return v1::REASON_CODE_UNSPECIFIED;
}

v1::ReasonFacts ReasonFactsToProto(const ReasonFacts& facts) {
  v1::ReasonFacts proto;
  proto.set_compared_tier(TierToProto(facts.compared_tier));
  proto.set_expected_revenue(facts.expected_revenue);
  proto.set_compared_expected_revenue(facts.compared_expected_revenue);
  proto.set_unassisted_expected_revenue(facts.unassisted_expected_revenue);
  proto.set_dormancy_probability(facts.dormancy_probability);
  proto.set_compared_dormancy_probability(facts.compared_dormancy_probability);
  proto.set_hours(facts.hours);
  proto.set_compared_hours(facts.compared_hours);
  proto.set_max_changes(facts.max_changes);
  return proto;
}

namespace {

v1::SearchMethod SearchMethodToProto(SearchMethod method) {
  switch (method) {
    case SearchMethod::kExhaustive:
      return v1::SEARCH_METHOD_EXHAUSTIVE;
    case SearchMethod::kHeuristic:
      return v1::SEARCH_METHOD_HEURISTIC;
    case SearchMethod::kScreened:
      return v1::SEARCH_METHOD_SCREENED;
    case SearchMethod::kAuto:
      break;  // a recommendation records the method it used
  }
  return v1::SEARCH_METHOD_UNSPECIFIED;
}

void ChangesToProto(const Recommendation& recommendation, const Portfolio& portfolio,
                    v1::RecommendTiersResponse& proto) {
  for (const TierChange& change : recommendation.changes) {
    v1::TierChange* c = proto.add_changes();
    c->set_partner_id(change.partner_id);
    c->set_from_tier(TierToProto(change.from));
    c->set_to_tier(TierToProto(change.to));
    c->set_hours_change(change.hours_change);
    c->set_attainment_probability_effect(change.attainment_effect);
    SetInterval(change.attainment_effect_interval,
                c->mutable_attainment_probability_effect_interval());
    c->set_expected_revenue_effect(change.revenue_effect);
    SetInterval(change.revenue_effect_interval, c->mutable_expected_revenue_effect_interval());
    c->set_needed_to_fit(change.needed_to_fit);
    c->set_freed_hours_used(change.freed_hours_used);
    c->set_reason_code(ReasonCodeToProto(change.reason.code));
    *c->mutable_facts() = ReasonFactsToProto(change.reason.facts);
    c->set_reason(ChangeReasonText(*c, portfolio.periods));
  }
  for (const PartnerAdvice& advice : recommendation.unchanged) {
    v1::PartnerAdvice* a = proto.add_unchanged();
    a->set_partner_id(advice.partner_id);
    a->set_tier(TierToProto(advice.tier));
    a->set_reason_code(ReasonCodeToProto(advice.reason.code));
    *a->mutable_facts() = ReasonFactsToProto(advice.reason.facts);
    a->set_reason(KeptReasonText(*a));
  }
}

}  // namespace

v1::RecommendTiersResponse RecommendationToProto(const Recommendation& recommendation,
                                                 const Portfolio& portfolio) {
  v1::RecommendTiersResponse proto;
  *proto.mutable_recommended_plan() = PlanToProto(recommendation.recommended_plan);
  const v1::ComparePlansResponse validation =
      ComparisonToProto(recommendation.validation, portfolio);
  *proto.mutable_current_outcome() = validation.outcomes(0);
  *proto.mutable_recommended_outcome() = validation.outcomes(1);
  *proto.mutable_difference() = validation.differences(0);
  ChangesToProto(recommendation, portfolio, proto);
  AddWarnings(portfolio, {&recommendation.current_plan, 1}, *proto.mutable_warnings());
  if (const std::optional<FittedPlan>& fitted = recommendation.fitted) {
    v1::FittedPlan* f = proto.mutable_fitted();
    *f->mutable_plan() = PlanToProto(fitted->plan);
    f->set_hours_used(fitted->hours_used);
    f->set_attainment_probability(fitted->attainment_probability);
    SetInterval(fitted->attainment_interval, f->mutable_attainment_interval());
    f->set_expected_revenue(fitted->expected_revenue);
    *f->mutable_improvement() = PlanDifferenceToProto(fitted->improvement);
  }
  v1::RecommendationSearch* search = proto.mutable_search();
  search->set_method(SearchMethodToProto(recommendation.method_used));
  search->set_candidate_plans_evaluated(recommendation.plans_evaluated);
  search->set_search_seconds(recommendation.search_seconds);
  search->set_optimization_seed(recommendation.optimization_seed);
  search->set_validation_seed(recommendation.validation_seed);
  search->set_optimization_objective_current(recommendation.optimization_current);
  search->set_optimization_objective_recommended(recommendation.optimization_recommended);
  return proto;
}

}  // namespace attain
