#include "simulator/block_kernel.h"

#include <optional>

#include "simulator/random.h"

namespace attain {

bool BlockKernel::Run(uint64_t seed, uint64_t block, uint64_t run_paths,
                      const std::atomic<bool>& abort, PathSink& sink) const {
  const uint64_t first_path = block * kPathsPerBlock;
  const uint64_t paths = PathsInBlock(block, run_paths);
  const size_t copies = antithetic_ ? 2 : 1;  // paths per unit
  BlockEngine engine(BlockSeed(seed, block));
  // Parameter draws take their own stream, so the block's engine draws what it draws
  // without them; none is seeded when nothing is drawn.
  std::optional<BlockEngine> parameter_stream;
  if (generator_.parameter_sampler().active()) parameter_stream.emplace(ParameterSeed(seed, block));
  PathDraws draws[2];
  std::vector<PathRevenue> revenue[2];
  // What the conditional estimator of P(attain) reads of a path's deals; empty otherwise.
  const bool conditional = attainment_ != nullptr && attainment_->conditional();
  std::vector<double> deal_rates(conditional ? evaluator_.deal_rate_count() : 0);
  PathAttainment::Scratch scratch;
  for (size_t c = 0; c < copies; ++c) {
    generator_.Prepare(draws[c]);
    evaluator_.Prepare(revenue[c]);
  }
  for (uint64_t j = 0; j < paths; j += copies) {
    if (abort.load(std::memory_order_relaxed)) return false;
    generator_.Generate(engine, draws[0]);
    if (parameter_stream) generator_.DrawParameters(*parameter_stream, draws[0]);
    if (antithetic_) generator_.Mirror(draws[0], draws[1]);
    for (size_t c = 0; c < copies; ++c) {
      evaluator_.Evaluate(draws[c], revenue[c], deal_rates);
      if (attainment_ != nullptr) attainment_->Fill(draws[c], deal_rates, revenue[c], scratch);
    }
    sink.Add(first_path + j, std::span<const std::vector<PathRevenue>>(revenue, copies));
  }
  return true;
}

}  // namespace attain
