#include "simulator/block_runner.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace attain {
namespace {

// How often the calling thread polls for cancellation while it waits for a block.
constexpr std::chrono::milliseconds kPollInterval{10};

// The pool's side of a run: workers take the next block, simulate it and leave its
// output for the calling thread, which takes outputs in block order. With an offload,
// the calling thread also claims ranges of blocks for it, at the same front as the
// workers; their outputs come back decoded, and blocks a range did not bring back go to
// the workers before any new block.
class BlockDispatch final : public PoolJob, public std::enable_shared_from_this<BlockDispatch> {
 public:
  BlockDispatch(BlockJob& job, uint64_t block_count, uint64_t window)
      : job_(job), window_(window), remaining_(block_count), block_limit_(block_count) {}

  // Blocks not yet started; the pool runs the job with the fewest first.
  uint64_t RemainingUnits() const override { return remaining_.load(std::memory_order_relaxed); }

  // Worker threads. A worker that finds the window full parks its token (returns false,
  // so the pool drops it) until Merged() hands it back.
  bool RunOne() override {
    uint64_t block;
    {
      std::lock_guard lock(mu_);
      // After Finish the job may be gone: a late token must not reach it.
      if (abort_.load(std::memory_order_relaxed)) return false;
      if (!retry_.empty()) {
        block = *retry_.begin();
        retry_.erase(retry_.begin());
      } else {
        if (next_block_ >= block_limit_) return false;
        if (next_block_ >= merged_ + window_) {
          ++parked_;
          return false;
        }
        block = next_block_++;
        remaining_.store(block_limit_ - next_block_, std::memory_order_relaxed);
      }
      ++in_flight_;
    }
    std::unique_ptr<BlockOutput> output = job_.Simulate(block, abort_);
    {
      std::lock_guard lock(mu_);
      --in_flight_;
      if (output) completed_.emplace(block, std::move(output));
    }
    block_done_.notify_all();
    return true;
  }

  // The calling thread: hands `offload` the next range of blocks at the front, if the
  // front is at `first_offloaded` or beyond and the range fits in the window. Ranges are
  // up to kBlocksPerOffloadedRange blocks, fewer when few blocks are left for the
  // `slots` ranges and this replica to share (a large team's run is a few long blocks).
  bool OffloadNext(BlockOffload& offload, uint64_t first_offloaded, int slots) {
    uint64_t first;
    uint64_t end;
    {
      std::lock_guard lock(mu_);
      if (next_block_ < first_offloaded || next_block_ >= block_limit_ ||
          next_block_ + kBlocksPerOffloadedRange > merged_ + window_) {
        return false;
      }
      const uint64_t share =
          (block_limit_ - next_block_) / (2 * (static_cast<uint64_t>(slots) + 1));
      first = next_block_;
      end = std::min(block_limit_,
                     first + std::clamp<uint64_t>(share, 1, kBlocksPerOffloadedRange));
      next_block_ = end;
      remaining_.store(block_limit_ - next_block_, std::memory_order_relaxed);
      ++ranges_out_;
    }
    auto delivered = std::make_shared<std::vector<std::atomic<bool>>>(end - first);
    std::shared_ptr<BlockDispatch> self = shared_from_this();
    offload.Start(
        first, end,
        [self, first, end, delivered](uint64_t block, std::string bytes) {
          if (block < first || block >= end) return;  // not this range's: run here
          absl::StatusOr<std::unique_ptr<BlockOutput>> output = self->job_.Decode(bytes);
          if (!output.ok() || (*delivered)[block - first].exchange(true)) return;
          (*output)->offloaded = true;
          {
            std::lock_guard lock(self->mu_);
            if (!self->abort_.load(std::memory_order_relaxed)) {
              self->completed_.emplace(block, *std::move(output));
            }
          }
          self->block_done_.notify_all();
        },
        [self, first, end, delivered] {
          {
            std::lock_guard lock(self->mu_);
            const bool aborted = self->abort_.load(std::memory_order_relaxed);
            for (uint64_t block = first; block < end && !aborted; ++block) {
              if (!(*delivered)[block - first].load() && block < self->block_limit_) {
                self->retry_.insert(block);
                ++self->retries_unclaimed_;
              }
            }
            --self->ranges_out_;
          }
          self->block_done_.notify_all();
        });
    return true;
  }

  // Ranges handed to the offload and not yet done.
  int ranges_out() const {
    std::lock_guard lock(mu_);
    return ranges_out_;
  }

  // Blocks that came back undone since the last call: as many worker tokens to submit.
  int TakeRetries() {
    std::lock_guard lock(mu_);
    return static_cast<int>(std::exchange(retries_unclaimed_, 0));
  }

  // The completed blocks from `next` on, in order, after waiting up to kPollInterval for
  // block `next`.
  std::vector<std::unique_ptr<BlockOutput>> TakeReady(uint64_t next) {
    std::unique_lock lock(mu_);
    block_done_.wait_for(lock, kPollInterval, [&] { return completed_.contains(next); });
    std::vector<std::unique_ptr<BlockOutput>> ready;
    for (auto it = completed_.find(next); it != completed_.end(); it = completed_.find(next)) {
      ready.push_back(std::move(it->second));
      completed_.erase(it);
      ++next;
    }
    return ready;
  }

  // The calling thread has merged blocks 0 .. merged - 1: the window moves on. Returns
  // the tokens parked meanwhile, for the caller to submit again.
  int Merged(uint64_t merged) {
    std::lock_guard lock(mu_);
    merged_ = merged;
    return std::exchange(parked_, 0);
  }

  // No block starts after this; blocks in progress stop early and are dropped. Returns
  // when no worker is inside the job and every offloaded range is done (the caller has
  // cancelled them).
  void Finish() {
    std::unique_lock lock(mu_);
    block_limit_ = next_block_;
    retry_.clear();
    remaining_.store(0, std::memory_order_relaxed);
    abort_.store(true, std::memory_order_relaxed);
    block_done_.wait(lock, [&] { return in_flight_ == 0 && ranges_out_ == 0; });
    completed_.clear();
  }

 private:
  BlockJob& job_;
  const uint64_t window_;
  std::atomic<bool> abort_{false};
  std::atomic<uint64_t> remaining_;  // block_limit_ - next_block_, for the pool
  mutable std::mutex mu_;
  std::condition_variable block_done_;
  uint64_t block_limit_;  // guarded by mu_, as are the rest
  uint64_t next_block_ = 0;
  uint64_t merged_ = 0;
  int in_flight_ = 0;
  int parked_ = 0;
  int ranges_out_ = 0;
  std::set<uint64_t> retry_;  // offloaded blocks that did not come back
  uint64_t retries_unclaimed_ = 0;
  std::map<uint64_t, std::unique_ptr<BlockOutput>> completed_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<BlockOutput>> BlockJob::Decode(std::string_view) const {
  return absl::UnimplementedError("this run's blocks run here only");
}

absl::Status RunBlocks(WorkerPool& pool, BlockJob& job, uint64_t block_count,
                       const StopRule& stop, const RunControl& control) {
  BlockOffload* const offload =
      job.first_offloaded_block() < block_count ? control.offload : nullptr;
  const int slots = offload != nullptr ? std::max(0, offload->slots()) : 0;
  const uint64_t window = kBlocksAheadPerWorker * static_cast<uint64_t>(pool.threads()) +
                          2 * kBlocksPerOffloadedRange * static_cast<uint64_t>(slots);
  auto dispatch = std::make_shared<BlockDispatch>(job, block_count, window);
  pool.Submit(dispatch, static_cast<int>(std::min<uint64_t>(block_count, INT_MAX)));
  uint64_t merged = 0;
  uint64_t paths_merged = 0;
  uint64_t paths_simulated_here = 0;
  uint64_t paths_reported = 0;
  bool stopped = false;
  bool cancelled = false;
  while (!stopped && merged < block_count) {
    // Ranges go out as slots free up and the window allows.
    for (bool sent = true; sent && slots > 0 && dispatch->ranges_out() < slots;) {
      sent = dispatch->OffloadNext(*offload, job.first_offloaded_block(), slots);
    }
    std::vector<std::unique_ptr<BlockOutput>> ready = dispatch->TakeReady(merged);
    for (std::unique_ptr<BlockOutput>& block : ready) {
      paths_merged += block->paths;
      if (!block->offloaded) paths_simulated_here += block->paths;
      job.Merge(std::move(block));
      ++merged;
      if (stop && stop()) {
        stopped = true;  // later blocks, ready or not, are discarded
        break;
      }
    }
    if (const int tokens = dispatch->Merged(merged) + dispatch->TakeRetries();
        tokens > 0 && !stopped) {
      pool.Submit(dispatch, tokens);
    }
    if (!ready.empty()) {
      if (control.on_paths) control.on_paths(paths_simulated_here - paths_reported);
      paths_reported = paths_simulated_here;
      if (control.on_progress) control.on_progress(job.CurrentProgress());
    }
    if (control.cancelled && control.cancelled()) {
      cancelled = true;
      break;
    }
  }
  if (offload != nullptr) offload->CancelAll();
  dispatch->Finish();
  if (cancelled) {
    return absl::CancelledError(absl::StrCat("run cancelled after ", paths_merged, " paths"));
  }
  return absl::OkStatus();
}

}  // namespace attain
