#include "simulator/calibration.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <span>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "simulator/calibration_steps.h"
#include "simulator/common_shocks.h"
#include "simulator/partner_fit.h"
#include "simulator/shrinkage.h"

namespace attain {
namespace {

// Rounds of alternating between the partners' fits and the common shocks.
constexpr int kCommonShockRounds = 3;
// The h50 grid: 2^-2 .. 2^8 hours in half-octave steps, then a golden-section refine.
constexpr double kMinHalfEffortLog2 = -2;
constexpr double kMaxHalfEffortLog2 = 8;
constexpr int kHalfEffortSteps = 21;
// A profile that rises by less than this (in -2 log-likelihood, the 95% point of a
// chi-square with one degree of freedom) from its minimum to either end of the grid
// does not pin h50 down.
constexpr double kFlatHalfEffortProfile = 3.84;
// Golden-section steps refining h50 between grid neighbours: 0.618^12 of a half-octave
// span, well under its standard error.
constexpr int kGoldenSteps = 12;
// Step of the finite difference for the profile's curvature, in log2 hours: the grid's
// half octave, wide enough to see past the profile's small-scale roughness (each point
// refits the lifts' spread).
constexpr double kCurvatureStep = 0.5;

// The partners' fits at `h50` with the common shocks taken out; lifts held at 0 where
// the hours never varied (a constant lift is part of the level there).
std::vector<std::optional<PartnerFit>> FitAll(const std::vector<PartnerData>& data,
                                              const CommonShocks& shocks, double h50) {
  std::vector<std::optional<PartnerFit>> fits(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    const PartnerData& d = data[i];
    if (d.active < kMinFitPeriods) continue;
    const std::vector<double> y = WithoutShocks(d, shocks);
    const std::vector<double> f = Saturation(d, h50);
    FitOptions options;
    if (!d.hours_vary) options.held_lift = 0;
    fits[i] = FitPartner(y, f, d.use, options);
  }
  return fits;
}

// Every partner's residual from its fit, shocks included, for the next round's shocks.
std::vector<std::vector<double>> Residuals(const std::vector<PartnerData>& data,
                                           const std::vector<std::optional<PartnerFit>>& fits,
                                           double h50) {
  std::vector<std::vector<double>> residuals(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    const PartnerData& d = data[i];
    residuals[i].assign(d.log_revenue.size(), 0.0);
    if (!fits[i]) continue;
    const std::vector<double> f = Saturation(d, h50);
    for (size_t t = 0; t < d.log_revenue.size(); ++t) {
      residuals[i][t] = d.log_revenue[t] - fits[i]->a - static_cast<double>(t) * fits[i]->beta -
                        std::log1p(fits[i]->lift * f[t]);
    }
  }
  return residuals;
}

double MedianScaleSquared(const std::vector<std::optional<PartnerFit>>& fits) {
  std::vector<double> variances;
  for (const auto& fit : fits) {
    if (fit) variances.push_back(fit->scale * fit->scale);
  }
  if (variances.empty()) return 0;
  std::nth_element(variances.begin(), variances.begin() + variances.size() / 2, variances.end());
  return variances[variances.size() / 2];
}

CommonShocks EstimateShocks(const std::vector<PartnerData>& data, int segments, double h50,
                            double& idiosyncratic_variance) {
  CommonShocks shocks;
  shocks.period.assign(data.empty() ? 0 : data[0].log_revenue.size(), 0.0);
  shocks.segment.assign(static_cast<size_t>(segments), shocks.period);
  shocks.segment_variance.assign(static_cast<size_t>(segments), 0.0);
  std::vector<std::vector<char>> use;
  std::vector<int> segment_of;
  for (const PartnerData& d : data) {
    use.push_back(d.use);
    segment_of.push_back(d.segment);
  }
  for (int round = 0; round < kCommonShockRounds; ++round) {
    const std::vector<std::optional<PartnerFit>> fits = FitAll(data, shocks, h50);
    idiosyncratic_variance = MedianScaleSquared(fits);
    std::vector<std::vector<char>> fitted_use = use;
    for (size_t i = 0; i < data.size(); ++i) {
      if (!fits[i]) std::fill(fitted_use[i].begin(), fitted_use[i].end(), 0);
    }
    shocks = EstimateCommonShocks(Residuals(data, fits, h50), fitted_use, segment_of, segments,
                                  idiosyncratic_variance);
  }
  return shocks;
}

// The partners whose lift varies, with their log revenue net of the shocks and a fixed
// Huber scale each: what the profile over h50 refits.
struct ProfileData {
  std::vector<size_t> partners;
  std::vector<std::vector<double>> log_revenue;
  std::vector<double> scale;
};

ProfileData ForProfile(const std::vector<PartnerData>& data, const CommonShocks& shocks,
                       double reference_h50) {
  ProfileData profile;
  const std::vector<std::optional<PartnerFit>> reference = FitAll(data, shocks, reference_h50);
  for (size_t i = 0; i < data.size(); ++i) {
    if (!reference[i] || !data[i].hours_vary) continue;
    profile.partners.push_back(i);
    profile.log_revenue.push_back(WithoutShocks(data[i], shocks));
    profile.scale.push_back(std::max(reference[i]->scale, 1e-9));
  }
  return profile;
}

// -2 log marginal likelihood (up to a constant) of the partners whose lift varies, at
// log2 h50, with each partner's lift integrated over the partners' normal distribution
// of lifts (mean and spread by REML at this h50; a Laplace approximation, quadratic in
// the lift around its fit). Integrating the lifts out, rather than fitting one per
// partner, keeps h50 from drifting with the noise each free lift soaks up. The Huber
// losses are at fixed scales, so the profile is smooth.
double Profile(const std::vector<PartnerData>& data, const ProfileData& profile,
               double log2_h50) {
  const double h50 = std::exp2(log2_h50);
  double value = 0;
  std::vector<double> lifts;
  std::vector<double> lift_errors;
  for (size_t k = 0; k < profile.partners.size(); ++k) {
    const PartnerData& d = data[profile.partners[k]];
    FitOptions options;
    options.huber_scale = profile.scale[k];
    const PartnerFit fit =
        FitPartner(profile.log_revenue[k], Saturation(d, h50), d.use, options);
    value += 2 * fit.huber_loss;
    if (!fit.lift_free || fit.covariance[2][2] <= 0) continue;
    lifts.push_back(fit.lift);
    // The covariance is at the fit's residual scale; the loss is at the fixed one.
    lift_errors.push_back(std::sqrt(fit.covariance[2][2]) * profile.scale[k] /
                          std::max(fit.scale, 1e-12));
  }
  if (lifts.empty()) return value;
  const Shrunk shrunk = ShrinkTowardTheMean(lifts, lift_errors);
  const double tau2 = shrunk.between_sd * shrunk.between_sd;
  for (size_t k = 0; k < lifts.size(); ++k) {
    const double se2 = lift_errors[k] * lift_errors[k];
    const double gap = lifts[k] - shrunk.mean;
    value += std::log1p(tau2 / se2) + gap * gap / (se2 + tau2);
  }
  return value;
}

// The shared h50: the profile's minimum over the grid, refined; `fallback` when the
// profile is flat or its minimum sits at an end of the grid.
Estimate HalfEffort(const std::vector<PartnerData>& data, const CommonShocks& shocks,
                    double fallback, bool& identified) {
  const ProfileData profile_data = ForProfile(data, shocks, fallback);
  auto at = [&](double log2_h50) { return Profile(data, profile_data, log2_h50); };
  const double step = (kMaxHalfEffortLog2 - kMinHalfEffortLog2) / (kHalfEffortSteps - 1);
  std::vector<double> profile;
  for (int k = 0; k < kHalfEffortSteps; ++k) profile.push_back(at(kMinHalfEffortLog2 + k * step));
  const auto best = std::min_element(profile.begin(), profile.end());
  const int k = static_cast<int>(best - profile.begin());
  identified = !profile_data.partners.empty() && k > 0 && k < kHalfEffortSteps - 1 &&
               std::min(profile.front(), profile.back()) - *best >= kFlatHalfEffortProfile;
  if (!identified) return {fallback, 0};
  // Golden-section search between the grid neighbours of the minimum.
  constexpr double kGolden = 0.6180339887498949;
  double lo = kMinHalfEffortLog2 + (k - 1) * step;
  double hi = kMinHalfEffortLog2 + (k + 1) * step;
  double c = hi - kGolden * (hi - lo);
  double d = lo + kGolden * (hi - lo);
  double fc = at(c);
  double fd = at(d);
  for (int i = 0; i < kGoldenSteps; ++i) {
    if (fc < fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - kGolden * (hi - lo);
      fc = at(c);
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + kGolden * (hi - lo);
      fd = at(d);
    }
  }
  const double theta = 0.5 * (lo + hi);
  const double curvature =
      (at(theta + kCurvatureStep) - 2 * at(theta) + at(theta - kCurvatureStep)) /
      (kCurvatureStep * kCurvatureStep);
  const double h50 = std::exp2(theta);
  // -2 log L has curvature 1 / Var: Var(log2 h50) = 2 / curvature.
  const double se_log2 = curvature > 0 ? std::sqrt(2 / curvature) : 0;
  return {h50, h50 * std::log(2.0) * se_log2};
}

}  // namespace

const char* CalibrationFlagName(CalibrationFlag flag) {
  switch (flag) {
    case CalibrationFlag::kNoHoursVariation: return "NO_HOURS_VARIATION";
    case CalibrationFlag::kWeakHoursVariation: return "WEAK_HOURS_VARIATION";
    case CalibrationFlag::kHoursBelowHalfEffort: return "HOURS_BELOW_HALF_EFFORT";
    case CalibrationFlag::kShortHistory: return "SHORT_HISTORY";
    case CalibrationFlag::kPossiblyDormant: return "POSSIBLY_DORMANT";
    case CalibrationFlag::kDormant: return "DORMANT";
  }
  return "UNKNOWN";
}

Violations ValidateCalibrationBase(const History& history, const Portfolio& base,
                                   const Limits& limits) {
  // The fields calibration sets are checked on their results, not on the base.
  Portfolio checked = base;
  for (Partner& p : checked.partners) {
    const Partner defaults;
    p.baseline_revenue = 1;
    p.growth_rate = defaults.growth_rate;
    p.volatility = defaults.volatility;
    p.market_correlation = 0;
    p.max_lift = defaults.max_lift;
    p.half_effort_hours = defaults.half_effort_hours;
    p.growth_boost = 0;
    p.churn_rate = defaults.churn_rate;
  }
  checked.segment_correlation = 0;
  Violations violations = ValidatePortfolio(checked, limits);
  // Month labels ("2025-07") make every estimate per month.
  const bool monthly_labels =
      !history.period_labels.empty() && absl::StrContains(history.period_labels[0], "-");
  if (monthly_labels && base.period_length != PeriodLength::kMonth) {
    violations.Add("period_length",
                   absl::StrCat("is ", PeriodLengthName(base.period_length),
                                ", but the history's periods are months (",
                                QuoteForMessage(history.period_labels[0]),
                                "): calibrate per month, or label the history's quarters 1, 2, ..."));
  }
  std::map<std::string, bool> in_history;
  for (const PartnerHistory& partner : history.partners) in_history[partner.id] = true;
  for (size_t i = 0; i < base.partners.size(); ++i) {
    if (!in_history.contains(base.partners[i].id)) {
      violations.Add(absl::StrCat("partners[", i, "].id"),
                     absl::StrCat("names partner ", QuoteForMessage(base.partners[i].id),
                                  ", which has no rows in the history"));
    }
  }
  return violations;
}

Calibration Calibrate(const History& history, const Portfolio* base) {
  Calibration calibration;
  CalibrationDiagnostics& diagnostics = calibration.diagnostics;
  std::map<std::string, int> segments;
  std::vector<PartnerData> data = PrepareData(history, base, segments);
  const double fallback_h50 = SharedBaseValue(base, &Partner::half_effort_hours);
  double idiosyncratic_variance = 0;
  const CommonShocks shocks =
      EstimateShocks(data, static_cast<int>(segments.size()), fallback_h50, idiosyncratic_variance);
  diagnostics.half_effort_hours =
      HalfEffort(data, shocks, fallback_h50, diagnostics.half_effort_identified);
  const double h50 = diagnostics.half_effort_hours.value;
  const std::vector<std::optional<PartnerFit>> fits = FitAll(data, shocks, h50);
  diagnostics.residual_scale = std::sqrt(MedianScaleSquared(fits));
  diagnostics.market_variance = shocks.period_variance;
  const PooledEstimates pooled = Pool(data, fits, base, diagnostics);
  FinishPartners(history, base, data, shocks, fits, pooled, h50, calibration);
  return calibration;
}

}  // namespace attain
