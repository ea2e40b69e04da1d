// A sample of every partner's horizon revenue under each of several scenarios, path by
// path, stored compactly: each partner has a reference scenario (for a tier sample, its
// current tier), and the sample keeps
//   - the reference plan's portfolio revenue per path, in double, summed over partners in
//     partner order: a comparison's revenue of that plan, bit for bit (same kernel,
//     blocks and seeds);
//   - per partner and other scenario, its revenue minus its reference revenue per path,
//     rounded to float (a relative error of at most 2^-24 each).
// So a plan's revenue on a path is the reference total plus the deltas of the partners
// it moves, and 2,000 partners at three tiers over 20,000 paths take 320 MB, not 960.
//
// ScenarioSample is a plain value type. A SampleJob is driven by RunBlocks.
#ifndef ATTAIN_SIMULATOR_SCENARIO_SAMPLE_H_
#define ATTAIN_SIMULATOR_SCENARIO_SAMPLE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "simulator/block_kernel.h"
#include "simulator/block_runner.h"

namespace attain {

// Hours per partner under each scenario, and each partner's reference scenario.
struct ScenarioSet {
  std::vector<std::vector<double>> hours;  // [scenario][partner]
  std::vector<uint8_t> reference;          // [partner]: a scenario index
};

class ScenarioSample {
 public:
  ScenarioSample() = default;
  // Zeroed, for `set`'s scenarios and partners over `paths` paths.
  // REQUIRES: 1 <= set.hours.size() <= 256; every reference is a scenario.
  ScenarioSample(const ScenarioSet& set, size_t paths, uint64_t seed);

  // The bytes a sample of this shape holds.
  static size_t Bytes(size_t scenarios, size_t partners, size_t paths);

  size_t scenarios() const { return scenarios_; }
  size_t partners() const { return reference_.size(); }
  size_t paths() const { return reference_totals_.size(); }
  uint64_t seed() const { return seed_; }
  size_t reference(size_t partner) const { return reference_[partner]; }
  const std::vector<double>& reference_totals() const { return reference_totals_; }
  // The revenue on every path of the plan that puts partner i in scenario[i].
  std::vector<double> Totals(const std::vector<uint8_t>& scenario) const;

  // Partner's revenue under scenario s minus under its reference, per path (all zero
  // for the reference itself).
  const float* Delta(size_t scenario, size_t partner) const;
  // totals[p] += partner's revenue under `to` minus under `from`, on every path.
  void AddChange(size_t partner, size_t from, size_t to, std::span<double> totals) const;

  // For RecordingSink: path p's revenue of each partner under every scenario,
  // revenue[s][partner].
  void Record(size_t path, std::span<const std::vector<double>* const> revenue);

 private:
  // Where (scenario, partner)'s row starts in deltas_. REQUIRES: not its reference.
  size_t RowOffset(size_t scenario, size_t partner) const;

  size_t scenarios_ = 0;
  uint64_t seed_ = 0;
  std::vector<uint8_t> reference_;
  std::vector<double> reference_totals_;  // [path]
  // [(partner * (scenarios - 1) + slot) * paths + path], the partner's scenarios other
  // than its reference in order.
  std::vector<float> deltas_;
  std::vector<float> zeros_;  // [path], the reference's delta
};

// Records each path's partner revenue under the sample's scenarios (the first
// sample.scenarios() of the unit's) into the sample, then hands the unit on to `next`, if
// any. REQUIRES: units are single paths (no antithetic pairs); both outlive the sink.
class RecordingSink final : public PathSink {
 public:
  explicit RecordingSink(ScenarioSample& sample, PathSink* next = nullptr)
      : sample_(sample), next_(next), rows_(sample.scenarios()) {}

  void Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) override;

  uint64_t paths = 0;

 private:
  ScenarioSample& sample_;
  PathSink* const next_;
  std::vector<const std::vector<double>*> rows_;
};

// Fills a ScenarioSample, block by block (blocks write disjoint entries).
class SampleJob final : public BlockJob {
 public:
  // REQUIRES: `sample` is sized for the evaluator's scenarios and partners;
  // both outlive the job.
  SampleJob(const BlockKernel& kernel, ScenarioSample& sample) : kernel_(kernel), sample_(sample) {}

  uint64_t block_count() const { return BlockCount(sample_.paths()); }

  std::unique_ptr<BlockOutput> Simulate(uint64_t block, const std::atomic<bool>& abort) override;
  void Merge(std::unique_ptr<BlockOutput> block) override { paths_merged_ += block->paths; }
  Progress CurrentProgress() const override;

 private:
  const BlockKernel& kernel_;
  ScenarioSample& sample_;
  uint64_t paths_merged_ = 0;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_SCENARIO_SAMPLE_H_
