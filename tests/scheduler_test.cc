// Tests of service/scheduler.h: admission (in flight, queued, refused at once), stopping,
// the destructor's wait, FIFO order, and the metrics it keeps. No timing: tasks are held
// on latches and promises, and the test waits for them to report that they started.
#include "service/scheduler.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "prometheus/metric_family.h"

namespace attain {
namespace {

using Admission = Scheduler::Admission;

// Counts tasks running at once and the most seen.
class Concurrency {
 public:
  void Enter() {
    const int now = ++running_;
    int seen = most_.load();
    while (now > seen && !most_.compare_exchange_weak(seen, now)) {
    }
  }
  void Leave() { --running_; }
  int most() const { return most_.load(); }

 private:
  std::atomic<int> running_ = 0;
  std::atomic<int> most_ = 0;
};

// Tasks that report their start and then wait for one release. WaitUntilStarted()
// returns once `to_start` of them have started.
class HeldTasks {
 public:
  explicit HeldTasks(int to_start) : to_start_(to_start), started_(to_start) {}

  std::function<void()> Task(int id) {
    return [this, id] {
      concurrency_.Enter();
      {
        std::lock_guard lock(mu_);
        order_.push_back(id);
      }
      if (++started_count_ <= to_start_) started_.count_down();
      release_.wait();
      concurrency_.Leave();
      ++finished_;
    };
  }

  void WaitUntilStarted() { started_.wait(); }
  void ReleaseAll() {
    if (!released_.exchange(true)) release_promise_.set_value();
  }
  int finished() const { return finished_.load(); }
  int most_at_once() const { return concurrency_.most(); }
  std::vector<int> order() {
    std::lock_guard lock(mu_);
    return order_;
  }

 private:
  const int to_start_;
  std::atomic<int> started_count_ = 0;
  std::latch started_;
  std::promise<void> release_promise_;
  const std::shared_future<void> release_ = release_promise_.get_future().share();
  std::atomic<bool> released_ = false;
  Concurrency concurrency_;
  std::atomic<int> finished_ = 0;
  std::mutex mu_;
  std::vector<int> order_;
};

// Releases held tasks when a test leaves its scope early (a failed ASSERT), so that the
// scheduler's destructor, which waits for them, returns. Declare it after the scheduler.
class ReleaseAtExit {
 public:
  explicit ReleaseAtExit(HeldTasks& tasks) : tasks_(tasks) {}
  ~ReleaseAtExit() { tasks_.ReleaseAll(); }

 private:
  HeldTasks& tasks_;
};

// One value of an unlabelled gauge, or the count and sum of an unlabelled histogram,
// from the registry's Collect().
const prometheus::ClientMetric& Collected(const Metrics& metrics, const std::string& name,
                                          std::vector<prometheus::MetricFamily>& families) {
  families = metrics.registry()->Collect();
  const auto family =
      std::find_if(families.begin(), families.end(), [&](const auto& f) { return f.name == name; });
  if (family == families.end() || family->metric.size() != 1) {
    ADD_FAILURE() << "no single metric named " << name;
    static const prometheus::ClientMetric kEmpty;
    return kEmpty;
  }
  return family->metric[0];
}

double Gauge(const Metrics& metrics, const std::string& name) {
  std::vector<prometheus::MetricFamily> families;
  return Collected(metrics, name, families).gauge.value;
}

prometheus::ClientMetric::Histogram Histogram(const Metrics& metrics, const std::string& name) {
  std::vector<prometheus::MetricFamily> families;
  return Collected(metrics, name, families).histogram;
}

TEST(SchedulerTest, AtMostMaxInFlightRunAndAtMostMaxQueueWaitThenTheNextIsRefused) {
  Metrics metrics;
  HeldTasks tasks(3);
  std::atomic<bool> refused_ran = false;
  {
    Scheduler scheduler({.max_in_flight = 3, .max_queue = 5}, metrics);
    const ReleaseAtExit release(tasks);
    for (int id = 0; id < 3; ++id) {
      ASSERT_EQ(scheduler.TrySubmit(tasks.Task(id)), Admission::kAccepted);
    }
    tasks.WaitUntilStarted();  // every executor is busy
    for (int id = 3; id < 8; ++id) {
      ASSERT_EQ(scheduler.TrySubmit(tasks.Task(id)), Admission::kAccepted) << "task " << id;
    }
    // Returns at once (the running tasks wait for this thread, so a blocking call would
    // never return): the queue is full.
    EXPECT_EQ(scheduler.TrySubmit([&refused_ran] { refused_ran = true; }), Admission::kQueueFull);
    EXPECT_EQ(scheduler.TrySubmit([&refused_ran] { refused_ran = true; }), Admission::kQueueFull);
    EXPECT_EQ(tasks.order().size(), 3u) << "a queued task started while every slot was busy";
    tasks.ReleaseAll();
    // The destructor waits for all eight.
  }
  EXPECT_EQ(tasks.finished(), 8);
  EXPECT_EQ(tasks.most_at_once(), 3);
  EXPECT_FALSE(refused_ran.load());
}

TEST(SchedulerTest, AQueueOfZeroRefusesAllButTheRunningTasks) {
  Metrics metrics;
  HeldTasks tasks(2);
  {
    Scheduler scheduler({.max_in_flight = 2, .max_queue = 0}, metrics);
    const ReleaseAtExit release(tasks);
    EXPECT_EQ(scheduler.TrySubmit(tasks.Task(0)), Admission::kAccepted);
    EXPECT_EQ(scheduler.TrySubmit(tasks.Task(1)), Admission::kAccepted);
    EXPECT_EQ(scheduler.TrySubmit([] {}), Admission::kQueueFull);
    tasks.WaitUntilStarted();
    EXPECT_EQ(scheduler.TrySubmit([] {}), Admission::kQueueFull);
    tasks.ReleaseAll();
  }
  EXPECT_EQ(tasks.finished(), 2);
}

// Running and queued tasks reserve their memory until they end: a task that would take
// the total over memory_bytes is refused though slots are free, and fits once the
// memory is released.
TEST(SchedulerTest, AdmittedTasksReserveMemoryUntilTheyEnd) {
  Metrics metrics;
  HeldTasks tasks(1);
  std::atomic<int> ran = 0;
  {
    Scheduler scheduler({.max_in_flight = 2, .max_queue = 4, .memory_bytes = 100}, metrics);
    const ReleaseAtExit release(tasks);
    ASSERT_EQ(scheduler.TrySubmit(tasks.Task(0), 60), Admission::kAccepted);
    tasks.WaitUntilStarted();
    ASSERT_EQ(scheduler.TrySubmit(tasks.Task(1), 30), Admission::kAccepted);
    EXPECT_EQ(scheduler.reserved_bytes(), 90u);
    // 90 + 11 > 100, while 90 + 10 fits.
    EXPECT_EQ(scheduler.TrySubmit([&ran] { ++ran; }, 11), Admission::kMemoryFull);
    EXPECT_EQ(scheduler.TrySubmit([&ran] { ++ran; }, 10), Admission::kAccepted);
    EXPECT_EQ(scheduler.reserved_bytes(), 100u);
    EXPECT_EQ(scheduler.TrySubmit([&ran] { ++ran; }, 1), Admission::kMemoryFull);
    EXPECT_EQ(scheduler.TrySubmit([&ran] { ++ran; }, 0), Admission::kAccepted);
    tasks.ReleaseAll();
    // Once they end, their memory is free again.
    while (tasks.finished() < 2 || ran.load() < 2) std::this_thread::yield();
    while (scheduler.reserved_bytes() != 0) std::this_thread::yield();
    EXPECT_EQ(scheduler.TrySubmit([&ran] { ++ran; }, 100), Admission::kAccepted);
    EXPECT_EQ(scheduler.TrySubmit([&ran] { ++ran; }, 101), Admission::kMemoryFull);
  }
  EXPECT_EQ(ran.load(), 3);
  EXPECT_EQ(tasks.finished(), 2);
}

TEST(SchedulerTest, StopAcceptingRefusesNewTasksWhileAdmittedOnesStillRun) {
  Metrics metrics;
  HeldTasks tasks(1);
  std::atomic<int> queued_ran = 0;
  std::atomic<bool> refused_ran = false;
  {
    Scheduler scheduler({.max_in_flight = 1, .max_queue = 4}, metrics);
    const ReleaseAtExit release(tasks);
    ASSERT_EQ(scheduler.TrySubmit(tasks.Task(0)), Admission::kAccepted);
    tasks.WaitUntilStarted();
    for (int i = 0; i < 2; ++i) {
      ASSERT_EQ(scheduler.TrySubmit([&queued_ran] { ++queued_ran; }), Admission::kAccepted);
    }
    scheduler.StopAccepting();
    // Not full (2 of 4 queued), yet refused: the scheduler is stopping.
    EXPECT_EQ(scheduler.TrySubmit([&refused_ran] { refused_ran = true; }),
              Admission::kShuttingDown);
    tasks.ReleaseAll();
    EXPECT_EQ(scheduler.TrySubmit([&refused_ran] { refused_ran = true; }),
              Admission::kShuttingDown);
  }
  // The admitted tasks still ran; the refused ones never did.
  EXPECT_EQ(tasks.finished(), 1);
  EXPECT_EQ(queued_ran.load(), 2);
  EXPECT_FALSE(refused_ran.load());
}

TEST(SchedulerTest, DestructorWaitsForRunningAndQueuedTasks) {
  Metrics metrics;
  std::atomic<bool> running_saw_shutdown = false;
  std::atomic<int> queued_ran = 0;
  std::latch started(1);
  std::latch queue_filled(1);
  {
    Scheduler scheduler({.max_in_flight = 1, .max_queue = 2}, metrics);
    // The running task lasts until the scheduler refuses with kShuttingDown, which only
    // its destructor makes it do here: so the destructor has begun while it runs.
    ASSERT_EQ(scheduler.TrySubmit([&] {
      started.count_down();
      queue_filled.wait();
      Admission admission;
      while ((admission = scheduler.TrySubmit([] {})) != Admission::kShuttingDown) {
        ASSERT_EQ(admission, Admission::kQueueFull);
        std::this_thread::yield();
      }
      running_saw_shutdown = true;  // its last step
    }),
              Admission::kAccepted);
    started.wait();
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(scheduler.TrySubmit([&queued_ran] { ++queued_ran; }), Admission::kAccepted);
    }
    queue_filled.count_down();
  }  // the destructor stops accepting, then must wait for all three
  EXPECT_TRUE(running_saw_shutdown.load());
  EXPECT_EQ(queued_ran.load(), 2);
}

TEST(SchedulerTest, QueuedTasksStartInTheOrderTheyWereAdmitted) {
  Metrics metrics;
  HeldTasks gate(1);
  std::mutex mu;
  std::vector<int> order;
  {
    Scheduler scheduler({.max_in_flight = 1, .max_queue = 10}, metrics);
    const ReleaseAtExit release(gate);
    ASSERT_EQ(scheduler.TrySubmit(gate.Task(-1)), Admission::kAccepted);
    gate.WaitUntilStarted();  // the only executor is busy: the rest queue up
    for (int id = 0; id < 10; ++id) {
      ASSERT_EQ(scheduler.TrySubmit([&mu, &order, id] {
        std::lock_guard lock(mu);
        order.push_back(id);
      }),
                Admission::kAccepted);
    }
    gate.ReleaseAll();
  }
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(SchedulerTest, GaugesCountRunningAndQueuedSimulations) {
  Metrics metrics;
  EXPECT_EQ(Gauge(metrics, "attain_simulations_in_flight"), 0);
  EXPECT_EQ(Gauge(metrics, "attain_simulations_queued"), 0);
  HeldTasks first(2);
  HeldTasks queued(2);  // three of them; two start when the first two are released
  {
    Scheduler scheduler({.max_in_flight = 2, .max_queue = 3}, metrics);
    const ReleaseAtExit release_first(first);
    const ReleaseAtExit release_queued(queued);
    ASSERT_EQ(scheduler.TrySubmit(first.Task(0)), Admission::kAccepted);
    ASSERT_EQ(scheduler.TrySubmit(first.Task(1)), Admission::kAccepted);
    first.WaitUntilStarted();
    EXPECT_EQ(Gauge(metrics, "attain_simulations_in_flight"), 2);
    EXPECT_EQ(Gauge(metrics, "attain_simulations_queued"), 0);
    for (int id = 0; id < 3; ++id) {
      ASSERT_EQ(scheduler.TrySubmit(queued.Task(id)), Admission::kAccepted);
    }
    EXPECT_EQ(Gauge(metrics, "attain_simulations_in_flight"), 2);
    EXPECT_EQ(Gauge(metrics, "attain_simulations_queued"), 3);
    EXPECT_EQ(scheduler.TrySubmit([] {}), Admission::kQueueFull);
    EXPECT_EQ(Gauge(metrics, "attain_simulations_queued"), 3) << "a refused task is not queued";
    // Two queued tasks take the freed slots (each executor finished its first task, and
    // counted it, before taking the next): two running, one waiting.
    first.ReleaseAll();
    queued.WaitUntilStarted();
    EXPECT_EQ(Gauge(metrics, "attain_simulations_in_flight"), 2);
    EXPECT_EQ(Gauge(metrics, "attain_simulations_queued"), 1);
    EXPECT_EQ(Histogram(metrics, "attain_queue_wait_seconds").sample_count, 4u);
    queued.ReleaseAll();
  }
  EXPECT_EQ(queued.finished(), 3);
  EXPECT_EQ(Gauge(metrics, "attain_simulations_in_flight"), 0);
  EXPECT_EQ(Gauge(metrics, "attain_simulations_queued"), 0);
  // One queue wait per task that started.
  EXPECT_EQ(Histogram(metrics, "attain_queue_wait_seconds").sample_count, 5u);
}

TEST(SchedulerTest, QueueWaitIsTheTimeFromAdmissionToStart) {
  // A waits for nothing; B is admitted while A holds the only slot and starts after A is
  // released. Bounds from the test's own clock readings, in the order things happen:
  //   0 <= wait(A) <= A started - before A was submitted,
  //   released - after B was submitted <= wait(B) <= B started - before B was submitted.
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  Metrics metrics;
  std::latch a_started(1);
  std::promise<void> release_a;
  const std::future<void> a_released = release_a.get_future();
  std::promise<Clock::time_point> a_start_time;
  std::promise<Clock::time_point> b_start_time;
  Clock::time_point before_a, before_b, after_b, released;
  {
    Scheduler scheduler({.max_in_flight = 1, .max_queue = 1}, metrics);
    before_a = Clock::now();
    ASSERT_EQ(scheduler.TrySubmit([&] {
      a_start_time.set_value(Clock::now());
      a_started.count_down();
      a_released.wait();
    }),
              Admission::kAccepted);
    a_started.wait();
    before_b = Clock::now();
    if (scheduler.TrySubmit([&] { b_start_time.set_value(Clock::now()); }) !=
        Admission::kAccepted) {
      ADD_FAILURE() << "B was not admitted";
      release_a.set_value();
      return;
    }
    after_b = Clock::now();
    // Let some clock time pass while B is queued (not an assertion on how much).
    while (Clock::now() == after_b) std::this_thread::yield();
    released = Clock::now();
    release_a.set_value();
  }
  const double a_upper = seconds(a_start_time.get_future().get() - before_a);
  const double b_upper = seconds(b_start_time.get_future().get() - before_b);
  const double b_lower = seconds(released - after_b);
  const prometheus::ClientMetric::Histogram waits = Histogram(metrics, "attain_queue_wait_seconds");
  ASSERT_EQ(waits.sample_count, 2u);
  EXPECT_GE(waits.sample_sum, b_lower);
  EXPECT_LE(waits.sample_sum, a_upper + b_upper);
}

}  // namespace
}  // namespace attain
