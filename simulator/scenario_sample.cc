#include "simulator/scenario_sample.h"

namespace attain {
namespace {

// Writes each path's partner revenue under every scenario into the sample.
class SampleSink final : public PathSink {
 public:
  explicit SampleSink(ScenarioSample& sample) : sample_(sample) {}

  void Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) override {
    const std::vector<PathRevenue>& revenue = unit[0];  // a sample has no antithetic pairs
    for (size_t s = 0; s < sample_.scenarios; ++s) {
      double* column = sample_.revenue.data() + s * sample_.partners * sample_.paths + first_path;
      for (size_t i = 0; i < sample_.partners; ++i) {
        column[i * sample_.paths] = revenue[s].partner_revenue[i];
      }
    }
    ++paths;
  }

  uint64_t paths = 0;

 private:
  ScenarioSample& sample_;
};

}  // namespace

std::unique_ptr<BlockOutput> SampleJob::Simulate(uint64_t block,
                                                 const std::atomic<bool>& abort) {
  SampleSink sink(sample_);
  if (!kernel_.Run(sample_.seed, block, sample_.paths, abort, sink)) return nullptr;
  auto output = std::make_unique<BlockOutput>();
  output->paths = sink.paths;
  return output;
}

Progress SampleJob::CurrentProgress() const {
  Progress progress;
  progress.paths_done = paths_merged_;
  progress.paths_planned = sample_.paths;
  return progress;
}

}  // namespace attain
