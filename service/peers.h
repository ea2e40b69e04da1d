// attaind's peers (--peers): the other replicas of a deployment, which simulate ranges of
// this replica's large runs (attain.v1.PeerService), and the offload that sends a run's
// ranges to them (simulator/block_runner.h). A range that fails, outlives its timeout, or
// comes back short is simulated here instead, and attain_peer_ranges_total counts it as
// reassigned; the run's result is the same either way.
//
// Thread-safe.
#ifndef ATTAIN_SERVICE_PEERS_H_
#define ATTAIN_SERVICE_PEERS_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "attain/v1/peer.grpc.pb.h"
#include "service/metrics.h"
#include "simulator/block_runner.h"
#include "simulator/model.h"

namespace attain {

struct PeerOptions {
  // "dns:///name:port" (one channel; gRPC's round_robin spreads calls over the addresses
  // the name resolves to, as a Kubernetes headless Service gives them) or a
  // comma-separated list of host:port (a channel each, taken in turn).
  std::string target;
  // Ranges one run has out at once: the number of listed peers, or this for a name.
  int ranges_per_run = 4;
  // A range not back by then is simulated here.
  std::chrono::seconds range_timeout{30};
};

class Peers {
 public:
  // INVALID_ARGUMENT naming --peers when the target is empty or a list has an empty entry.
  static absl::StatusOr<std::unique_ptr<Peers>> Create(const PeerOptions& options);

  int ranges_per_run() const { return ranges_per_run_; }
  std::chrono::seconds range_timeout() const { return range_timeout_; }
  // The next peer, in turn.
  v1::PeerService::Stub& Next();

 private:
  Peers(std::vector<std::unique_ptr<v1::PeerService::Stub>> stubs, int ranges_per_run,
        std::chrono::seconds range_timeout);

  const std::vector<std::unique_ptr<v1::PeerService::Stub>> stubs_;
  const int ranges_per_run_;
  const std::chrono::seconds range_timeout_;
  std::atomic<size_t> next_{0};
};

// One run's offload: each range is a SimulateBlocks call to the next peer, on a thread of
// its own, with the run's request, seed and deadline.
class PeerOffload final : public BlockOffload {
 public:
  // `request`: the run's, seed set; `deadline`: the caller's.
  PeerOffload(Peers& peers, Metrics& metrics, v1::SimulateBlocksRequest request,
              std::chrono::system_clock::time_point deadline);
  ~PeerOffload() override;  // joins the ranges' threads: REQUIRES every range is done

  // A team run with coaching gains: the members' recommended plans, before the run.
  void SetRecommendedPlans(const std::vector<Plan>& plans);

  int slots() const override { return peers_.ranges_per_run(); }
  void Start(uint64_t first, uint64_t end,
             std::function<void(uint64_t block, std::string bytes)> deliver,
             std::function<void()> done) override;
  void CancelAll() override;

 private:
  Peers& peers_;
  Metrics& metrics_;
  v1::SimulateBlocksRequest request_;
  const std::chrono::system_clock::time_point deadline_;
  std::mutex mu_;
  bool cancelled_ = false;
  std::vector<grpc::ClientContext*> calls_;  // in progress
  // A thread per range; those that have ended are joined as new ones start, so a long
  // run holds no more than its ranges out.
  struct RangeThread {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> ended;
  };
  std::vector<RangeThread> threads_;
};

}  // namespace attain

#endif  // ATTAIN_SERVICE_PEERS_H_
