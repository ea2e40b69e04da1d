// Tests of simulator/block_runner.h with a fake job that records where and in which
// order its blocks are simulated and merged. No timing: blocks are made slow by waiting on
// latches that other blocks open, never by sleeping, and no assertion depends on how long
// anything took.
#include "simulator/block_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "simulator/worker_pool.h"

namespace attain {
namespace {

// Block b of a fake run has b + 1 paths: distinct counts, so a sum of paths tells which
// blocks it covers.
uint64_t PathsOf(uint64_t block) { return block + 1; }
uint64_t PathsOfFirst(uint64_t blocks) { return blocks * (blocks + 1) / 2; }

// A latch whose wait can give up: lets a test wait for something a correct runner might
// never do, without deadlocking (the wait's length is never asserted).
class Countdown {
 public:
  explicit Countdown(int count) : count_(count) {}
  void CountDown() {
    std::lock_guard lock(mu_);
    if (--count_ <= 0) cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return count_ <= 0; });
  }
  void WaitAtMost(std::chrono::seconds limit) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, limit, [&] { return count_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_;
};

// Counts the fake outputs alive at once: a block's output lives from the end of its
// simulation until its merge.
struct OutputCount {
  std::atomic<int> alive{0};
  std::atomic<int> most{0};
};

struct FakeOutput final : BlockOutput {
  FakeOutput(uint64_t b, OutputCount& count) : block(b), count_(count) {
    paths = PathsOf(b);
    const int now = ++count_.alive;
    int seen = count_.most.load();
    while (now > seen && !count_.most.compare_exchange_weak(seen, now)) {
    }
  }
  ~FakeOutput() override { --count_.alive; }

  const uint64_t block;

 private:
  OutputCount& count_;
};

// Records Simulate calls (worker threads) and Merge calls (the calling thread). Hooks run
// inside Simulate: `before` ahead of the block's output, `after` once the block is done.
class FakeJob final : public BlockJob {
 public:
  using Hook = std::function<void(uint64_t block, const std::atomic<bool>& abort)>;

  FakeJob(uint64_t blocks, Hook before = {}, Hook after = {})
      : blocks_(blocks),
        caller_(std::this_thread::get_id()),
        before_(std::move(before)),
        after_(std::move(after)) {}

  std::unique_ptr<BlockOutput> Simulate(uint64_t block, const std::atomic<bool>& abort) override {
    Enter();
    if (before_) before_(block, abort);
    std::unique_ptr<BlockOutput> output;
    {
      std::lock_guard lock(mu_);
      simulated_on_caller_ += std::this_thread::get_id() == caller_;
      if (abort.load()) {
        ++aborted_;
      } else {
        finished_.push_back(block);
        output = std::make_unique<FakeOutput>(block, outputs);
      }
    }
    if (after_) after_(block, abort);
    Exit();
    return output;
  }

  void Merge(std::unique_ptr<BlockOutput> output) override {
    Enter();
    const auto& block = static_cast<const FakeOutput&>(*output);
    {
      std::lock_guard lock(mu_);
      merged_.push_back(block.block);
      merged_off_caller_ += std::this_thread::get_id() != caller_;
      merged_paths_ += block.paths;
    }
    merge_count_.fetch_add(1);
    Exit();
  }

  Progress CurrentProgress() const override {
    std::lock_guard lock(mu_);
    Progress progress;
    progress.paths_done = merged_paths_;
    progress.paths_planned = PathsOfFirst(blocks_);
    return progress;
  }

  // The test calls this as soon as RunBlocks returns: any call into the job from then on
  // (or still in progress) is late.
  void MarkReturned() {
    returned_.store(true);
    in_flight_at_return_ = in_flight_.load();
  }

  uint64_t merge_count() const { return merge_count_.load(); }
  std::vector<uint64_t> merged() const {
    std::lock_guard lock(mu_);
    return merged_;
  }
  std::vector<uint64_t> finished() const {
    std::lock_guard lock(mu_);
    return finished_;
  }
  uint64_t merged_paths() const {
    std::lock_guard lock(mu_);
    return merged_paths_;
  }
  int aborted() const {
    std::lock_guard lock(mu_);
    return aborted_;
  }
  int simulated_on_caller() const {
    std::lock_guard lock(mu_);
    return simulated_on_caller_;
  }
  int merged_off_caller() const {
    std::lock_guard lock(mu_);
    return merged_off_caller_;
  }
  int late_calls() const { return late_calls_.load(); }
  int in_flight_at_return() const { return in_flight_at_return_; }

  OutputCount outputs;

 private:
  void Enter() {
    ++in_flight_;
    if (returned_.load()) ++late_calls_;
  }
  void Exit() {
    if (returned_.load()) ++late_calls_;
    --in_flight_;
  }

  const uint64_t blocks_;
  const std::thread::id caller_;
  const Hook before_;
  const Hook after_;
  mutable std::mutex mu_;
  std::vector<uint64_t> finished_;  // blocks in the order their simulations ended
  std::vector<uint64_t> merged_;
  uint64_t merged_paths_ = 0;
  int aborted_ = 0;
  int simulated_on_caller_ = 0;
  int merged_off_caller_ = 0;
  std::atomic<uint64_t> merge_count_{0};
  std::atomic<bool> returned_{false};
  std::atomic<int> in_flight_{0};
  std::atomic<int> late_calls_{0};
  int in_flight_at_return_ = 0;
};

std::vector<uint64_t> FirstBlocks(uint64_t count) {
  std::vector<uint64_t> blocks(count);
  for (uint64_t b = 0; b < count; ++b) blocks[b] = b;
  return blocks;
}

TEST(BlockRunnerTest, BlocksMergeInBlockOrderWhateverOrderWorkersFinishThem) {
  constexpr uint64_t kBlocks = 8;
  // Block 0 ends only after every other block, and block 2 only after block 6.
  Countdown others_done(kBlocks - 1);
  std::latch six_done(1);
  // One worker waits in block 0, one in block 2, the others run the rest: with 4 workers
  // the runner may hand out 8 blocks ahead of the merged ones, all of them.
  WorkerPool pool(4);
  FakeJob job(
      kBlocks,
      [&](uint64_t block, const std::atomic<bool>&) {
        if (block == 0) others_done.Wait();
        if (block == 2) six_done.wait();
      },
      [&](uint64_t block, const std::atomic<bool>&) {
        if (block != 0) others_done.CountDown();
        if (block == 6) six_done.count_down();
      });
  ASSERT_TRUE(RunBlocks(pool, job, kBlocks, nullptr, {}).ok());
  job.MarkReturned();

  const std::vector<uint64_t> finished = job.finished();
  ASSERT_EQ(finished.size(), kBlocks);
  EXPECT_EQ(finished.back(), 0u) << "block 0 was meant to finish last";
  const auto position = [&](uint64_t block) {
    return std::find(finished.begin(), finished.end(), block) - finished.begin();
  };
  EXPECT_LT(position(6), position(2));
  EXPECT_EQ(job.merged(), FirstBlocks(kBlocks));
  EXPECT_EQ(job.simulated_on_caller(), 0) << "Simulate ran on the calling thread";
  EXPECT_EQ(job.merged_off_caller(), 0) << "Merge ran on a worker thread";
  EXPECT_EQ(job.merged_paths(), PathsOfFirst(kBlocks));
}

TEST(BlockRunnerTest, OnPathsSumsToTheTotalAndProgressIsReportedAfterMerges) {
  constexpr uint64_t kBlocks = 40;
  WorkerPool pool(2);
  FakeJob job(kBlocks);
  const std::thread::id caller = std::this_thread::get_id();
  uint64_t paths_reported = 0;
  int paths_calls_off_caller = 0;
  std::vector<Progress> progress;
  std::vector<uint64_t> merges_at_progress;
  RunControl control;
  control.on_paths = [&](uint64_t paths) {
    EXPECT_GT(paths, 0u);
    paths_reported += paths;
    // Exactly the paths merged so far: reported as blocks merge, not as they finish.
    EXPECT_EQ(paths_reported, job.merged_paths());
    paths_calls_off_caller += std::this_thread::get_id() != caller;
  };
  control.on_progress = [&](const Progress& p) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    progress.push_back(p);
    merges_at_progress.push_back(job.merge_count());
  };
  ASSERT_TRUE(RunBlocks(pool, job, kBlocks, nullptr, control).ok());
  job.MarkReturned();

  EXPECT_EQ(paths_reported, PathsOfFirst(kBlocks));
  EXPECT_EQ(paths_calls_off_caller, 0);
  ASSERT_FALSE(progress.empty());
  EXPECT_LE(progress.size(), kBlocks);
  for (size_t j = 0; j < progress.size(); ++j) {
    // Each report follows at least one new merge and shows the merged paths.
    EXPECT_GT(merges_at_progress[j], j == 0 ? 0 : merges_at_progress[j - 1]);
    EXPECT_EQ(progress[j].paths_done, PathsOfFirst(merges_at_progress[j]));
    EXPECT_EQ(progress[j].paths_planned, PathsOfFirst(kBlocks));
  }
  EXPECT_EQ(progress.back().paths_done, PathsOfFirst(kBlocks));
  EXPECT_EQ(merges_at_progress.back(), kBlocks);
}

TEST(BlockRunnerTest, StopRuleThatTurnsTrueAfterBlockKEndsTheRunWithKPlusOneBlocksMerged) {
  for (const uint64_t k : {uint64_t{0}, uint64_t{1}, uint64_t{5}}) {
    constexpr uint64_t kBlocks = 60;
    // Blocks 1..3 finish before block 0 (2 workers may run 4 blocks ahead of the merged
    // ones), so when block 0 arrives blocks past k are ready to merge too: they must be
    // discarded all the same.
    Countdown early_done(3);
    uint64_t stop_calls = 0;
    uint64_t paths_reported = 0;
    std::vector<uint64_t> merged_when_returned;
    {
      auto pool = std::make_unique<WorkerPool>(2);
      FakeJob job(
          kBlocks,
          [&](uint64_t block, const std::atomic<bool>&) {
            if (block == 0) early_done.Wait();
          },
          [&](uint64_t block, const std::atomic<bool>&) {
            if (block >= 1 && block <= 3) early_done.CountDown();
          });
      const StopRule stop = [&] {
        ++stop_calls;
        return job.merge_count() == k + 1;
      };
      RunControl control;
      control.on_paths = [&](uint64_t paths) { paths_reported += paths; };
      ASSERT_TRUE(RunBlocks(*pool, job, kBlocks, stop, control).ok());
      job.MarkReturned();
      merged_when_returned = job.merged();
      pool.reset();  // joins the workers: whatever they would still do has happened
      EXPECT_EQ(job.merged(), FirstBlocks(k + 1)) << "k = " << k;
      EXPECT_EQ(job.late_calls(), 0) << "k = " << k;
      EXPECT_EQ(job.in_flight_at_return(), 0) << "k = " << k;
    }
    EXPECT_EQ(merged_when_returned, FirstBlocks(k + 1)) << "k = " << k;
    EXPECT_EQ(stop_calls, k + 1) << "asked once per merged block";
    EXPECT_EQ(paths_reported, PathsOfFirst(k + 1)) << "k = " << k;
  }
}

TEST(BlockRunnerTest, CancellationReturnsCancelledWithMergedPathsAndNothingRunsAfterwards) {
  std::atomic<int> waiting_for_abort{0};
  std::unique_ptr<FakeJob> job;
  absl::Status status;
  {
    WorkerPool pool(2);
    // Blocks 0 and 1 finish; later blocks run until the runner aborts them.
    job = std::make_unique<FakeJob>(100, [&](uint64_t block, const std::atomic<bool>& abort) {
      if (block < 2) return;
      ++waiting_for_abort;
      while (!abort.load()) std::this_thread::yield();
    });
    RunControl control;
    // Cancelled once two blocks merged and a later one is running.
    control.cancelled = [&] { return job->merge_count() >= 2 && waiting_for_abort.load() > 0; };
    status = RunBlocks(pool, *job, 100, nullptr, control);
    job->MarkReturned();
  }  // the pool joins its workers: any call into the job they would still make is made
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled) << status;
  EXPECT_NE(status.message().find("after 3 paths"), std::string::npos) << status;
  EXPECT_EQ(job->merged(), FirstBlocks(2));
  EXPECT_GE(job->aborted(), 1) << "the running block was not told to abort";
  EXPECT_EQ(job->in_flight_at_return(), 0) << "a block was still running at return";
  EXPECT_EQ(job->late_calls(), 0) << "the job was called after RunBlocks returned";
}

TEST(BlockRunnerTest, CancellationBeforeAnyMergeReportsZeroPaths) {
  WorkerPool pool(2);
  FakeJob job(10, [](uint64_t, const std::atomic<bool>& abort) {
    while (!abort.load()) std::this_thread::yield();
  });
  RunControl control;
  control.cancelled = [] { return true; };
  const absl::Status status = RunBlocks(pool, job, 10, nullptr, control);
  job.MarkReturned();
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_NE(status.message().find("after 0 paths"), std::string::npos) << status;
  EXPECT_TRUE(job.merged().empty());
  EXPECT_EQ(job.in_flight_at_return(), 0);
}

TEST(BlockRunnerTest, ARunOfNoBlocksReturnsOkWithoutCallingTheJob) {
  WorkerPool pool(2);
  FakeJob job(0);
  int progress_calls = 0;
  RunControl control;
  control.on_progress = [&](const Progress&) { ++progress_calls; };
  control.on_paths = [&](uint64_t) { ++progress_calls; };
  EXPECT_TRUE(RunBlocks(pool, job, 0, nullptr, control).ok());
  job.MarkReturned();
  EXPECT_TRUE(job.finished().empty());
  EXPECT_TRUE(job.merged().empty());
  EXPECT_EQ(progress_calls, 0);
}

TEST(BlockRunnerTest, SeveralRunsOnOnePoolAtOnceEachMergeTheirOwnBlocksInOrder) {
  constexpr int kRuns = 4;
  WorkerPool pool(2);
  std::vector<std::unique_ptr<FakeJob>> jobs;
  std::vector<uint64_t> paths(kRuns, 0);
  std::vector<absl::Status> statuses(kRuns);
  std::mutex jobs_mu;
  std::latch start(kRuns);
  std::vector<std::thread> callers;
  for (int r = 0; r < kRuns; ++r) {
    callers.emplace_back([&, r] {
      const uint64_t blocks = 30 + 7 * static_cast<uint64_t>(r);
      auto job = std::make_unique<FakeJob>(blocks);  // its caller is this thread
      FakeJob& mine = *job;
      {
        std::lock_guard lock(jobs_mu);
        jobs.push_back(std::move(job));
      }
      RunControl control;
      control.on_paths = [&paths, r](uint64_t p) { paths[r] += p; };
      start.arrive_and_wait();
      statuses[r] = RunBlocks(pool, mine, blocks, nullptr, control);
      mine.MarkReturned();
    });
  }
  for (std::thread& caller : callers) caller.join();
  ASSERT_EQ(jobs.size(), static_cast<size_t>(kRuns));
  for (int r = 0; r < kRuns; ++r) EXPECT_TRUE(statuses[r].ok()) << statuses[r];
  for (const std::unique_ptr<FakeJob>& job : jobs) {
    const uint64_t blocks = job->merged().size();
    EXPECT_EQ(job->merged(), FirstBlocks(blocks));
    EXPECT_EQ(job->merged_paths(), PathsOfFirst(blocks));
    EXPECT_EQ(job->merged_off_caller(), 0);
    EXPECT_EQ(job->simulated_on_caller(), 0);
  }
  std::vector<uint64_t> expected;
  std::vector<uint64_t> reported = paths;
  for (int r = 0; r < kRuns; ++r) {
    expected.push_back(PathsOfFirst(30 + 7 * static_cast<uint64_t>(r)));
  }
  std::sort(reported.begin(), reported.end());
  EXPECT_EQ(reported, expected);
}

// run_cost.h sizes a run's memory for kBlocksPerWorker = 2 block outputs per worker
// ("one it simulates and one done, waiting to merge"). That holds only if a worker does
// not start a block while the outputs already done wait for an earlier, slower block.
TEST(BlockRunnerTest, BlockOutputsWaitingToMergeStayWithinTwoPerWorker) {
  constexpr int kThreads = 2;
  constexpr uint64_t kBlocks = 12;
  constexpr int kBound = 2 * kThreads;
  // Block 0 waits until kBound + 1 other blocks are done; a runner that keeps within the
  // bound never lets that happen, so the wait then gives up (its length is not asserted).
  Countdown others_done(kBound + 1);
  WorkerPool pool(kThreads);
  FakeJob job(
      kBlocks,
      [&](uint64_t block, const std::atomic<bool>&) {
        if (block == 0) others_done.WaitAtMost(std::chrono::seconds(1));
      },
      [&](uint64_t block, const std::atomic<bool>&) {
        if (block != 0) others_done.CountDown();
      });
  ASSERT_TRUE(RunBlocks(pool, job, kBlocks, nullptr, {}).ok());
  job.MarkReturned();
  EXPECT_EQ(job.merged(), FirstBlocks(kBlocks));
  EXPECT_LE(job.outputs.most.load(), kBound)
      << "block outputs alive at once (simulated, not yet merged)";
}

}  // namespace
}  // namespace attain
