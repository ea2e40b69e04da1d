#include "service/scheduler.h"

#include <utility>

namespace attain {

Scheduler::Scheduler(Options options, Metrics& metrics) : options_(options), metrics_(metrics) {
  for (int i = 0; i < options_.max_in_flight; ++i) {
    executors_.emplace_back([this] { ExecutorLoop(); });
  }
}

Scheduler::~Scheduler() {
  {
    std::lock_guard lock(mu_);
    accepting_ = false;
    stopping_ = true;  // executors drain the queue, then exit
  }
  ready_.notify_all();
  for (std::thread& executor : executors_) executor.join();
}

Scheduler::Admission Scheduler::TrySubmit(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (!accepting_) return Admission::kShuttingDown;
    // Every executor busy and the queue full: refuse now rather than wait.
    const int waiting = static_cast<int>(queue_.size());
    if (running_ + waiting >= options_.max_in_flight + options_.max_queue) {
      return Admission::kQueueFull;
    }
    queue_.push_back({std::move(task), std::chrono::steady_clock::now()});
    metrics_.QueueLengthChanged(+1);  // under the lock, so the gauge never goes below 0
  }
  ready_.notify_one();
  return Admission::kAccepted;
}

void Scheduler::StopAccepting() {
  std::lock_guard lock(mu_);
  accepting_ = false;
}

void Scheduler::ExecutorLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    Queued next = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    metrics_.QueueLengthChanged(-1);
    lock.unlock();
    const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - next.admitted;
    metrics_.SimulationStarted(waited.count());
    next.task();
    metrics_.SimulationFinished();
    lock.lock();
    --running_;
  }
}

}  // namespace attain
