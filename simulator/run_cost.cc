#include "simulator/run_cost.h"

#include <set>
#include <string>

#include "simulator/block_kernel.h"
#include "simulator/block_runner.h"
#include "simulator/path_attainment.h"
#include "simulator/run_sums.h"
#include "simulator/scenario_sample.h"
#include "simulator/validation.h"

namespace attain {
namespace {

struct Shape {
  size_t partners = 0;
  size_t periods = 0;
  size_t deals_partners = 0;
  // Partners with standard errors: drawn per path with parameter uncertainty (counted
  // whether or not a run draws them: a bound, and a small one).
  size_t error_partners = 0;
  size_t segments = 0;
  // DEALS partners' expected deals over the horizon at peak engagement: what a path's
  // conditional estimate of P(attain) keeps of them, about.
  double peak_deals = 0;
};

Shape ShapeOf(const Portfolio& portfolio) {
  Shape shape;
  shape.partners = portfolio.partners.size();
  shape.periods = static_cast<size_t>(portfolio.periods);
  std::set<std::string> segments;
  for (const Partner& p : portfolio.partners) {
    shape.deals_partners += p.revenue_model == RevenueModel::kDeals;
    shape.error_partners += p.errors.any();
    if (p.revenue_model == RevenueModel::kDeals) {
      shape.peak_deals += MaxExpectedPeriodRevenue(portfolio, p) / p.mean_deal_size *
                          static_cast<double>(portfolio.periods);
    }
    if (!p.segment.empty()) segments.insert(p.segment);
  }
  shape.segments = segments.size();
  return shape;
}

// PathGenerator's and PathEvaluator's tables.
size_t TableBytes(const Shape& s, size_t scenarios) {
  // Per partner: loadings, mirror factor, segment, deals index and drawn index.
  const size_t generator = s.partners * (4 * sizeof(double) + sizeof(uint32_t) + 2 * sizeof(int)) +
                           2 * s.partners * s.periods * sizeof(double);
  const size_t evaluator = 2 * scenarios * s.partners * s.periods * sizeof(double) +
                           2 * s.partners * sizeof(double);
  // The parameter sampler's and the evaluator's entries per drawn partner (some 24
  // numbers and a ramp), and the scenarios' hours that drawn rows need.
  const size_t drawn = s.error_partners == 0
                           ? 0
                           : s.error_partners * (24 + s.periods) * sizeof(double) +
                                 scenarios * s.partners * sizeof(double);
  return generator + evaluator + drawn;
}

// One copy of a path's draws and its revenue under every scenario.
size_t PathScratchBytes(const Shape& s, size_t scenarios) {
  const size_t draws = sizeof(PathDraws) + s.partners * s.periods * sizeof(double) +
                       s.partners * sizeof(double) +
                       s.deals_partners * s.periods * sizeof(uint64_t) +
                       (1 + s.segments) * s.periods * sizeof(double) +
                       s.error_partners * (kNormalsPerDrawnPartner * sizeof(double) +
                                           sizeof(DrawnParameters));
  // A drawn partner's rows on one path (PathEvaluator::FillDrawnRows), at most.
  const size_t drawn_rows =
      s.error_partners == 0 ? 0 : 2 * scenarios * s.periods * sizeof(double);
  const size_t revenue =
      scenarios * (sizeof(PathRevenue) + s.partners * (sizeof(double) + sizeof(char)) +
                   s.periods * sizeof(double));
  return draws + revenue + drawn_rows;
}

// The conditional estimate of P(attain)'s scratch for one path's deals (path_attainment.h):
// rates per cell and scenario, an offset per cell, and per deal walked (up to four times
// those expected at peak, PathAttainment's first reach) its arrival and size, its
// threshold and revenue, and their sort buffer.
size_t ConditionalScratchBytes(const Shape& s, size_t scenarios) {
  const size_t cells = s.deals_partners * s.periods;
  return cells * (scenarios * sizeof(double) + sizeof(size_t)) +
         static_cast<size_t>(4 * s.peak_deals) * 6 * sizeof(double);
}

// A RunSums of `plans` plans over `paths` paths: per plan and for the counterfactual,
// each path's revenue, attainment and attainment control.
size_t RunSumsBytes(const Shape& s, size_t plans, uint64_t paths) {
  const size_t per_plan = sizeof(PlanSums) + static_cast<size_t>(paths) * 3 * sizeof(double) +
                          s.periods * (sizeof(double) + sizeof(uint64_t)) +
                          s.partners * (sizeof(double) + sizeof(UnitSums) + sizeof(uint64_t));
  return sizeof(RunSums) + plans * per_plan + s.partners * sizeof(double) +
         static_cast<size_t>(paths) * 3 * sizeof(double);
}

double Work(const Shape& s, uint64_t paths) {
  return static_cast<double>(s.partners) * static_cast<double>(s.periods) *
         static_cast<double>(paths);
}

}  // namespace

uint64_t PathCap(const SimulationOptions& options) {
  const uint64_t cap = options.target_ci_half_width > 0 ? options.max_paths : options.paths;
  return options.antithetic ? cap + (cap & 1) : cap;
}

size_t ComparisonBlockBytes(const Portfolio& portfolio, size_t plan_count) {
  return RunSumsBytes(ShapeOf(portfolio), plan_count, kPathsPerBlock);
}

RunCost ComparisonCost(const Portfolio& portfolio, size_t plan_count,
                       const SimulationOptions& options, size_t sample_paths, int threads) {
  const Shape s = ShapeOf(portfolio);
  const uint64_t paths = PathCap(options);
  const size_t scenarios = plan_count + 1;
  // The run's totals, and the summary's scratch copy of one revenue column.
  const size_t totals = RunSumsBytes(s, plan_count, paths) + paths * sizeof(double);
  const size_t samples = plan_count * s.partners * (sample_paths * sizeof(float) +
                                                    2 * sizeof(double));
  const size_t copies = options.antithetic ? 2 : 1;
  const size_t conditional =
      ResolvedEstimator(options) == AttainmentEstimator::kConditional
          ? ConditionalScratchBytes(s, scenarios)
          : 0;
  const size_t per_worker = copies * PathScratchBytes(s, scenarios) + conditional +
                            kBlocksAheadPerWorker * RunSumsBytes(s, plan_count, kPathsPerBlock) +
                            sample_paths * sizeof(float);  // a percentile selection's scratch
  return {totals + samples + TableBytes(s, scenarios) +
              static_cast<size_t>(threads) * per_worker,
          Work(s, paths)};
}

RunCost SampleCost(const Portfolio& portfolio, size_t scenarios, uint64_t paths, int threads) {
  const Shape s = ShapeOf(portfolio);
  const size_t sample = ScenarioSample::Bytes(scenarios, s.partners, static_cast<size_t>(paths));
  const size_t per_worker = PathScratchBytes(s, scenarios);
  return {sample + TableBytes(s, scenarios) +
              static_cast<size_t>(threads) * per_worker,
          Work(s, paths)};
}

}  // namespace attain
