// attain.v1.PlannerService over gRPC's callback API. The RPC layer is thin: check the
// request's sizes on the wire (wire_limits.h) and parse it, convert and validate it (on
// the gRPC thread: linear in its size, so bad input fails fast without taking a slot),
// admit it through the Scheduler, run the engine on an executor thread (the engine's
// workers do the simulation), convert the result back, record metrics and one log line.
// Nothing heavy runs on a gRPC thread.
//
// Methods take raw (serialized) messages: the sizes are checked before anything is
// parsed, and bytes that do not parse get INVALID_ARGUMENT (gRPC's typed handlers would
// answer an empty UNIMPLEMENTED, as if the method did not exist).
//
// Thread-safe. REQUIRES: engine, scheduler and metrics outlive the service, and the
// scheduler is destroyed (so its tasks have finished) before the service.
#ifndef ATTAIN_SERVICE_PLANNER_SERVICE_H_
#define ATTAIN_SERVICE_PLANNER_SERVICE_H_

#include <chrono>
#include <string>

#include "attain/v1/peer.grpc.pb.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "service/auth.h"
#include "service/metrics.h"
#include "service/peers.h"
#include "service/scheduler.h"
#include "service/wire_limits.h"
#include "simulator/engine.h"

namespace attain {

// Streaming progress events are at least this far apart.
inline constexpr std::chrono::milliseconds kProgressInterval{250};

// Per-request limits of the service beyond the engine's (ServerConfig documents them).
struct ServiceLimits {
  double max_work = 5e10;  // partner-periods x paths (RunCost::work)
  std::chrono::seconds max_run_time{300};
};

// Runs spread over the peers (peers.h): Simulate, ComparePlans and SimulateTeam (and
// their streams) of at least `min_work` partner-periods x paths, when there are peers.
struct ScaleOut {
  Peers* peers = nullptr;  // none: every run is simulated here
  double min_work = 1e9;   // about ten seconds of one core
};

using RawPlannerService = v1::PlannerService::WithRawCallbackMethod_Simulate<
    v1::PlannerService::WithRawCallbackMethod_SimulateStream<
        v1::PlannerService::WithRawCallbackMethod_ComparePlans<
            v1::PlannerService::WithRawCallbackMethod_RecommendTiers<
                v1::PlannerService::WithRawCallbackMethod_RecommendTiersStream<
                    v1::PlannerService::WithRawCallbackMethod_CalibratePortfolio<
                        v1::PlannerService::WithRawCallbackMethod_AnalyzeSensitivity<
                            v1::PlannerService::WithRawCallbackMethod_CoachPlan<
                                v1::PlannerService::WithRawCallbackMethod_CreateExercise<
                                    v1::PlannerService::WithRawCallbackMethod_SubmitExercise<
                                        v1::PlannerService::WithRawCallbackMethod_SimulateTeam<
                                            v1::PlannerService::
                                                WithRawCallbackMethod_SimulateTeamStream<
                                                    v1::PlannerService::Service>>>>>>>>>>>>;

class PlannerServiceImpl final : public RawPlannerService {
 public:
  // `auth`: null when calls need no token; else it must outlive the service.
  PlannerServiceImpl(Engine& engine, Scheduler& scheduler, Metrics& metrics,
                     ServiceLimits limits, ScaleOut scale_out = {}, TokenAuth* auth = nullptr);

  grpc::ServerUnaryReactor* Simulate(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;

  grpc::ServerWriteReactor<grpc::ByteBuffer>* SimulateStream(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override;

  grpc::ServerUnaryReactor* ComparePlans(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;

  grpc::ServerUnaryReactor* RecommendTiers(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;

  grpc::ServerWriteReactor<grpc::ByteBuffer>* RecommendTiersStream(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override;

  // Builds the history and checks the base on the gRPC thread (in the size of the request);
  // Calibrate runs on an executor thread.
  grpc::ServerUnaryReactor* CalibratePortfolio(grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;

  // Converts and validates on the gRPC thread; the analysis (all its simulations and
  // tier searches, one after another) runs on an executor thread.
  grpc::ServerUnaryReactor* AnalyzeSensitivity(grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;

  // Converts and validates on the gRPC thread; the search, the validation run and the
  // feedback run on an executor thread.
  grpc::ServerUnaryReactor* CoachPlan(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;

  // Generation (milliseconds, no simulation) runs on an executor thread, as every run.
  grpc::ServerUnaryReactor* CreateExercise(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;

  // Parses the id, regenerates the exercise and checks the plan on the gRPC thread (in
  // the exercise's size); the coaching and the calibration run on an executor thread.
  grpc::ServerUnaryReactor* SubmitExercise(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;

  // Converts, validates and lays out the team on the gRPC thread (in the size of the
  // request: members' partners are copied into one portfolio); the members' tier
  // searches and the team run, one after another, on an executor thread.
  grpc::ServerUnaryReactor* SimulateTeam(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;

  grpc::ServerWriteReactor<grpc::ByteBuffer>* SimulateTeamStream(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override;

 private:
  friend class SimulateStreamReactor;
  friend class RecommendStreamReactor;
  friend class TeamStreamReactor;

  // The offload of a run worth spreading over the peers (ScaleOut), with the run's seed
  // fixed first (drawn if the request has none) so that every replica simulates the same
  // paths, and the blocks its ranges hold (`block_bytes` each) added to `cost`; null for
  // a run simulated here alone. `request` holds the run's own request.
  std::shared_ptr<PeerOffload> OffloadFor(grpc::CallbackServerContext* context, RunCost& cost,
                                          size_t block_bytes, SimulationOptions& options,
                                          v1::SimulateBlocksRequest request);

  Engine& engine_;
  Scheduler& scheduler_;
  Metrics& metrics_;
  const ServiceLimits limits_;
  const WireLimits wire_limits_;
  const WireLimits team_wire_limits_;
  const ScaleOut scale_out_;
  TokenAuth* const auth_;
};

using RawPeerService = v1::PeerService::WithRawCallbackMethod_SimulateBlocks<
    v1::PeerService::WithRawCallbackMethod_SearchTiers<v1::PeerService::Service>>;

// attain.v1.PeerService: ranges of other replicas' runs, and their team members' tier
// searches. A range or search is converted and checked as its run's own RPC would be (on
// the gRPC thread), admitted through the same scheduler with its own cost, and run here
// only (never sent on). A range is streamed back block by block as the blocks merge.
//
// Thread-safe; the same REQUIRES as PlannerServiceImpl.
class PeerServiceImpl final : public RawPeerService {
 public:
  PeerServiceImpl(Engine& engine, Scheduler& scheduler, Metrics& metrics, ServiceLimits limits,
                  TokenAuth* auth = nullptr);

  grpc::ServerWriteReactor<grpc::ByteBuffer>* SimulateBlocks(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override;

  grpc::ServerUnaryReactor* SearchTiers(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;

 private:
  friend class BlocksStreamReactor;

  Engine& engine_;
  Scheduler& scheduler_;
  Metrics& metrics_;
  const ServiceLimits limits_;
  const WireLimits wire_limits_;
  TokenAuth* const auth_;
};

}  // namespace attain

#endif  // ATTAIN_SERVICE_PLANNER_SERVICE_H_
