// Time to precision: how long Simulate takes to bring the 95% interval of P(attain) to
// +-target (default 0.005) on the reference workloads, counting paths (plain Monte Carlo)
// and with the conditional estimator (path_attainment.h), side by side on the same seeds
// in one process, the two orders alternating from seed to seed. Per workload it prints,
// for each estimator, the median paths and seconds to reach the target, and the ratio of
// times; and the variance per path (half-width^2 x paths) and the cost per path (of a
// fixed run of 16 blocks: a precision run also simulates the blocks handed out ahead of
// the one that reached the target, a larger share of a shorter run).
//
//   precision_bench [--workloads=DIR] [--only=w1-200x12,w2-50x4] [--seeds=5]
//                   [--target=0.005] [--threads=2] [--antithetic]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "proto/support/json_io.h"
#include "service/convert.h"
#include "simulator/engine.h"

namespace {

struct Run {
  double seconds = 0;
  uint64_t paths = 0;
  double probability = 0;
  double half_width = 0;
};

bool g_antithetic = false;

Run TimeToPrecision(attain::Engine& engine, const attain::Portfolio& portfolio, uint64_t seed,
                    double target, attain::AttainmentEstimator estimator) {
  attain::SimulationOptions options;
  options.antithetic = g_antithetic;
  options.seed = seed;
  options.paths = attain::kPathsPerBlock;  // the least a run checks the target after
  options.target_ci_half_width = target;
  options.max_paths = 4'000'000;
  options.attainment_estimator = estimator;
  const auto start = std::chrono::steady_clock::now();
  auto outcome = engine.Simulate(portfolio, attain::Plan{}, options);
  const auto end = std::chrono::steady_clock::now();
  if (!outcome.ok()) {
    std::fprintf(stderr, "%s\n", std::string(outcome.status().message()).c_str());
    std::exit(1);
  }
  return {std::chrono::duration<double>(end - start).count(), outcome->paths,
          outcome->attainment_probability, outcome->attainment_interval.HalfWidth()};
}

// Seconds per path of a fixed run of `paths` paths (no precision target).
double CostPerPath(attain::Engine& engine, const attain::Portfolio& portfolio, uint64_t paths,
                   attain::AttainmentEstimator estimator) {
  attain::SimulationOptions options;
  options.antithetic = g_antithetic;
  options.seed = 7;
  options.paths = paths;
  options.attainment_estimator = estimator;
  const auto start = std::chrono::steady_clock::now();
  auto outcome = engine.Simulate(portfolio, attain::Plan{}, options);
  const auto end = std::chrono::steady_clock::now();
  if (!outcome.ok()) std::exit(1);
  return std::chrono::duration<double>(end - start).count() / static_cast<double>(paths);
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

std::vector<std::string> Split(const std::string& list) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) parts.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = ATTAIN_WORKLOADS_DIR;
  std::vector<std::string> only = {"w1-200x12", "w2-50x4"};
  int seeds = 5;
  double target = 0.005;
  int threads = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--workloads=", 0) == 0) {
      dir = arg.substr(12);
    } else if (arg.rfind("--only=", 0) == 0) {
      only = Split(arg.substr(7));
    } else if (arg.rfind("--seeds=", 0) == 0) {
      seeds = std::stoi(arg.substr(8));
    } else if (arg.rfind("--target=", 0) == 0) {
      target = std::stod(arg.substr(9));
    } else if (arg == "--antithetic") {
      g_antithetic = true;
    } else if (arg.rfind("--threads=", 0) == 0) {
      threads = std::stoi(arg.substr(10));
    } else {
      std::fprintf(stderr, "precision_bench: unknown flag %s\n", arg.c_str());
      return 2;
    }
  }
  attain::EngineOptions engine_options;
  engine_options.threads = threads;
  engine_options.memory_budget_bytes = size_t{4} << 30;
  attain::Engine engine(engine_options);
  std::printf("time to a 95%% half-width of %.4f on P(attain), %d seeds, %d threads%s\n",
              target, seeds, threads, g_antithetic ? ", antithetic pairs" : "");
  std::printf("%-12s %-12s %10s %9s %8s %12s %12s %8s\n", "workload", "estimator", "paths",
              "seconds", "P", "var/path", "us/path", "speedup");
  for (const std::string& name : only) {
    const std::filesystem::path file = std::filesystem::path(dir) / (name + ".json");
    auto proto = attain::ReadPortfolioJson(file.string());
    if (!proto.ok()) {
      std::fprintf(stderr, "%s\n", std::string(proto.status().message()).c_str());
      return 1;
    }
    attain::Violations violations;
    const attain::Portfolio portfolio = attain::PortfolioFromProto(*proto, violations);
    constexpr attain::AttainmentEstimator kEstimators[] = {
        attain::AttainmentEstimator::kPathCount, attain::AttainmentEstimator::kConditional};
    std::vector<Run> runs[2];
    for (int seed = 1; seed <= seeds; ++seed) {
      for (int j = 0; j < 2; ++j) {
        const int e = (seed % 2 == 0) ? j : 1 - j;  // alternate which goes first
        runs[e].push_back(TimeToPrecision(engine, portfolio, static_cast<uint64_t>(seed), target,
                                          kEstimators[e]));
      }
    }
    double median_seconds[2];
    for (int e = 0; e < 2; ++e) {
      std::vector<double> seconds, paths, variance, cost, probability;
      for (const Run& run : runs[e]) {
        seconds.push_back(run.seconds);
        paths.push_back(static_cast<double>(run.paths));
        // Per-path variance of the estimator: (half-width / z)^2 x paths.
        const double se = run.half_width / attain::kZ95;
        variance.push_back(se * se * static_cast<double>(run.paths));
        probability.push_back(run.probability);
      }
      for (int repeat = 0; repeat < 3; ++repeat) {
        cost.push_back(1e6 * CostPerPath(engine, portfolio, 16 * attain::kPathsPerBlock,
                                         kEstimators[e]));
      }
      median_seconds[e] = Median(seconds);
      std::printf("%-12s %-12s %10.0f %9.3f %8.4f %12.5f %12.2f", name.c_str(),
                  e == 0 ? "path count" : "conditional", Median(paths), median_seconds[e],
                  Median(probability), Median(variance), Median(cost));
      if (e == 1) {
        std::printf(" %7.1fx", median_seconds[0] / median_seconds[1]);
      }
      std::printf("\n");
    }
  }
  return 0;
}
