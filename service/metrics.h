// The server's Prometheus metrics. Base units, `_total` counters, and no labels that grow
// with portfolios or partners: only the RPC method, the status code and the rejection
// reason.
//
// Thread-safe.
#ifndef ATTAIN_SERVICE_METRICS_H_
#define ATTAIN_SERVICE_METRICS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "grpcpp/support/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace attain {

class Metrics {
 public:
  Metrics();

  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

  void RpcStarted(const std::string& method);
  // A call carried the token named `client` (auth.h: names come from the token file).
  void RpcAuthenticated(const std::string& method, const std::string& client);
  void RpcHandled(const std::string& method, grpc::StatusCode code, double seconds);
  void SimulationStarted(double queue_wait_seconds);
  void SimulationFinished();
  void QueueLengthChanged(int delta);
  void PathsSimulated(uint64_t paths);
  // reason: "queue_full", "memory_budget" (one run's), "memory_reserved" (the admitted
  // calls' together), "max_work", "shutting_down".
  void Rejected(const std::string& reason);
  // A range of blocks sent to a peer ended: all its blocks came back, or some did not and
  // are simulated here (a reassignment).
  void PeerRangeDone(bool reassigned);
  // A block a peer simulated came back, `bytes` long.
  void PeerBlockReceived(size_t bytes);
  // A member's tier search sent to a peer ended: its tiers (or that no plan fits) came
  // back, or they did not and the member is searched here (a reassignment).
  void PeerSearchDone(bool reassigned);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  prometheus::Gauge& in_flight_;
  prometheus::Gauge& queued_;
  prometheus::Histogram& queue_wait_seconds_;
  prometheus::Counter& paths_simulated_;
  prometheus::Family<prometheus::Counter>& rejections_;
  prometheus::Family<prometheus::Counter>& peer_ranges_;
  prometheus::Counter& peer_blocks_;
  prometheus::Counter& peer_bytes_;
  prometheus::Family<prometheus::Counter>& peer_searches_;
  prometheus::Family<prometheus::Counter>& authenticated_;
};

}  // namespace attain

#endif  // ATTAIN_SERVICE_METRICS_H_
