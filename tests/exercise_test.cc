#include "simulator/exercise.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "simulator/calibration.h"
#include "simulator/engine.h"
#include "simulator/recommendation.h"
#include "simulator/validation.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::ExpectSamePartner;
using testing_support::ExpectSamePortfolio;
using testing_support::WithThreads;

constexpr int kPartners[] = {8, 12, 16, 24, 32};
constexpr int kHistoryMonths[] = {24, 24, 18, 12, 9};
constexpr int kDealsPartners[] = {0, 0, 2, 4, 8};

Exercise Generate(int difficulty, uint64_t seed) {
  return GenerateExercise({kExerciseGeneratorVersion, difficulty, seed});
}

int Count(const Exercise& e, Archetype archetype) {
  return static_cast<int>(std::count(e.archetypes.begin(), e.archetypes.end(), archetype));
}

double ExpectedRevenue(const Portfolio& portfolio, const std::vector<Tier>& tiers) {
  double total = 0;
  for (size_t i = 0; i < tiers.size(); ++i) {
    total += ExpectedPartnerRevenue(portfolio, portfolio.partners[i],
                                    portfolio.tier_policy.HoursFor(tiers[i]));
  }
  return total;
}

Plan TiersPlan(const Portfolio& portfolio, const std::vector<Tier>& tiers, std::string name) {
  Plan plan;
  plan.name = std::move(name);
  for (size_t i = 0; i < tiers.size(); ++i) plan.tiers[portfolio.partners[i].id] = tiers[i];
  return plan;
}

TEST(ExerciseTest, NamesArchetypes) {
  EXPECT_STREQ(ArchetypeName(Archetype::kSelfSufficient), "SELF_SUFFICIENT");
  EXPECT_STREQ(ArchetypeName(Archetype::kGrowthBet), "GROWTH_BET");
  EXPECT_STREQ(ArchetypeName(Archetype::kRetentionNeedy), "RETENTION_NEEDY");
  EXPECT_STREQ(ArchetypeName(Archetype::kLongTail), "LONG_TAIL");
}

TEST(ExerciseTest, TheSameKeyGivesTheSameExerciseInEveryField) {
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    const Exercise a = Generate(difficulty, 42);
    const Exercise b = Generate(difficulty, 42);
    EXPECT_EQ(a.key.generator_version, b.key.generator_version);
    EXPECT_EQ(a.key.difficulty, difficulty);
    EXPECT_EQ(a.key.seed, b.key.seed);
    EXPECT_EQ(a.id, FormatExerciseId(a.key));
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.briefing, b.briefing);
    ExpectSamePortfolio(a.truth, b.truth);
    ExpectSamePortfolio(a.shown, b.shown);
    EXPECT_EQ(a.names, b.names);
    EXPECT_EQ(a.archetypes, b.archetypes);
    ASSERT_EQ(a.history.size(), b.history.size());
    for (size_t k = 0; k < a.history.size(); ++k) {
      const HistoryRow& x = a.history[k];
      const HistoryRow& y = b.history[k];
      EXPECT_EQ(x.partner_id, y.partner_id);
      EXPECT_EQ(x.period, y.period);
      EXPECT_EQ(x.revenue, y.revenue);
      EXPECT_EQ(x.hours, y.hours);
      EXPECT_EQ(x.segment, y.segment);
      EXPECT_EQ(x.name, y.name);
    }
  }
}

// Pins one exercise's figures: a change to the generator that moves them must bump
// kExerciseGeneratorVersion (exercise_id.h), then update these.
TEST(ExerciseTest, AnExercisesFiguresAreThoseOfItsGeneratorVersion) {
  const Exercise e = Generate(3, 7);
  double revenue = 0;
  for (const HistoryRow& row : e.history) revenue += row.revenue;
  EXPECT_EQ(e.id, "2-3-7-v9");
  EXPECT_EQ(e.truth.quota, 13'600'000);
  EXPECT_EQ(e.truth.partners[0].id, "zenith");
  EXPECT_EQ(e.truth.partners[0].baseline_revenue, 126'400);
  EXPECT_EQ(e.history[5].partner_id, "canyon");
  EXPECT_DOUBLE_EQ(e.history[5].revenue, 112'888.28);
  EXPECT_NEAR(revenue, 22'278'161.09, 0.005);
  EXPECT_EQ(e.history.size(), 342u);  // 19 partners, 3 of them former, x 18 months
  EXPECT_EQ(e.briefing.substr(0, 50), "You take over 16 reseller partners for the 12 mont");
}

TEST(ExerciseTest, DifferentSeedsGiveDifferentExercises) {
  std::set<std::string> ids, first_partners, briefings;
  std::set<double> first_revenues;
  for (uint64_t seed = 0; seed < 8; ++seed) {
    const Exercise e = Generate(2, seed);
    ids.insert(e.id);
    std::string partners;
    for (const Partner& p : e.truth.partners) partners += p.id + ",";
    first_partners.insert(partners);
    briefings.insert(e.briefing);
    first_revenues.insert(e.history.front().revenue);
  }
  EXPECT_EQ(ids.size(), 8u);
  EXPECT_EQ(first_partners.size(), 8u);
  EXPECT_EQ(first_revenues.size(), 8u);
  EXPECT_GE(briefings.size(), 7u);  // two may share a quota to 3 digits, and so all words
}

TEST(ExerciseTest, EveryDifficultyValidatesAndHasEveryArchetype) {
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      const Exercise e = Generate(difficulty, seed);
      SCOPED_TRACE(e.id);
      const Violations truth = ValidatePortfolio(e.truth, Limits{});
      EXPECT_TRUE(truth.empty()) << ViolationsMessage(truth);
      const Violations shown = ValidatePortfolio(e.shown, Limits{});
      EXPECT_TRUE(shown.empty()) << ViolationsMessage(shown);
      for (const Archetype a : {Archetype::kSelfSufficient, Archetype::kGrowthBet,
                                Archetype::kRetentionNeedy, Archetype::kLongTail}) {
        EXPECT_GE(Count(e, a), 1) << ArchetypeName(a);
      }
      const size_t n = e.truth.partners.size();
      EXPECT_EQ(e.archetypes.size(), n);
      EXPECT_EQ(e.names.size(), n);
      EXPECT_EQ(std::set<std::string>(e.names.begin(), e.names.end()).size(), n);
      EXPECT_EQ(e.truth.periods, kExercisePlanMonths);
      EXPECT_EQ(e.truth.tier_policy.invest_hours, TierPolicy{}.invest_hours);
      EXPECT_EQ(e.truth.tier_policy.maintain_hours, TierPolicy{}.maintain_hours);
      EXPECT_EQ(e.truth.tier_policy.opportunistic_hours, TierPolicy{}.opportunistic_hours);
      double used = 0;
      for (const Partner& p : e.truth.partners) used += e.truth.tier_policy.HoursFor(p.tier);
      EXPECT_LE(used, e.truth.capacity_hours) << "the current plan fits the capacity";
      EXPECT_GT(used, e.truth.capacity_hours - e.truth.tier_policy.invest_hours);
    }
  }
}

TEST(ExerciseTest, TheHistoryIsTheMonthsBeforeThePlanInTheFormCalibrationReads) {
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    const Exercise e = Generate(difficulty, 3);
    SCOPED_TRACE(e.id);
    const int months = kHistoryMonths[difficulty - 1];
    const BuiltHistory built = BuildHistory(e.history, Limits{});
    ASSERT_TRUE(built.violations.empty()) << ViolationsMessage(built.violations);
    EXPECT_EQ(built.history.period_labels.back(), "2025-12");
    EXPECT_EQ(built.history.periods, months);
    EXPECT_EQ(e.history.size(), built.history.partners.size() * static_cast<size_t>(months));
    EXPECT_TRUE(std::is_sorted(e.history.begin(), e.history.end(),
                               [](const HistoryRow& a, const HistoryRow& b) {
                                 return a.period != b.period ? a.period < b.period
                                                             : a.partner_id < b.partner_id;
                               }));
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < e.truth.partners.size(); ++i) index[e.truth.partners[i].id] = i;
    for (const HistoryRow& row : e.history) {
      EXPECT_EQ(row.revenue, std::round(row.revenue * 100) / 100) << "cents";
      EXPECT_EQ(row.hours, std::round(row.hours * 2) / 2) << "half hours";
      const auto it = index.find(row.partner_id);
      if (it == index.end()) continue;  // a former partner
      EXPECT_EQ(row.name, e.names[it->second]);
      EXPECT_EQ(row.segment, e.truth.partners[it->second].segment);
      // Every partner of the portfolio is active now: a LOGNORMAL partner sells every month.
      if (e.truth.partners[it->second].revenue_model == RevenueModel::kLognormal) {
        EXPECT_GT(row.revenue, 0) << row.partner_id << " " << row.period;
      }
    }
    for (const Partner& p : e.truth.partners) EXPECT_TRUE(index.contains(p.id));
  }
}

// Former partners show what neglect costs: one that lapsed per retention-needy partner
// at least, each selling at first, then nothing for at least the last two months, so
// calibration reads its dormancy and leaves it out of the calibrated portfolio.
TEST(ExerciseTest, TheHistoryHoldsFormerPartnersThatLapsed) {
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      const Exercise e = Generate(difficulty, seed);
      SCOPED_TRACE(e.id);
      const BuiltHistory built = BuildHistory(e.history, Limits{});
      ASSERT_TRUE(built.violations.empty());
      std::set<std::string> portfolio;
      for (const Partner& p : e.truth.partners) portfolio.insert(p.id);
      std::set<std::string> former;
      for (const PartnerHistory& h : built.history.partners) {
        if (portfolio.contains(h.id)) continue;
        former.insert(h.id);
        EXPECT_FALSE(h.name.empty());
        EXPECT_GT(h.revenue.front(), 0) << h.id;
        EXPECT_EQ(h.revenue.back(), 0) << h.id;
        EXPECT_EQ(h.revenue[h.revenue.size() - 2], 0) << h.id;
      }
      EXPECT_GE(static_cast<int>(former.size()), Count(e, Archetype::kRetentionNeedy));
      EXPECT_LE(former.size(), e.truth.partners.size());
      const Calibration calibration = Calibrate(built.history, &e.shown);
      EXPECT_EQ(calibration.diagnostics.dormant_partners, static_cast<int>(former.size()));
      EXPECT_EQ(calibration.portfolio.partners.size(), e.truth.partners.size());
      EXPECT_GT(calibration.diagnostics.churn_rate.value, 0);
    }
  }
}

TEST(ExerciseTest, TheShownPortfolioLeaksNoTrueParameter) {
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    const Exercise e = Generate(difficulty, 5);
    SCOPED_TRACE(e.id);
    const Portfolio& shown = e.shown;
    EXPECT_EQ(shown.quota, e.truth.quota);
    EXPECT_EQ(shown.periods, e.truth.periods);
    EXPECT_EQ(shown.capacity_hours, e.truth.capacity_hours);
    EXPECT_EQ(shown.seasonality, e.truth.seasonality);
    EXPECT_EQ(shown.segment_correlation, Portfolio{}.segment_correlation);
    ASSERT_EQ(shown.partners.size(), e.truth.partners.size());
    for (size_t i = 0; i < shown.partners.size(); ++i) {
      const Partner& s = shown.partners[i];
      const Partner& t = e.truth.partners[i];
      // Every field but these is the model's default.
      Partner expected;
      expected.id = t.id;
      expected.tier = t.tier;
      expected.segment = t.segment;
      expected.baseline_revenue = s.baseline_revenue;
      expected.revenue_model = t.revenue_model;
      expected.mean_deal_size = s.mean_deal_size;
      ExpectSamePartner(s, expected);
      // The baseline is the history's recent mean revenue, not the true baseline.
      double recent = 0;
      for (const HistoryRow& row : e.history) {
        if (row.partner_id == t.id && row.period >= "2025-10") recent += row.revenue;
      }
      if (recent > 0) {
        EXPECT_NEAR(s.baseline_revenue, recent / 3, 1) << t.id;
      }
      EXPECT_NE(s.baseline_revenue, t.baseline_revenue) << t.id;
      if (t.revenue_model == RevenueModel::kDeals) {
        EXPECT_NE(s.mean_deal_size, t.mean_deal_size) << t.id;
        EXPECT_NEAR(s.mean_deal_size, t.mean_deal_size, 0.5 * t.mean_deal_size) << t.id;
      }
    }
  }
}

TEST(ExerciseTest, DifficultyScalesPartnersCapacityNoiseHistoryAndDeals) {
  double last_volatility = 0;
  double last_correlation = 0;
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    double volatility = 0;
    double correlation = 0;
    int partners = 0;
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      const Exercise e = Generate(difficulty, seed);
      SCOPED_TRACE(e.id);
      const int n = kPartners[difficulty - 1];
      ASSERT_EQ(static_cast<int>(e.truth.partners.size()), n);
      EXPECT_EQ(e.history.front().period,
                difficulty <= 2 ? "2024-01" : difficulty == 3 ? "2024-07"
                                : difficulty == 4 ? "2025-01" : "2025-04");
      int deals = 0;
      for (const Partner& p : e.truth.partners) {
        deals += p.revenue_model == RevenueModel::kDeals;
        volatility += p.volatility;
        correlation += p.market_correlation;
      }
      partners += n;
      EXPECT_EQ(deals, kDealsPartners[difficulty - 1]);
      EXPECT_LE(e.truth.capacity_hours / n, 6.0);
      EXPECT_GE(e.truth.capacity_hours / n, 4.0);
    }
    volatility /= partners;
    correlation /= partners;
    EXPECT_GT(volatility, last_volatility) << difficulty;
    EXPECT_GT(correlation, last_correlation) << difficulty;
    last_volatility = volatility;
    last_correlation = correlation;
  }
  EXPECT_GT(Generate(1, 1).truth.capacity_hours / 8, Generate(5, 1).truth.capacity_hours / 32);
}

TEST(ExerciseTest, CurrentTiersAreNeutralAtEasyLevelsAndMisleadingAtHardOnes) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    for (int difficulty : {1, 2}) {
      const Exercise e = Generate(difficulty, seed);
      int maintain = 0;
      for (const Partner& p : e.truth.partners) {
        EXPECT_NE(p.tier, Tier::kInvest) << e.id;
        maintain += p.tier == Tier::kMaintain;
      }
      EXPECT_GT(2 * maintain, static_cast<int>(e.truth.partners.size())) << e.id;
    }
    for (int difficulty : {4, 5}) {
      const Exercise e = Generate(difficulty, seed);
      int invest = 0;
      for (size_t i = 0; i < e.archetypes.size(); ++i) {
        const Tier tier = e.truth.partners[i].tier;
        switch (e.archetypes[i]) {
          case Archetype::kSelfSufficient:
            EXPECT_NE(tier, Tier::kOpportunistic) << e.id;
            invest += tier == Tier::kInvest;
            break;
          case Archetype::kGrowthBet:
          case Archetype::kRetentionNeedy:
            EXPECT_EQ(tier, Tier::kOpportunistic) << e.id;
            break;
          case Archetype::kLongTail:
            break;
        }
      }
      EXPECT_GT(2 * invest, Count(e, Archetype::kSelfSufficient)) << e.id;
    }
  }
}

// The share of the portfolio's months before the current plan whose logged hours are
// more than the jitter away from the current tier's.
double OffTierShare(const Exercise& e) {
  std::map<std::string, double> tier_hours;
  for (const Partner& p : e.truth.partners) tier_hours[p.id] = e.truth.tier_policy.HoursFor(p.tier);
  int off = 0;
  int total = 0;
  for (const HistoryRow& row : e.history) {
    const auto it = tier_hours.find(row.partner_id);
    if (row.period >= "2025-10" || it == tier_hours.end()) continue;  // or a former partner
    ++total;
    off += std::abs(row.hours - it->second) > 1;
  }
  return static_cast<double>(off) / total;
}

TEST(ExerciseTest, HoursVaryRichlyAtEasyLevelsAndFollowTheTierAtHardOnes) {
  std::vector<double> shares;
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    double share = 0;
    for (uint64_t seed = 1; seed <= 4; ++seed) share += OffTierShare(Generate(difficulty, seed));
    shares.push_back(share / 4);
  }
  EXPECT_GT(shares[0], 0.6);
  EXPECT_LT(shares[4], 0.25);
  for (size_t k = 1; k < shares.size(); ++k) EXPECT_LT(shares[k], shares[k - 1]) << k;
}

// The floor seldom makes quota; the plan RecommendTiers finds on the truth usually does.
// Both on a sample independent of the one the plan was chosen on, 4,000 paths: P(attain)
// within +-0.016 (two standard errors at worst).
TEST(ExerciseTest, TheFloorIsUnlikelyToAttainAndTheRecommendedPlanIsClearlyBetter) {
  Engine engine(WithThreads(2));
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    const Exercise e = Generate(difficulty, 11);
    SCOPED_TRACE(e.id);
    RecommendOptions options;
    options.simulation.paths = 4'000;
    options.simulation.seed = 1;
    const auto tiers = SearchTiersChecked(engine, e.truth, options);
    ASSERT_TRUE(tiers.ok()) << tiers.status();
    const std::vector<Tier> floor(e.truth.partners.size(), Tier::kOpportunistic);
    const std::vector<Plan> plans = {TiersPlan(e.truth, floor, "floor"),
                                     TiersPlan(e.truth, *tiers, "recommended")};
    SimulationOptions simulation;
    simulation.paths = 4'000;
    simulation.seed = 2;
    const auto comparison = engine.Compare(e.truth, plans, simulation);
    ASSERT_TRUE(comparison.ok()) << comparison.status();
    const double p_floor = comparison->outcomes[0].attainment_probability;
    const double p_best = comparison->outcomes[1].attainment_probability;
    EXPECT_LT(p_floor, 0.15);  // 0.00 at difficulty 1 to 0.07 at 5
    EXPECT_GT(p_best, 0.6);    // 0.90 to 0.72
    EXPECT_GT(p_best, p_floor + 0.5);
    EXPECT_GT(e.truth.quota, ExpectedRevenue(e.truth, floor));
    EXPECT_LT(e.truth.quota, ExpectedRevenue(e.truth, *tiers));
  }
}

// At difficulty 1 the history's hours vary enough that calibration, with what the
// trainee sees as its base, tells growth bets from self-sufficient producers: over 10
// exercises, every growth bet's estimated lift is above every self-sufficient producer's
// in at least 9 (on 8 partners the shared h50 and the lifts' spread are sometimes
// estimated at a spurious optimum, h50 ~2.5 hours with no spread: seed 3), and the mean
// estimates lie far apart (true lifts 0.8-1.5 against 0.02-0.06).
TEST(ExerciseTest, CalibrationAtDifficultyOneRecoversTheArchetypesCharacter) {
  int separated = 0;
  double difference = 0;
  constexpr int kExercises = 10;
  for (uint64_t seed = 1; seed <= kExercises; ++seed) {
    const Exercise e = Generate(1, seed);
    SCOPED_TRACE(e.id);
    const BuiltHistory built = BuildHistory(e.history, Limits{});
    ASSERT_TRUE(built.violations.empty());
    ASSERT_TRUE(ValidateCalibrationBase(built.history, e.shown, Limits{}).empty());
    const Calibration calibration = Calibrate(built.history, &e.shown);
    std::map<std::string, double> lift;
    for (const PartnerCalibration& pc : calibration.partners) {
      lift[pc.partner_id] = pc.max_lift.value;
    }
    double growth_min = 1e9;
    double self_sufficient_max = -1;
    double growth_mean = 0;
    double self_sufficient_mean = 0;
    for (size_t i = 0; i < e.archetypes.size(); ++i) {
      const double l = lift.at(e.truth.partners[i].id);
      if (e.archetypes[i] == Archetype::kGrowthBet) {
        growth_min = std::min(growth_min, l);
        growth_mean += l / Count(e, Archetype::kGrowthBet);
      }
      if (e.archetypes[i] == Archetype::kSelfSufficient) {
        self_sufficient_max = std::max(self_sufficient_max, l);
        self_sufficient_mean += l / Count(e, Archetype::kSelfSufficient);
      }
    }
    separated += growth_min > self_sufficient_max;
    difference += (growth_mean - self_sufficient_mean) / kExercises;
  }
  EXPECT_GE(separated, 9);
  EXPECT_GT(difference, 0.6);
}

}  // namespace
}  // namespace attain
