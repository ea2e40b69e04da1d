// Tier recommendation end to end (sample, search, validate, explain) on the reference
// portfolios: wall time and its phases, candidate plans evaluated per second, peak memory,
// and on the small workloads how far the heuristic lands from exhaustive search on the
// same sample.
//
//   recommend_bench [--workloads=DIR] [--paths=N] [--only=STEM] [--method=heuristic|screened]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "proto/support/json_io.h"
#include "service/convert.h"
#include "simulator/exhaustive_search.h"
#include "simulator/heuristic_search.h"
#include "simulator/recommendation.h"

namespace attain {
namespace {

using Clock = std::chrono::steady_clock;

const char* MethodName(SearchMethod method) {
  switch (method) {
    case SearchMethod::kExhaustive:
      return "exhaustive";
    case SearchMethod::kHeuristic:
      return "heuristic";
    case SearchMethod::kScreened:
      return "screened";
    case SearchMethod::kAuto:
      break;
  }
  return "auto";
}

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int Main(int argc, char** argv) {
  std::string dir = ATTAIN_WORKLOADS_DIR;
  uint64_t paths = 20'000;
  std::string only;
  SearchMethod method = SearchMethod::kAuto;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--workloads=", 12) == 0) dir = argv[i] + 12;
    else if (std::strncmp(argv[i], "--paths=", 8) == 0) paths = std::stoull(argv[i] + 8);
    else if (std::strncmp(argv[i], "--only=", 7) == 0) only = argv[i] + 7;
    else if (std::strcmp(argv[i], "--method=heuristic") == 0) method = SearchMethod::kHeuristic;
    else if (std::strcmp(argv[i], "--method=screened") == 0) method = SearchMethod::kScreened;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  Engine engine(EngineOptions{});  // the default memory budget, as attaind's
  std::printf("%-12s %6s %7s %-10s %9s %9s %10s %11s %12s %7s %8s %9s %9s\n", "workload",
              "paths", "changes", "search", "total s", "sample s", "search s", "validate s",
              "plans/s", "RSS MiB", "P(cur)", "P(rec)", "diff pts");
  for (const auto& file : files) {
    const std::string name = file.stem().string();
    if (!only.empty() && name != only) continue;
    const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(file.string());
    if (!proto.ok()) return 1;
    Violations violations;
    const Portfolio portfolio = PortfolioFromProto(*proto, violations);
    RecommendOptions options;
    options.simulation.paths = paths;
    options.simulation.seed = 1;
    options.method = method;
    const Clock::time_point start = Clock::now();
    std::optional<Clock::time_point> validation_start;
    const auto on_progress = [&](const RecommendProgress& progress) {
      if (progress.phase == RecommendProgress::Phase::kValidating && !validation_start) {
        validation_start = Clock::now();
      }
    };
    const absl::StatusOr<Recommendation> result =
        RecommendTiers(engine, portfolio, options, {}, on_progress);
    const Clock::time_point end = Clock::now();
    const double seconds = std::chrono::duration<double>(end - start).count();
    if (!result.ok()) {
      std::printf("%-12s %s\n", name.c_str(), std::string(result.status().message()).c_str());
      continue;
    }
    const PlanDifference& difference = result->validation.differences[0];
    // The sample is what precedes the search; validation is what follows the first
    // validation progress report.
    const double validation_seconds =
        std::chrono::duration<double>(end - validation_start.value_or(end)).count();
    const double sample_seconds = seconds - validation_seconds - result->search_seconds;
    std::printf(
        "%-12s %6llu %7zu %-10s %9.2f %9.2f %10.2f %11.2f %12.0f %7.0f %7.1f%% %8.1f%% %+9.2f\n",
        name.c_str(), static_cast<unsigned long long>(paths), result->changes.size(),
        MethodName(result->method_used), seconds,
        sample_seconds, result->search_seconds, validation_seconds,
                static_cast<double>(result->plans_evaluated) / result->search_seconds,
                PeakRssMiB(), 100 * result->validation.outcomes[0].attainment_probability,
                100 * result->validation.outcomes[1].attainment_probability,
                100 * difference.attainment_probability_difference);
    // Heuristic against exhaustive on the same sample, where exhaustive is affordable.
    if (portfolio.partners.size() <= 12) {
      const absl::StatusOr<ScenarioSample> sample =
          engine.SampleScenarios(portfolio, TierScenarios(portfolio), paths, 1);
      if (!sample.ok()) continue;
      SearchMonitor exact_monitor({}, {});
      SearchMonitor heuristic_monitor({}, {});
      const SearchConstraints constraints{std::vector<char>(portfolio.partners.size(), 0)};
      PlanState exact(portfolio, *sample, options.objective, constraints, exact_monitor);
      PlanState heuristic(portfolio, *sample, options.objective, constraints, heuristic_monitor);
      const Clock::time_point t0 = Clock::now();
      const auto exact_plan = ExhaustiveSearch(exact);
      const double exact_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      const uint64_t exact_plans = exact_monitor.plans_evaluated();
      const auto heuristic_plan = HeuristicSearch(heuristic);
      if (exact_plan.ok() && heuristic_plan.ok()) {
        const double best = exact.ScoreOf(*exact_plan).objective;
        const double found = exact.ScoreOf(*heuristic_plan).objective;
        std::printf("  %s: exhaustive %.4f (%llu plans, %.2f s), heuristic %.4f, gap %.4f\n",
                    name.c_str(), best, static_cast<unsigned long long>(exact_plans),
                    exact_seconds, found, best - found);
      }
    }
  }
  return 0;
}

}  // namespace
}  // namespace attain

int main(int argc, char** argv) { return attain::Main(argc, argv); }
