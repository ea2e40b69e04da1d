// Runs whose blocks are partly simulated elsewhere (RunControl::offload), and team runs
// whose members' tier searches partly are (SearchOffload), here by a second engine on
// other threads standing in for peer replicas: the result is the one-engine result bit
// for bit, whatever the offload delivers, loses or garbles.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "simulator/block_codec.h"
#include "simulator/engine.h"
#include "simulator/team.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::ExpectIdenticalOutcomes;
using testing_support::MixedPortfolio;
using testing_support::RandomPortfolio;
using testing_support::Seeded;
using testing_support::WithThreads;

// What a fake peer does with a range.
enum class Fault {
  kNone,
  kFailsEveryOtherRange,  // delivers nothing, then done
  kLosesTheLastBlock,     // delivers all but the range's last block
  kGarbles,               // delivers truncated bytes for the first block
  kSendsOtherBlocks,      // delivers the block before the range, then nothing
};

// Ranges run by `peer` (another engine, one thread per range) through `run_range`.
class FakeOffload final : public BlockOffload {
 public:
  using RunRange = std::function<absl::Status(
      uint64_t first, uint64_t end, const RunControl& control,
      const std::function<void(uint64_t, std::string)>& deliver)>;

  FakeOffload(int slots, Fault fault, RunRange run_range)
      : slots_(slots), fault_(fault), run_range_(std::move(run_range)) {}
  ~FakeOffload() override {
    for (std::thread& t : threads_) t.join();
  }

  int slots() const override { return slots_; }

  void Start(uint64_t first, uint64_t end,
             std::function<void(uint64_t, std::string)> deliver,
             std::function<void()> done) override {
    const int range = ranges_++;
    std::lock_guard lock(mu_);
    threads_.emplace_back([this, first, end, range, deliver, done] {
      RunControl control;
      control.cancelled = [this] { return cancelled_.load(); };
      const bool fails = fault_ == Fault::kFailsEveryOtherRange && range % 2 == 0;
      if (fault_ == Fault::kSendsOtherBlocks) {
        run_range_(first - 1, first, control, deliver).IgnoreError();
      } else if (!fails) {
        run_range_(first, end, control, [&](uint64_t block, std::string bytes) {
          if (fault_ == Fault::kLosesTheLastBlock && block + 1 == end) return;
          if (fault_ == Fault::kGarbles && block == first) bytes.resize(bytes.size() / 2);
          blocks_delivered_.fetch_add(1);
          deliver(block, std::move(bytes));
        }).IgnoreError();  // a failed range delivers fewer blocks: the run redoes them
      }
      done();
    });
  }

  void CancelAll() override { cancelled_ = true; }

  int ranges() const { return ranges_.load(); }
  int blocks_delivered() const { return blocks_delivered_.load(); }

 private:
  const int slots_;
  const Fault fault_;
  const RunRange run_range_;
  std::atomic<int> ranges_{0};
  std::atomic<int> blocks_delivered_{0};
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

// Two threads, and percentile samples of a few paths, so that every block but the first
// may be offloaded.
EngineOptions Local() {
  EngineOptions options = WithThreads(2);
  options.partner_sample_bytes = 4096;
  return options;
}

std::vector<ResolvedPlan> Resolved(const Portfolio& portfolio, const std::vector<Plan>& plans) {
  std::vector<ResolvedPlan> resolved;
  for (const Plan& plan : plans) resolved.push_back(ResolvePlan(portfolio, plan));
  return resolved;
}

class BlockOffloadTest : public ::testing::TestWithParam<Fault> {};

TEST_P(BlockOffloadTest, AComparisonIsTheOneEngineComparisonBitForBit) {
  const Portfolio portfolio = MixedPortfolio();
  Plan invest;
  invest.name = "invest";
  for (const Partner& p : portfolio.partners) invest.tiers[p.id] = Tier::kInvest;
  const std::vector<Plan> plans = {Plan{}, invest};
  for (const bool antithetic : {false, true}) {
    SimulationOptions options = Seeded(9'000, 5);  // 9 blocks, the last one short
    options.antithetic = antithetic;
    options.attainment_estimator = AttainmentEstimator::kConditional;
    Engine local(Local());
    Engine peer(WithThreads(2));
    const absl::StatusOr<Comparison> alone = local.Compare(portfolio, plans, options);
    FakeOffload offload(3, GetParam(), [&](uint64_t first, uint64_t end, const RunControl& c,
                                           const std::function<void(uint64_t, std::string)>& d) {
      return peer.SimulateBlocks(portfolio, Resolved(portfolio, plans), options, 5, nullptr,
                                 first, end, c, d);
    });
    RunControl control;
    control.offload = &offload;
    const absl::StatusOr<Comparison> spread = local.Compare(portfolio, plans, options, control);
    ASSERT_TRUE(alone.ok() && spread.ok());
    for (size_t k = 0; k < plans.size(); ++k) {
      ExpectIdenticalOutcomes(alone->outcomes[k], spread->outcomes[k]);
    }
    EXPECT_EQ(alone->differences[0].attainment_probability_difference,
              spread->differences[0].attainment_probability_difference);
    EXPECT_GT(offload.ranges(), 0);
    if (GetParam() == Fault::kNone) {
      EXPECT_GT(offload.blocks_delivered(), 0);
    }
  }
}

Team RandomTeam(int members) {
  std::mt19937_64 random(9);
  Team team;
  team.name = "t";
  for (int j = 0; j < members; ++j) {
    Portfolio member = RandomPortfolio(random, 30);
    member.periods = 4;
    member.segment_correlation = 0.1;
    member.channel_manager_id = absl::StrCat("m", j);
    team.quota += member.quota;
    team.members.push_back(std::move(member));
  }
  return team;
}

TeamOptions SeededTeam(uint64_t paths, uint64_t seed) {
  TeamOptions options;
  options.simulation = Seeded(paths, seed);
  options.coaching_paths = 500;
  return options;
}

// Every figure of two team outcomes, bit for bit.
void ExpectIdenticalTeams(const TeamOutcome& a, const TeamOutcome& b) {
  ExpectIdenticalOutcomes(a.team, b.team);
  ExpectIdenticalOutcomes(*a.all_recommended, *b.all_recommended);
  EXPECT_EQ(a.members_at_quota_probability, b.members_at_quota_probability);
  ASSERT_EQ(a.members.size(), b.members.size());
  for (size_t j = 0; j < a.members.size(); ++j) {
    const MemberOutcome& x = a.members[j];
    const MemberOutcome& y = b.members[j];
    EXPECT_EQ(x.attainment_probability, y.attainment_probability) << j;
    EXPECT_EQ(x.expected_shortfall, y.expected_shortfall) << j;
    EXPECT_EQ(x.risk_rank, y.risk_rank) << j;
    EXPECT_EQ(x.coaching->plan_found, y.coaching->plan_found) << j;
    EXPECT_EQ(x.coaching->tier_changes, y.coaching->tier_changes) << j;
    EXPECT_EQ(x.coaching->recommended_plan.tiers, y.coaching->recommended_plan.tiers) << j;
    EXPECT_EQ(x.coaching->team_attainment_gain, y.coaching->team_attainment_gain) << j;
  }
}

TEST_P(BlockOffloadTest, ATeamIsTheOneEngineTeamBitForBit) {
  const Team team = RandomTeam(3);
  const TeamOptions options = SeededTeam(10'000, 3);
  Engine local(Local());
  Engine peer(WithThreads(1));
  ASSERT_TRUE(ValidateTeam(local, team, options).empty());
  const PreparedTeam prepared = PrepareTeam(team, options);
  const absl::StatusOr<TeamOutcome> alone = SimulateTeamChecked(local, prepared, options);
  ASSERT_TRUE(alone.ok()) << alone.status();
  // The peer runs the team run's blocks: both plans, as the coordinator resolved them.
  std::vector<ResolvedPlan> plans(2);
  for (size_t j = 0; j < prepared.plans.size(); ++j) {
    const ResolvedPlan& own = prepared.plans[j];
    const ResolvedPlan recommended = ResolvePlan(
        team.members[j], alone->members[j].coaching->recommended_plan);
    for (auto [plan, from] : {std::pair{&plans[0], &own}, std::pair{&plans[1], &recommended}}) {
      plan->tiers.insert(plan->tiers.end(), from->tiers.begin(), from->tiers.end());
      plan->hours.insert(plan->hours.end(), from->hours.begin(), from->hours.end());
      plan->hours_used += from->hours_used;
    }
  }
  plans[0].name = "members' plans";
  plans[1].name = "recommended plans";
  FakeOffload offload(2, GetParam(), [&](uint64_t first, uint64_t end, const RunControl& c,
                                         const std::function<void(uint64_t, std::string)>& d) {
    return peer.SimulateBlocks(prepared.combined, plans, options.simulation, 3, &prepared.split,
                               first, end, c, d);
  });
  RunControl control;
  control.offload = &offload;
  const absl::StatusOr<TeamOutcome> spread =
      SimulateTeamChecked(local, prepared, options, control);
  ASSERT_TRUE(spread.ok()) << spread.status();
  ExpectIdenticalTeams(*alone, *spread);
  EXPECT_GT(offload.ranges(), 0);
}

INSTANTIATE_TEST_SUITE_P(Faults, BlockOffloadTest,
                         ::testing::Values(Fault::kNone, Fault::kFailsEveryOtherRange,
                                           Fault::kLosesTheLastBlock, Fault::kGarbles,
                                           Fault::kSendsOtherBlocks));

// What a fake peer does with a member's tier search.
enum class SearchFault {
  kNone,
  kFailsEveryOtherSearch,  // UNAVAILABLE, as a peer that is down
  kDropsATier,             // one tier short
  kHangsUntilCancelled,
};

// Searches run by `peer` (another engine, a thread per search).
class FakeSearchOffload final : public SearchOffload {
 public:
  FakeSearchOffload(int slots, SearchFault fault, Engine& peer, const PreparedTeam& prepared,
                    const TeamOptions& options)
      : slots_(slots), fault_(fault), peer_(peer), prepared_(prepared), options_(options) {}
  ~FakeSearchOffload() override {
    // Under the lock: a search's thread may still be inside Start, adding the thread of
    // the next search, after that next search has already called back.
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      threads.swap(threads_);
    }
    for (std::thread& t : threads) t.join();
  }

  int slots() const override { return slots_; }

  void Start(size_t member, uint64_t seed,
             std::function<void(absl::StatusOr<std::vector<Tier>>)> done) override {
    std::lock_guard lock(mu_);
    const int search = started_++;
    threads_.emplace_back([this, member, seed, search, done] {
      absl::StatusOr<std::vector<Tier>> tiers;
      RunControl control;
      control.cancelled = [this] { return cancelled_.load(); };
      if (fault_ == SearchFault::kHangsUntilCancelled) {
        while (!cancelled_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        tiers = absl::CancelledError("cancelled");
      } else if (fault_ == SearchFault::kFailsEveryOtherSearch && search % 2 == 0) {
        tiers = absl::UnavailableError("peer down");
      } else {
        tiers = SearchTiersChecked(peer_, prepared_.team.members[member],
                                   MemberSearchOptions(options_, seed, member), control);
        if (fault_ == SearchFault::kDropsATier && tiers.ok()) tiers->pop_back();
      }
      ++done_;  // before done(): the run may return once done() is
      done(std::move(tiers));
    });
  }

  void CancelAll() override { cancelled_ = true; }

  int started() const { return started_.load(); }
  int done() const { return done_.load(); }

 private:
  const int slots_;
  const SearchFault fault_;
  Engine& peer_;
  const PreparedTeam& prepared_;
  const TeamOptions& options_;
  std::atomic<int> started_{0};
  std::atomic<int> done_{0};
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

class SearchOffloadTest : public ::testing::TestWithParam<SearchFault> {};

TEST_P(SearchOffloadTest, ATeamWithSearchesElsewhereIsTheOneEngineTeamBitForBit) {
  Team team = RandomTeam(5);
  team.members[3].capacity_hours = 0;  // no plan fits: wherever it is searched
  const TeamOptions options = SeededTeam(4'000, 5);
  Engine local(Local());
  Engine peer(WithThreads(1));
  ASSERT_TRUE(ValidateTeam(local, team, options).empty());
  const PreparedTeam prepared = PrepareTeam(team, options);
  const absl::StatusOr<TeamOutcome> alone = SimulateTeamChecked(local, prepared, options);
  ASSERT_TRUE(alone.ok()) << alone.status();
  EXPECT_FALSE(alone->members[3].coaching->plan_found);

  FakeSearchOffload offload(2, GetParam(), peer, prepared, options);
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<size_t> searched;
  const absl::StatusOr<TeamOutcome> spread = SimulateTeamChecked(
      local, prepared, options, {},
      [&](const TeamProgress& progress) {
        EXPECT_EQ(std::this_thread::get_id(), caller);
        if (progress.phase == TeamProgress::Phase::kSearching) {
          searched.push_back(progress.members_searched);
        }
      },
      &offload);
  ASSERT_TRUE(spread.ok()) << spread.status();
  ExpectIdenticalTeams(*alone, *spread);
  EXPECT_GE(offload.started(), 2);
  EXPECT_EQ(offload.done(), offload.started());
  ASSERT_FALSE(searched.empty());
  EXPECT_TRUE(std::is_sorted(searched.begin(), searched.end()));
  EXPECT_LT(searched.back(), team.members.size());
}

INSTANTIATE_TEST_SUITE_P(Faults, SearchOffloadTest,
                         ::testing::Values(SearchFault::kNone,
                                           SearchFault::kFailsEveryOtherSearch,
                                           SearchFault::kDropsATier));

TEST(SearchOffload, ACancelledTeamEndsItsSearchesElsewhereBeforeItReturns) {
  const Team team = RandomTeam(4);
  const TeamOptions options = SeededTeam(4'000, 5);
  Engine local(Local());
  Engine peer(WithThreads(1));
  const PreparedTeam prepared = PrepareTeam(team, options);
  FakeSearchOffload offload(2, SearchFault::kHangsUntilCancelled, peer, prepared, options);
  RunControl control;
  control.cancelled = [&] { return offload.started() >= 2; };
  const absl::StatusOr<TeamOutcome> out =
      SimulateTeamChecked(local, prepared, options, control, {}, &offload);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kCancelled) << out.status();
  EXPECT_EQ(offload.started(), 2);
  EXPECT_EQ(offload.done(), 2);
}

TEST(BlockOffload, APrecisionTargetStopsAtTheSameBlockAndEndsTheRanges) {
  const Portfolio portfolio = MixedPortfolio();
  SimulationOptions options = Seeded(2'048, 8);
  options.target_ci_half_width = 0.006;
  options.max_paths = 400'000;
  Engine local(Local());
  Engine peer(WithThreads(1));
  const absl::StatusOr<PlanOutcome> alone = local.Simulate(portfolio, Plan{}, options);
  FakeOffload offload(2, Fault::kNone, [&](uint64_t first, uint64_t end, const RunControl& c,
                                           const std::function<void(uint64_t, std::string)>& d) {
    return peer.SimulateBlocks(portfolio, Resolved(portfolio, {Plan{}}), options, 8, nullptr,
                               first, end, c, d);
  });
  RunControl control;
  control.offload = &offload;
  const absl::StatusOr<PlanOutcome> spread = local.Simulate(portfolio, Plan{}, options, control);
  ASSERT_TRUE(alone.ok() && spread.ok());
  EXPECT_LT(alone->paths, 400'000u);
  ExpectIdenticalOutcomes(*alone, *spread);
}

TEST(BlockCodec, ABlockRoundTripsAndOtherShapesAreRefused) {
  const Portfolio portfolio = MixedPortfolio();
  const std::vector<Plan> plans = {Plan{}};
  Engine engine(WithThreads(1));
  std::vector<std::string> blocks;
  const absl::Status run = engine.SimulateBlocks(
      portfolio, Resolved(portfolio, plans), Seeded(3'000, 2), 2, nullptr, 1, 3, {},
      [&](uint64_t, std::string bytes) { blocks.push_back(std::move(bytes)); });
  ASSERT_TRUE(run.ok());
  ASSERT_EQ(blocks.size(), 2u);
  const BlockShape shape{1, portfolio.partners.size(), static_cast<size_t>(portfolio.periods),
                         nullptr};
  const absl::StatusOr<std::unique_ptr<RunSums>> block = DecodeBlock(blocks[1], shape);
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ((*block)->paths, 3'000u - 2 * 1'024);
  EXPECT_EQ(EncodeBlock(**block), blocks[1]);
  BlockShape two_plans = shape;
  two_plans.plans = 2;
  EXPECT_FALSE(DecodeBlock(blocks[1], two_plans).ok());
  EXPECT_FALSE(DecodeBlock(blocks[1].substr(0, blocks[1].size() - 1), shape).ok());
  EXPECT_FALSE(DecodeBlock(blocks[1] + "x", shape).ok());
  EXPECT_FALSE(DecodeBlock("", shape).ok());
}

}  // namespace
}  // namespace attain
