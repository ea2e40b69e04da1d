// What one path says about P(attain) under each scenario of a comparison, for the run's
// estimator (SimulationOptions::attainment_estimator):
//
// - path count: 1 when the path's horizon revenue reaches the quota, else 0;
// - conditional Monte Carlo: the probability that it does, given every draw of the path
//   but the level u of the common factors. u is one standard normal direction of the
//   market and segment factors, the same shift in every period:
//     u = sum_t (alpha * market_t + sum_g beta_g * segment_{g,t}) / sqrt(T),
//   alpha^2 + sum_g beta_g^2 = 1, with alpha and beta_g proportional to the baseline
//   revenue times volatility times loading of the partners on each factor. u is
//   independent of the rest of the factors (a rotation of independent normals), and
//   moving it by d multiplies partner i's shocks by exp(k_i d), k_i =
//   sigma_i (sqrt(rho_m) alpha + sqrt(rho_s) beta_g(i)) / sqrt(T) >= 0. So the path's
//   revenue at level u + d is each LOGNORMAL partner's revenue times exp(k_i d), plus
//   each DEALS cell's deals arriving by its expected count times exp(k_i d): a
//   nondecreasing function of d. With d* the least shift at which it reaches the quota,
//   the probability is P(Z >= u + d*), Z standard normal. Its mean over paths is
//   P(attain), unbiased; it varies far less than the indicator when the common factors
//   move revenue, and plans of a comparison share it path by path (common random
//   numbers).
//   Each path also gives a control variate with a known mean, the revenue it would have at
//   level 0; it correlates closely with the conditional probability (both are functions of
//   the rest of the path), and the run subtracts its regression (statistics.h,
//   ControlledSums), which removes most of what variance is left.
//   Numerics: d* to within kShiftTolerance (the probability to within 2e-10); levels
//   beyond +-kLevelBound give 0 or 1 (error below 1e-15).
//
// Immutable after construction and may be shared by threads; each thread uses its own
// Scratch.
#ifndef ATTAIN_SIMULATOR_PATH_ATTAINMENT_H_
#define ATTAIN_SIMULATOR_PATH_ATTAINMENT_H_

#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "simulator/deal_stream.h"
#include "simulator/model.h"
#include "simulator/path_evaluator.h"
#include "simulator/path_generator.h"
#include "simulator/simulation_options.h"

namespace attain {

inline constexpr double kShiftTolerance = 1e-9;
inline constexpr double kLevelBound = 8;

class PathAttainment {
 public:
  // One thread's working memory, reused from path to path.
  struct Scratch {
    // One DEALS cell of the path, walked lazily: its stream, the reach it is walked to,
    // and its arrival times with the relative sizes of its deals summed up to each.
    // Cells keep their capacity from path to path.
    struct Cell {
      std::optional<DealStream> stream;
      double covered = 0;
      std::vector<double> arrival;
      std::vector<double> relative_to;
    };
    std::vector<Cell> cells;
    std::vector<std::pair<double, double>> jumps;  // (shift, its rounding margin)
  };

  // `estimator`: resolved (ResolvedEstimator), not kDefault. REQUIRES: `generator` and
  // `evaluator` outlive this object; the evaluator was built on the generator; the
  // portfolio validates.
  PathAttainment(const Portfolio& portfolio, const PathGenerator& generator,
                 const PathEvaluator& evaluator, AttainmentEstimator estimator);

  AttainmentEstimator estimator() const { return estimator_; }
  // Whether Fill computes conditional probabilities (and reads deal rates): the
  // conditional estimator, with some partner loading on a factor, and DEALS partners whose
  // deals a shift of the level multiplies by no more than 16 on average (a few very
  // volatile, market-bound DEALS partners over few periods would take walking too many
  // deals per path: such runs count paths, and say so).
  bool conditional() const {
    return estimator_ == AttainmentEstimator::kConditional && any_loading_ && walk_bounded_;
  }
  // Whether Fill also sets each scenario's control variate: conditional, without
  // parameter draws (whose means are not the tables').
  bool controlled() const { return controlled_; }
  // The exact mean of scenario s's control, the revenue at level 0:
  // sum_i E[R_i] exp(-k_i^2 / 2), since R_i = R_i(level 0) exp(k_i u) with u independent
  // of R_i(level 0) (for DEALS partners, their expected deal counts scale so).
  double ControlMean(size_t s) const { return control_mean_[s]; }
  // Partner i's k_i: d log(shock) / d(level). All 0 when no partner loads on a factor.
  double level_loading(size_t i) const { return level_loading_[i]; }

  // The level u of the path's factors (draws.factors).
  double Level(const PathDraws& draws) const;

  // Sets revenue[s].attainment for every scenario. `deal_rates` is what
  // PathEvaluator::Evaluate wrote for this path (read by the conditional estimator only).
  // REQUIRES: revenue was evaluated on `draws`.
  void Fill(const PathDraws& draws, std::span<const double> deal_rates,
            std::vector<PathRevenue>& revenue, Scratch& scratch) const;

 private:
  struct Slope {
    double local = 0;    // LOGNORMAL partners only: deals add nothing between arrivals
    double average = 0;  // deals counted as if they scaled smoothly
  };
  // Walks `cell` to `reach`.
  static void Walk(double reach, Scratch::Cell& cell);
  // Scenario s's revenue at shift d of the level, but the partners it does not move.
  // REQUIRES: the arrivals cover d.
  double RevenueAtShift(size_t s, double d, std::span<const double> deal_rates,
                        const PathRevenue& revenue, Scratch& scratch, Slope* slope) const;
  // The shifts in (low, high) at which one of scenario s's deals arrives, ascending, into
  // scratch.jumps; false when there are none, or too many to split at.
  bool SplitAtArrivals(size_t s, double low, double high, std::span<const double> deal_rates,
                       Scratch& scratch) const;
  // The revenue of the partners the level does not move.
  double FixedRevenue(const PathRevenue& revenue) const;
  // The conditional probability of scenario s at level `level`.
  double Conditional(size_t s, double level, std::span<const double> deal_rates,
                     const PathRevenue& revenue, Scratch& scratch) const;

  const PathGenerator& generator_;
  const AttainmentEstimator estimator_;
  const double quota_;
  const size_t scenarios_;
  std::vector<double> level_loading_;   // k_i
  std::vector<double> factor_weight_;   // alpha, beta_g: [0] market, [1 + g] segment g
  std::vector<size_t> moving_lognormal_;  // LOGNORMAL partners with k_i > 0
  std::vector<size_t> deals_partner_;     // DEALS partners, by deals index
  std::vector<double> deal_log_sd_;       // per DEALS partner index
  std::vector<double> mean_deal_size_;    // per DEALS partner index
  bool any_loading_ = false;
  bool walk_bounded_ = true;
  bool controlled_ = false;
  std::vector<double> control_mean_;  // per scenario
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PATH_ATTAINMENT_H_
