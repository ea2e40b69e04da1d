#include "simulator/engine.h"

#include <random>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "simulator/block_codec.h"
#include "simulator/block_kernel.h"
#include "simulator/comparison_job.h"
#include "simulator/partner_percentiles.h"
#include "simulator/path_evaluator.h"
#include "simulator/path_generator.h"
#include "simulator/summary.h"

namespace attain {
namespace {

std::string PlanPath(size_t k) { return absl::StrCat("plans[", k, "]"); }

}  // namespace

uint64_t DrawSeed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

Engine::Engine(EngineOptions options)
    : options_(std::move(options)),
      pool_(options_.threads > 0 ? options_.threads : WorkerPool::AvailableCpus()) {}

Engine::~Engine() = default;

RunViolations Engine::Validate(const Portfolio& portfolio, std::span<const Plan> plans,
                               const SimulationOptions& options) const {
  return ValidateRun(portfolio, plans, options, options_.limits);
}

RunCost Engine::CompareCost(const Portfolio& portfolio, size_t plan_count,
                            const SimulationOptions& options) const {
  const size_t sample_paths = PartnerPercentiles::SamplePaths(
      options_.partner_sample_bytes, portfolio.partners.size(), plan_count, PathCap(options));
  return ComparisonCost(portfolio, plan_count, options, sample_paths, threads());
}

RunCost Engine::SampleCost(const Portfolio& portfolio, size_t scenarios, uint64_t paths) const {
  return attain::SampleCost(portfolio, scenarios, paths, threads());
}

absl::Status Engine::CheckMemory(const RunCost& cost) const {
  if (cost.memory_bytes <= options_.memory_budget_bytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "the run needs an estimated ", cost.memory_bytes >> 20, " MiB, over the memory budget of ",
      options_.memory_budget_bytes >> 20,
      " MiB; lower options.paths (or options.max_paths), the number of plans or partners"));
}

absl::StatusOr<PlanOutcome> Engine::Simulate(const Portfolio& portfolio, const Plan& plan,
                                             const SimulationOptions& options,
                                             const RunControl& control) {
  const std::span<const Plan> plans(&plan, 1);
  const Violations violations = Validate(portfolio, plans, options)
                                    .Under("portfolio", "plan",
                                           [](size_t) { return std::string("plan"); },
                                           "options");
  if (!violations.empty()) return ViolationsToStatus(violations);
  if (absl::Status memory = CheckMemory(CompareCost(portfolio, 1, options)); !memory.ok()) {
    return memory;
  }
  absl::StatusOr<Comparison> comparison = CompareChecked(portfolio, plans, options, control);
  if (!comparison.ok()) return comparison.status();
  return std::move(comparison->outcomes[0]);
}

absl::StatusOr<Comparison> Engine::Compare(const Portfolio& portfolio,
                                           std::span<const Plan> plans,
                                           const SimulationOptions& options,
                                           const RunControl& control) {
  const Violations violations =
      Validate(portfolio, plans, options).Under("portfolio", "plans", PlanPath, "options");
  if (!violations.empty()) return ViolationsToStatus(violations);
  if (absl::Status memory = CheckMemory(CompareCost(portfolio, plans.size(), options));
      !memory.ok()) {
    return memory;
  }
  return CompareChecked(portfolio, plans, options, control);
}

absl::StatusOr<Comparison> Engine::CompareChecked(const Portfolio& portfolio,
                                                  std::span<const Plan> plans,
                                                  const SimulationOptions& options,
                                                  const RunControl& control,
                                                  ScenarioSample* record) {
  std::vector<ResolvedPlan> resolved;
  for (const Plan& plan : plans) resolved.push_back(ResolvePlan(portfolio, plan));
  return RunComparison(portfolio, std::move(resolved), options, control, record, nullptr,
                       nullptr);
}

absl::StatusOr<Engine::RolledUp> Engine::CompareRolledUp(const Portfolio& portfolio,
                                                         std::vector<ResolvedPlan> plans,
                                                         const SimulationOptions& options,
                                                         const MemberSplit& split,
                                                         const RunControl& control) {
  RolledUp result;
  absl::StatusOr<Comparison> comparison = RunComparison(
      portfolio, std::move(plans), options, control, nullptr, &split, &result.members);
  if (!comparison.ok()) return comparison.status();
  result.comparison = *std::move(comparison);
  return result;
}

absl::StatusOr<Comparison> Engine::RunComparison(const Portfolio& portfolio,
                                                 std::vector<ResolvedPlan> plans,
                                                 const SimulationOptions& options,
                                                 const RunControl& control,
                                                 ScenarioSample* record,
                                                 const MemberSplit* split,
                                                 MemberSums* members) {
  const size_t sample_paths = PartnerPercentiles::SamplePaths(
      options_.partner_sample_bytes, portfolio.partners.size(), plans.size(), PathCap(options));
  ComparisonJob job(portfolio, std::move(plans), options,
                    options.seed ? *options.seed : DrawSeed(), sample_paths, pool_,
                    options_.limits.max_expected_deals_per_period);
  if (record != nullptr) job.RecordInto(*record);
  if (split != nullptr) job.RollUp(*split);
  StopRule stop;
  if (options.target_ci_half_width > 0) stop = [&job] { return job.PrecisionReached(); };
  if (absl::Status status = RunBlocks(pool_, job, job.block_count(), stop, control);
      !status.ok()) {
    return status;
  }
  Comparison comparison = Summarize(job);
  if (members != nullptr) *members = job.TakeMemberSums();
  return comparison;
}

namespace {

// Blocks [first, end) of a comparison, encoded in block order as they merge.
class RangeJob final : public BlockJob {
 public:
  RangeJob(ComparisonJob& job, uint64_t first,
           const std::function<void(uint64_t, std::string)>& deliver)
      : job_(job), first_(first), deliver_(deliver) {}

  std::unique_ptr<BlockOutput> Simulate(uint64_t block, const std::atomic<bool>& abort) override {
    return job_.Simulate(first_ + block, abort);
  }
  void Merge(std::unique_ptr<BlockOutput> block) override {
    paths_ += block->paths;
    deliver_(first_ + merged_++, EncodeBlock(static_cast<const RunSums&>(*block)));
  }
  Progress CurrentProgress() const override {
    Progress progress;
    progress.paths_done = paths_;
    return progress;
  }

 private:
  ComparisonJob& job_;
  const uint64_t first_;
  const std::function<void(uint64_t, std::string)>& deliver_;
  uint64_t merged_ = 0;
  uint64_t paths_ = 0;
};

}  // namespace

absl::Status Engine::SimulateBlocks(const Portfolio& portfolio, std::vector<ResolvedPlan> plans,
                                    const SimulationOptions& options, uint64_t seed,
                                    const MemberSplit* split, uint64_t first, uint64_t end,
                                    const RunControl& control,
                                    const std::function<void(uint64_t, std::string)>& deliver) {
  // No percentile samples: the blocks a run offloads come after them.
  ComparisonJob job(portfolio, std::move(plans), options, seed, /*sample_paths=*/0, pool_,
                    options_.limits.max_expected_deals_per_period);
  if (split != nullptr) job.RollUp(*split);
  RangeJob range(job, first, deliver);
  RunControl local = control;
  local.offload = nullptr;
  local.on_progress = nullptr;
  return RunBlocks(pool_, range, end - first, nullptr, local);
}

absl::StatusOr<ScenarioSample> Engine::SampleScenarios(const Portfolio& portfolio,
                                                       const ScenarioSet& scenarios,
                                                       uint64_t paths, uint64_t seed,
                                                       const RunControl& control,
                                                       bool parameter_uncertainty) {
  ScenarioSample sample(scenarios, static_cast<size_t>(paths), seed);
  const PathGenerator generator(
      portfolio, {parameter_uncertainty, options_.limits.max_expected_deals_per_period});
  const PathEvaluator evaluator(portfolio, generator, scenarios.hours, /*detailed_scenarios=*/0);
  const BlockKernel kernel(generator, evaluator, /*antithetic=*/false);
  SampleJob job(kernel, sample);
  if (absl::Status status = RunBlocks(pool_, job, job.block_count(), nullptr, control);
      !status.ok()) {
    return status;
  }
  return sample;
}

}  // namespace attain
