// Path generation: turns a block engine's stream into the random inputs of one path of
// the whole portfolio. What a plan does with them (path_evaluator.h) is separate, so every
// plan and the "unassisted" counterfactual are evaluated on the same draws.
//
// A PathGenerator is immutable after construction and may be shared across threads;
// each thread uses its own PathDraws.
#ifndef ATTAIN_SIMULATOR_PATH_GENERATOR_H_
#define ATTAIN_SIMULATOR_PATH_GENERATOR_H_

#include <cstdint>
#include <vector>

#include "simulator/model.h"
#include "simulator/parameter_draws.h"
#include "simulator/random.h"

namespace attain {

// The random inputs of one path. Arrays are partner-major: [i * periods + (t - 1)].
struct PathDraws {
  // exp(sigma_i z_{i,t} - sigma_i^2 / 2): the lognormal shock, mean 1.
  std::vector<double> shock;
  // One uniform per partner; partner i is alive in period t iff
  // dormancy_uniform[i] < (1 - q_i)^t (inverse transform of the geometric dormancy time).
  std::vector<double> dormancy_uniform;
  // DEALS partners only, [deals_index * periods + (t - 1)]: the seed of the cell's own
  // stream of deal arrivals and sizes (PathEvaluator::EvaluateDeals).
  std::vector<uint64_t> deal_seed;
  // The market and segment factors of every period, [t * (1 + segments) + k], k = 0 the
  // market, k = 1 + g segment g.
  std::vector<double> factors;
  // Parameter uncertainty only, per drawn partner u (ParameterSampler::drawn_index): its
  // normals, [u * kNormalsPerDrawnPartner + k], and the parameters they give. Empty when
  // nothing is drawn.
  std::vector<double> parameter_normal;
  std::vector<DrawnParameters> parameters;
};

class PathGenerator {
 public:
  // Parameters are drawn per path only with `uncertainty.enabled` (parameter_draws.h).
  // REQUIRES: portfolio passed ValidatePortfolio.
  explicit PathGenerator(const Portfolio& portfolio,
                         const ParameterUncertainty& uncertainty = {});

  size_t partner_count() const { return own_loading_.size(); }
  size_t periods() const { return static_cast<size_t>(periods_); }
  size_t segment_count() const { return segment_count_; }
  // Index of partner i among DEALS partners, or -1; their cells are
  // [deals_index * periods + (t - 1)].
  const std::vector<int>& deals_index() const { return deals_index_; }
  size_t deal_cell_count() const { return deals_partner_count_ * periods(); }
  // Partner i's loadings on the market and on its segment (0 without one), and its
  // segment index (kNoSegment without one): its normal in period t is
  // market_loading * market_t + segment_loading * segment_t + own_loading * own_t.
  static constexpr uint32_t kNoSegment = UINT32_MAX;
  double market_loading(size_t i) const { return market_loading_[i]; }
  double segment_loading(size_t i) const { return segment_loading_[i]; }
  uint32_t segment(size_t i) const { return segment_[i]; }
  double volatility(size_t i) const { return shock_scale_[i * periods()]; }
  // Which partners' parameters a path draws; active() is false when none.
  const ParameterSampler& parameter_sampler() const { return parameter_sampler_; }

  // Sizes `draws` for this portfolio (allocation happens here, not per path).
  void Prepare(PathDraws& draws) const;

  // Draws one path. REQUIRES: Prepare(draws).
  void Generate(BlockEngine& engine, PathDraws& draws) const;

  // Draws one path's partner parameters from the block's parameter stream (its own
  // engine, seeded with ParameterSeed). Does nothing when the sampler is not active.
  // REQUIRES: Prepare(draws).
  void DrawParameters(BlockEngine& parameter_stream, PathDraws& draws) const;

  // The antithetic mirror of `draws`: every factor and normal shock negated, every dormancy uniform
  // u -> 1 - u, every parameter normal negated. Deal streams get fresh seeds: a mirror's
  // deals are drawn independently. REQUIRES: Prepare(mirror).
  void Mirror(const PathDraws& draws, PathDraws& mirror) const;

 private:
  int periods_;
  size_t segment_count_;
  size_t deals_partner_count_ = 0;
  std::vector<double> market_loading_;   // sqrt(rho_m)
  std::vector<double> segment_loading_;  // sqrt(rho_s), 0 without a segment
  std::vector<double> own_loading_;      // sqrt(1 - rho_m - rho_s)
  std::vector<uint32_t> segment_;        // segment index, or kNoSegment
  std::vector<double> mirror_factor_;    // exp(-sigma^2): the mirror shock is this / shock
  std::vector<double> shock_scale_;      // [i * periods + t - 1]: sigma_i
  std::vector<double> shock_drift_;      // [i * periods + t - 1]: -sigma_i^2 / 2
  std::vector<int> deals_index_;
  ParameterSampler parameter_sampler_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PATH_GENERATOR_H_
