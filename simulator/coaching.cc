#include "simulator/coaching.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "simulator/plan_state.h"

namespace attain {
namespace {

// Student's t quantile for a 95% interval with kJackknifeGroups - 1 = 19 degrees of
// freedom: the jackknife variance has that many.
constexpr double kT95Jackknife = 2.093024054408263;

// A plan's score on the whole validation sample, then with each group of paths left out.
struct Replicates {
  Score full;
  std::vector<Score> left_out;  // kJackknifeGroups entries
};

Replicates ReplicatesOf(PlanState& state, const std::vector<double>& totals) {
  Replicates r;
  r.full = state.ScoreTotals(totals);
  const size_t n = totals.size();
  std::vector<double> kept;
  kept.reserve(n);
  for (int g = 0; g < kJackknifeGroups; ++g) {
    const size_t begin = n * g / kJackknifeGroups;
    const size_t end = n * (g + 1) / kJackknifeGroups;
    kept.assign(totals.begin(), totals.begin() + static_cast<std::ptrdiff_t>(begin));
    kept.insert(kept.end(), totals.begin() + static_cast<std::ptrdiff_t>(end), totals.end());
    r.left_out.push_back(state.ScoreTotals(kept));
  }
  return r;
}

// The grouped jackknife's 95% interval around `estimate`, the statistic on the whole
// sample; statistic(g) is its value with group g left out.
template <class Statistic>
Interval JackknifeInterval(double estimate, Statistic statistic) {
  double mean = 0;
  for (int g = 0; g < kJackknifeGroups; ++g) mean += statistic(g);
  mean /= kJackknifeGroups;
  double squares = 0;
  for (int g = 0; g < kJackknifeGroups; ++g) squares += std::pow(statistic(g) - mean, 2);
  const double half =
      kT95Jackknife * std::sqrt(squares * (kJackknifeGroups - 1) / kJackknifeGroups);
  return {estimate - half, estimate + half};
}

// `after` minus `before` on the validation sample: the objective's difference with a
// jackknife interval (the objective may be a quantile), expected revenue's paired.
PlanEffect EffectOf(PlanState& state, const std::vector<double>& before,
                    const std::vector<double>& after) {
  const Replicates a = ReplicatesOf(state, after);
  const Replicates b = ReplicatesOf(state, before);
  PlanEffect effect;
  effect.objective = a.full.objective - b.full.objective;
  effect.objective_interval = JackknifeInterval(effect.objective, [&](int g) {
    return a.left_out[g].objective - b.left_out[g].objective;
  });
  const UnitSums gain =
      SumUnits(after.size(), false, [&](size_t j) { return after[j] - before[j]; });
  effect.revenue = gain.Mean();
  effect.revenue_interval = gain.NormalInterval();
  return effect;
}

double Clamp100(double share) { return std::clamp(100 * share, 0.0, 100.0); }

// The score and its basis from the three plans' replicates (docs/model.md, "Coaching").
void ScorePlan(const Replicates& plan, const Replicates& best, const Replicates& floor,
               Coaching& result) {
  const auto gain = [&](const Score& p, const Score& f) { return p.objective - f.objective; };
  // The reference is the better of the plan and the best plan found.
  const auto reach = [&](const Score& p, const Score& b, const Score& f) {
    return std::max(p.objective, b.objective) - f.objective;
  };
  result.plan_gain = gain(plan.full, floor.full);
  result.plan_gain_interval = JackknifeInterval(
      result.plan_gain, [&](int g) { return gain(plan.left_out[g], floor.left_out[g]); });
  result.achievable_gain = gain(best.full, floor.full);
  result.achievable_gain_interval = JackknifeInterval(
      result.achievable_gain, [&](int g) { return gain(best.left_out[g], floor.left_out[g]); });
  const double reached = reach(plan.full, best.full, floor.full);
  const Interval reached_interval = JackknifeInterval(reached, [&](int g) {
    return reach(plan.left_out[g], best.left_out[g], floor.left_out[g]);
  });
  if (reached_interval.low <= 0) {
    result.basis = ScoreBasis::kNothingToGain;
    result.score = 100;
    result.score_interval = {100, 100};
    return;
  }
  // A replicate with nothing reached has captured all of it.
  const auto share = [&](const Score& p, const Score& b, const Score& f) {
    const double r = reach(p, b, f);
    return r > 0 ? gain(p, f) / r : 1.0;
  };
  const double estimate = share(plan.full, best.full, floor.full);
  const Interval interval = JackknifeInterval(estimate, [&](int g) {
    return share(plan.left_out[g], best.left_out[g], floor.left_out[g]);
  });
  result.basis = plan.full.objective > best.full.objective ? ScoreBasis::kAboveFoundBest
                 : estimate < 0                            ? ScoreBasis::kBelowFloor
                                                           : ScoreBasis::kShareOfGain;
  result.score = Clamp100(estimate);
  result.score_interval = {Clamp100(interval.low), Clamp100(interval.high)};
}

PartnerFeedback FeedbackFor(const Portfolio& portfolio, size_t i, Tier plan_tier, Tier best_tier,
                            double plan_hours, double best_hours) {
  const Partner& p = portfolio.partners[i];
  PartnerFeedback feedback;
  feedback.partner_id = p.id;
  feedback.plan_tier = plan_tier;
  feedback.best_tier = best_tier;
  if (std::abs(plan_hours - best_hours) <= kHoursTolerance) {
    feedback.reason = ExplainKept(portfolio, p, plan_tier);
    return feedback;
  }
  feedback.reason = ExplainChange(portfolio, p, plan_tier, best_tier);
  if (plan_hours > best_hours) {
    feedback.code = FeedbackCode::kOverInvested;
    return feedback;
  }
  // Hours saved from dormancy count only where dormancy is likely; elsewhere the lift is
  // what the hours buy.
  const ReasonFacts& f = feedback.reason.facts;
  if (f.compared_dormancy_probability >= kLikelyDormancy &&
      f.compared_dormancy_probability - f.dormancy_probability >= kDormancyRiskGap) {
    feedback.code = FeedbackCode::kRetentionRisk;
    feedback.reason.code = ReasonCode::kDormancyRisk;
  } else {
    feedback.code = FeedbackCode::kUnderInvested;
    feedback.reason.code = ReasonCode::kHighLiftPerHour;
  }
  return feedback;
}

// The partner's share of revenue it would sell unassisted, at `hours`.
double UnassistedShare(const Portfolio& portfolio, const Partner& p, double hours) {
  const double assisted = ExpectedPartnerRevenue(portfolio, p, hours);
  return assisted > 0 ? ExpectedPartnerRevenue(portfolio, p, 0) / assisted : 1;
}

void DescribeHours(const Portfolio& portfolio, const ResolvedPlan& plan, PortfolioFeedback& out) {
  out.hours_used = plan.hours_used;
  out.capacity_hours = portfolio.capacity_hours;
  out.over_capacity = plan.hours_used > portfolio.capacity_hours + kHoursTolerance;
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    if (plan.hours[i] <= 0 ||
        UnassistedShare(portfolio, portfolio.partners[i], plan.hours[i]) < kSelfSufficientShare) {
      continue;
    }
    out.self_sufficient_hours += plan.hours[i];
    ++out.self_sufficient_partners;
  }
  out.self_sufficient_hours_share =
      out.hours_used > 0 ? out.self_sufficient_hours / out.hours_used : 0;
}

void DescribeConcentration(const PlanOutcome& outcome, PortfolioFeedback& out) {
  std::vector<std::pair<double, size_t>> revenue;  // (expected revenue, partner)
  double total = 0;
  for (size_t i = 0; i < outcome.partners.size(); ++i) {
    revenue.emplace_back(outcome.partners[i].expected_revenue, i);
    total += outcome.partners[i].expected_revenue;
  }
  if (revenue.empty() || total <= 0) return;
  std::sort(revenue.begin(), revenue.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  out.largest_partner_id = outcome.partners[revenue[0].second].partner_id;
  out.largest_revenue_share = revenue[0].first / total;
  double squares = 0;
  for (size_t k = 0; k < revenue.size(); ++k) {
    const double share = revenue[k].first / total;
    if (k < 3) out.top3_revenue_share += share;
    squares += share * share;
  }
  out.effective_partners = 1 / squares;
}

// Greedy steps from the plan toward the best plan (PortfolioFeedback::top_moves).
class MoveFinder {
 public:
  MoveFinder(PlanState& state, const std::vector<Tier>& plan, const std::vector<Tier>& best)
      : state_(state), tiers_(plan), best_(best), totals_(state.TotalsOf(plan)) {
    for (size_t i = 0; i < tiers_.size(); ++i) hours_ += state_.HoursOf(i, tiers_[i]);
  }

  std::vector<CoachingMove> Find(const Portfolio& portfolio, size_t steps) {
    std::vector<CoachingMove> moves;
    while (moves.size() < steps && !state_.monitor().Poll()) {
      const std::vector<size_t> step = BestStep();
      if (step.empty()) break;
      std::vector<double> after = totals_;
      CoachingMove move;
      for (const size_t i : step) {
        state_.AddMove(i, tiers_[i], best_[i], after);
        const double change = state_.HoursOf(i, best_[i]) - state_.HoursOf(i, tiers_[i]);
        move.changes.push_back({portfolio.partners[i].id, tiers_[i], best_[i], change});
        hours_ += change;
        tiers_[i] = best_[i];
      }
      move.effect = EffectOf(state_, totals_, after);
      totals_ = std::move(after);
      moves.push_back(std::move(move));
    }
    return moves;
  }

 private:
  struct Candidate {
    std::vector<size_t> partners;
    Score score;
    double hours_change = 0;
  };

  double Change(size_t i) const { return state_.HoursOf(i, best_[i]) - state_.HoursOf(i, tiers_[i]); }

  Score ScoreAfter(const std::vector<size_t>& partners) {
    scratch_ = totals_;
    for (const size_t i : partners) state_.AddMove(i, tiers_[i], best_[i], scratch_);
    return state_.ScoreTotals(scratch_);
  }

  // The partners of the best step left, or none when no step improves the plan (a plan
  // over the capacity may also step down in hours).
  std::vector<size_t> BestStep() {
    std::vector<Candidate> singles;
    for (size_t i = 0; i < tiers_.size(); ++i) {
      if (tiers_[i] == best_[i]) continue;
      singles.push_back({{i}, ScoreAfter({i}), Change(i)});
    }
    // Steps that free hours, least harmful first: they fund a step that would not fit.
    std::vector<const Candidate*> freeing;
    for (const Candidate& c : singles) {
      if (c.hours_change < 0) freeing.push_back(&c);
    }
    std::sort(freeing.begin(), freeing.end(), [](const Candidate* a, const Candidate* b) {
      return Ahead(a->score, b->score);
    });
    std::vector<Candidate> candidates;
    for (const Candidate& c : singles) {
      if (c.hours_change <= 0 || state_.Fits(hours_ + c.hours_change)) {
        candidates.push_back(c);
        continue;
      }
      for (const Candidate* f : freeing) {
        if (!state_.Fits(hours_ + c.hours_change + f->hours_change)) continue;
        std::vector<size_t> pair = {f->partners[0], c.partners[0]};
        candidates.push_back({pair, ScoreAfter(pair), c.hours_change + f->hours_change});
        break;
      }
    }
    const Score now = state_.ScoreTotals(totals_);
    const bool over = !state_.Fits(hours_);
    const Candidate* chosen = nullptr;
    for (const Candidate& c : candidates) {
      const bool useful = Ahead(c.score, now) || (over && c.hours_change < 0);
      if (useful && (chosen == nullptr || Ahead(c.score, chosen->score))) chosen = &c;
    }
    return chosen ? chosen->partners : std::vector<size_t>{};
  }

  // Higher objective, then higher expected revenue.
  static bool Ahead(const Score& a, const Score& b) {
    return a.objective > b.objective ||
           (a.objective == b.objective && a.expected_revenue > b.expected_revenue);
  }

  PlanState& state_;
  std::vector<Tier> tiers_;
  const std::vector<Tier>& best_;
  std::vector<double> totals_;
  std::vector<double> scratch_;
  double hours_ = 0;
};

}  // namespace

const char* FeedbackCodeName(FeedbackCode code) {
  switch (code) {
    case FeedbackCode::kAligned: return "ALIGNED";
    case FeedbackCode::kOverInvested: return "OVER_INVESTED";
    case FeedbackCode::kUnderInvested: return "UNDER_INVESTED";
    case FeedbackCode::kRetentionRisk: return "RETENTION_RISK";
    case FeedbackCode::kOverCapacity: return "OVER_CAPACITY";
  }
  return "ALIGNED";
}

const char* ScoreBasisName(ScoreBasis basis) {
  switch (basis) {
    case ScoreBasis::kShareOfGain: return "SHARE_OF_GAIN";
    case ScoreBasis::kNothingToGain: return "NOTHING_TO_GAIN";
    case ScoreBasis::kAboveFoundBest: return "ABOVE_FOUND_BEST";
    case ScoreBasis::kBelowFloor: return "BELOW_FLOOR";
  }
  return "SHARE_OF_GAIN";
}

Violations CoachingViolations::Under(absl::string_view portfolio_path,
                                     absl::string_view plan_path,
                                     absl::string_view simulation_path) const {
  Violations all;
  all.Append(portfolio_path, portfolio);
  all.Append(plan_path, plan);
  all.Append(simulation_path, simulation);
  return all;
}

CoachingViolations ValidateCoaching(const Engine& engine, const Portfolio& portfolio,
                                    const Plan& plan, const CoachOptions& options) {
  RunViolations run = engine.Validate(portfolio, std::vector<Plan>{plan}, options.simulation);
  CoachingViolations v{std::move(run.portfolio), {}, std::move(run.options)};
  if (!run.plans.empty()) v.plan = std::move(run.plans[0]);
  if (!plan.hours.empty()) {
    v.plan.Add("hours", "coaching scores tiers: set tiers only (a partner's hours_override "
                        "in the portfolio applies at every tier)");
  }
  if (options.simulation.antithetic) {
    v.simulation.Add("antithetic", "is not used by coaching; leave it unset");
  }
  if (options.simulation.target_ci_half_width > 0) {
    v.simulation.Add("target_ci_half_width", "is not used by coaching: set paths instead");
  }
  if (options.simulation.paths < kMinCoachingPaths) {
    v.simulation.Add("paths", absl::StrCat("coaching needs at least ", kMinCoachingPaths,
                                           " paths for a score worth its interval, got ",
                                           options.simulation.paths));
  }
  return v;
}

RunCost CoachingCost(const Engine& engine, const Portfolio& portfolio,
                     const CoachOptions& options) {
  RecommendOptions search;
  search.simulation = options.simulation;
  const RunCost searching = TierSearchCost(engine, portfolio, search);
  const RunCost validating = engine.CompareCost(portfolio, 3, options.simulation);
  // The validation sample, with the three plans' totals and a few more vectors of paths.
  const RunCost checking = engine.SampleCost(portfolio, kTiers.size(), options.simulation.paths);
  const size_t path_vectors = 8 * options.simulation.paths * sizeof(double);
  return {std::max({searching.memory_bytes, validating.memory_bytes,
                    checking.memory_bytes + path_vectors}),
          searching.work + validating.work + checking.work};
}

absl::StatusOr<Coaching> CoachPlanChecked(Engine& engine, const Portfolio& portfolio,
                                          const Plan& plan, const CoachOptions& options,
                                          const RunControl& control) {
  Coaching result;
  result.objective = options.objective;
  result.optimization_seed = options.simulation.seed ? *options.simulation.seed : DrawSeed();
  result.validation_seed = ValidationSeed(result.optimization_seed);

  RecommendOptions search;
  search.objective = options.objective;
  search.simulation = options.simulation;
  search.simulation.seed = result.optimization_seed;
  search.method = options.method;
  absl::StatusOr<std::vector<Tier>> best = SearchTiersChecked(engine, portfolio, search, control);
  if (!best.ok()) return best.status();

  const ResolvedPlan resolved = ResolvePlan(portfolio, plan);
  result.plan = PlanOf(portfolio, resolved.tiers, plan.name.empty() ? "your plan" : plan.name);
  result.best_plan = PlanOf(portfolio, *best, "best plan found");
  const std::vector<Tier> floor(portfolio.partners.size(), Tier::kOpportunistic);
  result.floor_plan = PlanOf(portfolio, floor, "floor (every partner OPPORTUNISTIC)");

  SimulationOptions validation = options.simulation;
  validation.seed = result.validation_seed;
  // Counted, as the scores computed on the same paths (the validation sample) are.
  validation.attainment_estimator = AttainmentEstimator::kPathCount;
  const Plan plans[] = {result.plan, result.best_plan, result.floor_plan};
  absl::StatusOr<Comparison> compared = engine.CompareChecked(portfolio, plans, validation, control);
  if (!compared.ok()) return compared.status();
  result.validation = std::move(*compared);
  absl::StatusOr<ScenarioSample> check =
      engine.SampleScenarios(portfolio, TierScenarios(portfolio), validation.paths,
                             result.validation_seed, control, validation.parameter_uncertainty);
  if (!check.ok()) return check.status();

  SearchMonitor monitor({}, control.cancelled);
  PlanState state(portfolio, *check, options.objective,
                  {std::vector<char>(portfolio.partners.size(), 0), kNoChangeLimit}, monitor);
  const std::vector<double> plan_totals = state.TotalsOf(resolved.tiers);
  ScorePlan(ReplicatesOf(state, plan_totals), ReplicatesOf(state, state.TotalsOf(*best)),
            ReplicatesOf(state, state.TotalsOf(floor)), result);

  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    PartnerFeedback feedback =
        FeedbackFor(portfolio, i, resolved.tiers[i], (*best)[i],
                    state.HoursOf(i, resolved.tiers[i]), state.HoursOf(i, (*best)[i]));
    if (feedback.code != FeedbackCode::kAligned) {
      std::vector<double> moved = plan_totals;
      state.AddMove(i, resolved.tiers[i], (*best)[i], moved);
      feedback.to_best = EffectOf(state, plan_totals, moved);
    }
    result.partners.push_back(std::move(feedback));
    if (monitor.Poll()) return absl::CancelledError("coaching cancelled");
  }
  DescribeHours(portfolio, resolved, result.portfolio);
  DescribeConcentration(result.validation.outcomes[0], result.portfolio);
  result.portfolio.top_moves = MoveFinder(state, resolved.tiers, *best).Find(portfolio, 3);
  if (monitor.stopped()) return absl::CancelledError("coaching cancelled");
  return result;
}

}  // namespace attain
