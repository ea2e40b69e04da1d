#include "simulator/engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "simulator/path_generator.h"
#include "simulator/path_evaluator.h"

namespace attain {
namespace {

// Sums over the paths of one block (or, merged in block order, of a whole run) for one plan.
struct PlanSums {
  std::vector<double> revenue;           // portfolio horizon revenue, path by path
  std::vector<double> period_revenue;    // per period, summed over paths
  std::vector<uint64_t> on_track;        // per period, paths on track
  std::vector<double> partner_revenue;   // per partner, summed over paths
  std::vector<UnitSums> partner_uplift;  // per partner, assisted - unassisted by unit
  std::vector<uint64_t> partner_dormant; // per partner, paths dormant by the horizon's end

  PlanSums(size_t partners, size_t periods)
      : period_revenue(periods),
        on_track(periods),
        partner_revenue(partners),
        partner_uplift(partners),
        partner_dormant(partners) {}

  void Merge(const PlanSums& block) {
    revenue.insert(revenue.end(), block.revenue.begin(), block.revenue.end());
    for (size_t t = 0; t < period_revenue.size(); ++t) {
      period_revenue[t] += block.period_revenue[t];
      on_track[t] += block.on_track[t];
    }
    for (size_t i = 0; i < partner_revenue.size(); ++i) {
      partner_revenue[i] += block.partner_revenue[i];
      partner_uplift[i].Merge(block.partner_uplift[i]);
      partner_dormant[i] += block.partner_dormant[i];
    }
  }
};

struct RunSums {
  uint64_t paths = 0;
  std::vector<PlanSums> plans;
  std::vector<double> unassisted_partner_revenue;
  std::vector<double> unassisted_revenue;  // path by path

  RunSums(size_t plan_count, size_t partners, size_t periods)
      : plans(plan_count, PlanSums(partners, periods)),
        unassisted_partner_revenue(partners) {}

  void Merge(const RunSums& block) {
    paths += block.paths;
    for (size_t k = 0; k < plans.size(); ++k) plans[k].Merge(block.plans[k]);
    for (size_t i = 0; i < unassisted_partner_revenue.size(); ++i) {
      unassisted_partner_revenue[i] += block.unassisted_partner_revenue[i];
    }
    unassisted_revenue.insert(unassisted_revenue.end(), block.unassisted_revenue.begin(),
                              block.unassisted_revenue.end());
  }
};

uint64_t RoundUpToEven(uint64_t n) { return n + (n & 1); }

// Paths a run may simulate at most.
uint64_t PathCap(const SimulationOptions& options) {
  const uint64_t cap = options.target_ci_half_width > 0 ? options.max_paths : options.paths;
  return options.antithetic ? RoundUpToEven(cap) : cap;
}

size_t PartnerSamplePaths(const EngineOptions& engine, size_t partners, size_t plans,
                          uint64_t path_cap) {
  const size_t by_memory = engine.partner_sample_bytes / (sizeof(float) * partners * plans);
  return static_cast<size_t>(
      std::max<uint64_t>(1, std::min({path_cap, kMaxPartnerPercentilePaths,
                                      static_cast<uint64_t>(by_memory)})));
}

// Hours per partner of each plan, then of the unassisted counterfactual (all 0).
std::vector<std::vector<double>> ScenarioHours(const std::vector<ResolvedPlan>& plans,
                                               size_t partners) {
  std::vector<std::vector<double>> hours;
  for (const ResolvedPlan& plan : plans) hours.push_back(plan.hours);
  hours.emplace_back(partners, 0.0);
  return hours;
}

uint64_t DrawSeed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

// One simulation run: a job on the worker pool (blocks) plus the calling thread's merge.
class Run final : public PoolJob {
 public:
  Run(const Portfolio& portfolio, std::vector<ResolvedPlan> plans,
      const SimulationOptions& options, uint64_t seed, size_t sample_paths)
      : options_(options),
        seed_(seed),
        path_cap_(PathCap(options)),
        quota_(portfolio.quota),
        periods_(static_cast<size_t>(portfolio.periods)),
        partners_(portfolio.partners.size()),
        sample_paths_(sample_paths),
        plans_(std::move(plans)),
        generator_(portfolio),
        evaluator_(portfolio, generator_, ScenarioHours(plans_, partners_), plans_.size()),
        totals_(plans_.size(), partners_, periods_),
        samples_(plans_.size()) {
    // Uninitialized: every entry read is first written by its block.
    for (auto& sample : samples_) {
      sample = std::make_unique_for_overwrite<float[]>(partners_ * sample_paths_);
    }
    double season_total = 0;
    for (int t = 1; t <= portfolio.periods; ++t) season_total += portfolio.Seasonality(t);
    double season_elapsed = 0;
    for (int t = 1; t <= portfolio.periods; ++t) {
      season_elapsed += portfolio.Seasonality(t);
      on_track_threshold_.push_back(quota_ * season_elapsed / season_total);
    }
    running_hits_.resize(plans_.size());
    block_limit_ = (path_cap_ + kPathsPerBlock - 1) / kPathsPerBlock;
  }

  bool RunOne() override {
    uint64_t block;
    {
      std::lock_guard lock(mu_);
      if (abort_.load(std::memory_order_relaxed) || next_block_ >= block_limit_) return false;
      block = next_block_++;
      ++in_flight_;
    }
    std::unique_ptr<RunSums> sums = SimulateBlock(block);
    {
      std::lock_guard lock(mu_);
      --in_flight_;
      if (sums) completed_.emplace(block, std::move(sums));
    }
    block_done_.notify_all();
    return true;
  }

  // Runs on the calling thread until the run completes, reaches its precision target,
  // or is cancelled.
  absl::Status Execute(const std::shared_ptr<Run>& self, WorkerPool& pool,
                       const RunControl& control) {
    pool.Submit(self, static_cast<int>(std::min<uint64_t>(block_limit_, INT32_MAX)));
    uint64_t merged_blocks = 0;
    uint64_t paths_reported = 0;
    bool cancelled = false;
    std::unique_lock lock(mu_);
    while (merged_blocks < block_limit_) {
      block_done_.wait_for(lock, std::chrono::milliseconds(10),
                           [&] { return completed_.contains(merged_blocks); });
      std::vector<std::unique_ptr<RunSums>> ready;
      for (auto it = completed_.find(merged_blocks); it != completed_.end();
           it = completed_.find(merged_blocks)) {
        ready.push_back(std::move(it->second));
        completed_.erase(it);
        ++merged_blocks;
      }
      lock.unlock();
      uint64_t merged_now = merged_blocks - ready.size();
      for (const auto& block : ready) {
        Merge(*block);
        ++merged_now;
        // Percentile samples are a prefix of the paths: once it is merged, their
        // selection overlaps the remaining blocks.
        if (!percentile_batch_ && totals_.paths >= sample_paths_) {
          StartPartnerPercentiles(pool, sample_paths_);
        }
        if (PrecisionReached()) break;
      }
      if (!ready.empty()) {
        if (control.on_paths) control.on_paths(totals_.paths - paths_reported);
        paths_reported = totals_.paths;
        if (control.on_progress) control.on_progress(CurrentProgress());
      }
      cancelled = control.cancelled && control.cancelled();
      lock.lock();
      if (merged_now < merged_blocks || PrecisionReached()) {
        block_limit_ = merged_now;  // stop handing out blocks; later ones are discarded
        merged_blocks = merged_now;
      }
      if (cancelled) {
        abort_.store(true, std::memory_order_relaxed);
        break;
      }
    }
    block_done_.wait(lock, [&] { return in_flight_ == 0; });
    lock.unlock();  // workers need mu_ to finish any block they hold, and then the batch
    if (cancelled) {
      if (percentile_batch_) percentile_batch_->Wait();  // its tasks use this run
      return absl::CancelledError(absl::StrCat("simulation cancelled after ", totals_.paths,
                                               " paths"));
    }
    return absl::OkStatus();
  }

  // Per-partner percentiles run on the pool; the rest on the calling thread.
  Comparison Summarize(const Portfolio& portfolio, WorkerPool& pool);

 private:
  // Starts selecting each partner's P10 / P90 from the first `sample_paths` paths.
  void StartPartnerPercentiles(WorkerPool& pool, size_t sample_paths);

  std::unique_ptr<RunSums> SimulateBlock(uint64_t block);
  void Merge(const RunSums& block);
  bool PrecisionReached() const;
  Progress CurrentProgress() const;

  const SimulationOptions options_;
  const uint64_t seed_;
  const uint64_t path_cap_;
  const double quota_;
  const size_t periods_;
  const size_t partners_;
  const size_t sample_paths_;
  const std::vector<ResolvedPlan> plans_;
  const PathGenerator generator_;
  const PathEvaluator evaluator_;  // scenarios: plans_, then the unassisted counterfactual
  std::vector<double> on_track_threshold_;

  // Calling thread only.
  RunSums totals_;
  std::vector<UnitSums> running_hits_;  // per plan: P(attain) so far

  // Written by blocks at disjoint offsets: [plan][partner * sample_paths_ + path].
  std::vector<std::unique_ptr<float[]>> samples_;
  // [plan * partners + i]: {P10, P90} of partner i's horizon revenue, written by
  // percentile_batch_.
  std::vector<std::pair<double, double>> partner_percentiles_;
  std::shared_ptr<TaskBatch> percentile_batch_;
  size_t percentile_paths_ = 0;

  std::atomic<bool> abort_{false};
  std::mutex mu_;
  std::condition_variable block_done_;
  uint64_t block_limit_;  // guarded by mu_
  uint64_t next_block_ = 0;
  int in_flight_ = 0;
  std::map<uint64_t, std::unique_ptr<RunSums>> completed_;
};

std::unique_ptr<RunSums> Run::SimulateBlock(uint64_t block) {
  const uint64_t first_path = block * kPathsPerBlock;
  const size_t paths = static_cast<size_t>(std::min(kPathsPerBlock, path_cap_ - first_path));
  const size_t copies = options_.antithetic ? 2 : 1;  // paths per unit
  const size_t plan_count = plans_.size();
  const size_t unassisted = plan_count;

  BlockEngine engine(BlockSeed(seed_, block));
  PathDraws draws[2];
  std::vector<PathRevenue> revenue[2];
  for (size_t c = 0; c < copies; ++c) {
    generator_.Prepare(draws[c]);
    evaluator_.Prepare(revenue[c]);
  }
  auto sums = std::make_unique<RunSums>(plan_count, partners_, periods_);
  sums->paths = paths;
  for (PlanSums& plan : sums->plans) plan.revenue.reserve(paths);
  sums->unassisted_revenue.reserve(paths);

  for (size_t j = 0; j < paths; j += copies) {
    if (abort_.load(std::memory_order_relaxed)) return nullptr;
    generator_.Generate(engine, draws[0]);
    if (copies == 2) generator_.Mirror(draws[0], draws[1]);
    for (size_t c = 0; c < copies; ++c) evaluator_.Evaluate(draws[c], revenue[c]);
    for (size_t c = 0; c < copies; ++c) {
      const uint64_t path = first_path + j + c;
      const PathRevenue& base = revenue[c][unassisted];
      for (size_t i = 0; i < partners_; ++i) {
        sums->unassisted_partner_revenue[i] += base.partner_revenue[i];
      }
      sums->unassisted_revenue.push_back(base.total);
      for (size_t k = 0; k < plan_count; ++k) {
        const PathRevenue& r = revenue[c][k];
        PlanSums& plan = sums->plans[k];
        plan.revenue.push_back(r.total);
        double cumulative = 0;
        for (size_t t = 0; t < periods_; ++t) {
          plan.period_revenue[t] += r.period_revenue[t];
          cumulative += r.period_revenue[t];
          plan.on_track[t] += cumulative >= on_track_threshold_[t];
        }
        for (size_t i = 0; i < partners_; ++i) {
          plan.partner_revenue[i] += r.partner_revenue[i];
          plan.partner_dormant[i] += r.dormant[i];
        }
        if (path < sample_paths_) {
          float* sample = samples_[k].get() + path;
          for (size_t i = 0; i < partners_; ++i) {
            sample[i * sample_paths_] = static_cast<float>(r.partner_revenue[i]);
          }
        }
      }
    }
    // Antithetic pairs are averaged before they enter the uplift's variance.
    for (size_t k = 0; k < plan_count; ++k) {
      for (size_t i = 0; i < partners_; ++i) {
        double uplift = 0;
        for (size_t c = 0; c < copies; ++c) {
          uplift += revenue[c][k].partner_revenue[i] - revenue[c][unassisted].partner_revenue[i];
        }
        sums->plans[k].partner_uplift[i].Add(uplift / static_cast<double>(copies));
      }
    }
  }
  return sums;
}

void Run::Merge(const RunSums& block) {
  totals_.Merge(block);
  for (size_t k = 0; k < plans_.size(); ++k) {
    const std::vector<double>& revenue = block.plans[k].revenue;
    running_hits_[k].Merge(SumUnits(revenue.size(), options_.antithetic,
                                    [&](size_t j) { return revenue[j] >= quota_ ? 1.0 : 0.0; }));
  }
}

bool Run::PrecisionReached() const {
  if (options_.target_ci_half_width <= 0 || totals_.paths < options_.paths) return false;
  return std::all_of(running_hits_.begin(), running_hits_.end(), [&](const UnitSums& hits) {
    return WilsonInterval(hits, totals_.paths).HalfWidth() <= options_.target_ci_half_width;
  });
}

Progress Run::CurrentProgress() const {
  Progress progress;
  progress.paths_done = totals_.paths;
  progress.paths_planned = path_cap_;
  progress.attainment_probability = running_hits_[0].Mean();
  progress.attainment_interval = WilsonInterval(running_hits_[0], totals_.paths);
  return progress;
}

Histogram MakeHistogram(double low, double high, const std::vector<double>& values) {
  Histogram histogram{low, high, std::vector<uint64_t>(kHistogramBins)};
  const double width = (high - low) / kHistogramBins;
  for (const double v : values) {
    const double position = width > 0 ? (v - low) / width : 0;
    const int bin = std::clamp(static_cast<int>(position), 0, kHistogramBins - 1);
    ++histogram.path_counts[static_cast<size_t>(bin)];
  }
  return histogram;
}

void Run::StartPartnerPercentiles(WorkerPool& pool, size_t sample_paths) {
  percentile_paths_ = sample_paths;
  partner_percentiles_.resize(plans_.size() * partners_);
  percentile_batch_ = pool.Start(partner_percentiles_.size(), [this](size_t index) {
    const size_t k = index / partners_;
    const size_t i = index % partners_;
    std::span<const float> sample(samples_[k].get() + i * sample_paths_, percentile_paths_);
    constexpr double kTenNinety[] = {0.10, 0.90};
    double found[2];
    Quantiles(sample, std::span<const double>(kTenNinety), std::span<double>(found));
    partner_percentiles_[index] = {found[0], found[1]};
  });
}

Comparison Run::Summarize(const Portfolio& portfolio, WorkerPool& pool) {
  const uint64_t paths = totals_.paths;
  const double n = static_cast<double>(paths);
  const bool pairs = options_.antithetic;
  // Runs on the pool while this thread summarizes the plans.
  if (!percentile_batch_) StartPartnerPercentiles(pool, std::min<size_t>(sample_paths_, paths));
  const std::vector<double>& unassisted_revenue = totals_.unassisted_revenue;
  const UnitSums unassisted =
      SumUnits(paths, pairs, [&](size_t j) { return unassisted_revenue[j]; });
  const UnitSums unassisted_hits = SumUnits(paths, pairs, [&](size_t j) {
    return unassisted_revenue[j] >= quota_ ? 1.0 : 0.0;
  });
  Comparison comparison;
  for (size_t k = 0; k < plans_.size(); ++k) {
    const PlanSums& sums = totals_.plans[k];
    const std::vector<double>& revenue = sums.revenue;
    const ResolvedPlan& plan = plans_[k];
    PlanOutcome out;
    out.plan_name = plan.name;
    const UnitSums hits = SumUnits(paths, pairs, [&](size_t j) {
      return revenue[j] >= quota_ ? 1.0 : 0.0;
    });
    out.attainment_probability = hits.Mean();
    out.attainment_interval = WilsonInterval(hits, paths);
    const UnitSums mean = SumUnits(paths, pairs, [&](size_t j) { return revenue[j]; });
    out.expected_revenue = mean.Mean();
    out.expected_revenue_std_error = mean.StdError();
    double squares = 0;
    double shortfall = 0;
    for (const double r : revenue) {
      squares += (r - out.expected_revenue) * (r - out.expected_revenue);
      shortfall += std::max(0.0, quota_ - r);
    }
    out.revenue_std_dev = paths > 1 ? std::sqrt(squares / (n - 1)) : 0;
    out.expected_shortfall = shortfall / n;
    std::array<double, kRevenuePercentiles.size()> fractions;
    for (size_t q = 0; q < fractions.size(); ++q) fractions[q] = kRevenuePercentiles[q] / 100;
    Quantiles(std::span<const double>(revenue), std::span<const double>(fractions),
              std::span<double>(out.revenue_percentiles));
    const auto [low, high] = std::minmax_element(revenue.begin(), revenue.end());
    out.histogram = MakeHistogram(*low, *high, revenue);

    double cumulative = 0;
    for (size_t t = 0; t < periods_; ++t) {
      cumulative += sums.period_revenue[t];
      out.periods.push_back({static_cast<int>(t + 1), cumulative / n, on_track_threshold_[t],
                             static_cast<double>(sums.on_track[t]) / n});
    }
    for (size_t i = 0; i < partners_; ++i) {
      PartnerOutcome partner;
      partner.partner_id = portfolio.partners[i].id;
      partner.tier = plan.tiers[i];
      partner.hours = plan.hours[i];
      partner.expected_revenue = sums.partner_revenue[i] / n;
      partner.unassisted_expected_revenue = totals_.unassisted_partner_revenue[i] / n;
      partner.engagement_uplift = sums.partner_uplift[i].Mean();
      partner.engagement_uplift_interval = sums.partner_uplift[i].NormalInterval();
      partner.uplift_per_hour =
          plan.hours[i] > 0 ? partner.engagement_uplift /
                                  (plan.hours[i] * static_cast<double>(periods_))
                            : 0;
      partner.dormancy_probability = static_cast<double>(sums.partner_dormant[i]) / n;
      partner.revenue_share =
          out.expected_revenue > 0 ? partner.expected_revenue / out.expected_revenue : 0;
      out.partners.push_back(std::move(partner));
    }
    out.unassisted_expected_revenue = unassisted.Mean();
    out.unassisted_attainment_probability = unassisted_hits.Mean();
    out.hours_used = plan.hours_used;
    out.capacity_hours = portfolio.capacity_hours;
    out.over_capacity = plan.hours_used > portfolio.capacity_hours;
    out.paths = paths;
    out.seed = seed_;
    out.antithetic = pairs;
    out.partner_percentile_paths = percentile_paths_;
    comparison.outcomes.push_back(std::move(out));
  }
  percentile_batch_->Wait();
  for (size_t k = 0; k < plans_.size(); ++k) {
    for (size_t i = 0; i < partners_; ++i) {
      std::tie(comparison.outcomes[k].partners[i].revenue_p10,
               comparison.outcomes[k].partners[i].revenue_p90) =
          partner_percentiles_[k * partners_ + i];
    }
  }
  const std::vector<double>& base = totals_.plans[0].revenue;
  for (size_t k = 1; k < plans_.size(); ++k) {
    const std::vector<double>& revenue = totals_.plans[k].revenue;
    const UnitSums hits = SumUnits(paths, pairs, [&](size_t j) {
      return (revenue[j] >= quota_ ? 1.0 : 0.0) - (base[j] >= quota_ ? 1.0 : 0.0);
    });
    const UnitSums gain = SumUnits(paths, pairs, [&](size_t j) { return revenue[j] - base[j]; });
    comparison.differences.push_back({plans_[k].name, plans_[0].name, hits.Mean(),
                                      hits.NormalInterval(), gain.Mean(),
                                      gain.NormalInterval()});
  }
  return comparison;
}

}  // namespace

Engine::Engine(EngineOptions options)
    : options_(std::move(options)),
      pool_(options_.threads > 0 ? options_.threads : WorkerPool::AvailableCpus()) {}

Engine::~Engine() = default;

Violations Engine::Validate(const Portfolio& portfolio,
                                             std::span<const Plan> plans,
                                             const SimulationOptions& options,
                                             bool single_plan) const {
  Violations violations;
  violations.Append("portfolio.", ValidatePortfolio(portfolio, options_.limits));
  if (plans.empty()) {
    violations.Add(single_plan ? "plan" : "plans", "must list at least one plan");
  } else if (plans.size() > options_.limits.max_plans) {
    violations.Add("plans", absl::StrCat("has ", plans.size(), " plans, the limit is ",
                                                options_.limits.max_plans));
  } else if (violations.empty()) {
    for (size_t k = 0; k < plans.size(); ++k) {
      violations.Append(single_plan ? "plan." : absl::StrCat("plans[", k, "]."),
                       ValidatePlan(portfolio, plans[k]));
    }
  }
  violations.Append("options.", ValidateOptions(options, options_.limits));
  return violations;
}

size_t Engine::EstimateMemoryBytes(const Portfolio& portfolio, size_t plan_count,
                                   const SimulationOptions& options) const {
  const size_t partners = portfolio.partners.size();
  const size_t periods = static_cast<size_t>(portfolio.periods);
  const size_t scenarios = plan_count + 1;
  const size_t path_cap = static_cast<size_t>(PathCap(options));
  // Revenue of every path per plan and unassisted, plus the percentiles' scratch copy.
  const size_t revenue = (plan_count + 2) * path_cap * sizeof(double);
  const size_t samples =
      plan_count * partners *
      PartnerSamplePaths(options_, partners, plan_count, path_cap) * sizeof(float);
  const size_t tables = scenarios * partners * periods * 2 * sizeof(double);
  // Per worker: draws and path revenue for both antithetic copies, and one block's sums
  // (at most two blocks per worker wait to be merged).
  const size_t draws = 2 * (partners * periods * 3 + partners) * sizeof(double);
  const size_t path_revenue = 2 * scenarios * (partners * 9 + periods * 8);
  const size_t block_sums =
      plan_count * (kPathsPerBlock * 8 + partners * 48 + periods * 16) + partners * 8;
  const size_t per_worker = draws + path_revenue + 2 * block_sums;
  return revenue + samples + tables + static_cast<size_t>(threads()) * per_worker;
}

RunCost Engine::EstimateCompare(const Portfolio& portfolio, size_t plan_count,
                                const SimulationOptions& options) const {
  return {EstimateMemoryBytes(portfolio, plan_count, options),
          static_cast<double>(portfolio.partners.size()) * portfolio.periods *
              static_cast<double>(PathCap(options))};
}

absl::StatusOr<PlanOutcome> Engine::Simulate(const Portfolio& portfolio, const Plan& plan,
                                             const SimulationOptions& options,
                                             const RunControl& control) {
  const Violations violations =
      Validate(portfolio, std::span<const Plan>(&plan, 1), options, /*single_plan=*/true);
  if (!violations.empty()) return ViolationsToStatus(violations);
  absl::StatusOr<Comparison> comparison =
      RunValidated(portfolio, std::span<const Plan>(&plan, 1), options, control);
  if (!comparison.ok()) return comparison.status();
  return std::move(comparison->outcomes[0]);
}

absl::StatusOr<Comparison> Engine::Compare(const Portfolio& portfolio,
                                           std::span<const Plan> plans,
                                           const SimulationOptions& options,
                                           const RunControl& control) {
  const Violations violations =
      Validate(portfolio, plans, options, /*single_plan=*/false);
  if (!violations.empty()) return ViolationsToStatus(violations);
  return RunValidated(portfolio, plans, options, control);
}

absl::StatusOr<Comparison> Engine::RunValidated(const Portfolio& portfolio,
                                                std::span<const Plan> plans,
                                                const SimulationOptions& options,
                                                const RunControl& control) {
  const size_t estimate = EstimateMemoryBytes(portfolio, plans.size(), options);
  if (estimate > options_.memory_budget_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the run needs an estimated ", estimate >> 20, " MiB, over the memory budget of ",
        options_.memory_budget_bytes >> 20,
        " MiB; lower options.paths (or options.max_paths), the number of plans or partners"));
  }
  std::vector<ResolvedPlan> resolved;
  for (const Plan& plan : plans) resolved.push_back(ResolvePlan(portfolio, plan));
  const uint64_t seed = options.seed ? *options.seed : DrawSeed();
  const size_t sample_paths =
      PartnerSamplePaths(options_, portfolio.partners.size(), plans.size(), PathCap(options));
  auto run = std::make_shared<Run>(portfolio, std::move(resolved), options, seed, sample_paths);
  if (absl::Status status = run->Execute(run, pool_, control); !status.ok()) return status;
  return run->Summarize(portfolio, pool_);
}

absl::StatusOr<ScenarioSample> Engine::SampleScenarios(
    const Portfolio& portfolio, const std::vector<std::vector<double>>& scenario_hours,
    uint64_t paths, uint64_t seed, const RunControl& control) {
  ScenarioSample sample;
  sample.scenarios = scenario_hours.size();
  sample.partners = portfolio.partners.size();
  sample.paths = static_cast<size_t>(paths);
  sample.seed = seed;
  const size_t bytes = sample.scenarios * sample.partners * sample.paths * sizeof(double);
  if (bytes > options_.memory_budget_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "sampling ", sample.scenarios, " tiers x ", sample.partners, " partners x ", paths,
        " paths needs ", bytes >> 20, " MiB, over the memory budget of ",
        options_.memory_budget_bytes >> 20, " MiB; lower the paths"));
  }
  sample.revenue.resize(sample.scenarios * sample.partners * sample.paths);
  const PathGenerator generator(portfolio);
  const PathEvaluator evaluator(portfolio, generator, scenario_hours, /*detailed_scenarios=*/0);
  std::atomic<bool> abort{false};
  std::atomic<uint64_t> paths_done{0};
  const uint64_t blocks = (paths + kPathsPerBlock - 1) / kPathsPerBlock;
  std::shared_ptr<TaskBatch> batch = pool_.Start(blocks, [&](size_t block) {
    BlockEngine engine(BlockSeed(seed, block));
    PathDraws draws;
    generator.Prepare(draws);
    std::vector<PathRevenue> revenue;
    evaluator.Prepare(revenue);
    const size_t first = block * kPathsPerBlock;
    const size_t last = std::min<size_t>(first + kPathsPerBlock, sample.paths);
    for (size_t path = first; path < last; ++path) {
      if (abort.load(std::memory_order_relaxed)) return;
      generator.Generate(engine, draws);
      evaluator.Evaluate(draws, revenue);
      for (size_t s = 0; s < sample.scenarios; ++s) {
        for (size_t i = 0; i < sample.partners; ++i) {
          sample.revenue[(s * sample.partners + i) * sample.paths + path] =
              revenue[s].partner_revenue[i];
        }
      }
    }
    paths_done += last - first;
  });
  uint64_t reported = 0;
  bool finished = false;
  while (!finished) {
    finished = batch->WaitFor(std::chrono::milliseconds(10));
    if (control.cancelled && control.cancelled()) abort = true;
    const uint64_t done = paths_done.load();
    if (done == reported) continue;
    if (control.on_paths) control.on_paths(done - reported);
    reported = done;
    if (control.on_progress) {
      Progress progress;
      progress.paths_done = reported;
      progress.paths_planned = paths;
      control.on_progress(progress);
    }
  }
  if (abort) return absl::CancelledError("sampling cancelled");
  return sample;
}

}  // namespace attain
