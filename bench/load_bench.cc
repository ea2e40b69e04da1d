// gRPC load on attaind over loopback, side by side with the engine alone on the same
// machine in the same run: N concurrent callers send Simulate for a bounded time and
// the command reports throughput and latency percentiles, then the ratio of the
// service's throughput to the engine's.
//
//   load_bench [--workload=FILE] [--paths=N] [--callers=N] [--seconds=S]
//              [--server=HOST:PORT]   (default: an in-process attaind on 127.0.0.1:0)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
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

void Print(const char* what, int callers, const Latencies& l) {
  std::printf("%-22s %7d %9zu %9.1f %8.2f %8.2f %8.2f %8.2f %8llu\n", what, callers, l.ms.size(),
              l.Throughput(), l.Percentile(0.50), l.Percentile(0.90), l.Percentile(0.99),
              l.Percentile(1.0), static_cast<unsigned long long>(l.failures));
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
  const Clock::time_point end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
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
                   const Options& options) {
  std::vector<Latencies> per_caller(static_cast<size_t>(options.callers));
  std::vector<std::thread> threads;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
  for (int c = 0; c < options.callers; ++c) {
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
    else {
      std::fprintf(stderr,
                   "usage: load_bench [--workload=FILE] [--paths=N] [--callers=N] "
                   "[--seconds=S] [--server=HOST:PORT]\n");
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
    config.max_queue = options.callers;
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
  std::printf("%-22s %7s %9s %9s %8s %8s %8s %8s %8s\n", "", "callers", "requests", "req/s",
              "p50 ms", "p90 ms", "p99 ms", "max ms", "failed");
  const Latencies engine = EngineAlone(*portfolio, options);
  Print("engine alone", 1, engine);
  const Latencies grpc = OverGrpc(target, *portfolio, options);
  Print("attaind over gRPC", options.callers, grpc);
  std::printf("service throughput / engine throughput: %.2f\n",
              grpc.Throughput() / engine.Throughput());
  if (server) server->Shutdown(std::chrono::seconds(5));
  return grpc.failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace attain

int main(int argc, char** argv) { return attain::Main(argc, argv); }
