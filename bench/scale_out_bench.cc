// What spreading a run over replicas costs, per block of 1,024 paths: the bytes a peer
// sends back, and the asking replica's time to decode and merge a block, against the
// time to simulate it; and per team member's tier search sent to a peer: the bytes each
// way, and the time to build, parse and check the request, against the search's.
// docs/scale-out.md turns them into the speed-up for N replicas. Workloads: w1-200x12
// (Simulate, and a member's search at the default 4,000 coaching paths), and a team of M
// (default 10) copies of it with coaching gains (two plans and member sums).
//
//   scale_out_bench [--workloads=DIR] [--blocks=N] [--team-members=M]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "proto/support/json_io.h"
#include "attain/v1/peer.pb.h"
#include "service/convert.h"
#include "service/team_convert.h"
#include "simulator/block_codec.h"
#include "simulator/block_kernel.h"
#include "simulator/comparison_job.h"
#include "simulator/partner_percentiles.h"
#include "simulator/engine.h"
#include "simulator/team.h"

namespace attain {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Simulates the n blocks after the percentile samples' (as a peer would), then decodes
// and merges them in order into a job of the same run, as the asking replica does.
void Measure(const char* name, Engine& engine, const Portfolio& portfolio,
             std::vector<ResolvedPlan> plans, const MemberSplit* split, uint64_t blocks) {
  const size_t sample_paths =
      PartnerPercentiles::SamplePaths(engine.options().partner_sample_bytes,
                                      portfolio.partners.size(), plans.size(),
                                      kMaxPartnerPercentilePaths);
  const uint64_t first = BlockCount(sample_paths);
  SimulationOptions options;
  options.paths = (first + blocks) * kPathsPerBlock;
  options.seed = 1;
  std::vector<std::string> bytes;
  const Clock::time_point simulate = Clock::now();
  const absl::Status run = engine.SimulateBlocks(
      portfolio, plans, options, 1, split, first, first + blocks, {},
      [&](uint64_t, std::string block) { bytes.push_back(std::move(block)); });
  const double simulate_seconds = Seconds(simulate);
  if (!run.ok()) {
    std::printf("%s: %s\n", name, std::string(run.message()).c_str());
    return;
  }
  WorkerPool pool(1);
  ComparisonJob job(portfolio, plans, options, 1, sample_paths, pool);
  if (split != nullptr) job.RollUp(*split);
  // The sampled blocks, simulated here in a real run, merge first.
  for (uint64_t block = 0; block < first; ++block) {
    job.Merge(job.Simulate(block, std::atomic<bool>(false)));
  }
  double decode_seconds = 0;
  double merge_seconds = 0;
  size_t total_bytes = 0;
  for (const std::string& block : bytes) {
    total_bytes += block.size();
    const Clock::time_point decode = Clock::now();
    absl::StatusOr<std::unique_ptr<BlockOutput>> output = job.Decode(block);
    decode_seconds += Seconds(decode);
    const Clock::time_point merge = Clock::now();
    job.Merge(*std::move(output));
    merge_seconds += Seconds(merge);
  }
  const double n = static_cast<double>(blocks);
  std::printf(
      "%-22s %8zu partners %2zu plans  sampled blocks %llu  block %8.1f KiB  simulate %8.2f "
      "ms/block (%d threads)  decode %6.3f ms  merge %6.3f ms  ratio %6.0f\n",
      name, portfolio.partners.size(), plans.size(), static_cast<unsigned long long>(first),
      static_cast<double>(total_bytes) / n / 1024, 1e3 * simulate_seconds / n, engine.threads(),
      1e3 * decode_seconds / n, 1e3 * merge_seconds / n,
      simulate_seconds * engine.threads() / (decode_seconds + merge_seconds));
}

// A member's search as a peer runs it (service/peers.cc, planner_service.cc): the asking
// replica builds and serializes the request from the team's, the peer parses, converts
// and checks it, searches, and answers with the tiers.
void MeasureSearch(Engine& engine, const v1::Portfolio& member) {
  const Clock::time_point ask = Clock::now();
  v1::SearchTiersRequest request;
  request.mutable_team()->mutable_team()->set_name("team");
  request.mutable_team()->mutable_team()->set_quota(member.quota());
  *request.mutable_team()->mutable_team()->add_members() = member;
  request.set_seed(1);
  const std::string bytes = request.SerializeAsString();
  const double ask_seconds = Seconds(ask);

  const Clock::time_point check = Clock::now();
  v1::SearchTiersRequest received;
  received.ParseFromString(bytes);
  TeamInput input;
  Violations violations = TeamInputFromProto(received.team(), input);
  violations.Append("team", ValidateTeam(engine, input.team, input.options));
  const RecommendOptions options =
      MemberSearchOptions(input.options, received.seed(), received.member());
  const double check_seconds = Seconds(check);
  if (!violations.empty()) {
    std::printf("member search: invalid request\n");
    return;
  }
  const Clock::time_point search = Clock::now();
  const absl::StatusOr<std::vector<Tier>> tiers =
      SearchTiersChecked(engine, input.team.members[0], options);
  const double search_seconds = Seconds(search);
  if (!tiers.ok()) {
    std::printf("member search: %s\n", std::string(tiers.status().message()).c_str());
    return;
  }
  v1::SearchTiersResponse response;
  for (const Tier tier : *tiers) response.add_tiers(TierToProto(tier));
  std::printf(
      "%-22s %8zu partners %5llu paths  request %8.1f KiB  response %4zu B  build %6.3f ms  "
      "parse+check %6.3f ms  search %8.2f ms (%d threads)  ratio %6.0f\n",
      "w1-200x12 member search", tiers->size(),
      static_cast<unsigned long long>(options.simulation.paths),
      static_cast<double>(bytes.size()) / 1024, response.ByteSizeLong(), 1e3 * ask_seconds,
      1e3 * check_seconds, 1e3 * search_seconds, engine.threads(),
      search_seconds * engine.threads() / (ask_seconds + check_seconds));
}

int Main(int argc, char** argv) {
  std::string dir = ATTAIN_WORKLOADS_DIR;
  uint64_t blocks = 16;
  int members = 10;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--workloads=", 12) == 0) dir = argv[i] + 12;
    else if (std::strncmp(argv[i], "--blocks=", 9) == 0) blocks = std::stoull(argv[i] + 9);
    else if (std::strncmp(argv[i], "--team-members=", 15) == 0) members = std::stoi(argv[i] + 15);
  }
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(dir + "/w1-200x12.json");
  if (!proto.ok()) return 1;
  Violations violations;
  const Portfolio w1 = PortfolioFromProto(*proto, violations);
  Engine engine(EngineOptions{});
  Measure("w1-200x12 Simulate", engine, w1, {ResolvePlan(w1, Plan{})}, nullptr, blocks);
  MeasureSearch(engine, *proto);

  Team team;
  for (int j = 0; j < members; ++j) {
    Portfolio member = w1;
    member.channel_manager_id = absl::StrCat("cm-", j);
    team.quota += member.quota;
    team.members.push_back(std::move(member));
  }
  TeamOptions options;
  const PreparedTeam prepared = PrepareTeam(team, options);
  // Every member on its own plan, and on the same again as a stand-in for the
  // recommendation: the sums are the same size either way.
  std::vector<Plan> recommended;
  for (const Portfolio& member : prepared.team.members) {
    recommended.push_back(MemberPlan(team, member));
  }
  Measure(absl::StrCat("team ", members, " x w1, coaching").c_str(), engine, prepared.combined,
          TeamRunPlans(prepared, recommended), &prepared.split, blocks);
  return 0;
}

}  // namespace
}  // namespace attain

int main(int argc, char** argv) { return attain::Main(argc, argv); }
