// FinishPartners (calibration_steps.h): each partner's final estimates and flags, and the
// calibrated portfolio they make.
#include <algorithm>
#include <cmath>
#include <limits>

#include "simulator/calibration_steps.h"

namespace attain {
namespace {

// Bounds that keep a calibrated partner inside the model's validated ranges.
constexpr double kMaxCalibratedGrowth = 0.5;     // per period, either way
constexpr double kMaxSegmentCorrelation = 0.9;
constexpr double kCorrelationMargin = 0.02;      // rho_m + rho_s stays this far below 1
// Without a base portfolio the horizon is the history's length, at most this.
constexpr int kDefaultHorizonPeriods = 12;

// Mean hours of the last kRecentPeriods periods before any dormancy.
double RecentHours(const PartnerData& d) {
  const size_t end = d.dormant_since == 0 ? d.hours.size() : static_cast<size_t>(d.dormant_since - 1);
  const size_t begin = end > static_cast<size_t>(kRecentPeriods) ? end - kRecentPeriods : 0;
  double sum = 0;
  for (size_t t = begin; t < end; ++t) sum += d.hours[t];
  return end > begin ? sum / static_cast<double>(end - begin) : 0;
}

// The tier whose policy hours are nearest `hours` (on a log(1 + h) scale).
Tier NearestTier(const TierPolicy& policy, double hours) {
  Tier best = Tier::kOpportunistic;
  double best_gap = std::numeric_limits<double>::infinity();
  for (const Tier tier : {Tier::kInvest, Tier::kMaintain, Tier::kOpportunistic}) {
    const double gap = std::fabs(std::log1p(hours) - std::log1p(policy.HoursFor(tier)));
    if (gap < best_gap) {
      best = tier;
      best_gap = gap;
    }
  }
  return best;
}

// A partner's lift and growth (log 1 + g), own or pooled, with their shrinkage.
void LiftAndGrowth(size_t i, const PooledEstimates& pooled, const Partner* base_partner,
                   PartnerCalibration& pc, double& beta, double& beta_se) {
  if (pooled.lift_slot[i] >= 0) {
    const size_t k = static_cast<size_t>(pooled.lift_slot[i]);
    pc.max_lift = {pooled.lift.posterior[k], pooled.lift.posterior_std_error[k]};
    pc.lift_shrinkage = pooled.lift.shrinkage[k];
  } else if (pooled.lift_identified) {
    pc.max_lift = {pooled.lift.mean, std::hypot(pooled.lift.between_sd, pooled.lift.mean_std_error)};
    pc.lift_shrinkage = 1;
  } else {
    pc.max_lift = {base_partner != nullptr ? base_partner->max_lift : Partner{}.max_lift,
                   kUnidentifiedLiftStdError};
    pc.lift_shrinkage = 1;
  }
  pc.max_lift.value = std::clamp(pc.max_lift.value, 0.0, kMaxLift);
  if (pooled.growth_slot[i] >= 0) {
    const size_t k = static_cast<size_t>(pooled.growth_slot[i]);
    beta = pooled.growth.posterior[k];
    beta_se = pooled.growth.posterior_std_error[k];
    pc.growth_shrinkage = pooled.growth.shrinkage[k];
  } else {
    beta = pooled.growth.mean;
    beta_se = std::hypot(pooled.growth.between_sd, pooled.growth.mean_std_error);
    pc.growth_shrinkage = 1;
  }
  beta = std::clamp(beta, std::log1p(-kMaxCalibratedGrowth), std::log1p(kMaxCalibratedGrowth));
  pc.growth_rate = {std::expm1(beta), std::exp(beta) * beta_se};
}

// The variance of log revenue the partner shares with others in a period (market and
// segment): its realization over the history is noise in the level and the trend the
// partner's own fit cannot tell apart.
double CommonVariance(const PartnerData& d, const CommonShocks& shocks) {
  return shocks.period_variance +
         (d.segment >= 0 ? shocks.segment_variance[static_cast<size_t>(d.segment)] : 0);
}

// Growth's standard error with the common shocks' realized trend added: the variance of
// a least-squares slope over n equally spaced periods is variance x 12 / (n (n^2 - 1)).
double GrowthStdError(const PartnerData& d, double common_variance, double own_std_error) {
  const double n = std::max(2, d.active);
  return std::sqrt(own_std_error * own_std_error + common_variance * 12 / (n * (n * n - 1)));
}

// Baseline and volatility: the level a given the shrunk lift and growth, projected to the
// first period after the history, and the total log variance (idiosyncratic, market,
// segment).
void LevelAndVolatility(const PartnerData& d, const CommonShocks& shocks,
                        const std::optional<PartnerFit>& fit, double pooled_scale, double h50,
                        double beta, double beta_se, PartnerCalibration& pc) {
  const std::vector<double> y = WithoutShocks(d, shocks);
  const std::vector<double> f = Saturation(d, h50);
  double sum = 0;
  double sum_t = 0;
  double lift_slope = 0;  // d a / d L, times -1
  for (size_t t = 0; t < y.size(); ++t) {
    if (!d.use[t]) continue;
    sum += y[t] - static_cast<double>(t) * beta - std::log1p(pc.max_lift.value * f[t]);
    sum_t += static_cast<double>(t);
    lift_slope += f[t] / (1 + pc.max_lift.value * f[t]);
  }
  const double n = std::max(1, d.active);
  const double a = sum / n;
  const double idiosyncratic = fit ? fit->scale : pooled_scale;
  const double common = CommonVariance(d, shocks);
  const double variance = idiosyncratic * idiosyncratic + common;
  const double periods = static_cast<double>(d.hours.size());
  const double baseline =
      std::min(std::exp(a + periods * beta + 0.5 * variance), kMaxBaselineRevenue);
  // The projection is the mean level plus the trend from the periods' centre to the next.
  const double reach = periods - sum_t / n;
  // The level moves against the lift: a lift too high leaves too low a level.
  const double level_lift_se = lift_slope / n * pc.max_lift.std_error;
  const double relative_se = std::sqrt(variance / n + reach * reach * beta_se * beta_se +
                                       level_lift_se * level_lift_se);
  pc.baseline_revenue = {baseline, baseline * relative_se};
  const double sigma = std::min(std::sqrt(variance), kMaxVolatility);
  const double dof = std::max(1.0, n - 3);
  pc.volatility = {sigma, sigma / std::sqrt(2 * dof)};
  const double rho = variance > 0 ? shocks.period_variance / variance : 0;
  pc.market_correlation = {rho, rho * std::sqrt(2 / std::max(1.0, periods - 2))};
}

void Flag(const PartnerData& d, double h50, PartnerCalibration& pc) {
  if (d.dormant_since != 0) pc.flags.push_back(CalibrationFlag::kDormant);
  if (d.possibly_dormant) pc.flags.push_back(CalibrationFlag::kPossiblyDormant);
  if (d.active < kShortHistoryPeriods) pc.flags.push_back(CalibrationFlag::kShortHistory);
  if (d.active == 0) return;
  double sum = 0, squares = 0, most = 0;
  for (size_t t = 0; t < d.hours.size(); ++t) {
    if (!d.use[t]) continue;
    const double f = d.hours[t] / (d.hours[t] + h50);
    sum += f;
    squares += f * f;
    most = std::max(most, d.hours[t]);
  }
  const double mean = sum / d.active;
  const double sd = std::sqrt(std::max(0.0, squares / d.active - mean * mean));
  if (!d.hours_vary) {
    pc.flags.push_back(CalibrationFlag::kNoHoursVariation);
  } else if (sd < kWeakVariationSd) {
    pc.flags.push_back(CalibrationFlag::kWeakHoursVariation);
  }
  if (most < kHalfEffortReach * h50) pc.flags.push_back(CalibrationFlag::kHoursBelowHalfEffort);
}

// The portfolio around the partners: the base's settings, or the defaults.
Portfolio Shell(const History& history, const Portfolio* base) {
  Portfolio shell;
  if (base != nullptr) {
    shell = *base;
    shell.partners.clear();
  } else {
    shell.periods = std::min(kDefaultHorizonPeriods, history.periods);
  }
  return shell;
}

// The calibrated model partner: the base's fields (tier, segment, revenue model, ...)
// with the estimates; lift responds at once and growth boost is 0 (docs/model.md).
Partner ModelPartner(const PartnerHistory& history, const Partner* base_partner,
                     const PartnerCalibration& pc, double h50, const ChurnFit& churn) {
  Partner p = base_partner != nullptr ? *base_partner : Partner{};
  p.id = history.id;
  if (base_partner == nullptr) {
    p.segment = history.segment;
    p.ramp_periods = 0;
  }
  p.tier = pc.tier;
  p.baseline_revenue = pc.baseline_revenue.value;
  p.growth_rate = pc.growth_rate.value;
  p.growth_boost = 0;
  p.volatility = pc.volatility.value;
  p.max_lift = pc.max_lift.value;
  p.half_effort_hours = h50;
  p.churn_rate = std::min(churn.churn_rate, 0.99);
  if (base_partner == nullptr) p.retention_hours = churn.retention_hours;
  p.errors = {pc.baseline_revenue.std_error, pc.growth_rate.std_error, pc.max_lift.std_error,
              churn.churn_rate_std_error};
  return p;
}

// rho_s of the portfolio: the segment shocks' share of the variance of segment partners.
double SegmentCorrelation(const std::vector<PartnerData>& data,
                          const std::vector<PartnerCalibration>& partners,
                          const CommonShocks& shocks) {
  double sum = 0;
  int count = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i].segment < 0 || data[i].dormant_since != 0) continue;
    const double sigma = partners[i].volatility.value;
    if (sigma <= 0) continue;
    sum += shocks.segment_variance[static_cast<size_t>(data[i].segment)] / (sigma * sigma);
    ++count;
  }
  return count > 0 ? std::clamp(sum / count, 0.0, kMaxSegmentCorrelation) : 0;
}

// Quota and capacity without a base: the current plan's exact expected revenue over the
// horizon (3 significant digits) and its hours.
void DefaultQuotaAndCapacity(Portfolio& portfolio) {
  double expected = 0;
  double hours = 0;
  for (const Partner& p : portfolio.partners) {
    const double h = portfolio.tier_policy.HoursFor(p.tier);
    expected += ExpectedPartnerRevenue(portfolio, p, h);
    hours += h;
  }
  const double unit = expected > 0 ? std::pow(10.0, std::floor(std::log10(expected)) - 2) : 1;
  portfolio.quota = std::round(expected / unit) * unit;
  portfolio.capacity_hours = hours;
}

}  // namespace

void FinishPartners(const History& history, const Portfolio* base,
                    const std::vector<PartnerData>& data, const CommonShocks& shocks,
                    const std::vector<std::optional<PartnerFit>>& fits,
                    const PooledEstimates& pooled, double h50, Calibration& calibration) {
  CalibrationDiagnostics& diagnostics = calibration.diagnostics;
  diagnostics.partners = static_cast<int>(data.size());
  diagnostics.periods = history.periods;
  Portfolio& portfolio = calibration.portfolio = Shell(history, base);
  for (size_t i = 0; i < data.size(); ++i) {
    const PartnerHistory& h = history.partners[i];
    const Partner* base_partner = BasePartner(base, h.id);
    PartnerCalibration pc;
    pc.partner_id = h.id;
    pc.name = h.name;
    pc.active_periods = data[i].active;
    pc.dormant_since = data[i].dormant_since;
    pc.recent_hours = RecentHours(data[i]);
    pc.tier_from_hours = base_partner == nullptr;
    pc.tier = base_partner != nullptr ? base_partner->tier
                                      : NearestTier(portfolio.tier_policy, pc.recent_hours);
    double beta = 0;
    double beta_se = 0;
    LiftAndGrowth(i, pooled, base_partner, pc, beta, beta_se);
    beta_se = GrowthStdError(data[i], CommonVariance(data[i], shocks), beta_se);
    pc.growth_rate.std_error = std::exp(beta) * beta_se;
    LevelAndVolatility(data[i], shocks, fits[i], diagnostics.residual_scale, h50, beta, beta_se, pc);
    Flag(data[i], h50, pc);
    calibration.partners.push_back(std::move(pc));
  }
  diagnostics.segment_correlation = SegmentCorrelation(data, calibration.partners, shocks);
  portfolio.segment_correlation = diagnostics.segment_correlation;
  for (size_t i = 0; i < data.size(); ++i) {
    PartnerCalibration& pc = calibration.partners[i];
    if (data[i].dormant_since != 0) {
      ++diagnostics.dormant_partners;
      continue;
    }
    const double segment_share = data[i].segment >= 0 ? portfolio.segment_correlation : 0;
    pc.market_correlation.value =
        std::min(pc.market_correlation.value, 1 - kCorrelationMargin - segment_share);
    Partner p = ModelPartner(history.partners[i], BasePartner(base, pc.partner_id), pc, h50,
                             pooled.churn);
    p.market_correlation = pc.market_correlation.value;
    portfolio.partners.push_back(std::move(p));
  }
  if (base == nullptr) DefaultQuotaAndCapacity(portfolio);
  for (size_t i = 0, k = 0; i < data.size(); ++i) {
    if (data[i].dormant_since != 0) continue;
    const Partner& p = portfolio.partners[k++];
    const double assisted = ExpectedPartnerRevenue(portfolio, p, calibration.partners[i].recent_hours);
    calibration.partners[i].self_sufficiency =
        assisted > 0 ? ExpectedPartnerRevenue(portfolio, p, 0) / assisted : 1;
  }
}

}  // namespace attain
