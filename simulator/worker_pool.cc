#include "simulator/worker_pool.h"

#include <sched.h>

#include <algorithm>
#include <iterator>
#include <utility>

namespace attain {

WorkerPool::WorkerPool(int threads) {
  workers_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  work_ready_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void WorkerPool::Submit(std::shared_ptr<PoolJob> job, int parallelism) {
  const int tokens = std::clamp(parallelism, 1, threads());
  {
    std::lock_guard lock(mu_);
    for (int i = 0; i < tokens; ++i) queue_.push_back(job);
  }
  work_ready_.notify_all();
}

TaskBatch::TaskBatch(size_t count, std::function<void(size_t)> fn, uint64_t rank)
    : count_(count), fn_(std::move(fn)), rank_(rank), finished_(count == 0) {}

uint64_t TaskBatch::RemainingUnits() const {
  return next_.load(std::memory_order_relaxed) >= count_ ? 0 : rank_;
}

bool TaskBatch::RunOne() {
  const size_t index = next_.fetch_add(1);
  if (index >= count_) return false;
  fn_(index);
  if (done_.fetch_add(1) + 1 == count_) {
    std::lock_guard lock(mu_);
    finished_ = true;
    finished_cv_.notify_all();
  }
  return true;
}

void TaskBatch::Wait() {
  std::unique_lock lock(mu_);
  finished_cv_.wait(lock, [this] { return finished_; });
}

bool TaskBatch::WaitFor(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return finished_cv_.wait_for(lock, timeout, [this] { return finished_; });
}

std::shared_ptr<TaskBatch> WorkerPool::Start(size_t count, std::function<void(size_t)> fn,
                                             uint64_t rank) {
  auto batch = std::make_shared<TaskBatch>(count, std::move(fn), rank);
  if (count > 0) {
    Submit(batch, static_cast<int>(std::min<size_t>(count, static_cast<size_t>(threads()))));
  }
  return batch;
}

void WorkerPool::WorkerLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    // Shortest remaining work first; the first queued among equals.
    auto chosen = queue_.begin();
    uint64_t fewest = (*chosen)->RemainingUnits();
    for (auto it = std::next(chosen); it != queue_.end() && fewest > 0; ++it) {
      if (const uint64_t remaining = (*it)->RemainingUnits(); remaining < fewest) {
        chosen = it;
        fewest = remaining;
      }
    }
    std::shared_ptr<PoolJob> job = std::move(*chosen);
    queue_.erase(chosen);
    lock.unlock();
    const bool more = job->RunOne();
    lock.lock();
    // The token goes back where it was among the jobs, so ties stay first come, first
    // served: a job keeps its place in the queue while it runs.
    if (more && !stopping_) queue_.push_front(std::move(job));
  }
}

int WorkerPool::AvailableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) {
    return std::max(1u, std::thread::hardware_concurrency());
  }
  return std::max(1, CPU_COUNT(&set));
}

}  // namespace attain
