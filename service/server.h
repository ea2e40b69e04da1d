// The assembled attaind server: engine, scheduler, metrics, the gRPC server with the
// planner and peer services, health (service "" for liveness, "readiness" and
// "attain.v1.PlannerService" for readiness; no token needed; with --health-listen also
// on a plaintext port of its own) and, with --reflection,
// reflection; TLS or mTLS (tls.h) and bearer tokens (auth.h) when configured; and the
// /metrics endpoint.
//
// Thread-safe. Shutdown() may be called once, from any thread but a gRPC one.
#ifndef ATTAIN_SERVICE_SERVER_H_
#define ATTAIN_SERVICE_SERVER_H_

#include <chrono>
#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server.h"
#include "prometheus/exposer.h"
#include "service/metrics.h"
#include "service/planner_service.h"
#include "service/scheduler.h"
#include "service/server_config.h"
#include "simulator/engine.h"

namespace attain {

// The health service name that is NOT_SERVING while the server drains.
inline constexpr char kReadinessService[] = "readiness";

class AttainServer {
 public:
  // Binds and starts serving. UNAVAILABLE when an address cannot be bound;
  // INVALID_ARGUMENT naming the flag when a TLS or token file is unusable.
  static absl::StatusOr<std::unique_ptr<AttainServer>> Start(const ServerConfig& config);
  ~AttainServer();  // Shutdown() with no grace if it was not called

  int grpc_port() const { return grpc_port_; }
  int health_port() const { return health_port_; }  // 0 without --health-listen
  int metrics_port() const { return metrics_port_; }  // 0 without a metrics endpoint
  Engine& engine() { return engine_; }
  Metrics& metrics() { return metrics_; }

  // Readiness turns NOT_SERVING (liveness stays SERVING) while the server goes on
  // serving every call: load balancers take it out of rotation before it closes (the
  // drain delay, see attaind --help).
  void BeginDrain();

  // BeginDrain(), then new simulations are refused (UNAVAILABLE) and the gRPC server
  // stops taking calls; in-flight calls get `grace` to finish and are then cancelled
  // (their simulations stop within a block). Returns when everything has stopped.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  AttainServer(const ServerConfig& config, std::unique_ptr<Peers> peers,
               std::unique_ptr<TokenAuth> auth);

  Metrics metrics_;
  std::unique_ptr<TokenAuth> auth_;  // with --auth-token-file
  Engine engine_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<Peers> peers_;  // with --peers
  std::unique_ptr<PlannerServiceImpl> service_;
  std::unique_ptr<PeerServiceImpl> peer_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::CallbackGenericService> health_only_;  // with --health-listen
  std::unique_ptr<grpc::Server> health_server_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int grpc_port_ = 0;
  int health_port_ = 0;
  int metrics_port_ = 0;
  bool shut_down_ = false;
};

}  // namespace attain

#endif  // ATTAIN_SERVICE_SERVER_H_
