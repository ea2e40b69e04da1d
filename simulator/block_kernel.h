// The block kernel: the only code that seeds and runs a block of paths. Paths are
// simulated in blocks of kPathsPerBlock; block b of a run seeded with s draws from its
// own engine, seeded with BlockSeed(s, b), so a block's paths depend on (seed, block)
// only, never on the thread that runs it; with parameter uncertainty, partners'
// parameters come from a second engine of the block, seeded with ParameterSeed(s, b).
// Each path (or antithetic pair: a path and its mirror) is evaluated under every
// scenario on the same draws, given its P(attain) per scenario when the run asks, and
// handed to a sink.
//
// A BlockKernel is immutable and may be shared by threads; each Run uses its own
// scratch. Sinks are not shared: one per block.
#ifndef ATTAIN_SIMULATOR_BLOCK_KERNEL_H_
#define ATTAIN_SIMULATOR_BLOCK_KERNEL_H_

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "simulator/path_attainment.h"
#include "simulator/path_evaluator.h"
#include "simulator/path_generator.h"

namespace attain {

// Part of the reproducibility contract: changing it changes every seeded result.
inline constexpr uint64_t kPathsPerBlock = 1024;

// Blocks of a run of `paths` paths, and the paths of one of them.
constexpr uint64_t BlockCount(uint64_t paths) {
  return (paths + kPathsPerBlock - 1) / kPathsPerBlock;
}
constexpr uint64_t PathsInBlock(uint64_t block, uint64_t paths) {
  const uint64_t first = block * kPathsPerBlock;
  return first >= paths ? 0 : (paths - first < kPathsPerBlock ? paths - first : kPathsPerBlock);
}

// Receives one block's paths, in path order.
class PathSink {
 public:
  virtual ~PathSink() = default;
  // One unit: a path, or an antithetic pair (the path, then its mirror). `first_path` is
  // the run-wide index of its first path; unit[c][s] is copy c's revenue under scenario
  // s.
  virtual void Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) = 0;
};

class BlockKernel {
 public:
  // With `attainment`, each path's PathRevenue::attainment is filled in. REQUIRES:
  // `evaluator` was built on `generator`, and `attainment` on both; all outlive the
  // kernel. With `antithetic`, a run's path count is even.
  BlockKernel(const PathGenerator& generator, const PathEvaluator& evaluator, bool antithetic,
              const PathAttainment* attainment = nullptr)
      : generator_(generator),
        evaluator_(evaluator),
        antithetic_(antithetic),
        attainment_(attainment) {}

  // Simulates block `block` of a run of `run_paths` paths seeded with `seed` into `sink`.
  // False when `abort` turned true first; the sink then holds part of the block.
  bool Run(uint64_t seed, uint64_t block, uint64_t run_paths, const std::atomic<bool>& abort,
           PathSink& sink) const;

 private:
  const PathGenerator& generator_;
  const PathEvaluator& evaluator_;
  const bool antithetic_;
  const PathAttainment* const attainment_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_BLOCK_KERNEL_H_
