#include "service/server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server_builder.h"
#include "service/log.h"
#include "service/tls.h"

namespace attain {
namespace {

// Takes reflection out of a server: loading gRPC's reflection library registers it with
// every server a process builds.
class WithoutReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments* /*arguments*/) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    std::erase_if(*plugins, [](const std::unique_ptr<grpc::ServerBuilderPlugin>& plugin) {
      return plugin->name() == "proto_server_reflection";
    });
  }
};

// The health port's answer to every method but health's. (A server needs a service of
// its own besides the default health service for gRPC to poll it.)
class HealthOnly final : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* /*context*/) override {
    class Refusal final : public grpc::ServerGenericBidiReactor {
     public:
      Refusal() {
        Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                            "this port serves the health service only"));
      }
      void OnDone() override { delete this; }
    };
    return new Refusal;
  }
};

void SetReadiness(grpc::Server& server, bool serving) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  health->SetServingStatus(kReadinessService, serving);
  health->SetServingStatus(v1::PlannerService::service_full_name(), serving);
}

}  // namespace

AttainServer::AttainServer(const ServerConfig& config, std::unique_ptr<Peers> peers,
                           std::unique_ptr<TokenAuth> auth)
    : auth_(std::move(auth)), engine_(config.ToEngineOptions()), peers_(std::move(peers)) {
  scheduler_ = std::make_unique<Scheduler>(
      Scheduler::Options{config.max_in_flight, config.max_queue,
                         static_cast<size_t>(config.max_in_flight) *
                             (static_cast<size_t>(config.memory_budget_mib) << 20)},
      metrics_);
  service_ = std::make_unique<PlannerServiceImpl>(
      engine_, *scheduler_, metrics_, config.ToServiceLimits(),
      ScaleOut{peers_.get(), config.scale_out_min_work}, auth_.get());
  peer_service_ = std::make_unique<PeerServiceImpl>(engine_, *scheduler_, metrics_,
                                                    config.ToServiceLimits(), auth_.get());
}

absl::StatusOr<std::unique_ptr<AttainServer>> AttainServer::Start(const ServerConfig& config) {
  SetLogLevel(config.log_level);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFor(config);
  if (!credentials.ok()) return credentials.status();
  std::unique_ptr<TokenAuth> auth;
  if (!config.auth_token_file.empty()) {
    absl::StatusOr<std::unique_ptr<TokenAuth>> loaded = TokenAuth::Load(config.auth_token_file);
    if (!loaded.ok()) return loaded.status();
    auth = *std::move(loaded);
  }
  std::unique_ptr<Peers> peers;
  if (!config.peers.empty()) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> peer_credentials =
        PeerCredentialsFor(config);
    if (!peer_credentials.ok()) return peer_credentials.status();
    absl::StatusOr<std::unique_ptr<Peers>> created =
        Peers::Create({config.peers, config.peer_ranges, config.peer_timeout,
                       *std::move(peer_credentials), config.peer_token_file});
    if (!created.ok()) return created.status();
    peers = *std::move(created);
  }
  std::unique_ptr<AttainServer> server(
      new AttainServer(config, std::move(peers), std::move(auth)));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  if (!config.reflection) builder.SetOption(std::make_unique<WithoutReflection>());
  builder.AddListeningPort(config.listen_address, *credentials, &server->grpc_port_);
  builder.RegisterService(server->service_.get());
  builder.RegisterService(server->peer_service_.get());
  builder.SetMaxReceiveMessageSize(static_cast<int>(config.max_message_mib << 20));
  // Connections are recycled every few minutes so that clients re-resolve and spread
  // over replicas; keepalive pings find dead peers behind load balancers.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 5 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->grpc_port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for gRPC on ", config.listen_address));
  }
  server->server_->GetHealthCheckService()->SetServingStatus("", true);
  SetReadiness(*server->server_, true);

  if (!config.health_address.empty()) {
    // Plaintext and health alone: what Kubernetes' gRPC probes can reach on a TLS server.
    grpc::ServerBuilder health;
    health.SetOption(std::make_unique<WithoutReflection>());
    health.AddListeningPort(config.health_address, grpc::InsecureServerCredentials(),
                            &server->health_port_);
    server->health_only_ = std::make_unique<HealthOnly>();
    health.RegisterCallbackGenericService(server->health_only_.get());
    server->health_server_ = health.BuildAndStart();
    if (server->health_server_ == nullptr || server->health_port_ == 0) {
      server->Shutdown(std::chrono::milliseconds(0));
      return absl::UnavailableError(
          absl::StrCat("cannot listen for health checks on ", config.health_address));
    }
    server->health_server_->GetHealthCheckService()->SetServingStatus("", true);
    SetReadiness(*server->health_server_, true);
  }

  if (!config.metrics_address.empty()) {
    try {
      server->exposer_ = std::make_unique<prometheus::Exposer>(config.metrics_address);
    } catch (const std::exception& error) {  // civetweb reports bind failures by throwing
      server->Shutdown(std::chrono::milliseconds(0));
      return absl::UnavailableError(absl::StrCat("cannot serve metrics on ",
                                                 config.metrics_address, ": ", error.what()));
    }
    server->exposer_->RegisterCollectable(server->metrics_.registry());
    server->metrics_port_ = server->exposer_->GetListeningPorts().front();
  }
  Log(LogLevel::kInfo,
      absl::StrCat("attaind listening grpc_port=", server->grpc_port_,
                   " health_port=", server->health_port_,
                   " metrics_port=", server->metrics_port_,
                   " worker_threads=", server->engine_.threads(),
                   " max_in_flight=", config.max_in_flight, " max_queue=", config.max_queue,
                   " peers=", config.peers.empty() ? "none" : config.peers.substr(0, 200),
                   " tls=", config.tls_cert_file.empty()          ? "off"
                            : config.tls_client_ca_file.empty()   ? "on"
                                                                  : "mutual",
                   " tokens=", server->auth_ != nullptr ? "required" : "off",
                   " reflection=", config.reflection ? "on" : "off"));
  return server;
}

AttainServer::~AttainServer() {
  if (!shut_down_) Shutdown(std::chrono::milliseconds(0));
}

void AttainServer::BeginDrain() {
  if (server_ != nullptr) SetReadiness(*server_, false);
  if (health_server_ != nullptr) SetReadiness(*health_server_, false);
}

void AttainServer::Shutdown(std::chrono::milliseconds grace) {
  if (shut_down_) return;
  shut_down_ = true;
  BeginDrain();
  scheduler_->StopAccepting();
  // Refuses new calls at once; cancels what is still running when the grace ends.
  if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now() + grace);
  scheduler_.reset();  // waits for admitted simulations (cancelled ones stop within a block)
  if (server_ != nullptr) server_->Wait();
  if (health_server_ != nullptr) {
    health_server_->Shutdown(std::chrono::system_clock::now());
    health_server_->Wait();
  }
  exposer_.reset();
}

}  // namespace attain
