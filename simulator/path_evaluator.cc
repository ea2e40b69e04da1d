#include "simulator/path_evaluator.h"

#include <algorithm>
#include <cmath>

#include "absl/container/inlined_vector.h"
#include "simulator/deal_stream.h"

namespace attain {
namespace {

// Doubles of drawn rows kept on the stack (2 x scenarios x periods; 8 KiB): a comparison
// of up to three plans over 60 periods, or of 16 plans over 12, needs no allocation.
constexpr size_t kInlineDrawnRows = 1024;

}  // namespace

PathEvaluator::PathEvaluator(const Portfolio& portfolio, const PathGenerator& generator,
                             const std::vector<std::vector<double>>& scenario_hours,
                             size_t detailed_scenarios)
    : periods_(static_cast<size_t>(portfolio.periods)),
      partners_(portfolio.partners.size()),
      detailed_scenarios_(detailed_scenarios),
      generator_(generator),
      mean_(scenario_hours.size(), std::vector<double>(partners_ * periods_)),
      survival_(scenario_hours.size(), std::vector<double>(partners_ * periods_)),
      mean_deal_size_(partners_),
      deal_log_sd_(partners_) {
  for (size_t i = 0; i < partners_; ++i) {
    const Partner& p = portfolio.partners[i];
    const bool deals = p.revenue_model == RevenueModel::kDeals;
    if (deals) {
      mean_deal_size_[i] = p.mean_deal_size;
      deal_log_sd_[i] = std::sqrt(std::log1p(p.deal_size_cv * p.deal_size_cv));
    }
    for (size_t s = 0; s < scenario_hours.size(); ++s) {
      const EngagementEffect effect =
          ComputeEngagementEffect(portfolio, p, scenario_hours[s][i]);
      double survival = 1;
      for (size_t t = 0; t < periods_; ++t) {
        survival *= 1.0 - effect.churn_hazard;
        survival_[s][i * periods_ + t] = survival;
        mean_[s][i * periods_ + t] =
            deals ? effect.mean_revenue[t] / p.mean_deal_size : effect.mean_revenue[t];
      }
    }
  }
  if (!generator.parameter_sampler().active()) return;
  scenario_hours_ = scenario_hours;
  for (int t = 1; t <= portfolio.periods; ++t) seasonality_.push_back(portfolio.Seasonality(t));
  for (size_t i = 0; i < partners_; ++i) {
    if (generator.parameter_sampler().drawn_index()[i] < 0) continue;
    const Partner& p = portfolio.partners[i];
    DrawnPartner drawn{i, p.half_effort_hours, p.growth_boost, p.retention_hours,
                       p.revenue_model == RevenueModel::kDeals ? p.mean_deal_size : 0.0, {}};
    for (int t = 1; t <= portfolio.periods; ++t) {  // as model.cc
      drawn.ramp.push_back(
          p.ramp_periods == 0 ? 1.0 : std::min(1.0, static_cast<double>(t) / p.ramp_periods));
    }
    drawn_partners_.push_back(std::move(drawn));
  }
}

// ComputeEngagementEffect (model.cc) and the tables above, with the path's parameters,
// in the same order of operations: at the partner's own values the rows are the tables'
// bit for bit.
void PathEvaluator::FillDrawnRows(size_t u, const DrawnParameters& drawn, double* rows) const {
  const DrawnPartner& p = drawn_partners_[u];
  for (size_t s = 0; s < scenario_count(); ++s) {
    const double hours = scenario_hours_[s][p.partner];
    const double saturation = hours / (hours + p.half_effort_hours);  // f(h)
    const double growth = drawn.growth_rate + p.growth_boost * saturation;
    const double hazard = drawn.churn_rate * p.retention_hours / (p.retention_hours + hours);
    double* mean = rows + s * periods_;
    double* survival = rows + (scenario_count() + s) * periods_;
    double compounded = 1.0;  // (1 + g_eff)^(t-1)
    double alive = 1;         // (1 - q)^t
    for (size_t t = 0; t < periods_; ++t) {
      const double lift = drawn.max_lift * saturation * p.ramp[t];
      const double mu = drawn.baseline_revenue * compounded * seasonality_[t] * (1.0 + lift);
      mean[t] = p.mean_deal_size > 0 ? mu / p.mean_deal_size : mu;
      compounded *= 1.0 + growth;
      alive *= 1.0 - hazard;
      survival[t] = alive;
    }
  }
}

double PathEvaluator::ExpectedRevenue(size_t s, size_t i) const {
  const double unit = generator_.deals_index()[i] >= 0 ? mean_deal_size_[i] : 1.0;
  double expected = 0;
  for (size_t t = 0; t < periods_; ++t) {
    expected += mean_[s][i * periods_ + t] * unit * survival_[s][i * periods_ + t];
  }
  return expected;
}

void PathEvaluator::Prepare(std::vector<PathRevenue>& revenue) const {
  revenue.resize(scenario_count());
  for (PathRevenue& r : revenue) {
    r.partner_revenue.resize(partners_);
    r.period_revenue.resize(periods_);
    r.dormant.resize(partners_);
  }
}

void PathEvaluator::Evaluate(const PathDraws& draws, std::vector<PathRevenue>& revenue,
                             std::span<double> deal_rates) const {
  if (drawn_partners_.empty()) {
    EvaluatePath<false>(draws, nullptr, revenue, deal_rates);
    return;
  }
  absl::InlinedVector<double, kInlineDrawnRows> drawn_rows(2 * scenario_count() * periods_);
  EvaluatePath<true>(draws, drawn_rows.data(), revenue, deal_rates);
}

template <bool kDraws>
void PathEvaluator::EvaluatePath(const PathDraws& draws, double* drawn_rows,
                                 std::vector<PathRevenue>& revenue,
                                 std::span<double> deal_rates) const {
  const std::vector<int>& deals_index = generator_.deals_index();
  for (PathRevenue& r : revenue) std::fill(r.period_revenue.begin(), r.period_revenue.end(), 0.0);
  for (size_t i = 0; i < partners_; ++i) {
    const double* drawn = nullptr;  // this path's rows of a drawn partner
    if constexpr (kDraws) {
      if (const int u = generator_.parameter_sampler().drawn_index()[i]; u >= 0) {
        FillDrawnRows(static_cast<size_t>(u), draws.parameters[static_cast<size_t>(u)],
                      drawn_rows);
        drawn = drawn_rows;
      }
    }
    const double alive_below = draws.dormancy_uniform[i];
    const size_t row = i * periods_;
    for (size_t s = 0; s < detailed_scenarios_; ++s) {
      const double survival =
          kDraws ? SurvivalRow(s, i, drawn)[periods_ - 1] : survival_[s][row + periods_ - 1];
      revenue[s].dormant[i] = !(alive_below < survival);
    }
    if (deals_index[i] >= 0) {
      const size_t first_cell = static_cast<size_t>(deals_index[i]) * periods_;
      for (PathRevenue& r : revenue) r.partner_revenue[i] = 0;
      for (size_t t = 0; t < periods_; ++t) {
        EvaluateDeals<kDraws>(i, t, first_cell + t, draws, drawn, revenue, deal_rates);
      }
      continue;
    }
    const double* shock = &draws.shock[row];
    for (size_t s = 0; s < scenario_count(); ++s) {
      const double* survival = kDraws ? SurvivalRow(s, i, drawn) : &survival_[s][row];
      const double* mean = kDraws ? MeanRow(s, i, drawn) : &mean_[s][row];
      double partner_total = 0;
      if (s < detailed_scenarios_) {
        double* period_revenue = revenue[s].period_revenue.data();
        for (size_t t = 0; t < periods_; ++t) {
          const double r = alive_below < survival[t] ? mean[t] * shock[t] : 0.0;
          period_revenue[t] += r;
          partner_total += r;
        }
      } else {
        for (size_t t = 0; t < periods_; ++t) {
          partner_total += alive_below < survival[t] ? mean[t] * shock[t] : 0.0;
        }
      }
      revenue[s].partner_revenue[i] = partner_total;
    }
  }
  for (PathRevenue& r : revenue) {
    double total = 0;
    for (const double partner : r.partner_revenue) total += partner;
    r.total = total;
  }
}

// The deals of a DEALS partner in one period are the arrivals of a unit-rate Poisson
// process up to time lambda (the period's expected deal count times the shock), so their
// number is Poisson(lambda). One process per cell, drawn from the cell's own stream and
// shared by every scenario: a scenario with a larger lambda closes the same deals and
// more. The stream yields the first arrival, then per deal its relative size
// exp(s xi - s^2/2) and the next arrival, so each scenario's sum is a prefix sum that
// does not depend on the other scenarios.
template <bool kDraws>
void PathEvaluator::EvaluateDeals(size_t partner, size_t t, size_t cell,
                                  const PathDraws& draws, const double* drawn,
                                  std::vector<PathRevenue>& revenue,
                                  std::span<double> deal_rates) const {
  const size_t k = partner * periods_ + t;
  const double alive_below = draws.dormancy_uniform[partner];
  // (lambda, scenario) for the scenarios in which the partner is alive, by lambda
  // (insertion sort: there are few scenarios).
  absl::InlinedVector<std::pair<double, size_t>, 8> horizon;
  for (size_t s = 0; s < scenario_count(); ++s) {
    const double survival = kDraws ? SurvivalRow(s, partner, drawn)[t] : survival_[s][k];
    const bool alive = alive_below < survival;
    const double mean = kDraws ? MeanRow(s, partner, drawn)[t] : mean_[s][k];
    const double lambda = alive ? mean * draws.shock[k] : 0.0;
    if (!deal_rates.empty()) deal_rates[cell * scenario_count() + s] = lambda;
    if (!alive) continue;
    size_t at = horizon.size();
    horizon.emplace_back();
    for (; at > 0 && horizon[at - 1].first > lambda; --at) horizon[at] = horizon[at - 1];
    horizon[at] = {lambda, s};
  }
  if (horizon.empty()) return;
  DealStream deals(draws.deal_seed[cell], deal_log_sd_[partner]);
  double relative_sum = 0;
  for (const auto& [lambda, s] : horizon) {
    while (deals.arrival() <= lambda) relative_sum += deals.Take();
    const double r = mean_deal_size_[partner] * relative_sum;
    if (s < detailed_scenarios_) revenue[s].period_revenue[t] += r;
    revenue[s].partner_revenue[partner] += r;
  }
}

}  // namespace attain
