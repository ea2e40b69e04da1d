// Each partner's P10 and P90 of horizon revenue, per plan, from the run's first paths.
// Blocks record the revenue of the paths the sample covers (disjoint entries, so no
// lock); once that prefix is merged, the selections run on the worker pool while the
// run goes on. Samples are floats: half the memory of doubles, and the model's revenue
// bound (validation.h) keeps them finite.
//
// Record may be called from several threads for different paths; the rest from one.
#ifndef ATTAIN_SIMULATOR_PARTNER_PERCENTILES_H_
#define ATTAIN_SIMULATOR_PARTNER_PERCENTILES_H_

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "simulator/worker_pool.h"

namespace attain {

// Paths of a run's percentile samples at most (eight blocks): enough that a P10's rank
// is within 0.33 percentile points (one standard error, sqrt(0.1 x 0.9 / 8192)).
inline constexpr uint64_t kMaxPartnerPercentilePaths = 8 * 1024;

class PartnerPercentiles {
 public:
  PartnerPercentiles(size_t plans, size_t partners, size_t sample_paths);
  ~PartnerPercentiles();  // waits for selections in progress (they read the samples)
  PartnerPercentiles(const PartnerPercentiles&) = delete;
  PartnerPercentiles& operator=(const PartnerPercentiles&) = delete;

  // The paths the samples cover: min(paths, kMaxPartnerPercentilePaths, memory budget)
  // for `sample_bytes` of memory.
  static size_t SamplePaths(size_t sample_bytes, size_t partners, size_t plans,
                            uint64_t paths);

  size_t sample_paths() const { return sample_paths_; }
  bool started() const { return batch_ != nullptr; }

  // Records plan `plan`'s partner revenue on `path`, if the samples cover it.
  void Record(size_t plan, uint64_t path, const std::vector<double>& partner_revenue) {
    if (path >= sample_paths_) return;
    float* at = samples_[plan].get() + path;
    for (size_t i = 0; i < partners_; ++i) {
      at[i * sample_paths_] = static_cast<float>(partner_revenue[i]);
    }
  }

  // Starts the selections on `pool` over the first `paths` paths, ranked as the run's
  // `blocks_left` (WorkerPool::Start).
  // REQUIRES: !started(); those paths are recorded; paths <= sample_paths().
  void Start(WorkerPool& pool, size_t paths, uint64_t blocks_left);

  // The paths the selections used. REQUIRES: started().
  size_t paths_used() const { return paths_used_; }

  // Waits for the selections. REQUIRES: started().
  void Wait() { batch_->Wait(); }
  // {P10, P90} of a plan's partner. REQUIRES: Wait() returned.
  std::pair<double, double> Of(size_t plan, size_t partner) const {
    return found_[plan * partners_ + partner];
  }

 private:
  const size_t partners_;
  const size_t sample_paths_;
  // [plan][partner * sample_paths_ + path]; uninitialized until recorded.
  std::vector<std::unique_ptr<float[]>> samples_;
  std::vector<std::pair<double, double>> found_;  // [plan * partners + partner]
  size_t paths_used_ = 0;
  std::shared_ptr<TaskBatch> batch_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PARTNER_PERCENTILES_H_
