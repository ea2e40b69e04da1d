// Empirical Bayes shrinkage of per-partner estimates toward their pooled mean, the
// normal-normal model: estimate_i ~ N(theta_i, se_i^2), theta_i ~ N(mu, tau^2). tau^2 is
// the restricted maximum likelihood (REML) estimate; each theta_i's posterior mean pulls
// the estimate toward mu by se_i^2 / (se_i^2 + tau^2), its "shrinkage": noisy estimates
// move a lot, precise ones hardly.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_SHRINKAGE_H_
#define ATTAIN_SIMULATOR_SHRINKAGE_H_

#include <span>
#include <vector>

namespace attain {

struct Shrunk {
  double mean = 0;             // mu (PoolCenter)
  double mean_std_error = 0;   // of mu
  double between_sd = 0;       // tau
  std::vector<double> posterior;            // per estimate: E[theta_i | data]
  std::vector<double> posterior_std_error;  // including the uncertainty of mu
  std::vector<double> shrinkage;            // se_i^2 / (se_i^2 + tau^2), in [0, 1]
};

// Where the estimates shrink to.
enum class PoolCenter {
  kWeightedMean,  // mu weighted by 1 / (se_i^2 + tau^2): efficient when the errors do
                  // not depend on the estimates
  kMedian,        // the estimates' median, with the standard error of a median of
                  // normals: for estimates whose errors shrink with their value, where
                  // weighting would bias mu
};

// REQUIRES: at least one estimate; one standard error each, every one > 0.
Shrunk ShrinkTowardTheMean(std::span<const double> estimates, std::span<const double> std_errors,
                           PoolCenter center = PoolCenter::kWeightedMean);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_SHRINKAGE_H_
