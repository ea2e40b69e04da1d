// Tests of simulator/worker_pool.h. No timing: tests wait on latches and condition
// variables, and use gate jobs (whose RunOne blocks until released) to make the order in
// which a single worker takes jobs deterministic.
#include "simulator/worker_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::GateJob;

// A job of `units` units. Each RunOne claims the next unit, calls `on_unit(index)` and
// returns whether units remain. `Wait()` returns once every unit has finished.
class CountedJob : public PoolJob {
 public:
  CountedJob(int units, std::function<void(int)> on_unit)
      : units_(units), on_unit_(std::move(on_unit)) {}

  bool RunOne() override {
    const int index = next_.fetch_add(1);
    if (index >= units_) return false;
    on_unit_(index);
    {
      std::lock_guard lock(mu_);
      ++finished_;
    }
    done_.notify_all();
    return index + 1 < units_;
  }

  void Wait() {
    std::unique_lock lock(mu_);
    done_.wait(lock, [this] { return finished_ == units_; });
  }

  int claimed() const { return std::min(next_.load(), units_); }
  uint64_t RemainingUnits() const override { return static_cast<uint64_t>(units_ - claimed()); }

 private:
  const int units_;
  const std::function<void(int)> on_unit_;
  std::atomic<int> next_ = 0;
  std::mutex mu_;
  std::condition_variable done_;
  int finished_ = 0;
};

// Records the order in which units of several jobs run (one thread: no concurrency).
class OrderLog {
 public:
  std::function<void(int)> For(std::string job) {
    return [this, job](int unit) {
      std::lock_guard lock(mu_);
      order_.push_back(job + std::to_string(unit));
    };
  }
  std::vector<std::string> order() {
    std::lock_guard lock(mu_);
    return order_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> order_;
};

TEST(WorkerPoolTest, RunsEveryUnitExactlyOnceAcrossThreads) {
  constexpr int kUnits = 10'000;
  std::vector<std::atomic<int>> runs(kUnits);
  auto job = std::make_shared<CountedJob>(kUnits, [&runs](int unit) { ++runs[unit]; });
  {
    WorkerPool pool(4);
    ASSERT_EQ(pool.threads(), 4);
    pool.Submit(job, 4);
    job->Wait();
  }
  for (int unit = 0; unit < kUnits; ++unit) {
    ASSERT_EQ(runs[unit].load(), 1) << "unit " << unit;
  }
}

TEST(WorkerPoolTest, ParallelismBoundsConcurrentUnits) {
  constexpr int kUnits = 2'000;
  std::atomic<int> running = 0;
  std::atomic<int> most = 0;
  const auto on_unit = [&](int) {
    const int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    --running;
  };
  WorkerPool pool(4);
  auto one = std::make_shared<CountedJob>(kUnits, on_unit);
  pool.Submit(one, 1);
  one->Wait();
  EXPECT_EQ(most.load(), 1);

  most = 0;
  auto two = std::make_shared<CountedJob>(kUnits, on_unit);
  pool.Submit(two, 2);
  two->Wait();
  EXPECT_LE(most.load(), 2);
}

TEST(WorkerPoolTest, ParallelismBelowOneStillRuns) {
  WorkerPool pool(2);
  auto job = std::make_shared<CountedJob>(5, [](int) {});
  pool.Submit(job, 0);
  job->Wait();
  EXPECT_EQ(job->claimed(), 5);
}

// The order in which one worker runs the units of jobs queued together behind a gate.
std::vector<std::string> OrderOfQueued(const std::vector<std::pair<std::string, int>>& jobs) {
  OrderLog log;
  WorkerPool pool(1);
  auto gate = std::make_shared<GateJob>();
  pool.Submit(gate, 1);
  gate->started.wait();  // the only worker is busy: the jobs are queued together
  std::vector<std::shared_ptr<CountedJob>> queued;
  for (const auto& [name, units] : jobs) {
    queued.push_back(std::make_shared<CountedJob>(units, log.For(name)));
    pool.Submit(queued.back(), 1);
  }
  gate->release.count_down();
  for (const auto& job : queued) job->Wait();
  return log.order();
}

TEST(WorkerPoolTest, TheJobWithTheLeastWorkLeftGoesFirst) {
  EXPECT_EQ(OrderOfQueued({{"b", 5}, {"a", 3}}),
            (std::vector<std::string>{"a0", "a1", "a2", "b0", "b1", "b2", "b3", "b4"}));
}

// Jobs of equal size run one after the other, first come first served: each finishes
// as soon as it can, rather than all of them at the end (round robin).
TEST(WorkerPoolTest, EqualJobsRunFirstComeFirstServed) {
  EXPECT_EQ(OrderOfQueued({{"a", 3}, {"b", 3}, {"c", 3}}),
            (std::vector<std::string>{"a0", "a1", "a2", "b0", "b1", "b2", "c0", "c1", "c2"}));
}

TEST(WorkerPoolTest, SmallJobIsNotStuckBehindALargeOne) {
  constexpr int kLargeUnits = 1'000'000;
  std::latch large_started(1);
  std::latch small_submitted(1);
  // With a FIFO pool the small job would wait for all large units (and the test would
  // still end, failing). The pool's destructor stops the large job.
  std::atomic<int> large_units_before_small_done = -1;
  auto large = std::make_shared<CountedJob>(kLargeUnits, [&](int unit) {
    if (unit == 0) {
      large_started.count_down();
      small_submitted.wait();
    }
  });
  auto small = std::make_shared<CountedJob>(3, [&](int unit) {
    if (unit == 2) {
      large_units_before_small_done = large->claimed();
    }
  });
  WorkerPool pool(1);  // declared last: destroyed (joined) before what the jobs use
  pool.Submit(large, 1);
  large_started.wait();
  pool.Submit(small, 1);
  small_submitted.count_down();
  small->Wait();
  // Shortest remaining work first: large0 (already running), then small0..small2.
  EXPECT_EQ(large_units_before_small_done.load(), 1);
}

// A batch ranks as the run that waits on it, not by its number of tasks: a run's cheap
// tasks (its partner percentiles) go before another run's blocks when the run has fewer
// blocks left, and after them when it has more.
TEST(WorkerPoolTest, ABatchRanksAsItsRunNotByItsTaskCount) {
  for (const uint64_t rank : {uint64_t{1}, uint64_t{9}}) {
    OrderLog log;
    WorkerPool pool(1);
    auto gate = std::make_shared<GateJob>();
    pool.Submit(gate, 1);
    gate->started.wait();
    auto blocks = std::make_shared<CountedJob>(3, log.For("block"));
    pool.Submit(blocks, 1);
    const std::function<void(int)> task = log.For("task");
    auto batch = pool.Start(20, [&](size_t i) { task(static_cast<int>(i)); }, rank);
    gate->release.count_down();
    batch->Wait();
    blocks->Wait();
    const std::vector<std::string> order = log.order();
    ASSERT_EQ(order.size(), 23u);
    if (rank < 3) {
      EXPECT_EQ(order.front(), "task0") << "rank " << rank;
      EXPECT_EQ(order[20], "block0");
    } else {
      EXPECT_EQ(order.front(), "block0") << "rank " << rank;
      EXPECT_EQ(order[3], "task0");
    }
  }
}

TEST(WorkerPoolTest, AvailableCpusIsAtLeastOne) { EXPECT_GE(WorkerPool::AvailableCpus(), 1); }

// A job that never finishes on its own: it counts its RunOne calls and calls
// `on_destroy` when it is destroyed.
class EndlessJob : public PoolJob {
 public:
  EndlessJob(std::atomic<int>& runs, std::function<void()> on_destroy)
      : runs_(runs), on_destroy_(std::move(on_destroy)) {}
  ~EndlessJob() override { on_destroy_(); }
  bool RunOne() override {
    ++runs_;
    return true;
  }
  uint64_t RemainingUnits() const override { return UINT64_MAX; }

 private:
  std::atomic<int>& runs_;
  const std::function<void()> on_destroy_;
};

// Blocks the worker that runs it until `release` opens; then asks to run again.
class BlockingJob : public PoolJob {
 public:
  explicit BlockingJob(std::latch& release) : release_(release) {}
  bool RunOne() override {
    started.count_down();
    release_.wait();
    return true;
  }
  uint64_t RemainingUnits() const override { return 1; }
  std::latch started{1};

 private:
  std::latch& release_;
};

TEST(WorkerPoolTest, DestructorDropsQueuedJobsWithoutRunningThem) {
  // The only worker is blocked until the queued job is destroyed, which happens when the
  // pool's destructor drops its queue (only the pool holds that job); the destructor then
  // joins the worker, which must not pick up any job again.
  std::latch dropped(1);
  std::atomic<int> queued_runs = 0;
  auto blocker = std::make_shared<BlockingJob>(dropped);
  {
    WorkerPool pool(1);
    pool.Submit(blocker, 1);
    blocker->started.wait();
    pool.Submit(std::make_shared<EndlessJob>(queued_runs, [&dropped] { dropped.count_down(); }),
                1);
  }  // must return
  EXPECT_EQ(queued_runs.load(), 0);
  EXPECT_EQ(blocker.use_count(), 1) << "the pool still holds the blocking job";
}

TEST(WorkerPoolTest, DestructorStopsAnEndlessJob) {
  std::atomic<int> runs = 0;
  std::latch ran(1);
  auto endless = std::make_shared<EndlessJob>(runs, [] {});
  auto once = std::make_shared<CountedJob>(1, [&ran](int) { ran.count_down(); });
  {
    WorkerPool pool(2);
    pool.Submit(endless, 2);
    // The workers are busy with the endless job (not merely queued before `once`, which,
    // smaller, would be taken first): `once` must still get its turn.
    while (runs.load() == 0) std::this_thread::yield();
    pool.Submit(once, 2);
    ran.wait();
  }  // must return although the endless job never says it is done
  EXPECT_EQ(endless.use_count(), 1) << "the pool still holds the endless job";
}

}  // namespace
}  // namespace attain
