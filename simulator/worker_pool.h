// A fixed set of worker threads shared by every run of an Engine. Runs submit jobs;
// workers take one unit of work (one block of paths) at a time, from the job with the
// fewest units left (shortest remaining work first; ties to the job queued first). A
// small run is then not stuck behind a large one, and runs of equal size finish one after
// the other instead of all together: sharing the cores round robin would make every
// concurrent call as slow as the last (issue 12's latency under load).
//
// Thread-safe. The destructor waits for the units in progress and drops queued jobs.
#ifndef ATTAIN_SIMULATOR_WORKER_POOL_H_
#define ATTAIN_SIMULATOR_WORKER_POOL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace attain {

class PoolJob {
 public:
  virtual ~PoolJob() = default;
  // Runs one unit of work; returns false when the job has no more work to hand out.
  // Called from several workers at once.
  virtual bool RunOne() = 0;
  // Units not yet handed out, for the pool's choice of the next job: an estimate read
  // without the job's locks (it may change at any time), so it must not block.
  virtual uint64_t RemainingUnits() const = 0;
};

// Tasks fn(0) .. fn(count - 1), handed out one per RunOne. While tasks are left it
// reports `rank` as its remaining units (WorkerPool::Start).
class TaskBatch final : public PoolJob {
 public:
  TaskBatch(size_t count, std::function<void(size_t)> fn, uint64_t rank);
  bool RunOne() override;
  uint64_t RemainingUnits() const override;
  void Wait();
  // Waits at most `timeout`; true when every task has run.
  bool WaitFor(std::chrono::milliseconds timeout);

 private:
  const size_t count_;
  const std::function<void(size_t)> fn_;
  const uint64_t rank_;
  std::atomic<size_t> next_{0};
  std::atomic<size_t> done_{0};
  std::mutex mu_;
  std::condition_variable finished_cv_;
  bool finished_;
};

class WorkerPool {
 public:
  // REQUIRES: threads >= 1.
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()); }

  // Lets up to `parallelism` workers run `job` at once until RunOne returns false.
  void Submit(std::shared_ptr<PoolJob> job, int parallelism);

  // Starts fn(0) .. fn(count - 1) on the workers; the batch's Wait() returns when all
  // have run. `rank`: the units left of the run that waits on the batch, which is the
  // batch's place in the shortest-first order. Ranked by its own task count, a run's
  // batch of cheap tasks would wait behind another run's whole blocks, and the run with
  // it: two concurrent runs would then both finish as late as the second.
  // REQUIRES: Wait() is not called from a worker thread (it would wait on itself).
  std::shared_ptr<TaskBatch> Start(size_t count, std::function<void(size_t)> fn, uint64_t rank);

  // The number of CPUs this process may run on (its affinity mask), at least 1.
  static int AvailableCpus();

 private:
  void WorkerLoop();

  std::mutex mu_;
  std::condition_variable work_ready_;
  // One entry per permitted worker, in the order jobs were queued.
  std::deque<std::shared_ptr<PoolJob>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_WORKER_POOL_H_
