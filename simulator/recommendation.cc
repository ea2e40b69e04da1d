#include "simulator/recommendation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "simulator/exhaustive_search.h"
#include "simulator/heuristic_search.h"
#include "simulator/random.h"

namespace attain {
namespace {

using Phase = RecommendProgress::Phase;

// Vectors of path revenue a search holds besides the exhaustive search's per-depth ones:
// the plan's totals, a candidate's, a combination's, and a plan summed from the sample.
constexpr size_t kSearchPathVectors = 4;

// The engine's progress of one phase as recommendation progress; cancellation and path
// counts as the caller's.
RunControl PhaseControl(const RunControl& control, const RecommendProgressCallback& on_progress,
                        Phase phase) {
  RunControl phased;
  phased.cancelled = control.cancelled;
  phased.on_paths = control.on_paths;
  if (on_progress) {
    phased.on_progress = [&on_progress, phase](const Progress& engine_progress) {
      RecommendProgress progress;
      progress.phase = phase;
      progress.paths_done = engine_progress.paths_done;
      progress.paths_planned = engine_progress.paths_planned;
      on_progress(progress);
    };
  }
  return phased;
}

std::vector<Tier> CurrentTiers(const Portfolio& portfolio) {
  std::vector<Tier> tiers;
  for (const Partner& p : portfolio.partners) tiers.push_back(p.tier);
  return tiers;
}

std::vector<char> LockedPartners(const Portfolio& portfolio, const RecommendOptions& options) {
  const std::set<std::string_view> locked(options.locked_partner_ids.begin(),
                                          options.locked_partner_ids.end());
  std::vector<char> out;
  for (const Partner& p : portfolio.partners) out.push_back(locked.contains(p.id));
  return out;
}

// Per partner at its current tier in `plan`: would one change of its tier, within the
// hours, raise the objective? (Those a change budget held back.)
std::vector<char> ImprovableByOneChange(PlanState& state, const std::vector<Tier>& plan) {
  state.Reset(plan);
  const Score now = state.ScoreNow();
  std::vector<char> improvable(plan.size(), 0);
  for (size_t i = 0; i < plan.size(); ++i) {
    if (!state.Allowed(i) || plan[i] != state.current()[i]) continue;
    for (const Tier tier : kTiers) {
      const double added = state.HoursOf(i, tier) - state.HoursOf(i, plan[i]);
      if (tier == plan[i] || !state.Fits(state.hours() + added)) continue;
      if (state.ScoreWith(i, tier).objective > now.objective) improvable[i] = 1;
    }
  }
  return improvable;
}

struct SearchResult {
  std::vector<Tier> tiers;
  std::vector<char> held_back;  // a change would help, but the change budget is spent
};

// Samples every tier on the optimization sample and searches it.
absl::StatusOr<SearchResult> SampleAndSearch(Engine& engine, const Portfolio& portfolio,
                                             const RecommendOptions& options,
                                             const RunControl& control,
                                             const RecommendProgressCallback& on_progress,
                                             Recommendation& result) {
  absl::StatusOr<ScenarioSample> sample = engine.SampleScenarios(
      portfolio, TierScenarios(portfolio), options.simulation.paths,
      result.optimization_seed, PhaseControl(control, on_progress, Phase::kSampling),
      options.simulation.parameter_uncertainty);
  if (!sample.ok()) return sample.status();
  SearchMonitor monitor(on_progress, control.cancelled);
  PlanState state(portfolio, *sample, options.objective,
                  {LockedPartners(portfolio, options), options.max_changes.value_or(kNoChangeLimit)},
                  monitor);
  const auto start = std::chrono::steady_clock::now();
  result.method_used = options.method;
  if (options.method == SearchMethod::kAuto) {
    const uint64_t paths = options.simulation.paths;
    result.method_used =
        ExhaustiveAffordable(state, paths, options.exhaustive_budget) ? SearchMethod::kExhaustive
        : HeuristicAffordable(state, paths, options.heuristic_budget) ? SearchMethod::kHeuristic
                                                                      : SearchMethod::kScreened;
  }
  absl::StatusOr<std::vector<Tier>> found =
      result.method_used == SearchMethod::kExhaustive  ? ExhaustiveSearch(state)
      : result.method_used == SearchMethod::kHeuristic ? HeuristicSearch(state)
                                                       : ScreenedSearch(state);
  if (!found.ok()) return found.status();
  result.search_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.plans_evaluated = monitor.plans_evaluated();
  result.optimization_current = state.ScoreOf(state.current()).objective;
  result.optimization_recommended = state.ScoreOf(*found).objective;
  SearchResult search{*found, {}};
  if (options.max_changes) search.held_back = ImprovableByOneChange(state, *found);
  return search;
}

// The validation sample's scenarios: the current plan's hours and the recommended plan's,
// the recommended plan the reference (its totals are the validation run's, bit for bit).
constexpr uint8_t kCurrentScenario = 0;
constexpr uint8_t kRecommendedScenario = 1;

ScenarioSet ValidationScenarios(const Portfolio& portfolio, const Plan& current,
                                const Plan& recommended) {
  return {{ResolvePlan(portfolio, current).hours, ResolvePlan(portfolio, recommended).hours},
          std::vector<uint8_t>(portfolio.partners.size(), kRecommendedScenario)};
}

// Each change's effect on the validation sample: the recommended plan minus the same
// plan with that change undone, paired path by path.
void MeasureChange(const ScenarioSample& check, const std::vector<double>& with_all,
                   double quota, size_t partner, TierChange& change) {
  const float* kept = check.Delta(kRecommendedScenario, partner);
  const float* undone = check.Delta(kCurrentScenario, partner);
  const UnitSums hits = SumUnits(with_all.size(), false, [&](size_t j) {
    const double without = with_all[j] - (static_cast<double>(kept[j]) - undone[j]);
    return (with_all[j] >= quota ? 1.0 : 0.0) - (without >= quota ? 1.0 : 0.0);
  });
  const UnitSums gain =
      SumUnits(with_all.size(), false,
               [&](size_t j) { return static_cast<double>(kept[j]) - undone[j]; });
  change.attainment_effect = hits.Mean();
  change.attainment_effect_interval = hits.NormalInterval();
  change.revenue_effect = gain.Mean();
  change.revenue_effect_interval = gain.NormalInterval();
}

// Hours within this of the capacity fit it (hours are sums of decimal inputs).
constexpr double kHoursTolerance = 1e-9;

// A freeing change's effect on the objective per hour it frees: changes are taken to fit
// the capacity in descending order of it, least harmful first.
double EffectPerHourFreed(const TierChange& change, Objective objective) {
  const double effect = objective == Objective::kAttainmentProbability ? change.attainment_effect
                                                                        : change.revenue_effect;
  return effect / -change.hours_change;
}

// Marks the freeing changes the current plan needs to fit the capacity (the fewest, least
// harmful first, none left out that the others would cover), and names where the hours of
// every freeing change go: to fit (FITS_CAPACITY), to another change (FREES_HOURS), or
// nowhere (HOURS_LEFT_UNUSED). SELF_SUFFICIENT stays: it is why the partner can give them up.
void AssignFreedHours(const Portfolio& portfolio, Objective objective,
                      std::vector<TierChange>& changes) {
  double hours_taken = 0;
  std::vector<TierChange*> freeing;
  for (TierChange& change : changes) {
    if (change.hours_change > 0) hours_taken += change.hours_change;
    if (change.hours_change < 0) freeing.push_back(&change);
  }
  const double excess =
      ResolvePlan(portfolio, PlanOf(portfolio, CurrentTiers(portfolio), "")).hours_used -
      portfolio.capacity_hours;
  if (excess > kHoursTolerance) {
    std::vector<TierChange*> order = freeing;
    std::stable_sort(order.begin(), order.end(), [objective](TierChange* a, TierChange* b) {
      return EffectPerHourFreed(*a, objective) > EffectPerHourFreed(*b, objective);
    });
    std::vector<TierChange*> needed;
    double freed = 0;
    for (TierChange* change : order) {
      if (freed >= excess - kHoursTolerance) break;
      needed.push_back(change);
      freed -= change->hours_change;
    }
    // The last taken may cover what an earlier one did: leave out any that is not needed.
    for (auto it = needed.rbegin(); it != needed.rend(); ++it) {
      if (freed + (*it)->hours_change >= excess - kHoursTolerance) {
        freed += (*it)->hours_change;
        *it = nullptr;
      }
    }
    for (TierChange* change : needed) {
      if (change != nullptr) change->needed_to_fit = true;
    }
  }
  for (TierChange* change : freeing) {
    change->freed_hours_used = !change->needed_to_fit && hours_taken > 0;
    if (change->reason.code != ReasonCode::kFreesHours) continue;
    change->reason.code = change->needed_to_fit    ? ReasonCode::kFitsCapacity
                          : change->freed_hours_used ? ReasonCode::kFreesHours
                                                     : ReasonCode::kHoursLeftUnused;
  }
}

// The current plan with only the changes needed to fit applied, and the recommendation
// against it, on the validation sample.
FittedPlan MeasureFitted(const Portfolio& portfolio, const std::vector<Tier>& recommended,
                         const ScenarioSample& check, const std::vector<double>& with_all,
                         const std::vector<TierChange>& changes) {
  std::vector<Tier> tiers = CurrentTiers(portfolio);
  std::vector<uint8_t> scenario(tiers.size(), kCurrentScenario);
  for (const TierChange& change : changes) {
    if (!change.needed_to_fit) continue;
    for (size_t i = 0; i < portfolio.partners.size(); ++i) {
      if (portfolio.partners[i].id != change.partner_id) continue;
      tiers[i] = recommended[i];
      scenario[i] = kRecommendedScenario;
    }
  }
  FittedPlan fitted;
  fitted.plan = PlanOf(portfolio, tiers, "fitted to capacity");
  fitted.hours_used = ResolvePlan(portfolio, fitted.plan).hours_used;
  const std::vector<double> totals = check.Totals(scenario);
  const double quota = portfolio.quota;
  const UnitSums hits =
      SumUnits(totals.size(), false, [&](size_t j) { return totals[j] >= quota ? 1.0 : 0.0; });
  fitted.attainment_probability = hits.Mean();
  fitted.attainment_interval = WilsonInterval(hits, totals.size());
  fitted.expected_revenue =
      SumUnits(totals.size(), false, [&](size_t j) { return totals[j]; }).Mean();
  const UnitSums hit_gain = SumUnits(totals.size(), false, [&](size_t j) {
    return (with_all[j] >= quota ? 1.0 : 0.0) - (totals[j] >= quota ? 1.0 : 0.0);
  });
  const UnitSums revenue_gain =
      SumUnits(totals.size(), false, [&](size_t j) { return with_all[j] - totals[j]; });
  PlanDifference& d = fitted.improvement;
  d.plan_name = "recommended";
  d.baseline_plan_name = fitted.plan.name;
  d.attainment_probability_difference = hit_gain.Mean();
  d.attainment_probability_difference_interval = hit_gain.NormalInterval();
  d.expected_revenue_difference = revenue_gain.Mean();
  d.expected_revenue_difference_interval = revenue_gain.NormalInterval();
  return fitted;
}

// Changes with their effects and reasons, and the reasons of the partners that stay.
void MeasureAndExplain(const Portfolio& portfolio, const RecommendOptions& options,
                       const SearchResult& search, const ScenarioSample& check,
                       Recommendation& result) {
  const std::vector<double>& with_all = check.reference_totals();
  const std::vector<char> locked = LockedPartners(portfolio, options);
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    const Tier tier = search.tiers[i];
    if (tier == p.tier) {
      Reason reason = locked[i] ? ExplainLocked(portfolio, p, tier)
                      : !search.held_back.empty() && search.held_back[i]
                          ? ExplainChangeLimit(portfolio, p, tier, *options.max_changes)
                          : ExplainKept(portfolio, p, tier);
      result.unchanged.push_back({p.id, tier, std::move(reason)});
      continue;
    }
    TierChange change;
    change.partner_id = p.id;
    change.from = p.tier;
    change.to = tier;
    change.reason = ExplainChange(portfolio, p, p.tier, tier);
    change.hours_change = change.reason.facts.hours - change.reason.facts.compared_hours;
    MeasureChange(check, with_all, portfolio.quota, i, change);
    result.changes.push_back(std::move(change));
  }
  AssignFreedHours(portfolio, options.objective, result.changes);
  if (std::any_of(result.changes.begin(), result.changes.end(),
                  [](const TierChange& c) { return c.needed_to_fit; })) {
    result.fitted = MeasureFitted(portfolio, search.tiers, check, with_all, result.changes);
  }
}

}  // namespace

Plan PlanOf(const Portfolio& portfolio, const std::vector<Tier>& tiers, std::string name) {
  Plan plan;
  plan.name = std::move(name);
  for (size_t i = 0; i < tiers.size(); ++i) plan.tiers[portfolio.partners[i].id] = tiers[i];
  return plan;
}

uint64_t ValidationSeed(uint64_t optimization_seed) {
  return Mix64(optimization_seed ^ kValidationSeedSalt);
}

Violations RecommendationViolations::Under(absl::string_view portfolio_path,
                                           absl::string_view simulation_path) const {
  Violations all;
  all.Append(portfolio_path, portfolio);
  all.Append(simulation_path, simulation);
  all.Append("", choices);
  return all;
}

RecommendationViolations ValidateRecommendation(const Engine& engine, const Portfolio& portfolio,
                                                const RecommendOptions& options) {
  RunViolations run = engine.Validate(portfolio, std::vector<Plan>{Plan{}}, options.simulation);
  RecommendationViolations v{std::move(run.portfolio), std::move(run.options), {}};
  if (options.simulation.antithetic) {
    v.simulation.Add("antithetic", "is not used by recommendations; leave it unset");
  }
  if (options.simulation.target_ci_half_width > 0) {
    v.simulation.Add("target_ci_half_width", "is not used by recommendations: set paths instead");
  }
  std::set<std::string_view> ids;
  for (const Partner& p : portfolio.partners) ids.insert(p.id);
  for (size_t k = 0; k < options.locked_partner_ids.size(); ++k) {
    if (!ids.contains(options.locked_partner_ids[k])) {
      v.choices.Add(absl::StrCat("locked_partner_ids[", k, "]"),
                    absl::StrCat("names no partner of the portfolio: ",
                                 QuoteForMessage(options.locked_partner_ids[k])));
    }
  }
  if (options.max_changes && *options.max_changes < 0) {
    v.choices.Add("max_changes", absl::StrCat("must be >= 0, got ", *options.max_changes));
  }
  return v;
}

RunCost TierSearchCost(const Engine& engine, const Portfolio& portfolio,
                       const RecommendOptions& options) {
  const uint64_t paths = options.simulation.paths;
  const RunCost sample = engine.SampleCost(portfolio, kTiers.size(), paths);
  // The exhaustive search keeps one vector per depth, and runs while 3^depth x paths
  // is within its budget.
  const double depth =
      std::floor(std::log(options.exhaustive_budget / static_cast<double>(paths)) / std::log(3.0));
  const size_t vectors =
      kSearchPathVectors + static_cast<size_t>(std::max(0.0, depth)) + 1;
  const size_t search = vectors * static_cast<size_t>(paths) * sizeof(double);
  return {sample.memory_bytes + search, sample.work};
}

RunCost RecommendationCost(const Engine& engine, const Portfolio& portfolio,
                           const RecommendOptions& options) {
  const RunCost search = TierSearchCost(engine, portfolio, options);
  const RunCost validation = engine.CompareCost(portfolio, 2, options.simulation);
  // Phases run one after another: sample and search; validation, with its sample of the
  // two plans.
  const size_t check = ScenarioSample::Bytes(2, portfolio.partners.size(),
                                             static_cast<size_t>(options.simulation.paths));
  return {std::max(search.memory_bytes, validation.memory_bytes + check),
          search.work + validation.work};
}

absl::StatusOr<std::vector<Tier>> SearchTiersChecked(Engine& engine, const Portfolio& portfolio,
                                                     const RecommendOptions& options,
                                                     const RunControl& control) {
  Recommendation scratch;
  scratch.optimization_seed = options.simulation.seed ? *options.simulation.seed : DrawSeed();
  absl::StatusOr<SearchResult> search =
      SampleAndSearch(engine, portfolio, options, control, {}, scratch);
  if (!search.ok()) return search.status();
  return std::move(search->tiers);
}

absl::StatusOr<Recommendation> RecommendTiers(Engine& engine, const Portfolio& portfolio,
                                              const RecommendOptions& options,
                                              const RunControl& control,
                                              const RecommendProgressCallback& on_progress) {
  const Violations violations =
      ValidateRecommendation(engine, portfolio, options).Under("portfolio", "simulation");
  if (!violations.empty()) return ViolationsToStatus(violations);
  if (absl::Status memory = engine.CheckMemory(RecommendationCost(engine, portfolio, options));
      !memory.ok()) {
    return memory;
  }
  return RecommendTiersChecked(engine, portfolio, options, control, on_progress);
}

absl::StatusOr<Recommendation> RecommendTiersChecked(
    Engine& engine, const Portfolio& portfolio, const RecommendOptions& options,
    const RunControl& control, const RecommendProgressCallback& on_progress) {
  Recommendation result;
  result.optimization_seed = options.simulation.seed ? *options.simulation.seed : DrawSeed();
  result.validation_seed = ValidationSeed(result.optimization_seed);
  absl::StatusOr<SearchResult> search =
      SampleAndSearch(engine, portfolio, options, control, on_progress, result);
  if (!search.ok()) return search.status();
  result.current_plan = PlanOf(portfolio, CurrentTiers(portfolio), "current tiers");
  result.recommended_plan = PlanOf(portfolio, search->tiers, "recommended");

  SimulationOptions validation = options.simulation;
  validation.seed = result.validation_seed;
  // Counted, as the scores computed on the same paths (the validation sample) are.
  validation.attainment_estimator = AttainmentEstimator::kPathCount;
  const Plan plans[] = {result.current_plan, result.recommended_plan};
  const RunControl validating = PhaseControl(control, on_progress, Phase::kValidating);
  // One run: the comparison of the two plans, recording each partner's revenue under
  // both for the changes' effects.
  ScenarioSample check(ValidationScenarios(portfolio, plans[0], plans[1]), validation.paths,
                       result.validation_seed);
  absl::StatusOr<Comparison> compared =
      engine.CompareChecked(portfolio, plans, validation, validating, &check);
  if (!compared.ok()) return compared.status();
  result.validation = std::move(*compared);
  MeasureAndExplain(portfolio, options, *search, check, result);
  return result;
}

}  // namespace attain
