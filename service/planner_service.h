// attain.v1.PlannerService over gRPC's callback API. The RPC layer is thin: convert and
// validate the request (on the gRPC thread: linear in its size, so bad input fails fast
// without taking a slot), admit it through the Scheduler, run the engine on an executor
// thread (the engine's workers do the simulation), convert the result back, record
// metrics and one log line. Nothing heavy runs on a gRPC thread.
//
// Thread-safe. REQUIRES: engine, scheduler and metrics outlive the service, and the
// scheduler is destroyed (so its tasks have finished) before the service.
#ifndef ATTAIN_SERVICE_PLANNER_SERVICE_H_
#define ATTAIN_SERVICE_PLANNER_SERVICE_H_

#include <chrono>
#include <string>

#include "attain/v1/planner_service.grpc.pb.h"
#include "service/metrics.h"
#include "service/scheduler.h"
#include "simulator/engine.h"

namespace attain {

// Streaming progress events are at least this far apart.
inline constexpr std::chrono::milliseconds kProgressInterval{250};

class PlannerServiceImpl final : public v1::PlannerService::CallbackService {
 public:
  PlannerServiceImpl(Engine& engine, Scheduler& scheduler, Metrics& metrics);

  grpc::ServerUnaryReactor* Simulate(grpc::CallbackServerContext* context,
                                     const v1::SimulateRequest* request,
                                     v1::SimulateResponse* response) override;

  grpc::ServerWriteReactor<v1::SimulateStreamResponse>* SimulateStream(
      grpc::CallbackServerContext* context, const v1::SimulateStreamRequest* request) override;

  grpc::ServerUnaryReactor* ComparePlans(grpc::CallbackServerContext* context,
                                         const v1::ComparePlansRequest* request,
                                         v1::ComparePlansResponse* response) override;

  grpc::ServerUnaryReactor* RecommendTiers(grpc::CallbackServerContext* context,
                                           const v1::RecommendTiersRequest* request,
                                           v1::RecommendTiersResponse* response) override;

  grpc::ServerWriteReactor<v1::RecommendTiersStreamResponse>* RecommendTiersStream(
      grpc::CallbackServerContext* context,
      const v1::RecommendTiersStreamRequest* request) override;

 private:
  friend class SimulateStreamReactor;
  friend class RecommendStreamReactor;

  Engine& engine_;
  Scheduler& scheduler_;
  Metrics& metrics_;
};

}  // namespace attain

#endif  // ATTAIN_SERVICE_PLANNER_SERVICE_H_
