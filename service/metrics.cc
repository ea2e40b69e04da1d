#include "service/metrics.h"

#include "service/grpc_status.h"

namespace attain {
namespace {

// From a millisecond lookup to a many-minute precision run.
const prometheus::Histogram::BucketBoundaries& SecondsBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
      1,     2.5,    5,     10,   30,    60,   120, 300, 600};
  return buckets;
}

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      started_(prometheus::BuildCounter()
                   .Name("attain_rpc_started_total")
                   .Help("RPCs started, by method.")
                   .Register(*registry_)),
      handled_(prometheus::BuildCounter()
                   .Name("attain_rpc_handled_total")
                   .Help("RPCs completed, by method and gRPC status code.")
                   .Register(*registry_)),
      handling_seconds_(prometheus::BuildHistogram()
                            .Name("attain_rpc_handling_seconds")
                            .Help("Time from the start of an RPC to its status, by method.")
                            .Register(*registry_)),
      in_flight_(prometheus::BuildGauge()
                     .Name("attain_simulations_in_flight")
                     .Help("Simulations running now.")
                     .Register(*registry_)
                     .Add({})),
      queued_(prometheus::BuildGauge()
                  .Name("attain_simulations_queued")
                  .Help("Simulations admitted and waiting for a slot.")
                  .Register(*registry_)
                  .Add({})),
      queue_wait_seconds_(prometheus::BuildHistogram()
                              .Name("attain_queue_wait_seconds")
                              .Help("Time a simulation waited for a slot.")
                              .Register(*registry_)
                              .Add({}, SecondsBuckets())),
      paths_simulated_(prometheus::BuildCounter()
                           .Name("attain_paths_simulated_total")
                           .Help("Monte Carlo paths simulated (all plans of a run count once).")
                           .Register(*registry_)
                           .Add({})),
      rejections_(prometheus::BuildCounter()
                      .Name("attain_rejections_total")
                      .Help("Requests refused before running, by reason.")
                      .Register(*registry_)),
      peer_ranges_(prometheus::BuildCounter()
                       .Name("attain_peer_ranges_total")
                       .Help("Ranges of blocks sent to peers, by outcome: done, or "
                             "reassigned (blocks that did not come back ran here).")
                       .Register(*registry_)),
      peer_blocks_(prometheus::BuildCounter()
                       .Name("attain_peer_blocks_received_total")
                       .Help("Blocks of paths peers simulated for this replica's runs.")
                       .Register(*registry_)
                       .Add({})),
      peer_bytes_(prometheus::BuildCounter()
                      .Name("attain_peer_bytes_received_total")
                      .Help("Bytes of block sums received from peers.")
                      .Register(*registry_)
                      .Add({})),
      peer_searches_(prometheus::BuildCounter()
                         .Name("attain_peer_searches_total")
                         .Help("Team members' tier searches sent to peers, by outcome: "
                               "done, or reassigned (searched here instead).")
                         .Register(*registry_)),
      authenticated_(prometheus::BuildCounter()
                         .Name("attain_rpc_authenticated_total")
                         .Help("RPCs whose bearer token was accepted, by method and the "
                               "token's name (client). Refused ones are "
                               "attain_rpc_handled_total{code=\"UNAUTHENTICATED\"}.")
                         .Register(*registry_)) {}

void Metrics::RpcStarted(const std::string& method) { started_.Add({{"method", method}}).Increment(); }

void Metrics::RpcAuthenticated(const std::string& method, const std::string& client) {
  authenticated_.Add({{"method", method}, {"client", client}}).Increment();
}

void Metrics::RpcHandled(const std::string& method, grpc::StatusCode code, double seconds) {
  handled_.Add({{"method", method}, {"code", StatusCodeName(code)}}).Increment();
  handling_seconds_.Add({{"method", method}}, SecondsBuckets()).Observe(seconds);
}

void Metrics::SimulationStarted(double queue_wait_seconds) {
  in_flight_.Increment();
  queue_wait_seconds_.Observe(queue_wait_seconds);
}

void Metrics::SimulationFinished() { in_flight_.Decrement(); }

void Metrics::QueueLengthChanged(int delta) { queued_.Increment(delta); }

void Metrics::PathsSimulated(uint64_t paths) {
  paths_simulated_.Increment(static_cast<double>(paths));
}

void Metrics::Rejected(const std::string& reason) {
  rejections_.Add({{"reason", reason}}).Increment();
}

void Metrics::PeerRangeDone(bool reassigned) {
  peer_ranges_.Add({{"outcome", reassigned ? "reassigned" : "done"}}).Increment();
}

void Metrics::PeerSearchDone(bool reassigned) {
  peer_searches_.Add({{"outcome", reassigned ? "reassigned" : "done"}}).Increment();
}

void Metrics::PeerBlockReceived(size_t bytes) {
  peer_blocks_.Increment();
  peer_bytes_.Increment(static_cast<double>(bytes));
}

}  // namespace attain
