// Parameter uncertainty (SimulationOptions::parameter_uncertainty): each path draws the
// baseline, growth, lift and churn of every partner with standard errors
// (Partner::errors) around their values, so the outcome carries what the data behind
// the parameters does not pin down. docs/model.md, "Parameter uncertainty", states the
// distributions; per drawn partner and path, with normals z_1..z_4 clipped to +-8:
//   b' = b exp(s z_1 - s^2 / 2), s^2 = ln(1 + (se_b / b)^2)   (lognormal, mean b)
//   g' = g + se_g z_2 clipped to [-1, kMaxGrowthRate]
//   L' = L + se_L z_3 clipped to [0, kMaxLift]
//   c' = c + se_c z_4 clipped to [0, 1)
// and b' lowered, where needed, so that the drawn partner keeps within the limits an
// input partner is held to (validation.h: its expected revenue per period, and for DEALS
// its expected deals per period, at saturating engagement).
//
// The normals come from a stream of their own per block (ParameterSeed, random.h), so
// every other random number of a path is the one the run without the option draws
// (common random numbers), and where no partner has a standard error nothing is drawn:
// the run is the plain one, bit for bit.
//
// A ParameterSampler is immutable after construction and may be shared across threads.
#ifndef ATTAIN_SIMULATOR_PARAMETER_DRAWS_H_
#define ATTAIN_SIMULATOR_PARAMETER_DRAWS_H_

#include <cstddef>
#include <span>
#include <vector>

#include "simulator/model.h"
#include "simulator/random.h"
#include "simulator/validation.h"

namespace attain {

// One path's parameters of one drawn partner.
struct DrawnParameters {
  double baseline_revenue = 0;
  double growth_rate = 0;
  double max_lift = 0;
  double churn_rate = 0;
};

// Normals per drawn partner and path, in this order: baseline, growth, lift, churn. All
// four are drawn even where a standard error is 0, so that one parameter's error never
// moves another partner's draws.
inline constexpr size_t kNormalsPerDrawnPartner = 4;
// |z| of a parameter draw is clipped here. It bounds every draw, so that the limits
// below hold for every path, not almost every one; a normal passes 8 with probability
// 1.2e-15, so the law is unchanged for any practical purpose.
inline constexpr double kMaxParameterNormal = 8;
// The lognormal baseline's exponent is at least this: inside FastExp's domain, and only
// reached when se_b / b exceeds ~1e150.
inline constexpr double kMinBaselineExponent = -700;
// Drawn churn is at most the largest double below 1 (the model's c < 1).
inline constexpr double kMaxDrawnChurnRate = 1 - 0x1p-53;

// What a run asks of parameter draws.
struct ParameterUncertainty {
  bool enabled = false;  // SimulationOptions::parameter_uncertainty
  // The engine's Limits: a drawn DEALS partner keeps within it as an input partner does.
  double max_expected_deals_per_period = Limits{}.max_expected_deals_per_period;
};

class ParameterSampler {
 public:
  // Partners with errors.any() are drawn when `uncertainty.enabled`; none otherwise.
  // REQUIRES: portfolio passed ValidatePortfolio against limits with
  // uncertainty.max_expected_deals_per_period.
  ParameterSampler(const Portfolio& portfolio, const ParameterUncertainty& uncertainty);

  // Drawn partners, in portfolio order; 0 when the option is off or no partner has errors.
  size_t drawn_count() const { return drawn_.size(); }
  bool active() const { return !drawn_.empty(); }
  // Per partner of the portfolio: its index among the drawn partners, or -1.
  const std::vector<int>& drawn_index() const { return drawn_index_; }

  // One path's normals: kNormalsPerDrawnPartner per drawn partner, clipped to
  // +-kMaxParameterNormal. REQUIRES: normals.size() == kNormalsPerDrawnPartner x drawn_count().
  void DrawNormals(BlockEngine& stream, std::span<double> normals) const;

  // Drawn partner u's parameters for its normals z[0..3]. The antithetic mirror passes
  // the negated normals.
  DrawnParameters Transform(size_t u, const double* z) const;

 private:
  struct Drawn {
    double baseline_revenue;
    double log_sd;      // s
    double log_drift;   // -s^2 / 2
    double growth_rate;
    double growth_error;
    double max_lift;
    double lift_error;
    double churn_rate;
    double churn_error;
    double growth_boost;
    // Set when some draw within the clip could break the limits: the baseline is then
    // capped at peak_limit / (the drawn partner's peak factor).
    bool capped;
    double peak_limit;
  };
  // max_t (1 + growth)^(t-1) s_t (1 + lift): per-period expected revenue at saturating
  // engagement per unit of baseline (validation.h's bound divided by b).
  double PeakFactor(double growth, double lift) const;

  std::vector<double> seasonality_;  // s_1..s_T
  std::vector<Drawn> drawn_;
  std::vector<int> drawn_index_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PARAMETER_DRAWS_H_
