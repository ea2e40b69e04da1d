// Admission control for simulations. At most `max_in_flight` run at once, each on an
// executor thread of its own (which only waits on the engine's worker pool and merges);
// at most `max_queue` more wait. Each admitted task reserves the memory its call holds
// (its request and its run's estimate) until it ends, and together they reserve at most
// `memory_bytes`. Anything beyond is refused at once, so overload is a fast
// RESOURCE_EXHAUSTED and never an unbounded queue or an out-of-memory. When it goes idle
// after a large task, freed memory goes back to the system (malloc_trim).
//
// Thread-safe. The destructor stops accepting and waits for admitted tasks to finish.
#ifndef ATTAIN_SERVICE_SCHEDULER_H_
#define ATTAIN_SERVICE_SCHEDULER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "service/metrics.h"

namespace attain {

class Scheduler {
 public:
  struct Options {
    int max_in_flight = 4;  // simulations running at once
    int max_queue = 16;     // admitted simulations waiting for a slot
    size_t memory_bytes = SIZE_MAX;  // reserved by admitted tasks at once
  };
  enum class Admission { kAccepted, kQueueFull, kMemoryFull, kShuttingDown };

  // REQUIRES: max_in_flight >= 1, max_queue >= 0; metrics outlives the scheduler.
  Scheduler(Options options, Metrics& metrics);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `task` on an executor thread, reserving `memory_bytes` until it returns, unless
  // the scheduler is full or stopping.
  Admission TrySubmit(std::function<void()> task, size_t memory_bytes = 0);

  // Memory reserved by admitted tasks now.
  size_t reserved_bytes() const;

  // Refuses new tasks from now on; admitted ones still run.
  void StopAccepting();

  const Options& options() const { return options_; }

 private:
  struct Queued {
    std::function<void()> task;
    size_t memory_bytes;
    std::chrono::steady_clock::time_point admitted;
  };
  void ExecutorLoop();

  const Options options_;
  Metrics& metrics_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Queued> queue_;
  int running_ = 0;
  size_t reserved_bytes_ = 0;
  bool accepting_ = true;
  bool stopping_ = false;
  std::vector<std::thread> executors_;
};

}  // namespace attain

#endif  // ATTAIN_SERVICE_SCHEDULER_H_
