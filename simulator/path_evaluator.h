// The payoff side of a path: what the portfolio earns on one PathDraws under each of a
// run's scenarios. A scenario is one engagement (hours per partner); the engine's
// scenarios are its plans and, last, the unassisted counterfactual (all hours 0). All
// scenarios are evaluated together on the same draws (common random numbers), so each
// random number, lognormal shock and deal is made once per path whatever the number of
// plans, and a scenario's revenue does not depend on which other scenarios are evaluated.
// A partner whose parameters the path draws (parameter_draws.h) gets its mean revenue and
// survival under every scenario from the path's parameters, computed as the model's
// (model.cc) are; every other partner's come from tables made once.
//
// A PathEvaluator is immutable after construction and may be shared across threads.
#ifndef ATTAIN_SIMULATOR_PATH_EVALUATOR_H_
#define ATTAIN_SIMULATOR_PATH_EVALUATOR_H_

#include <span>
#include <vector>

#include "simulator/model.h"
#include "simulator/path_generator.h"

namespace attain {

// What one path earns under one scenario.
struct PathRevenue {
  std::vector<double> partner_revenue;  // horizon revenue per partner
  std::vector<double> period_revenue;   // portfolio revenue per period
  std::vector<char> dormant;            // partner dormant by the end of the horizon
  double total = 0;                     // portfolio horizon revenue
  // P(total >= quota) given the path: its indicator, or the conditional probability
  // (path_attainment.h). Set by PathAttainment, not by the evaluator.
  double attainment = 0;
  // With the conditional estimator, its control variate: the revenue the path would
  // have at level 0 (PathAttainment::ControlMean).
  double attainment_control = 0;
};

class PathEvaluator {
 public:
  // Period revenue and dormancy are filled in for the first `detailed_scenarios`
  // scenarios only; the others get partner and total revenue.
  // REQUIRES: portfolio passed ValidatePortfolio; every hours vector has one entry per
  // partner; `generator` outlives this evaluator.
  PathEvaluator(const Portfolio& portfolio, const PathGenerator& generator,
                const std::vector<std::vector<double>>& scenario_hours,
                size_t detailed_scenarios);

  size_t scenario_count() const { return mean_.size(); }
  // Partner i's expected horizon revenue under scenario s, from the tables (without
  // parameter draws).
  double ExpectedRevenue(size_t s, size_t i) const;

  // Sizes `revenue` to one PathRevenue per scenario.
  void Prepare(std::vector<PathRevenue>& revenue) const;

  // DEALS cells of the generator (PathGenerator::deals_index), times scenarios: the
  // size of Evaluate's `deal_rates`.
  size_t deal_rate_count() const { return generator_.deal_cell_count() * scenario_count(); }

  // With `deal_rates` (deal_rate_count() entries), also writes each DEALS cell's expected
  // deal count on the path under each scenario, [cell * scenarios + s], 0 where the
  // partner is dormant: what the conditional estimator of P(attain) needs of the deals.
  // REQUIRES: Prepare(revenue); draws came from the generator given to the constructor.
  void Evaluate(const PathDraws& draws, std::vector<PathRevenue>& revenue,
                std::span<double> deal_rates = {}) const;

 private:
  // Evaluate, compiled twice: without drawn partners (kDraws false) it reads the tables
  // only, with no test per partner, so a run without parameter draws costs what it did
  // before they existed. `drawn_rows`: scratch for FillDrawnRows (kDraws only).
  template <bool kDraws>
  void EvaluatePath(const PathDraws& draws, double* drawn_rows, std::vector<PathRevenue>& revenue,
                    std::span<double> deal_rates) const;

  // The deals of one (partner, period) cell under every scenario; see the .cc. `drawn`:
  // the partner's rows on this path (FillDrawnRows), or nullptr for the tables'.
  template <bool kDraws>
  void EvaluateDeals(size_t partner, size_t t, size_t cell, const PathDraws& draws,
                     const double* drawn, std::vector<PathRevenue>& revenue,
                     std::span<double> deal_rates) const;

  // Partner i's mean_ and survival_ rows under scenario s: the tables', or (`drawn`
  // not null) the path's, laid out as FillDrawnRows writes them.
  const double* MeanRow(size_t s, size_t i, const double* drawn) const {
    return drawn != nullptr ? drawn + s * periods_ : &mean_[s][i * periods_];
  }
  const double* SurvivalRow(size_t s, size_t i, const double* drawn) const {
    return drawn != nullptr ? drawn + (scenario_count() + s) * periods_
                            : &survival_[s][i * periods_];
  }
  // Drawn partner u's mean and survival rows on one path under every scenario, from its
  // drawn parameters: [s * periods + t] means, then [(scenarios + s) * periods + t]
  // survivals. REQUIRES: `rows` holds 2 x scenarios x periods doubles.
  void FillDrawnRows(size_t u, const DrawnParameters& drawn, double* rows) const;

  // What a drawn partner's rows need besides its drawn parameters.
  struct DrawnPartner {
    size_t partner;  // index in the portfolio
    double half_effort_hours;
    double growth_boost;
    double retention_hours;
    double mean_deal_size;  // 0 for LOGNORMAL: the rows are revenue, not deal counts
    std::vector<double> ramp;  // ramp(t), t = 1..T
  };

  size_t periods_;
  size_t partners_;
  size_t detailed_scenarios_;
  const PathGenerator& generator_;
  // [scenario][i * periods + t - 1]: mu_t for LOGNORMAL; mu_t / m (expected deals) for DEALS.
  std::vector<std::vector<double>> mean_;
  // [scenario][i * periods + t - 1]: (1 - q_i)^t, the probability of being alive in period t.
  std::vector<std::vector<double>> survival_;
  std::vector<double> mean_deal_size_;  // m (DEALS only)
  std::vector<double> deal_log_sd_;     // s = sqrt(ln(1 + v^2)) (DEALS only)
  // Parameter uncertainty only (empty otherwise): per drawn partner, and the hours of
  // every scenario, [scenario][partner], and s_1..s_T.
  std::vector<DrawnPartner> drawn_partners_;
  std::vector<std::vector<double>> scenario_hours_;
  std::vector<double> seasonality_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PATH_EVALUATOR_H_
