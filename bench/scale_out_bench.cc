// What spreading a run over replicas costs the replica that asks, per block of 1,024
// paths: the bytes a peer sends back, and the time to decode and merge a block, against
// the time to simulate it. docs/scale-out.md turns them into the speed-up for N replicas.
// Workloads: w1-200x12 (Simulate), and a team of M (default 10) copies of it with
// coaching gains (two plans and member sums).
//
//   scale_out_bench [--workloads=DIR] [--blocks=N] [--team-members=M]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "proto/support/json_io.h"
#include "service/convert.h"
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
