// gRPC load on attaind over loopback, side by side with the engine alone on the same
// machine in the same run, each for a bounded time:
// - the engine alone, one run at a time;
// - closed loop: one caller, then N concurrent callers, each sending Simulate back to
//   back (N callers saturate the server: their throughput is its capacity);
// - open loop: Simulate arriving as a Poisson process at fractions of that capacity,
//   as independent CRM users would send them; latency counts from each arrival. Beside
//   each, the engine alone at the same arrival times (each run on a thread of its own):
//   what the service adds to the open loop, apart from what the machine does.
// It reports throughput and latency percentiles, and the ratios the targets are set in.
//
//   load_bench [--workload=FILE] [--paths=N] [--callers=N] [--seconds=S]
//              [--loads=0.25,0.5,0.75] [--server=HOST:PORT]
//   (default: an in-process attaind on 127.0.0.1:0)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "proto/support/json_io.h"
#include "service/convert.h"
#include "service/server.h"

namespace attain {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string workload = std::string(ATTAIN_WORKLOADS_DIR) + "/w3-20x4.json";
  uint64_t paths = 10'000;
  int callers = 4;
  double seconds = 10;
  std::vector<double> loads = {0.25, 0.5, 0.75};  // open loop, as fractions of capacity
  std::string server;  // empty: in process
};

struct Latencies {
  std::vector<double> ms;
  double seconds = 0;
  uint64_t failures = 0;

  double Percentile(double q) const {
    if (ms.empty()) return 0;
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    return sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1))];
  }
  double Throughput() const { return static_cast<double>(ms.size()) / seconds; }
};

void Print(const std::string& what, const std::string& callers, const Latencies& l) {
  std::printf("%-26s %7s %9zu %9.1f %8.2f %8.2f %8.2f %8.2f %8llu\n", what.c_str(),
              callers.c_str(), l.ms.size(), l.Throughput(), l.Percentile(0.50),
              l.Percentile(0.90), l.Percentile(0.99), l.Percentile(1.0),
              static_cast<unsigned long long>(l.failures));
}

Clock::time_point After(Clock::time_point start, double seconds) {
  return start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// The engine called directly, one run at a time (each run uses every worker).
Latencies EngineAlone(const v1::Portfolio& proto, const Options& options) {
  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(proto, violations);
  Engine engine(ServerConfig{}.ToEngineOptions());
  SimulationOptions simulation;
  simulation.paths = options.paths;
  Latencies latencies;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = After(start, options.seconds);
  for (uint64_t seed = 1; Clock::now() < end; ++seed) {
    simulation.seed = seed;
    const Clock::time_point begin = Clock::now();
    const bool ok = engine.Simulate(portfolio, Plan{}, simulation).ok();
    latencies.failures += !ok;
    if (ok) latencies.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
  }
  latencies.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return latencies;
}

// `callers` threads, each on its own connection, calling Simulate back to back.
Latencies OverGrpc(const std::string& target, const v1::Portfolio& portfolio,
                   const Options& options, int callers) {
  std::vector<Latencies> per_caller(static_cast<size_t>(callers));
  std::vector<std::thread> threads;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = After(start, options.seconds);
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      grpc::ChannelArguments arguments;
      arguments.SetInt("attain.load_bench.caller", c);  // a distinct connection per caller
      auto stub = v1::PlannerService::NewStub(
          grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments));
      v1::SimulateRequest request;
      *request.mutable_portfolio() = portfolio;
      request.mutable_options()->set_paths(options.paths);
      Latencies& mine = per_caller[static_cast<size_t>(c)];
      for (uint64_t seed = 1; Clock::now() < end; ++seed) {
        request.mutable_options()->set_seed(seed * 1000 + static_cast<uint64_t>(c));
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
        v1::SimulateResponse response;
        const Clock::time_point begin = Clock::now();
        const grpc::Status status = stub->Simulate(&context, request, &response);
        if (!status.ok()) {
          ++mine.failures;
          continue;
        }
        mine.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  Latencies all;
  all.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const Latencies& l : per_caller) {
    all.ms.insert(all.ms.end(), l.ms.begin(), l.ms.end());
    all.failures += l.failures;
  }
  return all;
}

// Simulate arriving as a Poisson process at `rate` per second for options.seconds, sent
// with gRPC's callback API on one connection whatever the server's pace. Each latency
// runs from the request's arrival time, so a send that falls behind counts against the
// service (no coordinated omission).
Latencies OpenLoop(const std::string& target, const v1::Portfolio& portfolio,
                   const Options& options, double rate, uint64_t seed) {
  struct Call {
    grpc::ClientContext context;
    v1::SimulateRequest request;
    v1::SimulateResponse response;
    Clock::time_point arrival;
  };
  auto stub = v1::PlannerService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  {  // Connects first: the connection's setup is not a request's latency.
    grpc::ClientContext context;
    v1::SimulateRequest request;
    *request.mutable_portfolio() = portfolio;
    request.mutable_options()->set_paths(options.paths);
    v1::SimulateResponse response;
    if (!stub->Simulate(&context, request, &response).ok()) {
      Latencies unreachable;
      unreachable.failures = 1;
      return unreachable;
    }
  }
  std::mt19937_64 random(seed);
  std::exponential_distribution<double> gap(rate);
  std::mutex mu;
  std::condition_variable all_done;
  Latencies latencies;
  size_t outstanding = 0;
  std::vector<std::unique_ptr<Call>> calls;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = After(start, options.seconds);
  for (Clock::time_point arrival = After(start, gap(random)); arrival < end;
       arrival = After(arrival, gap(random))) {
    std::this_thread::sleep_until(arrival);
    auto call = std::make_unique<Call>();
    call->arrival = arrival;
    *call->request.mutable_portfolio() = portfolio;
    call->request.mutable_options()->set_paths(options.paths);
    call->request.mutable_options()->set_seed(seed * 1'000'000 + calls.size());
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    Call* raw = call.get();
    calls.push_back(std::move(call));
    {
      std::lock_guard lock(mu);
      ++outstanding;
    }
    stub->async()->Simulate(&raw->context, &raw->request, &raw->response,
                            [&, raw](grpc::Status status) {
                              const double ms = std::chrono::duration<double, std::milli>(
                                                    Clock::now() - raw->arrival)
                                                    .count();
                              std::lock_guard lock(mu);
                              if (status.ok()) {
                                latencies.ms.push_back(ms);
                              } else {
                                ++latencies.failures;
                              }
                              if (--outstanding == 0) all_done.notify_all();
                            });
  }
  std::unique_lock lock(mu);
  all_done.wait(lock, [&] { return outstanding == 0; });
  latencies.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return latencies;
}

// The engine called directly at the arrival times OpenLoop draws from `seed`, each run
// on a thread of its own and overlapping as the service's calls would.
Latencies EngineOpenLoop(const v1::Portfolio& proto, const Options& options, double rate,
                         uint64_t seed) {
  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(proto, violations);
  Engine engine(ServerConfig{}.ToEngineOptions());
  std::mt19937_64 random(seed);
  std::exponential_distribution<double> gap(rate);
  std::mutex mu;
  Latencies latencies;
  std::vector<std::thread> runs;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = After(start, options.seconds);
  for (Clock::time_point arrival = After(start, gap(random)); arrival < end;
       arrival = After(arrival, gap(random))) {
    std::this_thread::sleep_until(arrival);
    runs.emplace_back([&, arrival, run_seed = seed * 1'000'000 + runs.size()] {
      SimulationOptions simulation;
      simulation.paths = options.paths;
      simulation.seed = run_seed;
      const bool ok = engine.Simulate(portfolio, Plan{}, simulation).ok();
      const double ms =
          std::chrono::duration<double, std::milli>(Clock::now() - arrival).count();
      std::lock_guard lock(mu);
      if (ok) {
        latencies.ms.push_back(ms);
      } else {
        ++latencies.failures;
      }
    });
  }
  for (std::thread& run : runs) run.join();
  latencies.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return latencies;
}

int Main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* flag) -> const char* {
      const size_t n = std::strlen(flag);
      return arg.compare(0, n, flag) == 0 ? argv[i] + n : nullptr;
    };
    if (const char* v = value("--workload=")) options.workload = v;
    else if (const char* p = value("--paths=")) options.paths = std::stoull(p);
    else if (const char* c = value("--callers=")) options.callers = std::stoi(c);
    else if (const char* s = value("--seconds=")) options.seconds = std::stod(s);
    else if (const char* t = value("--server=")) options.server = t;
    else if (const char* l = value("--loads=")) {
      options.loads.clear();
      for (absl::string_view load : absl::StrSplit(l, ',', absl::SkipEmpty())) {
        double fraction = 0;
        if (!absl::SimpleAtod(load, &fraction) || !(fraction > 0)) {
          std::fprintf(stderr, "load_bench: --loads: expected fractions above 0\n");
          return 2;
        }
        options.loads.push_back(fraction);
      }
    } else {
      std::fprintf(stderr,
                   "usage: load_bench [--workload=FILE] [--paths=N] [--callers=N] "
                   "[--seconds=S] [--loads=0.25,0.5,0.75] [--server=HOST:PORT]\n");
      return 2;
    }
  }
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolioJson(options.workload);
  if (!portfolio.ok()) {
    std::fprintf(stderr, "load_bench: %s\n", std::string(portfolio.status().message()).c_str());
    return 2;
  }
  std::unique_ptr<AttainServer> server;
  std::string target = options.server;
  if (target.empty()) {
    ServerConfig config;
    config.listen_address = "127.0.0.1:0";
    config.metrics_address = "";
    config.log_level = LogLevel::kError;
    config.max_in_flight = options.callers;
    // Room for an open loop's bursts: a refusal would measure admission, not latency.
    config.max_queue = 64;
    absl::StatusOr<std::unique_ptr<AttainServer>> started = AttainServer::Start(config);
    if (!started.ok()) {
      std::fprintf(stderr, "load_bench: %s\n", std::string(started.status().message()).c_str());
      return 1;
    }
    server = std::move(*started);
    target = absl::StrCat("127.0.0.1:", server->grpc_port());
  }
  std::printf("workload %s, %llu paths per request, %.0f s per measurement, %d CPUs\n",
              options.workload.c_str(), static_cast<unsigned long long>(options.paths),
              options.seconds, UsableCpus());
  std::printf("%-26s %7s %9s %9s %8s %8s %8s %8s %8s\n", "", "callers", "requests", "req/s",
              "p50 ms", "p90 ms", "p99 ms", "max ms", "failed");
  const Latencies engine = EngineAlone(*portfolio, options);
  Print("engine alone", "1", engine);
  const Latencies single = OverGrpc(target, *portfolio, options, 1);
  Print("attaind, closed loop", "1", single);
  const Latencies saturated = OverGrpc(target, *portfolio, options, options.callers);
  Print("attaind, closed loop", absl::StrCat(options.callers), saturated);
  const double capacity = saturated.Throughput();
  uint64_t failures = single.failures + saturated.failures;
  std::vector<std::pair<double, Latencies>> open;
  for (size_t k = 0; k < options.loads.size(); ++k) {
    const double load = options.loads[k];
    const Latencies l = OpenLoop(target, *portfolio, options, load * capacity, 7 + k);
    Print(absl::StrFormat("open loop at %.0f%% (%.1f/s)", load * 100, load * capacity), "-", l);
    const Latencies alone = EngineOpenLoop(*portfolio, options, load * capacity, 7 + k);
    Print("  engine alone, same times", "-", alone);
    failures += l.failures + alone.failures;
    open.emplace_back(load, l);
  }
  std::printf("capacity (%d callers) / engine alone: %.2f\n", options.callers,
              capacity / engine.Throughput());
  for (const auto& [load, l] : open) {
    std::printf("open loop at %.0f%%: p99 / single-call p50 = %.1f\n", load * 100,
                l.Percentile(0.99) / single.Percentile(0.50));
  }
  if (server) server->Shutdown(std::chrono::seconds(5));
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace attain

int main(int argc, char** argv) { return attain::Main(argc, argv); }
