// attaind's peers (--peers): the other replicas of a deployment, which simulate ranges of
// this replica's large runs and search its team members' tiers (attain.v1.PeerService),
// and the offload that sends a run's ranges and searches to them
// (simulator/block_runner.h, simulator/team.h). A range that fails, outlives its timeout,
// or comes back short is simulated here instead, and attain_peer_ranges_total counts it
// as reassigned; a search likewise, counted by attain_peer_searches_total. The run's
// result is the same either way.
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
#include "grpcpp/security/credentials.h"
#include "service/metrics.h"
#include "simulator/block_runner.h"
#include "simulator/model.h"
#include "simulator/team.h"

namespace attain {

struct PeerOptions {
  // "dns:///name:port" (one channel; gRPC's round_robin spreads calls over the addresses
  // the name resolves to, as a Kubernetes headless Service gives them) or a
  // comma-separated list of host:port (a channel each, taken in turn).
  std::string target;
  // Ranges one run has out at once: the number of listed peers, or this for a name.
  int ranges_per_run = 4;
  // A range or search not back by then is run here.
  std::chrono::seconds range_timeout{30};
  // Insecure, or TLS (tls.h).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // The file of the bearer token sent with every call; empty: none.
  std::string token_file;
};

class Peers {
 public:
  // INVALID_ARGUMENT naming --peers when the target is empty or a list has an empty entry.
  static absl::StatusOr<std::unique_ptr<Peers>> Create(const PeerOptions& options);

  int ranges_per_run() const { return ranges_per_run_; }
  std::chrono::seconds range_timeout() const { return range_timeout_; }
  // The next peer, in turn.
  v1::PeerService::Stub& Next();
  // Adds the bearer token, read now, to a call's metadata. UNAUTHENTICATED when the
  // token file cannot be read: the call is then not made.
  absl::Status Authorize(grpc::ClientContext& context) const;

 private:
  Peers(std::vector<std::unique_ptr<v1::PeerService::Stub>> stubs, const PeerOptions& options,
        int ranges_per_run);

  const std::vector<std::unique_ptr<v1::PeerService::Stub>> stubs_;
  const int ranges_per_run_;
  const std::chrono::seconds range_timeout_;
  const std::string token_file_;
  std::atomic<size_t> next_{0};
};

// One run's offload: each range is a SimulateBlocks call, and each member's search of a
// team run a SearchTiers call, to the next peer, on a thread of its own, with the run's
// request, seed and deadline.
class PeerOffload final : public BlockOffload, public SearchOffload {
 public:
  // `request`: the run's, seed set; `deadline`: the caller's.
  PeerOffload(Peers& peers, Metrics& metrics, v1::SimulateBlocksRequest request,
              std::chrono::system_clock::time_point deadline);
  ~PeerOffload() override;  // joins the calls' threads: REQUIRES every call is done

  // A team run with coaching gains: the members' recommended plans, before the run.
  void SetRecommendedPlans(const std::vector<Plan>& plans);

  // Ranges, or searches, out at once.
  int slots() const override { return peers_.ranges_per_run(); }
  void Start(uint64_t first, uint64_t end,
             std::function<void(uint64_t block, std::string bytes)> deliver,
             std::function<void()> done) override;
  // REQUIRES: the run is a team run.
  void Start(size_t member, uint64_t seed,
             std::function<void(absl::StatusOr<std::vector<Tier>>)> done) override;
  void CancelAll() override;

 private:
  Peers& peers_;
  Metrics& metrics_;
  v1::SimulateBlocksRequest request_;
  const std::chrono::system_clock::time_point deadline_;
  std::mutex mu_;
  bool cancelled_ = false;
  std::vector<grpc::ClientContext*> calls_;  // in progress
  // A thread per call; those that have ended are joined as new ones start, so a long
  // run holds no more threads than calls out.
  struct CallThread {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> ended;
  };
  std::vector<CallThread> threads_;

  // Runs `call` on a thread of its own. REQUIRES: mu_ not held.
  void Launch(std::function<void()> call);
  // A call's context, its deadline and token set, among calls_ (for CancelAll); false
  // when the offload is cancelled already or the token cannot be read: the call is not
  // made, and the run does its work itself.
  bool Enlist(grpc::ClientContext& context);
  // Takes it out of calls_; true when the offload was cancelled meanwhile.
  bool Discharge(grpc::ClientContext& context);
};

}  // namespace attain

#endif  // ATTAIN_SERVICE_PEERS_H_
