#include "simulator/path_attainment.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "simulator/fast_exp.h"
#include "simulator/normal_tail.h"
#include "simulator/portable_log.h"

namespace attain {
namespace {

// See walk_bounded_.
constexpr double kMaxDealWalk = 16;
// A stalled bracket with at most this many arrivals in it is split at them.
constexpr size_t kMaxJumpsToSplit = 16;

}  // namespace

PathAttainment::PathAttainment(const Portfolio& portfolio, const PathGenerator& generator,
                               const PathEvaluator& evaluator, AttainmentEstimator estimator)
    : generator_(generator),
      estimator_(estimator),
      quota_(portfolio.quota),
      scenarios_(evaluator.scenario_count()),
      level_loading_(portfolio.partners.size()),
      factor_weight_(1 + generator.segment_count()) {
  const size_t partners = portfolio.partners.size();
  // The direction along which revenue moves most, to first order: each factor weighted
  // by how much revenue loads on it.
  for (size_t i = 0; i < partners; ++i) {
    const double weight = portfolio.partners[i].baseline_revenue * generator.volatility(i);
    factor_weight_[0] += weight * generator.market_loading(i);
    if (generator.segment(i) != PathGenerator::kNoSegment) {
      factor_weight_[1 + generator.segment(i)] += weight * generator.segment_loading(i);
    }
  }
  double norm = 0;
  for (const double w : factor_weight_) norm += w * w;
  norm = std::sqrt(norm);
  any_loading_ = norm > 0;
  if (any_loading_) {
    for (double& w : factor_weight_) w /= norm;
  }
  const double root_periods = std::sqrt(static_cast<double>(generator.periods()));
  for (size_t i = 0; i < partners && any_loading_; ++i) {
    double loading = generator.market_loading(i) * factor_weight_[0];
    if (generator.segment(i) != PathGenerator::kNoSegment) {
      loading += generator.segment_loading(i) * factor_weight_[1 + generator.segment(i)];
    }
    level_loading_[i] = generator.volatility(i) * loading / root_periods;
  }
  // Deals are walked as far as the level shifts revenue, up to exp(2 kLevelBound k_i)
  // times their rates; where that is more than kMaxDealWalk times the deals themselves,
  // on average, the run counts paths instead.
  double deals = 0;
  double walked = 0;
  for (size_t i = 0; i < partners && any_loading_; ++i) {
    const Partner& p = portfolio.partners[i];
    if (p.revenue_model != RevenueModel::kDeals) continue;
    const double expected = evaluator.ExpectedRevenue(0, i) / p.mean_deal_size;
    deals += expected;
    walked += expected * FastExp(2 * kLevelBound * level_loading_[i]);
  }
  walk_bounded_ = walked <= kMaxDealWalk * deals;
  controlled_ = conditional() && !generator.parameter_sampler().active();
  for (size_t s = 0; s < scenarios_ && controlled_; ++s) {
    double mean = 0;
    for (size_t i = 0; i < partners; ++i) {
      const double k = level_loading_[i];
      mean += evaluator.ExpectedRevenue(s, i) * FastExp(-0.5 * k * k);
    }
    control_mean_.push_back(mean);
  }
  for (size_t i = 0; i < partners; ++i) {
    const Partner& p = portfolio.partners[i];
    if (p.revenue_model != RevenueModel::kDeals) {
      if (level_loading_[i] > 0) moving_lognormal_.push_back(i);
      continue;
    }
    deals_partner_.push_back(i);
    deal_log_sd_.push_back(std::sqrt(std::log1p(p.deal_size_cv * p.deal_size_cv)));
    mean_deal_size_.push_back(p.mean_deal_size);
  }
}

double PathAttainment::Level(const PathDraws& draws) const {
  const size_t stride = factor_weight_.size();
  double level = 0;
  for (size_t t = 0; t < generator_.periods(); ++t) {
    for (size_t k = 0; k < stride; ++k) level += factor_weight_[k] * draws.factors[t * stride + k];
  }
  return level / std::sqrt(static_cast<double>(generator_.periods()));
}

void PathAttainment::Fill(const PathDraws& draws, std::span<const double> deal_rates,
                          std::vector<PathRevenue>& revenue, Scratch& scratch) const {
  if (!conditional()) {  // counted, as asked or where the conditional steps aside
    for (PathRevenue& r : revenue) r.attainment = r.total >= quota_ ? 1.0 : 0.0;
    return;
  }
  const size_t cells = generator_.deal_cell_count();
  const size_t periods = generator_.periods();
  scratch.cells.resize(cells);
  for (size_t c = 0; c < cells; ++c) {
    Scratch::Cell& cell = scratch.cells[c];
    cell.stream.emplace(draws.deal_seed[c], deal_log_sd_[c / periods]);
    cell.covered = 0;
    cell.arrival.clear();
    cell.relative_to.clear();
  }
  const double level = Level(draws);
  for (size_t s = 0; s < revenue.size(); ++s) {
    revenue[s].attainment = Conditional(s, level, deal_rates, revenue[s], scratch);
    if (controlled_) {
      Slope unused;
      revenue[s].attainment_control =
          FixedRevenue(revenue[s]) +
          RevenueAtShift(s, -level, deal_rates, revenue[s], scratch, &unused);
    }
  }
}

double PathAttainment::FixedRevenue(const PathRevenue& revenue) const {
  double fixed = 0;
  for (size_t i = 0; i < level_loading_.size(); ++i) {
    if (level_loading_[i] == 0) fixed += revenue.partner_revenue[i];
  }
  return fixed;
}

bool PathAttainment::SplitAtArrivals(size_t s, double low, double high,
                                     std::span<const double> deal_rates,
                                     Scratch& scratch) const {
  const size_t periods = generator_.periods();
  scratch.jumps.clear();
  for (size_t j = 0; j < deals_partner_.size(); ++j) {
    const double k = level_loading_[deals_partner_[j]];
    if (k == 0) continue;
    const double factor_low = FastExp(k * low);
    const double factor_high = FastExp(k * high);
    for (size_t c = j * periods; c < (j + 1) * periods; ++c) {
      const double rate = deal_rates[c * scenarios_ + s];
      // Walked past high by the evaluation there.
      for (const double arrival : scratch.cells[c].arrival) {
        if (arrival <= rate * factor_low) continue;
        if (arrival > rate * factor_high) break;
        if (scratch.jumps.size() == kMaxJumpsToSplit) return false;
        // Past rounding of exp(k d) on either side: a few ulps of the factor, in d.
        const double position = PortableLog(arrival / rate) / k;
        scratch.jumps.emplace_back(position, 1e-13 * (1 + std::fabs(position)) / k);
      }
    }
  }
  std::sort(scratch.jumps.begin(), scratch.jumps.end());
  return !scratch.jumps.empty();
}

void PathAttainment::Walk(double reach, Scratch::Cell& cell) {
  DealStream& stream = *cell.stream;
  while (stream.arrival() <= reach) {
    cell.arrival.push_back(stream.arrival());
    const double size = stream.Take();
    cell.relative_to.push_back((cell.relative_to.empty() ? 0.0 : cell.relative_to.back()) + size);
  }
  cell.covered = reach;
}

double PathAttainment::RevenueAtShift(size_t s, double d, std::span<const double> deal_rates,
                                      const PathRevenue& revenue, Scratch& scratch,
                                      Slope* slope) const {
  double total = 0;
  double local = 0;
  for (const size_t i : moving_lognormal_) {
    const double moved = revenue.partner_revenue[i] * FastExp(level_loading_[i] * d);
    total += moved;
    local += level_loading_[i] * moved;
  }
  double average = local;
  const size_t periods = generator_.periods();
  for (size_t j = 0; j < deals_partner_.size(); ++j) {
    const double k = level_loading_[deals_partner_[j]];
    if (k == 0) continue;
    const double factor = FastExp(k * d);
    double relative = 0;
    for (size_t c = j * periods; c < (j + 1) * periods; ++c) {
      const double reach = deal_rates[c * scenarios_ + s] * factor;  // 0 when dormant
      Scratch::Cell& cell = scratch.cells[c];
      if (reach > cell.covered) Walk(reach, cell);
      // Counted without a branch per arrival (they are ascending).
      size_t taken = 0;
      for (const double arrival : cell.arrival) taken += arrival <= reach;
      relative += taken == 0 ? 0.0 : cell.relative_to[taken - 1];
    }
    const double deals = mean_deal_size_[j] * relative;
    total += deals;
    average += k * deals;
  }
  slope->local = local;
  slope->average = average;
  return total;
}

// The least shift d* in [-kLevelBound - u, kLevelBound - u] at which revenue reaches the
// quota: bracketed from d = 0 outwards on the average slope, then narrowed by Newton
// steps on the local slope (exact between deal arrivals). When they stall, an arrival is
// near the root: the bracket is split at its arrivals, which leaves either the root at
// an arrival or a piece without arrivals, where Newton converges.
double PathAttainment::Conditional(size_t s, double level, std::span<const double> deal_rates,
                                   const PathRevenue& revenue, Scratch& scratch) const {
  const double lowest = -kLevelBound - level;
  const double highest = kLevelBound - level;
  const double fixed = FixedRevenue(revenue);
  // A shift tried: its gap to the quota and its slopes.
  struct Point {
    double d = 0;
    double gap = 0;
    Slope slope;
  };
  const auto at = [&](double d) {
    Point point{d, 0, {}};
    point.gap = fixed + RevenueAtShift(s, d, deal_rates, revenue, scratch, &point.slope) - quota_;
    return point;
  };
  // Bracket: step away from 0 towards the quota on the average slope, doubling.
  Point low = at(0);  // revenue below quota (once found)
  Point high = low;   // revenue at or above quota (once found)
  double step = low.slope.average > 0 ? std::fabs(low.gap) / low.slope.average : 1.0;
  if (low.gap >= 0) {
    do {
      high = low;
      if (high.d <= lowest) return 1;  // reaches the quota even at level -kLevelBound
      low = at(std::max(lowest, high.d - 1.25 * step - kShiftTolerance));
      step *= 2;
    } while (low.gap >= 0);
  } else {
    do {
      low = high;
      if (low.d >= highest) return 0;  // short of the quota even at level +kLevelBound
      high = at(std::min(highest, low.d + 1.25 * step + kShiftTolerance));
      step *= 2;
    } while (high.gap < 0);
  }
  // Narrow [low, high] by Newton steps on the local slope, overshooting by 0.4
  // tolerance so that the last two land on either side of the root, and bisecting when
  // a step does not halve the one before. Where no deal arrives in the bracket, revenue is smooth and
  // convex there and Newton converges fast; where a few arrive, the bracket is first
  // split at them, which leaves the root at an arrival or a piece without one.
  // Splits are tried under this width (none once one has left no arrival in the bracket,
  // or after one found too many, until the bracket is 8 times narrower).
  double split_below = std::numeric_limits<double>::infinity();
  double last_step = std::numeric_limits<double>::infinity();
  bool high_moved_last = true;
  const auto keep = [&](const Point& point) {
    high_moved_last = point.gap >= 0;
    (high_moved_last ? high : low) = point;
  };
  while (high.d - low.d > kShiftTolerance) {
    const double width = high.d - low.d;
    // Newton from the end moved last (the closer one), while its steps at least halve.
    const Point& from = high_moved_last ? high : low;
    if (from.slope.local > 0) {
      const double overshoot = from.gap >= 0 ? -0.4 * kShiftTolerance : 0.4 * kShiftTolerance;
      const double newton = from.d - from.gap / from.slope.local + overshoot;
      const double newton_step = std::fabs(newton - from.d);
      if (newton > low.d && newton < high.d && newton_step <= 0.5 * last_step) {
        last_step = newton_step;
        keep(at(newton));
        continue;
      }
    }
    last_step = std::numeric_limits<double>::infinity();
    // Newton stalled. The LOGNORMAL part is convex, so its slope on the bracket is at
    // most high's: revenue rising by more means deals arrive in the bracket.
    const bool arrivals_inside =
        high.gap - low.gap > high.slope.local * width * (1 + 1e-9) + 1e-12 * quota_;
    if (arrivals_inside && width < split_below &&
        SplitAtArrivals(s, low.d, high.d, deal_rates, scratch)) {
      // The first arrival past which revenue reaches the quota, by bisection over them.
      const auto& jumps = scratch.jumps;
      size_t first = 0;
      size_t last = jumps.size();
      while (first < last) {
        const size_t mid = (first + last) / 2;
        const Point above = at(jumps[mid].first + jumps[mid].second);
        keep(above);
        if (above.gap >= 0) {
          last = mid;
        } else {
          first = mid + 1;
        }
      }
      split_below = 0;
      if (first == jumps.size()) continue;  // the root is past every arrival
      const Point below = at(jumps[first].first - jumps[first].second);
      if (below.gap < 0) {  // the arrival takes revenue across the quota
        low = below;
        break;
      }
      keep(below);  // the root is in the piece before the arrival
      continue;
    }
    if (arrivals_inside && width < split_below) split_below = width / 8;
    keep(at(0.5 * (low.d + high.d)));
  }
  return NormalUpperTail(level + 0.5 * (low.d + high.d));
}

}  // namespace attain
