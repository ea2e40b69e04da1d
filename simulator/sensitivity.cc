#include "simulator/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <utility>

#include "absl/strings/str_cat.h"
#include "simulator/recommendation.h"

namespace attain {
namespace {

constexpr RangeEnd kEnds[] = {RangeEnd::kLow, RangeEnd::kHigh};

// Cancellation and path counts as the caller's; progress of the single runs would mean
// nothing to a caller of the whole analysis.
RunControl PathsOnly(const RunControl& control) {
  RunControl out;
  out.cancelled = control.cancelled;
  out.on_paths = control.on_paths;
  return out;
}

size_t AssumptionCount(const Portfolio& portfolio, const AssumptionRanges& ranges) {
  constexpr size_t kPortfolioWide = 6;
  return kPortfolioWide + std::min(portfolio.partners.size(), ranges.top_partners);
}

size_t CheckedCount(const SensitivityOptions& sensitivity, size_t assumptions) {
  return sensitivity.tier_check_assumptions == 0
             ? assumptions
             : std::min(assumptions, sensitivity.tier_check_assumptions);
}

// The tier check's recommendation: the analysis' seed, its own paths, no antithetic
// pairs or precision target (which recommendations do not use).
RecommendOptions TierCheckOptions(const SimulationOptions& options,
                                  const SensitivityOptions& sensitivity, uint64_t seed) {
  RecommendOptions recommend;
  recommend.simulation = options;
  recommend.simulation.paths =
      sensitivity.tier_check_paths > 0 ? sensitivity.tier_check_paths : options.paths;
  recommend.simulation.seed = seed;
  recommend.simulation.antithetic = false;
  recommend.simulation.target_ci_half_width = 0;
  return recommend;
}

// What an analysis holds besides its runs: the base outcome and the portfolio at one end.
size_t HeldBytes(const Portfolio& portfolio) {
  size_t names = 0;
  for (const Partner& p : portfolio.partners) names += 2 * (p.id.size() + p.segment.size());
  const size_t n = portfolio.partners.size();
  return sizeof(Sensitivity) + n * (sizeof(Partner) + sizeof(PartnerOutcome) + sizeof(Tier)) +
         names + static_cast<size_t>(portfolio.periods) * sizeof(PeriodOutcome);
}

absl::StatusOr<PlanOutcome> RunPlan(Engine& engine, const Portfolio& portfolio, const Plan& plan,
                                    const SimulationOptions& options, const RunControl& control) {
  absl::StatusOr<Comparison> compared =
      engine.CompareChecked(portfolio, std::span<const Plan>(&plan, 1), options, control);
  if (!compared.ok()) return compared.status();
  return std::move(compared->outcomes[0]);
}

std::vector<TierShift> Shifts(const Portfolio& portfolio, const std::vector<Tier>& base,
                              const std::vector<Tier>& at_end) {
  std::vector<TierShift> shifts;
  for (size_t i = 0; i < base.size(); ++i) {
    if (at_end[i] != base[i]) shifts.push_back({portfolio.partners[i].id, base[i], at_end[i]});
  }
  return shifts;
}

// Recommended tiers at base and at both ends of the first checked assumptions of `order`.
absl::Status CheckTiers(Engine& engine, const Portfolio& portfolio,
                        const std::vector<AssumptionSpec>& specs, const std::vector<size_t>& order,
                        const SimulationOptions& options, const SensitivityOptions& sensitivity,
                        const RunControl& control, Sensitivity& result) {
  const RecommendOptions recommend = TierCheckOptions(options, sensitivity, result.seed);
  result.tier_check_paths = recommend.simulation.paths;
  absl::StatusOr<std::vector<Tier>> base = SearchTiersChecked(engine, portfolio, recommend, control);
  if (base.status().code() == absl::StatusCode::kFailedPrecondition) {
    // No plan fits the hours. Assumptions change neither hours nor capacity, so no end
    // has one either.
    result.tier_check = TierCheck::kNoFeasiblePlan;
    return absl::OkStatus();
  }
  if (!base.ok()) return base.status();
  result.recommended_tiers = *std::move(base);
  result.tier_check = TierCheck::kDone;
  const size_t checked = CheckedCount(sensitivity, order.size());
  for (size_t k = 0; k < checked; ++k) {
    for (const RangeEnd end : kEnds) {
      const Portfolio at_end = PortfolioAtEnd(portfolio, specs[order[k]], end, sensitivity.ranges,
                                              engine.options().limits);
      absl::StatusOr<std::vector<Tier>> tiers =
          SearchTiersChecked(engine, at_end, recommend, control);
      if (!tiers.ok()) return tiers.status();
      SensitivityEnd& out =
          end == RangeEnd::kLow ? result.assumptions[k].low : result.assumptions[k].high;
      out.tiers_checked = true;
      out.tier_changes = Shifts(portfolio, result.recommended_tiers, *tiers);
    }
  }
  return absl::OkStatus();
}

}  // namespace

Violations SensitivityViolations::Under(absl::string_view portfolio_path,
                                        absl::string_view plan_path,
                                        absl::string_view options_path,
                                        absl::string_view sensitivity_path) const {
  const std::string plan(plan_path);
  Violations all =
      run.Under(portfolio_path, plan_path, [&plan](size_t) { return plan; }, options_path);
  all.Append(sensitivity_path, sensitivity);
  return all;
}

SensitivityViolations ValidateSensitivity(const Engine& engine, const Portfolio& portfolio,
                                          const Plan& plan, const SimulationOptions& options,
                                          const SensitivityOptions& sensitivity) {
  SensitivityViolations v{engine.Validate(portfolio, std::span<const Plan>(&plan, 1), options),
                          ValidateRanges(sensitivity.ranges)};
  if (options.target_ci_half_width > 0) {
    v.run.options.Add("target_ci_half_width",
                      "is not used by a sensitivity analysis (every end runs the same paths); "
                      "set paths instead");
  }
  const uint64_t max_paths = engine.options().limits.max_paths;
  if (sensitivity.tier_check_paths > max_paths) {
    v.sensitivity.Add("tier_check_paths", absl::StrCat("must be at most ", max_paths, ", got ",
                                                       sensitivity.tier_check_paths));
  }
  return v;
}

RunCost SensitivityCost(const Engine& engine, const Portfolio& portfolio,
                        const SimulationOptions& options, const SensitivityOptions& sensitivity) {
  const size_t assumptions = AssumptionCount(portfolio, sensitivity.ranges);
  const size_t held = HeldBytes(portfolio);
  const RunCost run = engine.CompareCost(portfolio, 1, options);
  RunCost cost{run.memory_bytes + held,
               run.work * static_cast<double>(1 + 2 * assumptions)};
  if (sensitivity.check_tiers) {
    const RunCost search =
        TierSearchCost(engine, portfolio, TierCheckOptions(options, sensitivity, 0));
    const size_t checks = 1 + 2 * CheckedCount(sensitivity, assumptions);
    cost.memory_bytes = std::max(cost.memory_bytes, search.memory_bytes + held);
    cost.work += search.work * static_cast<double>(checks);
  }
  return cost;
}

absl::StatusOr<Sensitivity> AnalyzeSensitivity(Engine& engine, const Portfolio& portfolio,
                                               const Plan& plan, const SimulationOptions& options,
                                               const SensitivityOptions& sensitivity,
                                               const RunControl& control) {
  const Violations violations = ValidateSensitivity(engine, portfolio, plan, options, sensitivity)
                                    .Under("portfolio", "plan", "options", "sensitivity");
  if (!violations.empty()) return ViolationsToStatus(violations);
  if (absl::Status memory =
          engine.CheckMemory(SensitivityCost(engine, portfolio, options, sensitivity));
      !memory.ok()) {
    return memory;
  }
  return AnalyzeSensitivityChecked(engine, portfolio, plan, options, sensitivity, control);
}

absl::StatusOr<Sensitivity> AnalyzeSensitivityChecked(Engine& engine, const Portfolio& portfolio,
                                                      const Plan& plan,
                                                      const SimulationOptions& options,
                                                      const SensitivityOptions& sensitivity,
                                                      const RunControl& control) {
  Sensitivity result;
  result.seed = options.seed ? *options.seed : DrawSeed();
  SimulationOptions run_options = options;
  run_options.seed = result.seed;  // every run on the same paths
  const RunControl runs = PathsOnly(control);
  absl::StatusOr<PlanOutcome> base = RunPlan(engine, portfolio, plan, run_options, runs);
  if (!base.ok()) return base.status();
  result.base = *std::move(base);

  const AssumptionRanges& ranges = sensitivity.ranges;
  const std::vector<AssumptionSpec> specs =
      ListAssumptions(portfolio, ResolvePlan(portfolio, plan), ranges);
  std::vector<AssumptionSensitivity> rows;
  for (const AssumptionSpec& spec : specs) {
    AssumptionSensitivity row;
    row.assumption = spec.assumption;
    if (spec.assumption == Assumption::kBaselineRevenue) {
      row.partner_id = portfolio.partners[spec.partner].id;
    }
    row.source = spec.source;
    row.base_value = AssumptionValue(portfolio, spec);
    for (const RangeEnd end : kEnds) {
      const Portfolio at_end =
          PortfolioAtEnd(portfolio, spec, end, ranges, engine.options().limits);
      absl::StatusOr<PlanOutcome> outcome = RunPlan(engine, at_end, plan, run_options, runs);
      if (!outcome.ok()) return outcome.status();
      SensitivityEnd& out = end == RangeEnd::kLow ? row.low : row.high;
      out.setting = EndSetting(spec, end, ranges);
      out.value = AssumptionValue(at_end, spec);
      out.attainment_probability = outcome->attainment_probability;
      out.attainment_interval = outcome->attainment_interval;
      out.expected_revenue = outcome->expected_revenue;
    }
    row.attainment_swing =
        std::abs(row.high.attainment_probability - row.low.attainment_probability);
    row.expected_revenue_swing = std::abs(row.high.expected_revenue - row.low.expected_revenue);
    rows.push_back(std::move(row));
  }

  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&rows](size_t a, size_t b) {
    if (rows[a].attainment_swing != rows[b].attainment_swing) {
      return rows[a].attainment_swing > rows[b].attainment_swing;
    }
    return rows[a].expected_revenue_swing > rows[b].expected_revenue_swing;
  });
  for (const size_t k : order) result.assumptions.push_back(std::move(rows[k]));

  if (sensitivity.check_tiers) {
    if (absl::Status checked = CheckTiers(engine, portfolio, specs, order, options, sensitivity,
                                          runs, result);
        !checked.ok()) {
      return checked;
    }
  }
  return result;
}

}  // namespace attain
