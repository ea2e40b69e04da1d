// Tests of simulator/worker_pool.h. No timing: tests wait on latches and condition
// variables, and use gate jobs (whose RunOne blocks until released) to make the order in
// which a single worker takes jobs deterministic.
#include "simulator/worker_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
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

TEST(WorkerPoolTest, TwoJobsTakeTurnsRoundRobin) {
  OrderLog log;
  WorkerPool pool(1);
  auto gate = std::make_shared<GateJob>();
  auto a = std::make_shared<CountedJob>(3, log.For("a"));
  auto b = std::make_shared<CountedJob>(5, log.For("b"));
  pool.Submit(gate, 1);
  gate->started.wait();  // the only worker is busy: a and b are queued together
  pool.Submit(a, 1);
  pool.Submit(b, 1);
  gate->release.count_down();
  a->Wait();
  b->Wait();
  EXPECT_EQ(log.order(), (std::vector<std::string>{"a0", "b0", "a1", "b1", "a2", "b2", "b3",
                                                   "b4"}));
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
  // Round robin: large0, small0, large1, small1, large2, small2.
  EXPECT_EQ(large_units_before_small_done.load(), 3);
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
    pool.Submit(once, 2);
    ran.wait();
    // Both endless tokens were queued first, so a worker finished one endless unit
    // before it could take `once`.
    EXPECT_GE(runs.load(), 1);
  }  // must return although the endless job never says it is done
  EXPECT_EQ(endless.use_count(), 1) << "the pool still holds the endless job";
}

}  // namespace
}  // namespace attain
