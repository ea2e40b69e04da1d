// Engine throughput on the reference portfolios (bench/workloads/*.json).
// For each workload and thread count it reports partner-periods per second
// (paths x partners x periods / s, counterfactual included) and the process's peak
// resident memory. bench/run.sh runs one workload per process so peaks don't mix.
// Beside each engine run, the bare kernel of issue 12 at the same shape: per
// partner-period one Boost.Random normal, one uniform and one std::exp, about the random
// work of a LOGNORMAL partner-period (the engine's deals come on top), with no model
// around it.
//
//   engine_bench [--workloads=DIR] [--paths=N] [google benchmark flags]
#include <sys/resource.h>

#include <atomic>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "proto/support/json_io.h"
#include "service/convert.h"
#include "simulator/engine.h"

namespace {

// Paths per workload, as the targets in bench/README.md state them.
const std::map<std::string, uint64_t> kDefaultPaths = {
    {"w1-200x12", 100'000}, {"w2-50x4", 20'000}, {"w3-20x4", 10'000}, {"w4-2000x12", 10'000}};

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
}

void RunEngine(benchmark::State& state, const attain::Portfolio& portfolio, uint64_t paths,
               int threads) {
  attain::EngineOptions engine_options;
  engine_options.threads = threads;
  engine_options.memory_budget_bytes = size_t{4} << 30;
  attain::Engine engine(engine_options);
  attain::SimulationOptions options;
  options.paths = paths;
  options.seed = 42;
  for (auto _ : state) {
    auto outcome = engine.Simulate(portfolio, attain::Plan{}, options);
    if (!outcome.ok()) {
      state.SkipWithError(std::string(outcome.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(outcome->attainment_probability);
  }
  const double partner_periods = static_cast<double>(paths) *
                                 static_cast<double>(portfolio.partners.size()) *
                                 portfolio.periods;
  state.counters["partner_periods_per_s"] =
      benchmark::Counter(partner_periods, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_MiB"] = PeakRssMiB();
}

// The bare kernel on paths x cells partner-periods: blocks of 1,024 paths, each on its
// own mt19937_64, taken by `threads` threads as the engine's blocks are. The dormancy
// test and the sum keep the compiler from dropping any draw.
double BareKernel(uint64_t paths, size_t cells, int threads) {
  constexpr uint64_t kBlock = 1024;
  const uint64_t blocks = (paths + kBlock - 1) / kBlock;
  std::atomic<uint64_t> next{0};
  std::vector<double> totals(static_cast<size_t>(threads), 0.0);
  const auto work = [&](size_t worker) {
    double total = 0;
    for (uint64_t block = next++; block < blocks; block = next++) {
      boost::random::mt19937_64 engine(block + 1);
      boost::random::normal_distribution<double> normal;
      boost::random::uniform_01<double> uniform;
      const uint64_t block_paths = std::min(kBlock, paths - block * kBlock);
      for (uint64_t path = 0; path < block_paths; ++path) {
        for (size_t cell = 0; cell < cells; ++cell) {
          const double z = normal(engine);
          total += uniform(engine) < 0.97 ? std::exp(0.3 * z - 0.045) : 0.0;
        }
      }
    }
    totals[worker] = total;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, static_cast<size_t>(t));
  work(0);
  for (std::thread& thread : pool) thread.join();
  double total = 0;
  for (const double t : totals) total += t;
  return total;
}

void RunBareKernel(benchmark::State& state, const attain::Portfolio& portfolio, uint64_t paths,
                   int threads) {
  const size_t cells = portfolio.partners.size() * static_cast<size_t>(portfolio.periods);
  for (auto _ : state) benchmark::DoNotOptimize(BareKernel(paths, cells, threads));
  state.counters["partner_periods_per_s"] =
      benchmark::Counter(static_cast<double>(paths) * static_cast<double>(cells),
                         benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = ATTAIN_WORKLOADS_DIR;
  uint64_t paths_flag = 0;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--workloads=", 12) == 0) {
      dir = argv[i] + 12;
    } else if (std::strncmp(argv[i], "--paths=", 8) == 0) {
      paths_flag = std::stoull(argv[i] + 8);
    } else {
      rest.push_back(argv[i]);
    }
  }
  static std::vector<attain::Portfolio> portfolios;  // outlive the registered lambdas
  portfolios.reserve(16);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    auto proto = attain::ReadPortfolioJson(file.string());
    attain::Violations violations;
    if (!proto.ok()) {
      std::fprintf(stderr, "%s\n", std::string(proto.status().message()).c_str());
      return 1;
    }
    portfolios.push_back(attain::PortfolioFromProto(*proto, violations));
    const std::string name = file.stem().string();
    const auto known = kDefaultPaths.find(name);
    const uint64_t paths =
        paths_flag > 0 ? paths_flag : (known != kDefaultPaths.end() ? known->second : 10'000);
    const attain::Portfolio* portfolio = &portfolios.back();
    for (const int threads : {1, 2}) {
      const std::string shape =
          "paths:" + std::to_string(paths) + "/threads:" + std::to_string(threads);
      const auto add = [](const std::string& label, auto run) {
        benchmark::RegisterBenchmark(label.c_str(), run)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->MinTime(1.0);
      };
      add(name + "/" + shape, [portfolio, paths, threads](benchmark::State& state) {
        RunEngine(state, *portfolio, paths, threads);
      });
      add(name + "/bare-kernel/" + shape, [portfolio, paths, threads](benchmark::State& state) {
        RunBareKernel(state, *portfolio, paths, threads);
      });
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
