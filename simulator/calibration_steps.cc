#include "simulator/calibration_steps.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attain {
namespace {

// Trailing zeros: dormant from their first period when there are enough of them.
void MarkDormancy(const PartnerHistory& partner, PartnerData& d) {
  int trailing = 0;
  for (auto it = partner.revenue.rbegin(); it != partner.revenue.rend() && *it == 0; ++it) {
    ++trailing;
  }
  const int periods = static_cast<int>(partner.revenue.size());
  if (trailing >= kDormantAfterZeroPeriods || trailing == periods) {
    d.dormant_since = periods - trailing + 1;
  } else {
    d.possibly_dormant = trailing == 1;
  }
}

}  // namespace

const Partner* BasePartner(const Portfolio* base, const std::string& id) {
  if (base == nullptr) return nullptr;
  for (const Partner& p : base->partners) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

std::vector<PartnerData> PrepareData(const History& history, const Portfolio* base,
                                     std::map<std::string, int>& segments) {
  std::vector<PartnerData> data;
  for (const PartnerHistory& partner : history.partners) {
    PartnerData d;
    MarkDormancy(partner, d);
    const size_t periods = partner.revenue.size();
    d.log_revenue.assign(periods, 0.0);
    d.hours = partner.hours;
    d.use.assign(periods, 0);
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (size_t t = 0; t < periods; ++t) {
      const bool active = d.dormant_since == 0 || static_cast<int>(t) + 1 < d.dormant_since;
      if (!active || partner.revenue[t] <= 0) continue;  // a zero while active: no deal closed
      d.use[t] = 1;
      d.log_revenue[t] = std::log(partner.revenue[t]);
      ++d.active;
      low = std::min(low, partner.hours[t]);
      high = std::max(high, partner.hours[t]);
    }
    d.hours_vary = d.active > 0 && high - low > 0;
    const Partner* in_base = BasePartner(base, partner.id);
    const std::string& segment =
        in_base != nullptr && !in_base->segment.empty() ? in_base->segment : partner.segment;
    if (!segment.empty()) {
      d.segment = segments.emplace(segment, static_cast<int>(segments.size())).first->second;
    }
    data.push_back(std::move(d));
  }
  return data;
}

std::vector<double> WithoutShocks(const PartnerData& data, const CommonShocks& shocks) {
  std::vector<double> y = data.log_revenue;
  for (size_t t = 0; t < y.size(); ++t) {
    y[t] -= shocks.period[t];
    if (data.segment >= 0) y[t] -= shocks.segment[static_cast<size_t>(data.segment)][t];
  }
  return y;
}

std::vector<double> Saturation(const PartnerData& data, double h50) {
  std::vector<double> f;
  for (const double h : data.hours) f.push_back(h / (h + h50));
  return f;
}

double SharedBaseValue(const Portfolio* base, double Partner::*field) {
  const double model_default = Partner{}.*field;
  if (base == nullptr || base->partners.empty()) return model_default;
  const double first = base->partners.front().*field;
  for (const Partner& p : base->partners) {
    if (p.*field != first) return model_default;
  }
  return first;
}

namespace {

// A standard error is never taken below this (a perfect fit of a few points).
constexpr double kMinStdError = 1e-6;


// Every partner-period at risk of going dormant: period t >= 2 of a partner alive in t - 1.
std::vector<RiskPeriod> RiskPeriods(const std::vector<PartnerData>& data) {
  std::vector<RiskPeriod> risk;
  for (const PartnerData& d : data) {
    if (d.active == 0) continue;  // never seen active
    for (size_t t = 1; t < d.hours.size(); ++t) {
      const int period = static_cast<int>(t) + 1;
      if (d.dormant_since != 0 && period > d.dormant_since) break;
      risk.push_back({d.hours[t], period == d.dormant_since});
    }
  }
  return risk;
}

// Shrinks the estimates, their standard errors floored at kMinStdError.
Shrunk ShrinkSelected(const std::vector<double>& estimates, const std::vector<double>& errors,
                     PoolCenter center = PoolCenter::kWeightedMean) {
  std::vector<double> floored;
  for (const double se : errors) floored.push_back(std::max(se, kMinStdError));
  return ShrinkTowardTheMean(estimates, floored, center);
}

}  // namespace

PooledEstimates Pool(const std::vector<PartnerData>& data,
                     const std::vector<std::optional<PartnerFit>>& fits, const Portfolio* base,
                     CalibrationDiagnostics& diagnostics) {
  PooledEstimates pooled;
  pooled.lift_slot.assign(data.size(), -1);
  pooled.growth_slot.assign(data.size(), -1);
  std::vector<double> lifts, lift_errors, growths, growth_errors;
  for (size_t i = 0; i < data.size(); ++i) {
    if (!fits[i]) continue;
    pooled.growth_slot[i] = static_cast<int>(growths.size());
    growths.push_back(fits[i]->beta);
    growth_errors.push_back(std::sqrt(fits[i]->covariance[1][1]));
    if (!data[i].hours_vary) continue;
    pooled.lift_slot[i] = static_cast<int>(lifts.size());
    lifts.push_back(fits[i]->lift);
    lift_errors.push_back(std::sqrt(fits[i]->covariance[2][2]));
  }
  diagnostics.partners_fitted = static_cast<int>(growths.size());
  diagnostics.partners_with_hours_variation = static_cast<int>(lifts.size());
  pooled.lift_identified = !lifts.empty();
  diagnostics.response_identified = pooled.lift_identified;
  if (pooled.lift_identified) {
    // Toward the median: a low lift has a smaller error (1 + L f is steeper in L there),
    // so weighting by the errors would pull the pooled lift down.
    pooled.lift = ShrinkSelected(lifts, lift_errors, PoolCenter::kMedian);
    diagnostics.pooled_max_lift = {pooled.lift.mean, pooled.lift.mean_std_error};
    diagnostics.max_lift_between_sd = pooled.lift.between_sd;
  }
  if (!growths.empty()) {
    pooled.growth = ShrinkSelected(growths, growth_errors);
    diagnostics.pooled_growth_rate = {std::expm1(pooled.growth.mean),
                                      std::exp(pooled.growth.mean) * pooled.growth.mean_std_error};
  }
  const std::vector<RiskPeriod> risk = RiskPeriods(data);
  pooled.churn = FitChurn(risk, SharedBaseValue(base, &Partner::retention_hours));
  diagnostics.churn_rate = {pooled.churn.churn_rate, pooled.churn.churn_rate_std_error};
  diagnostics.retention_hours = pooled.churn.retention_hours;
  diagnostics.dormancy_transitions = pooled.churn.transitions;
  diagnostics.periods_at_risk = pooled.churn.periods_at_risk;
  return pooled;
}

}  // namespace attain
