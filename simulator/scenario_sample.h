// A sample of every partner's horizon revenue under each of several scenarios, path by
// path. Its paths, blocks and seeds are those of a comparison (the same kernel), so a
// plan's portfolio revenue on path p, the sum over partners in partner order of the
// entries for the plan's hours, equals the comparison's bit for bit.
//
// ScenarioSample is a plain value type. A SampleJob is driven by RunBlocks.
#ifndef ATTAIN_SIMULATOR_SCENARIO_SAMPLE_H_
#define ATTAIN_SIMULATOR_SCENARIO_SAMPLE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "simulator/block_kernel.h"
#include "simulator/block_runner.h"

namespace attain {

struct ScenarioSample {
  size_t scenarios = 0;
  size_t partners = 0;
  size_t paths = 0;
  uint64_t seed = 0;
  std::vector<double> revenue;  // [(scenario * partners + partner) * paths + path]

  const double* Row(size_t scenario, size_t partner) const {
    return revenue.data() + (scenario * partners + partner) * paths;
  }
};

// Fills a ScenarioSample, block by block (blocks write disjoint entries).
class SampleJob final : public BlockJob {
 public:
  // REQUIRES: `sample` is sized for the evaluator's scenarios and partners and
  // `sample.paths` paths; all outlive the job.
  SampleJob(const BlockKernel& kernel, ScenarioSample& sample)
      : kernel_(kernel), sample_(sample) {}

  uint64_t block_count() const { return BlockCount(sample_.paths); }

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
