// A team roll-up of N managers, each a copy of w1-200x12 (200 partners x 12 months) with
// its baselines and quota scaled by a factor between 0.8 and 1.2: wall time, split into
// the managers' tier searches and the team run, peak memory against the estimate the
// budget checks, and the team's figures. One team per process, so the peak is its own.
//
//   team_bench --members=N [--paths=10000] [--coaching-paths=4000] [--no-coaching]
//              [--workloads=DIR]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "proto/support/json_io.h"
#include "service/convert.h"
#include "simulator/team.h"

namespace attain {
namespace {

using Clock = std::chrono::steady_clock;

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

Team MakeTeam(const Portfolio& base, int members) {
  Team team;
  team.name = absl::StrCat(members, " managers");
  for (int j = 0; j < members; ++j) {
    Portfolio member = base;
    member.channel_manager_id = absl::StrCat("cm-", j);
    const double scale = 0.8 + 0.4 * static_cast<double>(j % 11) / 10.0;
    for (Partner& p : member.partners) {
      p.baseline_revenue *= scale;
      if (p.revenue_model == RevenueModel::kDeals) p.mean_deal_size *= scale;
    }
    member.quota *= scale;
    team.quota += member.quota;
    team.members.push_back(std::move(member));
  }
  return team;
}

int Main(int argc, char** argv) {
  std::string dir = ATTAIN_WORKLOADS_DIR;
  int members = 10;
  TeamOptions options;
  options.simulation.paths = 10'000;
  options.simulation.seed = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--workloads=", 12) == 0) dir = argv[i] + 12;
    else if (std::strncmp(argv[i], "--members=", 10) == 0) members = std::stoi(argv[i] + 10);
    else if (std::strncmp(argv[i], "--paths=", 8) == 0) {
      options.simulation.paths = std::stoull(argv[i] + 8);
    } else if (std::strncmp(argv[i], "--coaching-paths=", 17) == 0) {
      options.coaching_paths = std::stoull(argv[i] + 17);
    } else if (std::strcmp(argv[i], "--no-coaching") == 0) {
      options.coaching_gains = false;
    } else {
      std::fprintf(stderr, "team_bench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(dir + "/w1-200x12.json");
  if (!proto.ok()) {
    std::fprintf(stderr, "team_bench: %s\n", std::string(proto.status().message()).c_str());
    return 1;
  }
  Violations violations;
  const Portfolio base = PortfolioFromProto(*proto, violations);
  Engine engine(EngineOptions{});  // the default memory budget, as attaind's
  Team team = MakeTeam(base, members);
  if (const Violations v = ValidateTeam(engine, team, options); !v.empty()) {
    std::fprintf(stderr, "team_bench: %s\n", ViolationsMessage(v).c_str());
    return 1;
  }
  const double rss_before = PeakRssMiB();
  const Clock::time_point start = Clock::now();
  const PreparedTeam prepared = PrepareTeam(std::move(team), options);
  const RunCost cost = TeamCost(engine, prepared, options);
  if (const absl::Status memory = engine.CheckMemory(cost); !memory.ok()) {
    std::printf("%5d members: %s\n", members, std::string(memory.message()).c_str());
    return 0;
  }
  std::optional<Clock::time_point> run_start;
  const absl::StatusOr<TeamOutcome> outcome = SimulateTeamChecked(
      engine, prepared, options, {}, [&](const TeamProgress& progress) {
        if (progress.phase == TeamProgress::Phase::kSimulating && !run_start) {
          run_start = Clock::now();
        }
      });
  const Clock::time_point end = Clock::now();
  if (!outcome.ok()) {
    std::fprintf(stderr, "team_bench: %s\n", std::string(outcome.status().message()).c_str());
    return 1;
  }
  const double total = std::chrono::duration<double>(end - start).count();
  const double run = std::chrono::duration<double>(end - run_start.value_or(start)).count();
  std::printf(
      "%5d members %7zu partners %6llu paths  coaching %-3s  total %7.1f s  searches %7.1f s  "
      "run %7.1f s  RSS %6.0f MiB (before %4.0f, estimate %6.0f)  P(team) %5.1f%%  "
      "E[at quota] %6.2f\n",
      members, prepared.combined.partners.size(),
      static_cast<unsigned long long>(options.simulation.paths),
      options.coaching_gains ? "yes" : "no", total, total - run, run, PeakRssMiB(), rss_before,
      static_cast<double>(cost.memory_bytes) / (1 << 20),
      100 * outcome->team.attainment_probability, outcome->expected_members_at_quota);
  return 0;
}

}  // namespace
}  // namespace attain

int main(int argc, char** argv) { return attain::Main(argc, argv); }
