#include "service/server_config.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "simulator/worker_pool.h"

namespace attain {
namespace {

// The largest memory budget and time settings: far beyond any machine or wait, and far
// from overflowing the byte and clock arithmetic they feed.
constexpr uint64_t kMaxBudgetMib = uint64_t{1} << 20;  // 1 TiB
constexpr uint64_t kMaxMessageMib = 2047;              // gRPC sizes are ints of bytes
constexpr int64_t kMaxSeconds = int64_t{366} * 24 * 3600;

template <class Int>
absl::Status ParseInt(const std::string& flag, const std::string& text, Int low, Int& out,
                      Int high = std::numeric_limits<Int>::max()) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < static_cast<int64_t>(low) ||
      static_cast<uint64_t>(value) > static_cast<uint64_t>(high)) {
    const std::string range = high == std::numeric_limits<Int>::max()
                                  ? absl::StrCat(">= ", low)
                                  : absl::StrCat("in [", low, ", ", high, "]");
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": expected a whole number ", range, ", got \"", text, "\""));
  }
  out = static_cast<Int>(value);
  return absl::OkStatus();
}

absl::Status ParseSeconds(const std::string& flag, const std::string& text, int64_t low,
                          std::chrono::seconds& out) {
  int64_t seconds = 0;
  absl::Status status = ParseInt(flag, text, low, seconds, kMaxSeconds);
  out = std::chrono::seconds(seconds);
  return status;
}

struct Flag {
  const char* name;
  const char* env;
  const char* help;
  std::function<absl::Status(const std::string& value, ServerConfig& config)> set;
  std::function<std::string(const ServerConfig&)> show;  // the default, for --help
};

// A file path: any value, empty for none.
Flag PathFlag(const char* name, const char* env, const char* help,
              std::string ServerConfig::*field) {
  return {name, env, help,
          [field](const std::string& v, ServerConfig& c) {
            c.*field = v;
            return absl::OkStatus();
          },
          [field](const ServerConfig& c) { return c.*field; }};
}

const std::vector<Flag>& Flags() {
  static const std::vector<Flag> flags = {
      {"listen", "ATTAIN_LISTEN", "gRPC listen address (host:port; port 0 picks one)",
       [](const std::string& v, ServerConfig& c) {
         c.listen_address = v;
         return absl::OkStatus();
       },
       [](const ServerConfig& c) { return c.listen_address; }},
      {"metrics-listen", "ATTAIN_METRICS_LISTEN",
       "Prometheus /metrics HTTP address (host:port); empty disables",
       [](const std::string& v, ServerConfig& c) {
         c.metrics_address = v;
         return absl::OkStatus();
       },
       [](const ServerConfig& c) { return c.metrics_address; }},
      PathFlag("health-listen", "ATTAIN_HEALTH_LISTEN",
               "plaintext address (host:port) serving the gRPC health service alone, for "
               "probes that cannot speak TLS (Kubernetes'); empty: none",
               &ServerConfig::health_address),
      {"worker-threads", "ATTAIN_WORKER_THREADS",
       "simulation worker threads; 0 = the CPUs this process may use (affinity and cgroup quota)",
       [](const std::string& v, ServerConfig& c) {
         return ParseInt("worker-threads", v, 0, c.worker_threads);
       },
       [](const ServerConfig& c) { return std::to_string(c.worker_threads); }},
      {"max-in-flight", "ATTAIN_MAX_IN_FLIGHT", "simulations running at once",
       [](const std::string& v, ServerConfig& c) {
         return ParseInt("max-in-flight", v, 1, c.max_in_flight);
       },
       [](const ServerConfig& c) { return std::to_string(c.max_in_flight); }},
      {"max-queue", "ATTAIN_MAX_QUEUE",
       "simulations waiting for a slot; beyond it requests get RESOURCE_EXHAUSTED",
       [](const std::string& v, ServerConfig& c) {
         return ParseInt("max-queue", v, 0, c.max_queue);
       },
       [](const ServerConfig& c) { return std::to_string(c.max_queue); }},
      {"max-paths", "ATTAIN_MAX_PATHS", "largest paths (and max_paths) of one request",
       [](const std::string& v, ServerConfig& c) {
         return ParseInt("max-paths", v, uint64_t{1}, c.max_paths);
       },
       [](const ServerConfig& c) { return std::to_string(c.max_paths); }},
      {"max-partners", "ATTAIN_MAX_PARTNERS", "largest number of partners in a portfolio",
       [](const std::string& v, ServerConfig& c) {
         return ParseInt("max-partners", v, uint64_t{1}, c.max_partners);
       },
       [](const ServerConfig& c) { return std::to_string(c.max_partners); }},
      {"max-periods", "ATTAIN_MAX_PERIODS", "largest number of periods (at most 60)",
       [](const std::string& v, ServerConfig& c) {
         absl::Status status = ParseInt("max-periods", v, 1, c.max_periods);
         if (status.ok() && c.max_periods > 60) {
           status = absl::InvalidArgumentError("--max-periods: the model allows at most 60");
         }
         return status;
       },
       [](const ServerConfig& c) { return std::to_string(c.max_periods); }},
      {"max-plans", "ATTAIN_MAX_PLANS", "largest number of plans in one comparison",
       [](const std::string& v, ServerConfig& c) {
         return ParseInt("max-plans", v, uint64_t{2}, c.max_plans);
       },
       [](const ServerConfig& c) { return std::to_string(c.max_plans); }},
      {"memory-budget-mib", "ATTAIN_MEMORY_BUDGET_MIB",
       "estimated memory one run may use, its request included, MiB; larger runs get "
       "RESOURCE_EXHAUSTED, and so do calls beyond max-in-flight times it reserved by the "
       "calls running and waiting",
       [](const std::string& v, ServerConfig& c) {
         return ParseInt("memory-budget-mib", v, uint64_t{1}, c.memory_budget_mib,
                         kMaxBudgetMib);
       },
       [](const ServerConfig& c) { return std::to_string(c.memory_budget_mib); }},
      {"max-message-mib", "ATTAIN_MAX_MESSAGE_MIB", "largest request message, MiB",
       [](const std::string& v, ServerConfig& c) {
         return ParseInt("max-message-mib", v, uint64_t{1}, c.max_message_mib, kMaxMessageMib);
       },
       [](const ServerConfig& c) { return std::to_string(c.max_message_mib); }},
      {"max-work", "ATTAIN_MAX_WORK",
       "largest partner-periods x paths one request may simulate (all its runs; a "
       "precision run counts max_paths); beyond it the request is refused",
       [](const std::string& v, ServerConfig& c) {
         if (!absl::SimpleAtod(v, &c.max_work) || !(c.max_work >= 1) || std::isinf(c.max_work)) {
           return absl::InvalidArgumentError(
               absl::StrCat("--max-work: expected a number >= 1, got \"", v, "\""));
         }
         return absl::OkStatus();
       },
       [](const ServerConfig& c) { return absl::StrCat(c.max_work); }},
      {"max-run-time", "ATTAIN_MAX_RUN_TIME",
       "seconds a call may take from its arrival; applies to calls with no deadline or a "
       "later one (DEADLINE_EXCEEDED)",
       [](const std::string& v, ServerConfig& c) {
         return ParseSeconds("max-run-time", v, 1, c.max_run_time);
       },
       [](const ServerConfig& c) { return std::to_string(c.max_run_time.count()); }},
      {"drain-delay", "ATTAIN_DRAIN_DELAY",
       "seconds after SIGTERM/SIGINT during which the server keeps serving with readiness "
       "NOT_SERVING, so that load balancers stop sending before it closes; a second signal "
       "ends the delay",
       [](const std::string& v, ServerConfig& c) {
         return ParseSeconds("drain-delay", v, 0, c.drain_delay);
       },
       [](const ServerConfig& c) { return std::to_string(c.drain_delay.count()); }},
      {"grace-period", "ATTAIN_GRACE_PERIOD",
       "seconds in-flight calls get to finish once the server closes",
       [](const std::string& v, ServerConfig& c) {
         return ParseSeconds("grace-period", v, 0, c.grace_period);
       },
       [](const ServerConfig& c) { return std::to_string(c.grace_period.count()); }},
      {"peers", "ATTAIN_PEERS",
       "other replicas that simulate ranges of this one's large runs (and ask it to): "
       "dns:///name:port (a headless Service; gRPC round_robin over its addresses) or "
       "host:port,host:port; empty: every run is simulated here",
       [](const std::string& v, ServerConfig& c) {
         c.peers = v;
         return absl::OkStatus();
       },
       [](const ServerConfig& c) { return c.peers; }},
      {"peer-ranges", "ATTAIN_PEER_RANGES",
       "ranges of blocks, or team members' searches, one run has out at once with a "
       "dns:/// --peers (a list: one per peer)",
       [](const std::string& v, ServerConfig& c) {
         return ParseInt("peer-ranges", v, 1, c.peer_ranges);
       },
       [](const ServerConfig& c) { return std::to_string(c.peer_ranges); }},
      {"peer-timeout", "ATTAIN_PEER_TIMEOUT",
       "seconds a peer has for a range (4 blocks of 1,024 paths) or a member's search before "
       "it is run here",
       [](const std::string& v, ServerConfig& c) {
         return ParseSeconds("peer-timeout", v, 1, c.peer_timeout);
       },
       [](const ServerConfig& c) { return std::to_string(c.peer_timeout.count()); }},
      {"scale-out-min-work", "ATTAIN_SCALE_OUT_MIN_WORK",
       "smallest run (partner-periods x paths) spread over the peers",
       [](const std::string& v, ServerConfig& c) {
         if (!absl::SimpleAtod(v, &c.scale_out_min_work) || !(c.scale_out_min_work >= 0) ||
             std::isinf(c.scale_out_min_work)) {
           return absl::InvalidArgumentError(
               absl::StrCat("--scale-out-min-work: expected a number >= 0, got \"", v, "\""));
         }
         return absl::OkStatus();
       },
       [](const ServerConfig& c) { return absl::StrCat(c.scale_out_min_work); }},
      {"log-level", "ATTAIN_LOG_LEVEL", "debug, info, warn or error",
       [](const std::string& v, ServerConfig& c) {
         const std::optional<LogLevel> level = ParseLogLevel(v);
         if (!level) {
           return absl::InvalidArgumentError(
               absl::StrCat("--log-level: expected debug, info, warn or error, got \"", v, "\""));
         }
         c.log_level = *level;
         return absl::OkStatus();
       },
       [](const ServerConfig&) { return std::string("info"); }},
      PathFlag("tls-cert-file", "ATTAIN_TLS_CERT_FILE",
               "PEM certificate chain; with --tls-key-file, gRPC is served over TLS only "
               "(both files are reread when they change)",
               &ServerConfig::tls_cert_file),
      PathFlag("tls-key-file", "ATTAIN_TLS_KEY_FILE", "PEM private key of --tls-cert-file",
               &ServerConfig::tls_key_file),
      PathFlag("tls-client-ca-file", "ATTAIN_TLS_CLIENT_CA_FILE",
               "PEM CA certificates; when set, every client must present a certificate "
               "they signed (mTLS)",
               &ServerConfig::tls_client_ca_file),
      PathFlag("auth-token-file", "ATTAIN_AUTH_TOKEN_FILE",
               "bearer tokens, one \"NAME TOKEN\" per line (reread when it changes); when "
               "set, every call but health checks needs \"authorization: Bearer TOKEN\"",
               &ServerConfig::auth_token_file),
      PathFlag("peer-token-file", "ATTAIN_PEER_TOKEN_FILE",
               "a file holding the bearer token this replica sends its --peers (reread for "
               "every call to them)",
               &ServerConfig::peer_token_file),
      PathFlag("peer-tls-ca-file", "ATTAIN_PEER_TLS_CA_FILE",
               "PEM CA certificates the --peers' server certificates are checked against, "
               "with TLS; empty: --tls-client-ca-file",
               &ServerConfig::peer_tls_ca_file),
      {"reflection", "ATTAIN_REFLECTION",
       "serve gRPC reflection (true or false): the API's schema, for tools such as grpcurl",
       [](const std::string& v, ServerConfig& c) {
         if (v != "true" && v != "false") {
           return absl::InvalidArgumentError(
               absl::StrCat("--reflection: expected true or false, got \"", v.substr(0, 100),
                            "\""));
         }
         c.reflection = v == "true";
         return absl::OkStatus();
       },
       [](const ServerConfig& c) { return std::string(c.reflection ? "true" : "false"); }},
  };
  return flags;
}

const Flag* FindFlag(const std::string& name) {
  for (const Flag& flag : Flags()) {
    if (name == flag.name) return &flag;
  }
  return nullptr;
}

}  // namespace

EngineOptions ServerConfig::ToEngineOptions() const {
  EngineOptions options;
  options.threads = worker_threads > 0 ? worker_threads : UsableCpus();
  options.memory_budget_bytes = static_cast<size_t>(memory_budget_mib) << 20;
  options.limits.max_paths = max_paths;
  options.limits.max_partners = static_cast<size_t>(max_partners);
  options.limits.max_periods = max_periods;
  options.limits.max_plans = static_cast<size_t>(max_plans);
  return options;
}

ServiceLimits ServerConfig::ToServiceLimits() const { return {max_work, max_run_time}; }

absl::StatusOr<ServerConfig> ParseServerConfig(
    const std::vector<std::string>& args,
    const std::function<const char*(const char*)>& getenv, bool& wants_help) {
  ServerConfig config;
  wants_help = std::any_of(args.begin(), args.end(),
                           [](const std::string& arg) { return arg == "--help" || arg == "-h"; });
  if (wants_help) return config;
  for (const Flag& flag : Flags()) {
    if (const char* value = getenv(flag.env); value != nullptr) {
      if (absl::Status status = flag.set(value, config); !status.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag.env, " (environment): ", status.message()));
      }
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument \"", arg, "\""));
    }
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const Flag* flag = FindFlag(name);
    if (flag == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name, " (see --help)"));
    }
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    }
    if (absl::Status status = flag->set(value, config); !status.ok()) return status;
  }
  return config;
}

std::string ServerConfigHelp() {
  std::string help =
      "attaind: the Attain planning service (gRPC attain.v1.PlannerService).\n\n"
      "Usage: attaind [--flag=value ...]\n\nFlags (environment variable, default):\n";
  const ServerConfig defaults;
  for (const Flag& flag : Flags()) {
    absl::StrAppend(&help, "  --", flag.name, "\n      ", flag.help, "\n      (", flag.env,
                    ", default \"", flag.show(defaults), "\")\n");
  }
  absl::StrAppend(&help,
                  "\nSIGTERM or SIGINT drains: the health service's \"readiness\" turns "
                  "NOT_SERVING while the server\nkeeps serving for the drain delay; then new "
                  "calls are refused, in-flight calls get the\ngrace period, and the process "
                  "exits 0.\n");
  return help;
}

int UsableCpus() {
  int cpus = WorkerPool::AvailableCpus();
  std::ifstream cpu_max("/sys/fs/cgroup/cpu.max");
  std::string quota;
  std::string period;
  if (cpu_max >> quota >> period && quota != "max") {
    double q = 0;
    double p = 0;
    if (absl::SimpleAtod(quota, &q) && absl::SimpleAtod(period, &p) && p > 0) {
      cpus = std::min(cpus, std::max(1, static_cast<int>(std::ceil(q / p))));
    }
  }
  return cpus;
}

}  // namespace attain
