#include "service/calibration_convert.h"

#include <memory>
#include <utility>
#include <vector>

#include "service/convert.h"

namespace attain {
namespace {

// The rows, moved out of `proto` from the last one, each freed once moved: the request's
// rows and the domain's are never both held whole.
std::vector<HistoryRow> RowsFromProto(google::protobuf::RepeatedPtrField<v1::HistoryRow>& proto) {
  std::vector<HistoryRow> rows(static_cast<size_t>(proto.size()));
  for (size_t k = rows.size(); k-- > 0;) {
    std::unique_ptr<v1::HistoryRow> row(proto.ReleaseLast());
    rows[k] = {std::move(*row->mutable_partner_id()), std::move(*row->mutable_period()),
               row->revenue(), row->hours(), std::move(*row->mutable_segment()),
               std::move(*row->mutable_name())};
  }
  return rows;
}

v1::Estimate EstimateToProto(const Estimate& estimate) {
  v1::Estimate proto;
  proto.set_value(estimate.value);
  proto.set_std_error(estimate.std_error);
  return proto;
}

// Every field of `p` set explicitly, so the JSON shows the values simulated.
v1::Partner PartnerToProto(const Partner& p, const std::string& name) {
  v1::Partner proto;
  proto.set_id(p.id);
  proto.set_name(name);
  proto.set_tier(TierToProto(p.tier));
  proto.set_baseline_revenue(p.baseline_revenue);
  proto.set_growth_rate(p.growth_rate);
  proto.set_volatility(p.volatility);
  proto.set_market_correlation(p.market_correlation);
  proto.set_segment(p.segment);
  v1::EngagementResponse* response = proto.mutable_response();
  response->set_max_lift(p.max_lift);
  response->set_half_effort_hours(p.half_effort_hours);
  response->set_ramp_periods(p.ramp_periods);
  response->set_growth_boost(p.growth_boost);
  v1::Retention* retention = proto.mutable_retention();
  retention->set_churn_rate(p.churn_rate);
  retention->set_retention_hours(p.retention_hours);
  if (p.revenue_model == RevenueModel::kDeals) {
    proto.set_revenue_model(v1::REVENUE_MODEL_DEALS);
    proto.mutable_deals()->set_mean_deal_size(p.mean_deal_size);
    proto.mutable_deals()->set_deal_size_cv(p.deal_size_cv);
  } else {
    proto.set_revenue_model(v1::REVENUE_MODEL_LOGNORMAL);
  }
  if (p.hours_override) proto.set_hours_override(*p.hours_override);
  *proto.mutable_errors() = ParameterErrorsToProto(p.errors);
  return proto;
}

v1::PartnerCalibration PartnerCalibrationToProto(const PartnerCalibration& pc,
                                                 const std::string& name) {
  v1::PartnerCalibration proto;
  proto.set_partner_id(pc.partner_id);
  proto.set_name(name);
  *proto.mutable_baseline_revenue() = EstimateToProto(pc.baseline_revenue);
  *proto.mutable_growth_rate() = EstimateToProto(pc.growth_rate);
  *proto.mutable_volatility() = EstimateToProto(pc.volatility);
  *proto.mutable_max_lift() = EstimateToProto(pc.max_lift);
  *proto.mutable_market_correlation() = EstimateToProto(pc.market_correlation);
  proto.set_lift_shrinkage(pc.lift_shrinkage);
  proto.set_growth_shrinkage(pc.growth_shrinkage);
  proto.set_self_sufficiency(pc.self_sufficiency);
  proto.set_recent_hours(pc.recent_hours);
  proto.set_tier(TierToProto(pc.tier));
  proto.set_tier_from_hours(pc.tier_from_hours);
  proto.set_active_periods(pc.active_periods);
  proto.set_dormant_since(pc.dormant_since);
  for (const CalibrationFlag flag : pc.flags) proto.add_flags(CalibrationFlagToProto(flag));
  return proto;
}

v1::CalibrationDiagnostics DiagnosticsToProto(const CalibrationDiagnostics& d,
                                              const History& history) {
  v1::CalibrationDiagnostics proto;
  proto.set_partners(d.partners);
  proto.set_periods(d.periods);
  if (!history.period_labels.empty()) {
    proto.set_first_period(history.period_labels.front());
    proto.set_last_period(history.period_labels.back());
  }
  proto.set_partners_fitted(d.partners_fitted);
  proto.set_partners_with_hours_variation(d.partners_with_hours_variation);
  proto.set_dormant_partners(d.dormant_partners);
  proto.set_residual_scale(d.residual_scale);
  proto.set_response_identified(d.response_identified);
  *proto.mutable_half_effort_hours() = EstimateToProto(d.half_effort_hours);
  proto.set_half_effort_identified(d.half_effort_identified);
  *proto.mutable_pooled_max_lift() = EstimateToProto(d.pooled_max_lift);
  proto.set_max_lift_between_sd(d.max_lift_between_sd);
  *proto.mutable_pooled_growth_rate() = EstimateToProto(d.pooled_growth_rate);
  *proto.mutable_churn_rate() = EstimateToProto(d.churn_rate);
  proto.set_retention_hours(d.retention_hours);
  proto.set_dormancy_transitions(d.dormancy_transitions);
  proto.set_periods_at_risk(d.periods_at_risk);
  proto.set_market_variance(d.market_variance);
  proto.set_segment_correlation(d.segment_correlation);
  return proto;
}

}  // namespace

Violations CalibrationInputFromProto(v1::CalibratePortfolioRequest& request, const Limits& limits,
                                     CalibrationInput& input) {
  Violations violations;
  BuiltHistory built = BuildHistory(RowsFromProto(*request.mutable_rows()), limits);
  violations.Append("", built.violations);
  input.history = std::move(built.history);
  if (!request.has_portfolio()) return violations;
  Violations conversion;
  input.base = PortfolioFromProto(request.portfolio(), conversion);
  violations.Append("portfolio", conversion);
  for (const v1::Partner& partner : request.portfolio().partners()) {
    if (!partner.name().empty()) input.base_names.emplace(partner.id(), partner.name());
  }
  // Against a history that did not build, every base partner would be missing.
  if (violations.empty()) {
    violations.Append("portfolio", ValidateCalibrationBase(input.history, *input.base, limits));
  }
  return violations;
}

v1::CalibrationFlag CalibrationFlagToProto(CalibrationFlag flag) {
  switch (flag) {
    case CalibrationFlag::kNoHoursVariation:
      return v1::CALIBRATION_FLAG_NO_HOURS_VARIATION;
    case CalibrationFlag::kWeakHoursVariation:
      return v1::CALIBRATION_FLAG_WEAK_HOURS_VARIATION;
    case CalibrationFlag::kHoursBelowHalfEffort:
      return v1::CALIBRATION_FLAG_HOURS_BELOW_HALF_EFFORT;
    case CalibrationFlag::kShortHistory:
      return v1::CALIBRATION_FLAG_SHORT_HISTORY;
    case CalibrationFlag::kPossiblyDormant:
      return v1::CALIBRATION_FLAG_POSSIBLY_DORMANT;
    case CalibrationFlag::kDormant:
      return v1::CALIBRATION_FLAG_DORMANT;
  }
  return v1::CALIBRATION_FLAG_UNSPECIFIED;
}

v1::Portfolio PortfolioToProto(const Portfolio& portfolio,
                               const std::map<std::string, std::string>& names) {
  v1::Portfolio proto;
  proto.set_channel_manager_id(portfolio.channel_manager_id);
  proto.set_currency(portfolio.currency);
  proto.set_quota(portfolio.quota);
  proto.set_periods(portfolio.periods);
  proto.set_capacity_hours(portfolio.capacity_hours);
  proto.set_period_length(PeriodLengthToProto(portfolio.period_length));
  v1::TierPolicy* policy = proto.mutable_tier_policy();
  policy->set_invest_hours(portfolio.tier_policy.invest_hours);
  policy->set_maintain_hours(portfolio.tier_policy.maintain_hours);
  policy->set_opportunistic_hours(portfolio.tier_policy.opportunistic_hours);
  proto.mutable_seasonality()->Add(portfolio.seasonality.begin(), portfolio.seasonality.end());
  proto.set_segment_correlation(portfolio.segment_correlation);
  for (const Partner& p : portfolio.partners) {
    const auto name = names.find(p.id);
    *proto.add_partners() = PartnerToProto(p, name == names.end() ? "" : name->second);
  }
  return proto;
}

v1::CalibratePortfolioResponse CalibrationToProto(const Calibration& calibration,
                                                  const CalibrationInput& input) {
  // A partner's name: its rows', else the base portfolio's.
  std::map<std::string, std::string> names = input.base_names;
  for (const PartnerHistory& partner : input.history.partners) {
    if (!partner.name.empty()) names[partner.id] = partner.name;
  }
  v1::CalibratePortfolioResponse proto;
  *proto.mutable_portfolio() = PortfolioToProto(calibration.portfolio, names);
  for (const PartnerCalibration& pc : calibration.partners) {
    const auto name = names.find(pc.partner_id);
    *proto.add_partners() =
        PartnerCalibrationToProto(pc, name == names.end() ? pc.name : name->second);
  }
  *proto.mutable_diagnostics() = DiagnosticsToProto(calibration.diagnostics, input.history);
  return proto;
}

}  // namespace attain
