// Tests of simulator/block_kernel.h: which paths a block holds, the order and run-wide
// indices in which a sink receives them, that a block's paths depend on (seed, block)
// only, antithetic units as (path, mirror) pairs, and aborting a block.
#include "simulator/block_kernel.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "simulator/model.h"
#include "simulator/path_evaluator.h"
#include "simulator/path_generator.h"
#include "simulator/random.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::MixedPortfolio;

// A portfolio with the generator and evaluator a comparison of its current plan builds:
// scenario 0 is the current plan, scenario 1 the unassisted counterfactual.
class KernelParts {
 public:
  explicit KernelParts(Portfolio portfolio)
      : portfolio_(std::move(portfolio)),
        generator_(portfolio_),
        evaluator_(portfolio_, generator_, ScenarioHours(portfolio_), /*detailed_scenarios=*/1) {}

  const Portfolio& portfolio() const { return portfolio_; }
  const PathGenerator& generator() const { return generator_; }
  const PathEvaluator& evaluator() const { return evaluator_; }

 private:
  static std::vector<std::vector<double>> ScenarioHours(const Portfolio& portfolio) {
    return {ResolvePlan(portfolio, Plan{}).hours,
            std::vector<double>(portfolio.partners.size(), 0.0)};
  }

  const Portfolio portfolio_;
  const PathGenerator generator_;
  const PathEvaluator evaluator_;
};

// One unit as a sink received it.
struct Unit {
  uint64_t first_path = 0;
  std::vector<std::vector<PathRevenue>> copies;  // [copy][scenario]
};

// Keeps every unit it receives; optionally turns `abort` true after `abort_after` units.
class RecordingSink final : public PathSink {
 public:
  RecordingSink() = default;
  RecordingSink(std::atomic<bool>* abort, size_t abort_after)
      : abort_(abort), abort_after_(abort_after) {}

  void Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) override {
    units.push_back({first_path, {unit.begin(), unit.end()}});
    if (abort_ != nullptr && units.size() == abort_after_) abort_->store(true);
  }

  std::vector<Unit> units;

 private:
  std::atomic<bool>* abort_ = nullptr;
  size_t abort_after_ = 0;
};

void ExpectSameRevenue(const std::vector<PathRevenue>& a, const std::vector<PathRevenue>& b,
                       uint64_t path) {
  ASSERT_EQ(a.size(), b.size()) << "path " << path;
  for (size_t s = 0; s < a.size(); ++s) {
    EXPECT_EQ(a[s].partner_revenue, b[s].partner_revenue) << "path " << path << " scenario " << s;
    EXPECT_EQ(a[s].period_revenue, b[s].period_revenue) << "path " << path << " scenario " << s;
    EXPECT_EQ(a[s].dormant, b[s].dormant) << "path " << path << " scenario " << s;
    EXPECT_EQ(a[s].total, b[s].total) << "path " << path << " scenario " << s;
  }
}

std::vector<Unit> RunBlock(const BlockKernel& kernel, uint64_t seed, uint64_t block,
                           uint64_t run_paths) {
  const std::atomic<bool> abort{false};
  RecordingSink sink;
  EXPECT_TRUE(kernel.Run(seed, block, run_paths, abort, sink));
  return std::move(sink.units);
}

TEST(BlockKernelTest, BlockCountAndPathsInBlockCoverARunWithOnlyTheLastBlockPartial) {
  static_assert(BlockCount(2500) == 3);  // usable in constant expressions
  EXPECT_EQ(BlockCount(0), 0u);
  EXPECT_EQ(BlockCount(1), 1u);
  EXPECT_EQ(BlockCount(kPathsPerBlock - 1), 1u);
  EXPECT_EQ(BlockCount(kPathsPerBlock), 1u);
  EXPECT_EQ(BlockCount(kPathsPerBlock + 1), 2u);
  EXPECT_EQ(BlockCount(10'000'000), 9766u);

  EXPECT_EQ(PathsInBlock(0, 0), 0u);
  EXPECT_EQ(PathsInBlock(0, 1), 1u);
  EXPECT_EQ(PathsInBlock(0, kPathsPerBlock), kPathsPerBlock);
  EXPECT_EQ(PathsInBlock(1, kPathsPerBlock), 0u);
  EXPECT_EQ(PathsInBlock(1, kPathsPerBlock + 1), 1u);
  EXPECT_EQ(PathsInBlock(1, 2500), kPathsPerBlock);
  EXPECT_EQ(PathsInBlock(2, 2500), 2500 - 2 * kPathsPerBlock);
  EXPECT_EQ(PathsInBlock(3, 2500), 0u);  // past the run
  EXPECT_EQ(PathsInBlock(100, 2500), 0u);

  for (const uint64_t paths : {uint64_t{1}, uint64_t{1023}, uint64_t{1024}, uint64_t{1025},
                               uint64_t{2048}, uint64_t{2500}, uint64_t{99'999}}) {
    uint64_t covered = 0;
    for (uint64_t b = 0; b < BlockCount(paths); ++b) {
      const uint64_t in_block = PathsInBlock(b, paths);
      EXPECT_GT(in_block, 0u) << paths << " paths, block " << b;
      if (b + 1 < BlockCount(paths)) {
        EXPECT_EQ(in_block, kPathsPerBlock);
      }
      covered += in_block;
    }
    EXPECT_EQ(covered, paths);
    EXPECT_EQ(PathsInBlock(BlockCount(paths), paths), 0u);
  }
}

TEST(BlockKernelTest, SinkReceivesEveryPathOfAFullBlockOnceInOrderWithRunWideIndices) {
  const KernelParts parts(MixedPortfolio());
  const BlockKernel kernel(parts.generator(), parts.evaluator(), /*antithetic=*/false);
  const std::vector<Unit> units = RunBlock(kernel, 7, 1, 2500);
  ASSERT_EQ(units.size(), kPathsPerBlock);
  for (size_t j = 0; j < units.size(); ++j) {
    EXPECT_EQ(units[j].first_path, kPathsPerBlock + j);
    ASSERT_EQ(units[j].copies.size(), 1u);
    ASSERT_EQ(units[j].copies[0].size(), 2u);  // the plan and the counterfactual
    EXPECT_EQ(units[j].copies[0][0].partner_revenue.size(), parts.portfolio().partners.size());
  }
  // Different paths: no two consecutive units carry the same revenue.
  size_t repeated = 0;
  for (size_t j = 1; j < units.size(); ++j) {
    repeated += units[j].copies[0][0].total == units[j - 1].copies[0][0].total;
  }
  EXPECT_EQ(repeated, 0u);
}

TEST(BlockKernelTest, SinkReceivesThePartialLastBlockAndNothingPastTheRun) {
  const KernelParts parts(MixedPortfolio());
  const BlockKernel kernel(parts.generator(), parts.evaluator(), /*antithetic=*/false);
  const std::vector<Unit> last = RunBlock(kernel, 7, 2, 2500);
  ASSERT_EQ(last.size(), 2500 - 2 * kPathsPerBlock);
  for (size_t j = 0; j < last.size(); ++j) EXPECT_EQ(last[j].first_path, 2 * kPathsPerBlock + j);
  EXPECT_TRUE(RunBlock(kernel, 7, 3, 2500).empty());
  EXPECT_TRUE(RunBlock(kernel, 7, 0, 0).empty());

  // A partial block's paths are the first paths of the same block in a longer run.
  const std::vector<Unit> full = RunBlock(kernel, 7, 2, 10'000);
  ASSERT_EQ(full.size(), kPathsPerBlock);
  for (size_t j = 0; j < last.size(); ++j) {
    ExpectSameRevenue(last[j].copies[0], full[j].copies[0], last[j].first_path);
  }
}

TEST(BlockKernelTest, ABlocksPathsDependOnlyOnSeedAndBlock) {
  const KernelParts parts(MixedPortfolio());
  const BlockKernel kernel(parts.generator(), parts.evaluator(), /*antithetic=*/false);
  // Block 3 alone, on a kernel that has run nothing before.
  const std::vector<Unit> alone = RunBlock(kernel, 42, 3, 8 * kPathsPerBlock);
  // Block 3 after block 2, on another kernel over another copy of the portfolio.
  const KernelParts other_parts(MixedPortfolio());
  const BlockKernel other(other_parts.generator(), other_parts.evaluator(), false);
  const std::vector<Unit> before = RunBlock(other, 42, 2, 8 * kPathsPerBlock);
  const std::vector<Unit> after = RunBlock(other, 42, 3, 8 * kPathsPerBlock);
  ASSERT_EQ(alone.size(), after.size());
  for (size_t j = 0; j < alone.size(); ++j) {
    EXPECT_EQ(alone[j].first_path, after[j].first_path);
    ExpectSameRevenue(alone[j].copies[0], after[j].copies[0], alone[j].first_path);
  }
  // Block 2 is other paths; so is block 3 of another seed.
  EXPECT_NE(before[0].copies[0][0].total, after[0].copies[0][0].total);
  const std::vector<Unit> reseeded = RunBlock(kernel, 43, 3, 8 * kPathsPerBlock);
  EXPECT_NE(reseeded[0].copies[0][0].total, alone[0].copies[0][0].total);
}

TEST(BlockKernelTest, EachPathIsTheNextDrawOfTheBlocksOwnEngineEvaluated) {
  const KernelParts parts(MixedPortfolio());
  const BlockKernel kernel(parts.generator(), parts.evaluator(), /*antithetic=*/false);
  const std::vector<Unit> units = RunBlock(kernel, 5, 4, 5 * kPathsPerBlock - 10);
  ASSERT_EQ(units.size(), kPathsPerBlock - 10);
  BlockEngine engine(BlockSeed(5, 4));
  PathDraws draws;
  std::vector<PathRevenue> revenue;
  parts.generator().Prepare(draws);
  parts.evaluator().Prepare(revenue);
  for (const Unit& unit : units) {
    parts.generator().Generate(engine, draws);
    parts.evaluator().Evaluate(draws, revenue);
    ExpectSameRevenue(unit.copies[0], revenue, unit.first_path);
  }
}

TEST(BlockKernelTest, AntitheticUnitsAreAPathAndTheMirrorOfItsDraws) {
  const KernelParts parts(MixedPortfolio());  // deals, segments, churn: every kind of draw
  const BlockKernel kernel(parts.generator(), parts.evaluator(), /*antithetic=*/true);
  constexpr uint64_t kRunPaths = 2 * kPathsPerBlock + 6;  // even, as antithetic runs are
  for (const uint64_t block : {uint64_t{1}, uint64_t{2}}) {
    const std::vector<Unit> units = RunBlock(kernel, 11, block, kRunPaths);
    ASSERT_EQ(units.size(), PathsInBlock(block, kRunPaths) / 2) << "block " << block;
    BlockEngine engine(BlockSeed(11, block));
    PathDraws draws;
    PathDraws mirror;
    std::vector<PathRevenue> revenue;
    std::vector<PathRevenue> mirror_revenue;
    parts.generator().Prepare(draws);
    parts.generator().Prepare(mirror);
    parts.evaluator().Prepare(revenue);
    parts.evaluator().Prepare(mirror_revenue);
    for (size_t j = 0; j < units.size(); ++j) {
      EXPECT_EQ(units[j].first_path, block * kPathsPerBlock + 2 * j);
      ASSERT_EQ(units[j].copies.size(), 2u);
      parts.generator().Generate(engine, draws);
      parts.generator().Mirror(draws, mirror);
      parts.evaluator().Evaluate(draws, revenue);
      parts.evaluator().Evaluate(mirror, mirror_revenue);
      ExpectSameRevenue(units[j].copies[0], revenue, units[j].first_path);
      ExpectSameRevenue(units[j].copies[1], mirror_revenue, units[j].first_path + 1);
    }
  }
}

TEST(BlockKernelTest, AntitheticMirrorShockIsExpOfMinusSigmaSquaredOverTheShock) {
  // One LOGNORMAL partner, one period, no lift and no churn: revenue = b x shock, so a
  // pair's revenues multiply to b^2 exp(-sigma^2) whatever the draw.
  Portfolio portfolio;
  portfolio.quota = 100;
  portfolio.periods = 1;
  portfolio.capacity_hours = 10;
  Partner p;
  p.id = "solo";
  p.tier = Tier::kMaintain;
  p.baseline_revenue = 250;
  p.volatility = 0.7;
  p.market_correlation = 0.3;
  p.max_lift = 0;
  p.churn_rate = 0;
  portfolio.partners.push_back(p);
  const KernelParts parts(portfolio);
  const BlockKernel kernel(parts.generator(), parts.evaluator(), /*antithetic=*/true);
  const std::vector<Unit> units = RunBlock(kernel, 3, 0, kPathsPerBlock);
  ASSERT_EQ(units.size(), kPathsPerBlock / 2);
  const double product = 250.0 * 250.0 * std::exp(-0.7 * 0.7);
  size_t below_mean = 0;
  for (const Unit& unit : units) {
    for (size_t s = 0; s < 2; ++s) {
      const double first = unit.copies[0][s].total;
      const double second = unit.copies[1][s].total;
      EXPECT_NEAR(first * second, product, 1e-12 * product) << "path " << unit.first_path;
    }
    below_mean += unit.copies[0][0].total < 250;
  }
  // The first paths are ordinary draws, not all on one side (mean-one shock, sigma 0.7:
  // P(shock < 1) = Phi(0.35) = 0.64; 4 standard errors over 512 draws is 0.085).
  EXPECT_NEAR(static_cast<double>(below_mean) / static_cast<double>(units.size()), 0.637, 0.085);
}

TEST(BlockKernelTest, AbortStopsTheBlockBeforeTheNextUnitAndReturnsFalse) {
  const KernelParts parts(MixedPortfolio());
  for (const bool antithetic : {false, true}) {
    const BlockKernel kernel(parts.generator(), parts.evaluator(), antithetic);
    std::atomic<bool> abort{false};
    RecordingSink sink(&abort, 5);
    EXPECT_FALSE(kernel.Run(9, 0, 4 * kPathsPerBlock, abort, sink));
    ASSERT_EQ(sink.units.size(), 5u) << "antithetic " << antithetic;
    const uint64_t stride = antithetic ? 2 : 1;
    for (size_t j = 0; j < sink.units.size(); ++j) EXPECT_EQ(sink.units[j].first_path, j * stride);

    std::atomic<bool> aborted_before{true};
    RecordingSink none;
    EXPECT_FALSE(kernel.Run(9, 1, 4 * kPathsPerBlock, aborted_before, none));
    EXPECT_TRUE(none.units.empty());
  }
}

}  // namespace
}  // namespace attain
