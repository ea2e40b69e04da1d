#include "service/scheduler.h"

#include <malloc.h>

#include <utility>

namespace attain {
namespace {

// A task that reserved this much returns its memory to the system when the scheduler
// goes idle after it.
constexpr size_t kTrimAfterBytes = size_t{64} << 20;

}  // namespace

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

Scheduler::Admission Scheduler::TrySubmit(std::function<void()> task, size_t memory_bytes) {
  {
    std::lock_guard lock(mu_);
    if (!accepting_) return Admission::kShuttingDown;
    // Every executor busy and the queue full: refuse now rather than wait.
    const int waiting = static_cast<int>(queue_.size());
    if (running_ + waiting >= options_.max_in_flight + options_.max_queue) {
      return Admission::kQueueFull;
    }
    if (memory_bytes > options_.memory_bytes - reserved_bytes_) return Admission::kMemoryFull;
    reserved_bytes_ += memory_bytes;
    queue_.push_back({std::move(task), memory_bytes, std::chrono::steady_clock::now()});
    metrics_.QueueLengthChanged(+1);  // under the lock, so the gauge never goes below 0
  }
  ready_.notify_one();
  return Admission::kAccepted;
}

size_t Scheduler::reserved_bytes() const {
  std::lock_guard lock(mu_);
  return reserved_bytes_;
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
    next.task = nullptr;  // what the task held, its request's memory among it, is freed
    lock.lock();
    --running_;
    reserved_bytes_ -= next.memory_bytes;
    metrics_.SimulationFinished();  // once its memory is released, for whoever waits on it
    if (running_ == 0 && queue_.empty() && next.memory_bytes >= kTrimAfterBytes) {
      lock.unlock();
      // What large calls freed sits in malloc's per-thread arenas, resident, until
      // trimmed: give it back to the system while nothing runs.
      malloc_trim(0);
      lock.lock();
    }
  }
}

}  // namespace attain
