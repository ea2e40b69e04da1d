// Tests of service/server_config.h: flags in both forms, environment variables (through
// the injectable getenv), precedence, defaults, every flag's validation, --help, the
// mapping to engine options and service limits, and the usable CPU count.
#include "service/server_config.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

using Env = std::map<std::string, std::string>;

// A getenv over `env` (which must outlive the returned function).
std::function<const char*(const char*)> GetenvOf(const Env& env) {
  return [&env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
}

absl::StatusOr<ServerConfig> Parse(const std::vector<std::string>& args, const Env& env = {}) {
  bool wants_help = true;  // must be cleared when there is no --help
  absl::StatusOr<ServerConfig> config = ParseServerConfig(args, GetenvOf(env), wants_help);
  EXPECT_FALSE(wants_help);
  return config;
}

// Every field, so that a test can check that one flag changed one field and no other.
std::string Describe(const ServerConfig& c) {
  return absl::StrCat(
      "listen=", c.listen_address, " metrics=", c.metrics_address,
      " health=", c.health_address, " threads=", c.worker_threads,
      " in_flight=", c.max_in_flight, " queue=", c.max_queue, " paths=", c.max_paths,
      " partners=", c.max_partners, " periods=", c.max_periods, " plans=", c.max_plans,
      " memory=", c.memory_budget_mib, " message=", c.max_message_mib, " work=", c.max_work,
      " run_time=", c.max_run_time.count(), " drain=", c.drain_delay.count(),
      " grace=", c.grace_period.count(), " log=", static_cast<int>(c.log_level),
      " peers=", c.peers, " peer_ranges=", c.peer_ranges, " peer_timeout=", c.peer_timeout.count(),
      " scale_out_min_work=", c.scale_out_min_work, " tls_cert=", c.tls_cert_file,
      " tls_key=", c.tls_key_file, " tls_client_ca=", c.tls_client_ca_file,
      " tokens=", c.auth_token_file, " peer_token=", c.peer_token_file,
      " peer_ca=", c.peer_tls_ca_file, " reflection=", c.reflection);
}

// One flag: its name and environment variable (README.md's table), a valid value other
// than the default, a second one, and what they set.
struct FlagCase {
  std::string name;
  std::string env;
  std::string value;
  std::string other;
  std::function<void(ServerConfig&, const std::string&)> expect;  // sets the field
};

std::vector<FlagCase> FlagCases() {
  const auto seconds = [](const std::string& v) {
    int64_t s = 0;
    EXPECT_TRUE(absl::SimpleAtoi(v, &s));
    return std::chrono::seconds(s);
  };
  const auto number = [](const std::string& v) {
    uint64_t n = 0;
    EXPECT_TRUE(absl::SimpleAtoi(v, &n));
    return n;
  };
  return {
      {"listen", "ATTAIN_LISTEN", "127.0.0.1:7000", "[::1]:0",
       [](ServerConfig& c, const std::string& v) { c.listen_address = v; }},
      {"metrics-listen", "ATTAIN_METRICS_LISTEN", "127.0.0.1:9000", "",
       [](ServerConfig& c, const std::string& v) { c.metrics_address = v; }},
      {"health-listen", "ATTAIN_HEALTH_LISTEN", "0.0.0.0:50052", "127.0.0.1:0",
       [](ServerConfig& c, const std::string& v) { c.health_address = v; }},
      {"worker-threads", "ATTAIN_WORKER_THREADS", "3", "0",
       [=](ServerConfig& c, const std::string& v) {
         c.worker_threads = static_cast<int>(number(v));
       }},
      {"max-in-flight", "ATTAIN_MAX_IN_FLIGHT", "7", "1",
       [=](ServerConfig& c, const std::string& v) {
         c.max_in_flight = static_cast<int>(number(v));
       }},
      {"max-queue", "ATTAIN_MAX_QUEUE", "0", "100",
       [=](ServerConfig& c, const std::string& v) { c.max_queue = static_cast<int>(number(v)); }},
      {"max-paths", "ATTAIN_MAX_PATHS", "1000", "1",
       [=](ServerConfig& c, const std::string& v) { c.max_paths = number(v); }},
      {"max-partners", "ATTAIN_MAX_PARTNERS", "50", "1",
       [=](ServerConfig& c, const std::string& v) { c.max_partners = number(v); }},
      {"max-periods", "ATTAIN_MAX_PERIODS", "12", "1",
       [=](ServerConfig& c, const std::string& v) { c.max_periods = static_cast<int>(number(v)); }},
      {"max-plans", "ATTAIN_MAX_PLANS", "2", "40",
       [=](ServerConfig& c, const std::string& v) { c.max_plans = number(v); }},
      {"memory-budget-mib", "ATTAIN_MEMORY_BUDGET_MIB", "1024", "1",
       [=](ServerConfig& c, const std::string& v) { c.memory_budget_mib = number(v); }},
      {"max-message-mib", "ATTAIN_MAX_MESSAGE_MIB", "8", "1",
       [=](ServerConfig& c, const std::string& v) { c.max_message_mib = number(v); }},
      {"max-work", "ATTAIN_MAX_WORK", "2.5e9", "1",
       [](ServerConfig& c, const std::string& v) {
         EXPECT_TRUE(absl::SimpleAtod(v, &c.max_work));
       }},
      {"max-run-time", "ATTAIN_MAX_RUN_TIME", "60", "1",
       [=](ServerConfig& c, const std::string& v) { c.max_run_time = seconds(v); }},
      {"drain-delay", "ATTAIN_DRAIN_DELAY", "0", "12",
       [=](ServerConfig& c, const std::string& v) { c.drain_delay = seconds(v); }},
      {"grace-period", "ATTAIN_GRACE_PERIOD", "0", "90",
       [=](ServerConfig& c, const std::string& v) { c.grace_period = seconds(v); }},
      {"log-level", "ATTAIN_LOG_LEVEL", "debug", "error",
       [](ServerConfig& c, const std::string& v) {
         c.log_level = v == "debug" ? LogLevel::kDebug : LogLevel::kError;
       }},
      {"peers", "ATTAIN_PEERS", "dns:///attain-headless:50051", "10.0.0.2:50051,10.0.0.3:50051",
       [](ServerConfig& c, const std::string& v) { c.peers = v; }},
      {"peer-ranges", "ATTAIN_PEER_RANGES", "8", "1",
       [=](ServerConfig& c, const std::string& v) { c.peer_ranges = static_cast<int>(number(v)); }},
      {"peer-timeout", "ATTAIN_PEER_TIMEOUT", "5", "120",
       [=](ServerConfig& c, const std::string& v) { c.peer_timeout = seconds(v); }},
      {"scale-out-min-work", "ATTAIN_SCALE_OUT_MIN_WORK", "0", "5e10",
       [](ServerConfig& c, const std::string& v) {
         EXPECT_TRUE(absl::SimpleAtod(v, &c.scale_out_min_work));
       }},
      {"tls-cert-file", "ATTAIN_TLS_CERT_FILE", "/tls/tls.crt", "cert.pem",
       [](ServerConfig& c, const std::string& v) { c.tls_cert_file = v; }},
      {"tls-key-file", "ATTAIN_TLS_KEY_FILE", "/tls/tls.key", "key.pem",
       [](ServerConfig& c, const std::string& v) { c.tls_key_file = v; }},
      {"tls-client-ca-file", "ATTAIN_TLS_CLIENT_CA_FILE", "/tls/ca.crt", "ca.pem",
       [](ServerConfig& c, const std::string& v) { c.tls_client_ca_file = v; }},
      {"auth-token-file", "ATTAIN_AUTH_TOKEN_FILE", "/auth/tokens", "tokens.txt",
       [](ServerConfig& c, const std::string& v) { c.auth_token_file = v; }},
      {"peer-token-file", "ATTAIN_PEER_TOKEN_FILE", "/auth/peer", "peer.txt",
       [](ServerConfig& c, const std::string& v) { c.peer_token_file = v; }},
      {"peer-tls-ca-file", "ATTAIN_PEER_TLS_CA_FILE", "/tls/peer-ca.crt", "peer-ca.pem",
       [](ServerConfig& c, const std::string& v) { c.peer_tls_ca_file = v; }},
      {"reflection", "ATTAIN_REFLECTION", "true", "false",
       [](ServerConfig& c, const std::string& v) { c.reflection = v == "true"; }},
  };
}

// `config` equals the defaults with `flag` set to `value`.
void ExpectOnlyFlagSet(const absl::StatusOr<ServerConfig>& config, const FlagCase& flag,
                       const std::string& value) {
  ASSERT_TRUE(config.ok()) << flag.name << "=" << value << ": " << config.status();
  ServerConfig expected;
  flag.expect(expected, value);
  EXPECT_EQ(Describe(*config), Describe(expected)) << flag.name << "=" << value;
}

// The status is INVALID_ARGUMENT and its message names `what`.
void ExpectRefusedNaming(const absl::StatusOr<ServerConfig>& config, const std::string& what,
                         const std::string& input) {
  ASSERT_FALSE(config.ok()) << input << " was accepted";
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << input;
  EXPECT_NE(config.status().message().find(what), std::string::npos)
      << input << ": \"" << config.status().message() << "\" does not name " << what;
}

TEST(ServerConfigTest, WithoutFlagsOrEnvironmentTheDefaultsAreTheDocumentedOnes) {
  const absl::StatusOr<ServerConfig> config = Parse({});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address, "0.0.0.0:50051");
  EXPECT_EQ(config->metrics_address, "0.0.0.0:9464");
  EXPECT_EQ(config->worker_threads, 0);
  EXPECT_EQ(config->max_in_flight, 4);
  EXPECT_EQ(config->max_queue, 16);
  EXPECT_EQ(config->max_paths, 10'000'000u);
  EXPECT_EQ(config->max_partners, 10'000u);
  EXPECT_EQ(config->max_periods, 60);
  EXPECT_EQ(config->max_plans, 16u);
  EXPECT_EQ(config->memory_budget_mib, 512u);
  EXPECT_EQ(config->max_message_mib, 64u);
  EXPECT_EQ(config->max_work, 5e10);
  EXPECT_EQ(config->max_run_time, std::chrono::seconds(300));
  EXPECT_EQ(config->drain_delay, std::chrono::seconds(5));
  EXPECT_EQ(config->grace_period, std::chrono::seconds(30));
  EXPECT_EQ(config->log_level, LogLevel::kInfo);
}

TEST(ServerConfigTest, EveryFlagTakesNameEqualsValue) {
  for (const FlagCase& flag : FlagCases()) {
    for (const std::string& value : {flag.value, flag.other}) {
      ExpectOnlyFlagSet(Parse({absl::StrCat("--", flag.name, "=", value)}), flag, value);
    }
  }
}

TEST(ServerConfigTest, EveryFlagTakesNameSpaceValue) {
  for (const FlagCase& flag : FlagCases()) {
    for (const std::string& value : {flag.value, flag.other}) {
      ExpectOnlyFlagSet(Parse({"--" + flag.name, value}), flag, value);
    }
  }
}

TEST(ServerConfigTest, AValueMayContainEqualsSigns) {
  const absl::StatusOr<ServerConfig> config = Parse({"--listen=unix:///tmp/a=b"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address, "unix:///tmp/a=b");
}

TEST(ServerConfigTest, EveryFlagHasAnEnvironmentVariable) {
  for (const FlagCase& flag : FlagCases()) {
    for (const std::string& value : {flag.value, flag.other}) {
      ExpectOnlyFlagSet(Parse({}, {{flag.env, value}}), flag, value);
    }
  }
}

TEST(ServerConfigTest, TheFlagWinsOverItsEnvironmentVariable) {
  for (const FlagCase& flag : FlagCases()) {
    ExpectOnlyFlagSet(
        Parse({absl::StrCat("--", flag.name, "=", flag.value)}, {{flag.env, flag.other}}), flag,
        flag.value);
    ExpectOnlyFlagSet(Parse({"--" + flag.name, flag.other}, {{flag.env, flag.value}}), flag,
                      flag.other);
  }
}

TEST(ServerConfigTest, EnvironmentAndFlagsCombine) {
  const absl::StatusOr<ServerConfig> config =
      Parse({"--max-in-flight=2", "--log-level", "warn"},
            {{"ATTAIN_MAX_QUEUE", "3"}, {"ATTAIN_LISTEN", "127.0.0.1:1"}, {"UNRELATED", "x"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->max_in_flight, 2);
  EXPECT_EQ(config->log_level, LogLevel::kWarning);
  EXPECT_EQ(config->max_queue, 3);
  EXPECT_EQ(config->listen_address, "127.0.0.1:1");
  EXPECT_EQ(config->max_paths, ServerConfig{}.max_paths);
}

TEST(ServerConfigTest, AnEmptyMetricsAddressDisablesMetrics) {
  const absl::StatusOr<ServerConfig> from_flag = Parse({"--metrics-listen="});
  ASSERT_TRUE(from_flag.ok()) << from_flag.status();
  EXPECT_EQ(from_flag->metrics_address, "");
  const absl::StatusOr<ServerConfig> from_env = Parse({}, {{"ATTAIN_METRICS_LISTEN", ""}});
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_EQ(from_env->metrics_address, "");
}

TEST(ServerConfigTest, EveryBadValueIsRefusedNamingItsFlag) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> bad = {
      // Not numbers, fractions, trailing junk, empty; below the minimum; beyond the type.
      {"worker-threads", {"many", "1.5", "", "-1", "3000000000"}},
      {"max-in-flight", {"x", "0", "-2", "2.0", "3000000000"}},
      {"max-queue", {"abc", "-1", "16k", "3000000000"}},
      {"max-paths", {"ten", "0", "-5", "1e6", "99999999999999999999"}},
      {"max-partners", {"", "0", "1,000"}},
      {"max-periods", {"sixty", "0", "-60", "61", "1000"}},
      {"max-plans", {"two", "0", "1"}},
      {"memory-budget-mib", {"lots", "0", "512MiB"}},
      {"max-message-mib", {"big", "0", "-64"}},
      {"max-run-time", {"5m", "0", "-1", "1.5"}},
      {"drain-delay", {"soon", "-1", "0.5"}},
      {"grace-period", {"later", "-30"}},
      {"max-work", {"abc", "0", "0.5", "-1", "", "inf", "nan", "1e400", "5e10x"}},
      {"log-level", {"verbose", "", "trace", "warning"}},
  };
  for (const auto& [flag, values] : bad) {
    for (const std::string& value : values) {
      const std::string arg = absl::StrCat("--", flag, "=", value);
      ExpectRefusedNaming(Parse({arg}), "--" + flag, arg);
      ExpectRefusedNaming(Parse({"--" + flag, value}), "--" + flag, arg);
    }
  }
}

TEST(ServerConfigTest, MaxPeriodsOverSixtyIsRefusedAsBeyondTheModel) {
  const std::vector<FlagCase> flags = FlagCases();
  const auto max_periods = std::find_if(flags.begin(), flags.end(),
                                        [](const FlagCase& f) { return f.name == "max-periods"; });
  ASSERT_NE(max_periods, flags.end());
  ExpectOnlyFlagSet(Parse({"--max-periods=60"}), *max_periods, "60");
  const absl::StatusOr<ServerConfig> config = Parse({"--max-periods=61"});
  ExpectRefusedNaming(config, "--max-periods", "--max-periods=61");
  EXPECT_NE(config.status().message().find("60"), std::string::npos) << config.status();
}

TEST(ServerConfigTest, MaxWorkTakesAnyNumberFromOne) {
  for (const auto& [text, value] : std::vector<std::pair<std::string, double>>{
           {"1", 1}, {"1.5", 1.5}, {"5e10", 5e10}, {"1e300", 1e300}, {"123456789", 123456789}}) {
    const absl::StatusOr<ServerConfig> config = Parse({"--max-work=" + text});
    ASSERT_TRUE(config.ok()) << text << ": " << config.status();
    EXPECT_EQ(config->max_work, value) << text;
  }
}

TEST(ServerConfigTest, EveryLogLevelIsAccepted) {
  for (const auto& [name, level] :
       std::vector<std::pair<std::string, LogLevel>>{{"debug", LogLevel::kDebug},
                                                     {"info", LogLevel::kInfo},
                                                     {"warn", LogLevel::kWarning},
                                                     {"error", LogLevel::kError}}) {
    const absl::StatusOr<ServerConfig> config = Parse({"--log-level", name});
    ASSERT_TRUE(config.ok()) << name << ": " << config.status();
    EXPECT_EQ(config->log_level, level) << name;
  }
}

TEST(ServerConfigTest, ABadEnvironmentVariableIsRefusedNamingItAndItsFlag) {
  for (const auto& [env, flag, value] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"ATTAIN_MAX_QUEUE", "--max-queue", "lots"},
           {"ATTAIN_MAX_PERIODS", "--max-periods", "61"},
           {"ATTAIN_MAX_WORK", "--max-work", "0"},
           {"ATTAIN_LOG_LEVEL", "--log-level", "loud"},
           {"ATTAIN_GRACE_PERIOD", "--grace-period", "-1"}}) {
    const absl::StatusOr<ServerConfig> config = Parse({}, {{env, value}});
    ExpectRefusedNaming(config, env, env + "=" + value);
    ExpectRefusedNaming(config, flag, env + "=" + value);
  }
}

TEST(ServerConfigTest, AnUnknownFlagIsRefusedNamingIt) {
  ExpectRefusedNaming(Parse({"--max-queues=3"}), "--max-queues", "--max-queues=3");
  ExpectRefusedNaming(Parse({"--port", "50051"}), "--port", "--port 50051");
  // Unknown even without a value: not "needs a value".
  const absl::StatusOr<ServerConfig> last = Parse({"--max-queue=3", "--verbose"});
  ExpectRefusedNaming(last, "--verbose", "--verbose");
  EXPECT_EQ(last.status().message().find("needs a value"), std::string::npos) << last.status();
  // Environment variables of unknown flags are simply not read.
  EXPECT_TRUE(Parse({}, {{"ATTAIN_PORT", "1"}}).ok());
}

TEST(ServerConfigTest, AFlagWithoutAValueIsRefusedNamingIt) {
  for (const FlagCase& flag : FlagCases()) {
    const absl::StatusOr<ServerConfig> config = Parse({"--" + flag.name});
    ExpectRefusedNaming(config, "--" + flag.name, "--" + flag.name);
    EXPECT_NE(config.status().message().find("value"), std::string::npos) << config.status();
  }
  // Also after other flags.
  ExpectRefusedNaming(Parse({"--max-queue=3", "--listen"}), "--listen", "--max-queue=3 --listen");
}

TEST(ServerConfigTest, AFlagNeverTakesTheNextFlagAsItsValue) {
  const absl::StatusOr<ServerConfig> config = Parse({"--listen", "--max-queue=3"});
  ExpectRefusedNaming(config, "--listen needs a value", "--listen --max-queue=3");
}

TEST(ServerConfigTest, HelpIsShownEvenWhenTheEnvironmentOrAFlagIsBad) {
  bool wants_help = false;
  const Env env = {{"ATTAIN_MAX_QUEUE", "lots"}};
  const absl::StatusOr<ServerConfig> config =
      ParseServerConfig({"--max-periods=99", "--help"}, GetenvOf(env), wants_help);
  EXPECT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(wants_help);
}

TEST(ServerConfigTest, SizesAndTimesBeyondTheirRangesAreRefusedNotWrapped) {
  ExpectRefusedNaming(Parse({"--max-message-mib=2048"}), "in [1, 2047]", "--max-message-mib=2048");
  EXPECT_TRUE(Parse({"--max-message-mib=2047"}).ok());
  ExpectRefusedNaming(Parse({"--memory-budget-mib=1048577"}), "in [1, 1048576]",
                      "--memory-budget-mib=1048577");
  for (const std::string flag : {"--max-run-time", "--drain-delay", "--grace-period"}) {
    ExpectRefusedNaming(Parse({flag + "=9223372036854775807"}), flag, flag + "=2^63-1");
    EXPECT_TRUE(Parse({flag + "=31622400"}).ok()) << flag << " of 366 days";
  }
}

TEST(ServerConfigTest, APositionalArgumentIsRefusedNamingIt) {
  ExpectRefusedNaming(Parse({"serve"}), "serve", "serve");
  ExpectRefusedNaming(Parse({"--max-queue=3", "extra"}), "extra", "--max-queue=3 extra");
  ExpectRefusedNaming(Parse({"-v"}), "-v", "-v");
  // A value given as its own argument is consumed, the next word is not.
  ExpectRefusedNaming(Parse({"--max-queue", "3", "4"}), "\"4\"", "--max-queue 3 4");
}

TEST(ServerConfigTest, HelpIsReportedThroughWantsHelp) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--help"}, {"-h"}, {"--max-queue=3", "--help"}}) {
    bool wants_help = false;
    const Env env;
    const absl::StatusOr<ServerConfig> config = ParseServerConfig(args, GetenvOf(env), wants_help);
    EXPECT_TRUE(config.ok()) << config.status();
    EXPECT_TRUE(wants_help) << args.back();
  }
  bool wants_help = true;
  const Env env;
  ASSERT_TRUE(ParseServerConfig({"--max-queue=3"}, GetenvOf(env), wants_help).ok());
  EXPECT_FALSE(wants_help);
}

// The default --help shows for `flag`: the text in `default "..."` after its name.
std::string HelpDefault(const std::string& help, const FlagCase& flag) {
  const std::string marker = absl::StrCat("(", flag.env, ", default \"");
  const size_t at = help.find(marker, help.find("  --" + flag.name + "\n"));
  if (at == std::string::npos) return "<missing>";
  const size_t begin = at + marker.size();
  return help.substr(begin, help.find('"', begin) - begin);
}

TEST(ServerConfigTest, HelpListsEveryFlagWithItsEnvironmentVariableAndDefault) {
  const std::string help = ServerConfigHelp();
  const std::vector<FlagCase> flags = FlagCases();
  for (const FlagCase& flag : flags) {
    EXPECT_NE(help.find("  --" + flag.name + "\n"), std::string::npos) << flag.name;
    const std::string shown = HelpDefault(help, flag);
    ASSERT_NE(shown, "<missing>") << flag.name << " has no (" << flag.env << ", default ...)";
    // The default shown parses back to the default: --flag=<shown> changes nothing.
    const absl::StatusOr<ServerConfig> config = Parse({absl::StrCat("--", flag.name, "=", shown)});
    ASSERT_TRUE(config.ok()) << flag.name << " default \"" << shown << "\": " << config.status();
    EXPECT_EQ(Describe(*config), Describe(ServerConfig{})) << flag.name << " shows " << shown;
  }
  // No flag beyond those: one "  --name" line per flag.
  size_t listed = 0;
  for (size_t at = help.find("\n  --"); at != std::string::npos; at = help.find("\n  --", at + 1)) {
    ++listed;
  }
  EXPECT_EQ(listed, flags.size()) << help;
}

TEST(ServerConfigTest, EngineOptionsCarryThreadsMemoryAndLimits) {
  ServerConfig config;
  config.worker_threads = 3;
  config.memory_budget_mib = 100;
  config.max_paths = 12'345;
  config.max_partners = 77;
  config.max_periods = 24;
  config.max_plans = 5;
  const EngineOptions options = config.ToEngineOptions();
  EXPECT_EQ(options.threads, 3);
  EXPECT_EQ(options.memory_budget_bytes, size_t{100} * 1024 * 1024);
  EXPECT_EQ(options.limits.max_paths, 12'345u);
  EXPECT_EQ(options.limits.max_partners, 77u);
  EXPECT_EQ(options.limits.max_periods, 24);
  EXPECT_EQ(options.limits.max_plans, 5u);
  // What the server does not configure keeps the engine's defaults.
  EXPECT_EQ(options.limits.max_expected_deals_per_period, Limits{}.max_expected_deals_per_period);
  EXPECT_EQ(options.partner_sample_bytes, EngineOptions{}.partner_sample_bytes);
}

TEST(ServerConfigTest, ZeroWorkerThreadsMeansTheUsableCpus) {
  ServerConfig config;
  config.worker_threads = 0;
  EXPECT_EQ(config.ToEngineOptions().threads, UsableCpus());
}

TEST(ServerConfigTest, AHugeMemoryBudgetDoesNotWrapAroundToASmallOne) {
  // 2^44 + 1 MiB is 2^64 + 2^20 bytes: it must be refused, or saturate, not become 1 MiB.
  const uint64_t mib = (uint64_t{1} << 44) + 1;
  const absl::StatusOr<ServerConfig> config = Parse({absl::StrCat("--memory-budget-mib=", mib)});
  if (!config.ok()) {
    ExpectRefusedNaming(config, "--memory-budget-mib", "--memory-budget-mib=2^44+1");
    return;
  }
  const size_t bytes = config->ToEngineOptions().memory_budget_bytes;
  EXPECT_GE(bytes >> 20, std::min<uint64_t>(mib, std::numeric_limits<size_t>::max() >> 20))
      << "a budget of " << mib << " MiB became " << bytes << " bytes";
}

TEST(ServerConfigTest, ServiceLimitsCarryWorkAndRunTime) {
  ServerConfig config;
  config.max_work = 1.5e9;
  config.max_run_time = std::chrono::seconds(42);
  const ServiceLimits limits = config.ToServiceLimits();
  EXPECT_EQ(limits.max_work, 1.5e9);
  EXPECT_EQ(limits.max_run_time, std::chrono::seconds(42));
}

TEST(ServerConfigTest, UsableCpusIsAtLeastOneAndAtMostTheAffinityCpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  ASSERT_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
  const int affinity = CPU_COUNT(&set);
  const int usable = UsableCpus();
  EXPECT_GE(usable, 1);
  EXPECT_LE(usable, affinity);
  // Consistent with the cgroup v2 quota when there is one: ceil(quota / period) CPUs.
  std::ifstream cpu_max("/sys/fs/cgroup/cpu.max");
  std::string quota, period;
  double q = 0, p = 0;
  if (cpu_max >> quota >> period && quota != "max" && absl::SimpleAtod(quota, &q) &&
      absl::SimpleAtod(period, &p) && p > 0) {
    EXPECT_EQ(usable, std::min(affinity, std::max(1, static_cast<int>(std::ceil(q / p)))))
        << "cpu.max: " << quota << " " << period;
  } else {
    EXPECT_EQ(usable, affinity) << "no CPU quota: every CPU of the affinity mask";
  }
}

}  // namespace
}  // namespace attain
