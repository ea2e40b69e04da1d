// attaind's configuration: command-line flags, each with an environment-variable
// equivalent (the flag wins). Defaults are documented in --help and README.md.
#ifndef ATTAIN_SERVICE_SERVER_CONFIG_H_
#define ATTAIN_SERVICE_SERVER_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/log.h"
#include "service/planner_service.h"
#include "simulator/engine.h"

namespace attain {

struct ServerConfig {
  std::string listen_address = "0.0.0.0:50051";
  std::string metrics_address = "0.0.0.0:9464";  // empty: no metrics endpoint
  std::string health_address;  // plaintext, the health service alone; empty: none
  int worker_threads = 0;                         // 0: the CPUs this process may use
  int max_in_flight = 4;
  int max_queue = 16;
  uint64_t max_paths = 10'000'000;
  uint64_t max_partners = 10'000;
  int max_periods = 60;
  uint64_t max_plans = 16;
  uint64_t memory_budget_mib = 512;  // per run
  uint64_t max_message_mib = 64;     // largest request accepted
  // Partner-periods x paths of one request: 5e10 is about ten minutes of two cores.
  double max_work = 5e10;
  std::chrono::seconds max_run_time{300};  // per call, from its arrival
  std::chrono::seconds drain_delay{5};     // serving while NOT_SERVING, after SIGTERM
  std::chrono::seconds grace_period{30};   // for in-flight calls once closed
  LogLevel log_level = LogLevel::kInfo;
  // Scale-out (peers.h): the other replicas, empty for none; ranges one run has out at a
  // dns:/// target; a range's timeout; the smallest run spread over them.
  std::string peers;
  int peer_ranges = 4;
  std::chrono::seconds peer_timeout{30};
  double scale_out_min_work = 1e9;
  // Security (README "Security"). TLS with a PEM certificate chain and key (both or
  // neither; reloaded when they change), mTLS with a CA of client certificates; bearer
  // tokens (auth.h); the token this replica sends its peers, and the CA its peers'
  // certificates are checked against (default: the client CA). Empty: off.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  std::string auth_token_file;
  std::string peer_token_file;
  std::string peer_tls_ca_file;
  // gRPC server reflection: lists the API's services and messages to tools (grpcurl).
  bool reflection = false;

  EngineOptions ToEngineOptions() const;
  ServiceLimits ToServiceLimits() const;
};

// Parses flags (--name=value or --name value) over environment variables over defaults.
// `getenv` is injectable for tests. Returns INVALID_ARGUMENT naming the flag on error;
// NOT_FOUND-free: --help is reported through `wants_help`.
absl::StatusOr<ServerConfig> ParseServerConfig(
    const std::vector<std::string>& args,
    const std::function<const char*(const char*)>& getenv, bool& wants_help);

// The --help text: every flag, its environment variable and default.
std::string ServerConfigHelp();

// The CPUs this process may use: its affinity mask, further limited by a cgroup v2 CPU
// quota (/sys/fs/cgroup/cpu.max), at least 1.
int UsableCpus();

}  // namespace attain

#endif  // ATTAIN_SERVICE_SERVER_CONFIG_H_
