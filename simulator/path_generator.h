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
  // Scratch: the market and segment factors of every period, [t * (1 + segments) + k].
  std::vector<double> factors;
};

class PathGenerator {
 public:
  // REQUIRES: portfolio passed ValidatePortfolio.
  explicit PathGenerator(const Portfolio& portfolio);

  size_t partner_count() const { return own_loading_.size(); }
  // Index of partner i among DEALS partners, or -1.
  const std::vector<int>& deals_index() const { return deals_index_; }

  // Sizes `draws` for this portfolio (allocation happens here, not per path).
  void Prepare(PathDraws& draws) const;

  // Draws one path. REQUIRES: Prepare(draws).
  void Generate(BlockEngine& engine, PathDraws& draws) const;

  // The antithetic mirror of `draws`: every normal shock negated, every dormancy uniform
  // u -> 1 - u. Deal streams get fresh seeds: a mirror's deals are drawn independently.
  // REQUIRES: Prepare(mirror).
  void Mirror(const PathDraws& draws, PathDraws& mirror) const;

 private:
  int periods_;
  size_t segment_count_;
  size_t deals_partner_count_ = 0;
  std::vector<double> market_loading_;   // sqrt(rho_m)
  static constexpr uint32_t kNoSegment = UINT32_MAX;
  std::vector<double> segment_loading_;  // sqrt(rho_s), 0 without a segment
  std::vector<double> own_loading_;      // sqrt(1 - rho_m - rho_s)
  std::vector<uint32_t> segment_;        // segment index, or kNoSegment
  std::vector<double> mirror_factor_;    // exp(-sigma^2): the mirror shock is this / shock
  std::vector<double> shock_scale_;      // [i * periods + t - 1]: sigma_i
  std::vector<double> shock_drift_;      // [i * periods + t - 1]: -sigma_i^2 / 2
  std::vector<int> deals_index_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PATH_GENERATOR_H_
