// What a tier search reports and obeys: it counts the candidate plans scored, reports
// progress (the best objective within the hours so far), and polls cancellation. One
// monitor per search; both searches use it the same way.
//
// Thread-compatible: used by the search's thread.
#ifndef ATTAIN_SIMULATOR_SEARCH_MONITOR_H_
#define ATTAIN_SIMULATOR_SEARCH_MONITOR_H_

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

namespace attain {

// How far a recommendation has come, for progress displays.
struct RecommendProgress {
  enum class Phase { kSampling, kSearching, kValidating };
  Phase phase = Phase::kSampling;
  uint64_t paths_done = 0;       // of the current sample or validation run
  uint64_t paths_planned = 0;
  uint64_t plans_evaluated = 0;  // by the search so far
  double best_objective = 0;     // of the search's best plan so far, on the optimization sample
};
using RecommendProgressCallback = std::function<void(const RecommendProgress&)>;

class SearchMonitor {
 public:
  // Either callback may be empty.
  SearchMonitor(RecommendProgressCallback on_progress, std::function<bool()> cancelled)
      : on_progress_(std::move(on_progress)), cancelled_(std::move(cancelled)) {}

  void CountPlan() { ++plans_evaluated_; }
  uint64_t plans_evaluated() const { return plans_evaluated_; }

  // Polls cancellation; true once it turned true, and ever after.
  bool Poll() {
    if (!stopped_ && cancelled_ && cancelled_()) stopped_ = true;
    return stopped_;
  }
  bool stopped() const { return stopped_; }

  // Whether progress is wanted (so a search need not measure a best it would not report).
  bool reporting() const { return static_cast<bool>(on_progress_); }

  // Raises the best objective so far to `objective` and reports progress.
  void Report(double objective) {
    best_ = std::max(best_, objective);
    ReportBest();
  }
  // Reports progress with the best objective so far.
  void ReportBest() {
    if (!on_progress_) return;
    RecommendProgress progress;
    progress.phase = RecommendProgress::Phase::kSearching;
    progress.plans_evaluated = plans_evaluated_;
    progress.best_objective = std::isfinite(best_) ? best_ : 0;
    on_progress_(progress);
  }

 private:
  const RecommendProgressCallback on_progress_;
  const std::function<bool()> cancelled_;
  uint64_t plans_evaluated_ = 0;
  bool stopped_ = false;
  double best_ = -std::numeric_limits<double>::infinity();
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_SEARCH_MONITOR_H_
