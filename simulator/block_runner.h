// The block runner: hands a run's blocks to the worker pool, merges their outputs in
// block order on the calling thread, polls cancellation, reports progress and paths as
// blocks merge, and asks a stop rule after each merged block whether to end the run
// there; it hands out no block more than kBlocksAheadPerWorker per worker ahead of the
// merged ones. What a block computes and how outputs merge is the job's (a comparison, a
// scenario sample); when to stop is the rule's (fixed paths run every block; a precision
// target stops early). Because blocks merge in order and the stop rule sees only merged
// blocks, a run's result does not depend on thread count or timing.
//
// RunBlocks is thread-safe; a job is driven by one RunBlocks call at a time.
#ifndef ATTAIN_SIMULATOR_BLOCK_RUNNER_H_
#define ATTAIN_SIMULATOR_BLOCK_RUNNER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "simulator/statistics.h"
#include "simulator/worker_pool.h"

namespace attain {

// How far a run has come.
struct Progress {
  uint64_t paths_done = 0;
  uint64_t paths_planned = 0;  // paths, or max_paths under a precision target
  double attainment_probability = 0;  // first plan's so far (comparisons)
  Interval attainment_interval;
};

// Other replicas that can simulate ranges of a run's blocks (the service's peers, bound
// to the run's request). Blocks come back as bytes (block_codec.h) and merge in block
// order with the rest, so where a block ran never shows in the result.
//
// Thread-safe.
class BlockOffload {
 public:
  virtual ~BlockOffload() = default;
  // Ranges it can run at once.
  virtual int slots() const = 0;
  // Simulates blocks [first, end) of the run elsewhere: deliver(block, bytes) for each
  // block's output, in any order and from any thread, then done() once, after the last
  // deliver. Blocks not delivered by then the run simulates itself.
  virtual void Start(uint64_t first, uint64_t end,
                     std::function<void(uint64_t block, std::string bytes)> deliver,
                     std::function<void()> done) = 0;
  // Ends every range started soon (each still calls done).
  virtual void CancelAll() = 0;
};

// Blocks of a range sent to a BlockOffload, at most.
inline constexpr uint64_t kBlocksPerOffloadedRange = 4;

struct RunControl {
  // Polled by the calling thread about every 10 ms; true stops the run (CANCELLED)
  // within one block.
  std::function<bool()> cancelled;
  // Called on the calling thread each time more blocks are merged.
  std::function<void(const Progress&)> on_progress;
  // Called on the calling thread with the paths simulated since the last call, by every
  // run (simulations and samples alike): what a request has cost so far. Paths an
  // offload simulated do not count: the replica that simulated them counts them.
  std::function<void(uint64_t paths)> on_paths;
  // Where the run may send ranges of its blocks, if its job can take them back
  // (BlockJob::first_offloaded_block); none when null. Must outlive the run.
  BlockOffload* offload = nullptr;
};

// What one block produced; a job's own type.
struct BlockOutput {
  virtual ~BlockOutput() = default;
  uint64_t paths = 0;
  bool offloaded = false;  // simulated by another replica (BlockOffload)
};

// A kind of run, as the runner drives it.
class BlockJob {
 public:
  virtual ~BlockJob() = default;
  // Simulates block `block` on a worker thread (several at once); nullptr when `abort`
  // turned true first.
  virtual std::unique_ptr<BlockOutput> Simulate(uint64_t block,
                                                const std::atomic<bool>& abort) = 0;
  // Merges a block's output on the calling thread, in block order.
  virtual void Merge(std::unique_ptr<BlockOutput> block) = 0;
  // The progress after the blocks merged so far.
  virtual Progress CurrentProgress() const = 0;
  // The first block another replica may simulate (RunControl::offload); blocks before
  // it and jobs that cannot take outputs back (the default) run here.
  virtual uint64_t first_offloaded_block() const { return UINT64_MAX; }
  // A block's output from another replica's bytes (block_codec.h); INVALID_ARGUMENT
  // when they are not one of this run's blocks.
  virtual absl::StatusOr<std::unique_ptr<BlockOutput>> Decode(std::string_view bytes) const;
};

// Asked after each merged block: true ends the run there (later blocks are discarded).
using StopRule = std::function<bool()>;

// Blocks of one run handed out and not yet merged, at most, per worker thread: one being
// simulated and one done, waiting for an earlier, slower block. Bounds a run's memory
// (run_cost.h) whatever the order in which blocks finish.
inline constexpr uint64_t kBlocksAheadPerWorker = 2;

// Runs blocks 0 .. block_count - 1 of `job` on `pool` (and ranges of them on
// control.offload), until they are all merged or `stop` says so. Besides the pool's
// window, offloaded ranges may run up to 2 x kBlocksPerOffloadedRange x slots blocks
// ahead; a range's blocks that do not come back are simulated here. OK, or CANCELLED
// (with the paths merged) when control.cancelled() turned true; no block runs or merges,
// and no offloaded range is out, after it returns.
absl::Status RunBlocks(WorkerPool& pool, BlockJob& job, uint64_t block_count,
                       const StopRule& stop, const RunControl& control);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_BLOCK_RUNNER_H_
