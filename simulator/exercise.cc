#include "simulator/exercise.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "simulator/period_label.h"
#include "simulator/random.h"

namespace attain {
namespace {

enum class CurrentTiers {
  kNeutral,     // MAINTAIN, some OPPORTUNISTIC to fit the capacity
  kRandom,      // any tier, fitted to the capacity
  kMisleading,  // INVEST on the self-sufficient, OPPORTUNISTIC on those who need hours
};

// One difficulty's settings (docs/model.md, "Training exercises").
struct Level {
  int partners;
  double capacity_per_partner;  // hours a month
  double volatility;            // typical sigma; each partner's is 0.8..1.2 of it
  double market_correlation;    // typical rho_m; each partner's is within +-0.05 of it
  double segment_correlation;   // rho_s
  int deals_partners;           // lumpy partners, among the non-tail ones
  int history_months;
  // The share of the history's runs of hours away from the current tier's: high, the
  // history identifies lift; low, hours follow the tier and lift hides.
  double off_tier_share;
  CurrentTiers current_tiers;
};

constexpr std::array<Level, kMaxExerciseDifficulty> kLevels = {{
    {8, 6.0, 0.08, 0.10, 0.00, 0, 24, 0.9, CurrentTiers::kNeutral},
    {12, 5.5, 0.14, 0.15, 0.05, 0, 24, 0.7, CurrentTiers::kNeutral},
    {16, 5.0, 0.20, 0.25, 0.10, 2, 18, 0.5, CurrentTiers::kRandom},
    {24, 4.5, 0.27, 0.35, 0.15, 4, 12, 0.3, CurrentTiers::kMisleading},
    {32, 4.0, 0.35, 0.45, 0.20, 8, 9, 0.15, CurrentTiers::kMisleading},
}};

struct Range {
  double low;
  double high;
};

// An archetype's parameters, each drawn uniformly from its range (monthly figures).
struct ArchetypeRanges {
  Range baseline;
  Range growth;
  Range max_lift;
  Range half_effort_hours;
  Range growth_boost;
  Range churn;
  Range retention_hours;
  double volatility_factor;  // of the level's typical volatility
};

// Indexed by Archetype. Self-sufficient producers lose little when neglected (churn
// under 0.5% a month); growth bets pay back INVEST (half effect at 8-14 hours);
// retention-needy partners go dormant within months at OPPORTUNISTIC, and MAINTAIN's 6
// hours about halve that; the tail is small and a little noisier.
constexpr std::array<ArchetypeRanges, 4> kArchetypes = {{
    {{100'000, 250'000}, {-0.005, 0.01}, {0.02, 0.05}, {6, 10}, {0, 0}, {0.001, 0.004},
     {4, 4}, 0.5},
    {{40'000, 100'000}, {0.0, 0.015}, {0.8, 1.5}, {8, 14}, {0.005, 0.015}, {0.01, 0.03},
     {4, 4}, 1.0},
    {{30'000, 90'000}, {-0.01, 0.005}, {0.1, 0.3}, {4, 8}, {0, 0}, {0.10, 0.20}, {5, 8}, 1.0},
    {{5'000, 25'000}, {-0.01, 0.02}, {0.2, 0.5}, {4, 8}, {0, 0}, {0.02, 0.05}, {2, 4}, 1.3},
}};

// Expected deals a month of a DEALS partner at its baseline: 3 or more, so that two
// months in a row without a deal (which calibration reads as dormancy) stay rare.
constexpr Range kDealsPerMonth = {3, 8};
constexpr Range kDealSizeCv = {0.3, 0.8};

// Where the quota lies between the floor's expected revenue and a greedy plan's.
constexpr double kQuotaShareOfGain = 0.7;
// The hours a manager may have logged in a run away from the current tier's, a month.
constexpr std::array<double, 7> kLoggedLevels = {0, 2, 4, 8, 12, 16, 24};
constexpr int kShortestRun = 2;  // months of one level of hours
constexpr int kLongestRun = 5;
constexpr double kHoursJitter = 1.0;  // logged hours wobble by up to this, in half hours
// The months before the horizon logged at the current tier's hours: the current plan.
constexpr int kCurrentPlanMonths = 3;
// Shown baselines: the mean revenue of this many last months of the history.
constexpr int kShownBaselineMonths = 3;

// Two per partner at most: the portfolio's and the lapsed ones.
constexpr std::array<const char*, 72> kNameWords = {
    "Alder", "Anchor", "Apex", "Arbor", "Aspen", "Atlas",
    "Basalt", "Beacon", "Birch", "Bluewater", "Bramble", "Bridgeway",
    "Canyon", "Cascade", "Cedar", "Cirrus", "Clearpath", "Coastal",
    "Copper", "Crescent", "Crestline", "Driftwood", "Elm", "Ember",
    "Falcon", "Fjord", "Flint", "Foxglove", "Gable", "Glacier",
    "Harvest", "Hawthorn", "Helix", "Highland", "Horizon", "Indigo",
    "Ivory", "Jasper", "Kestrel", "Lakeside", "Larkspur", "Linden",
    "Magnolia", "Maple", "Marble", "Meridian", "Mosaic", "Nimbus",
    "Northstar", "Oakridge", "Obsidian", "Orchid", "Pinnacle", "Prairie",
    "Quarry", "Redwood", "Ridgeline", "Riverbend", "Sable", "Saffron",
    "Sequoia", "Silverline", "Summit", "Tandem", "Thistle", "Tidewater",
    "Trident", "Upland", "Vantage", "Wildflower", "Willow", "Zenith"};
static_assert(kNameWords.size() >= 2 * static_cast<size_t>(kLevels.back().partners));
constexpr std::array<const char*, 12> kNameSuffixes = {
    "Systems", "Networks", "IT",       "Solutions",   "Technologies", "Digital",
    "Data",    "Cloud",    "Partners", "Integrators", "Consulting",   "Group"};
constexpr std::array<const char*, 3> kSegments = {"enterprise", "mid-market", "smb"};

// Salts of the exercise's streams, so that each is independent of the others: successive
// 64 bits of pi's fraction (any fixed constants with well-mixed bits would do; changing
// one changes every exercise).
constexpr uint64_t kPortfolioSalt = 0x243f6a8885a308d3ULL;
constexpr uint64_t kHoursSalt = 0x13198a2e03707344ULL;
constexpr uint64_t kHistorySalt = 0xa4093822299f31d0ULL;
constexpr uint64_t kLapsedSalt = 0x082efa98ec4e6c89ULL;

uint64_t StreamSeed(const ExerciseKey& key, uint64_t salt) {
  return Mix64(Mix64(key.seed ^ salt) + static_cast<uint64_t>(key.difficulty));
}

// Uniform in [0, 1) from 53 bits.
double Uniform(SplitMix64& stream) { return static_cast<double>(stream() >> 11) * 0x1.0p-53; }

double Draw(const Range& range, SplitMix64& stream) {
  return range.low + (range.high - range.low) * Uniform(stream);
}

// Uniform in 0..n-1 (the modulo's bias, under n / 2^64, is immaterial here).
size_t Index(size_t n, SplitMix64& stream) { return static_cast<size_t>(stream() % n); }

// A shuffled copy of `items` (Fisher-Yates; std::shuffle's order differs between
// standard libraries).
template <class T>
std::vector<T> Shuffled(std::vector<T> items, SplitMix64& stream) {
  for (size_t k = items.size(); k > 1; --k) std::swap(items[k - 1], items[Index(k, stream)]);
  return items;
}

// `value` to a multiple of `step`, so that revealed parameters read as round figures.
double RoundTo(double value, double step) { return std::round(value / step) * step; }

// "Cedar Networks" for "Cedar".
std::string DisplayName(const std::string& word, SplitMix64& stream) {
  return absl::StrCat(word, " ", kNameSuffixes[Index(kNameSuffixes.size(), stream)]);
}

std::vector<Archetype> ArchetypeMix(int partners, SplitMix64& stream) {
  const int self_sufficient = partners / 4;
  const int growth = partners / 4;
  const int retention = partners / 5;
  std::vector<Archetype> mix;
  mix.insert(mix.end(), self_sufficient, Archetype::kSelfSufficient);
  mix.insert(mix.end(), growth, Archetype::kGrowthBet);
  mix.insert(mix.end(), retention, Archetype::kRetentionNeedy);
  mix.insert(mix.end(), partners - self_sufficient - growth - retention, Archetype::kLongTail);
  return Shuffled(std::move(mix), stream);
}

Partner DrawPartner(Archetype archetype, const Level& level, SplitMix64& stream) {
  const ArchetypeRanges& r = kArchetypes[static_cast<size_t>(archetype)];
  Partner p;
  p.baseline_revenue = RoundTo(Draw(r.baseline, stream), 100);
  p.growth_rate = RoundTo(Draw(r.growth, stream), 0.001);
  p.volatility =
      RoundTo(level.volatility * r.volatility_factor * Draw({0.8, 1.2}, stream), 0.01);
  p.market_correlation = RoundTo(level.market_correlation + Draw({-0.05, 0.05}, stream), 0.01);
  p.segment = kSegments[Index(kSegments.size(), stream)];
  p.max_lift = RoundTo(Draw(r.max_lift, stream), 0.01);
  p.half_effort_hours = RoundTo(Draw(r.half_effort_hours, stream), 0.5);
  p.growth_boost = RoundTo(Draw(r.growth_boost, stream), 0.001);
  p.churn_rate = RoundTo(Draw(r.churn, stream), 0.001);
  p.retention_hours = RoundTo(Draw(r.retention_hours, stream), 0.5);
  return p;
}

// Makes `count` of the partners that are not in the tail DEALS partners.
void MakeDealsPartners(int count, const std::vector<Archetype>& archetypes,
                       std::vector<Partner>& partners, SplitMix64& stream) {
  std::vector<size_t> candidates;
  for (size_t i = 0; i < partners.size(); ++i) {
    if (archetypes[i] != Archetype::kLongTail) candidates.push_back(i);
  }
  candidates = Shuffled(std::move(candidates), stream);
  for (size_t k = 0; k < static_cast<size_t>(count); ++k) {
    Partner& p = partners[candidates[k]];
    p.revenue_model = RevenueModel::kDeals;
    p.mean_deal_size = RoundTo(p.baseline_revenue / Draw(kDealsPerMonth, stream), 100);
    p.deal_size_cv = RoundTo(Draw(kDealSizeCv, stream), 0.01);
  }
}

// The tiers the trainee inherits, within the capacity: the level's wish, then one step
// down at a time in a shuffled order (the tail first, and the self-sufficient last, when
// misleading) until the hours fit. The floor always fits (capacity >= 4 per partner).
std::vector<Tier> InheritedTiers(const Level& level, const std::vector<Archetype>& archetypes,
                                 const Portfolio& portfolio, SplitMix64& stream) {
  const size_t n = archetypes.size();
  std::vector<Tier> tiers(n, Tier::kMaintain);
  for (size_t i = 0; i < n; ++i) {
    if (level.current_tiers == CurrentTiers::kRandom) {
      tiers[i] = static_cast<Tier>(Index(3, stream));
    } else if (level.current_tiers == CurrentTiers::kMisleading) {
      const Archetype a = archetypes[i];
      tiers[i] = a == Archetype::kSelfSufficient ? Tier::kInvest
                 : a == Archetype::kLongTail     ? Tier::kMaintain
                                                 : Tier::kOpportunistic;
    }
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  order = Shuffled(std::move(order), stream);
  if (level.current_tiers == CurrentTiers::kMisleading) {
    std::stable_partition(order.begin(), order.end(), [&](size_t i) {
      return archetypes[i] != Archetype::kSelfSufficient;
    });
  }
  const TierPolicy& policy = portfolio.tier_policy;
  double used = 0;
  for (const Tier tier : tiers) used += policy.HoursFor(tier);
  while (used > portfolio.capacity_hours) {
    for (const size_t i : order) {
      if (used <= portfolio.capacity_hours) break;
      if (tiers[i] == Tier::kOpportunistic) continue;
      const Tier lower = static_cast<Tier>(static_cast<int>(tiers[i]) + 1);
      used -= policy.HoursFor(tiers[i]) - policy.HoursFor(lower);
      tiers[i] = lower;
    }
  }
  return tiers;
}

// `value` rounded to 3 significant digits.
double ThreeSignificantDigits(double value) {
  double unit = 1;
  while (value >= 1000 * unit) unit *= 10;
  return std::round(value / unit) * unit;
}

// The quota: kQuotaShareOfGain of the way from the floor's expected revenue to that of
// the plan a careful manager could find (from the floor, while hours remain, the upgrade
// with the most expected revenue per hour), to 3 significant digits.
double Quota(const Portfolio& portfolio) {
  const size_t n = portfolio.partners.size();
  const auto hours = [&](int tier) {
    return portfolio.tier_policy.HoursFor(static_cast<Tier>(tier));
  };
  std::vector<std::array<double, 3>> expected(n);  // [partner][tier]
  for (size_t i = 0; i < n; ++i) {
    for (int t = 0; t < 3; ++t) {
      expected[i][static_cast<size_t>(t)] =
          ExpectedPartnerRevenue(portfolio, portfolio.partners[i], hours(t));
    }
  }
  std::vector<int> tiers(n, static_cast<int>(Tier::kOpportunistic));
  double left = portfolio.capacity_hours - static_cast<double>(n) * hours(tiers[0]);
  double floor = 0;
  for (size_t i = 0; i < n; ++i) floor += expected[i][static_cast<size_t>(tiers[i])];
  double greedy = floor;
  while (true) {
    double best_rate = 0;
    size_t best_partner = n;
    int best_tier = 0;
    for (size_t i = 0; i < n; ++i) {
      for (int t = 0; t < tiers[i]; ++t) {  // the tiers above the current one
        const double extra_hours = hours(t) - hours(tiers[i]);
        const double gain =
            expected[i][static_cast<size_t>(t)] - expected[i][static_cast<size_t>(tiers[i])];
        if (extra_hours > left || gain <= 0 || gain / extra_hours <= best_rate) continue;
        best_rate = gain / extra_hours;
        best_partner = i;
        best_tier = t;
      }
    }
    if (best_partner == n) break;
    left -= hours(best_tier) - hours(tiers[best_partner]);
    greedy += expected[best_partner][static_cast<size_t>(best_tier)] -
              expected[best_partner][static_cast<size_t>(tiers[best_partner])];
    tiers[best_partner] = best_tier;
  }
  return ThreeSignificantDigits(floor + kQuotaShareOfGain * (greedy - floor));
}

// The hours a manager logged for one partner over the history: runs of 2-5 months, each
// at the current tier's hours or, with the level's off-tier share, at another level;
// the last kCurrentPlanMonths at the current tier's. Entries wobble in half hours.
std::vector<double> LoggedHours(double tier_hours, const Level& level, SplitMix64& stream) {
  const int months = level.history_months;
  std::vector<double> hours;
  while (static_cast<int>(hours.size()) < months - kCurrentPlanMonths) {
    const int run = kShortestRun + static_cast<int>(Index(kLongestRun - kShortestRun + 1, stream));
    const double run_hours = Uniform(stream) < level.off_tier_share
                                 ? kLoggedLevels[Index(kLoggedLevels.size(), stream)]
                                 : tier_hours;
    hours.insert(hours.end(), static_cast<size_t>(run), run_hours);
  }
  hours.resize(static_cast<size_t>(months - kCurrentPlanMonths));
  hours.insert(hours.end(), kCurrentPlanMonths, tier_hours);
  for (double& h : hours) {
    if (h > 0) {
      h = std::max(0.0, std::round(2 * (h + kHoursJitter * (2 * Uniform(stream) - 1))) / 2);
    }
  }
  return hours;
}

// The month (1-based) from which a former partner `p` logged at `hours` sells nothing:
// dormancy under the model's hazard at each month's hours, drawn by inverse transform of
// the uniform `u` as the engine draws it; 0 when it survives the history. `must_lapse`
// conditions the draw on dormancy from a month in 2..T-1: it sold, then stopped, and the
// history shows two months without revenue at least.
int DormantFrom(const Partner& p, const std::vector<double>& hours, double u, bool must_lapse) {
  std::vector<double> survival;  // [t - 1]: P(active through month t)
  double s = 1;
  for (const double h : hours) {
    s *= 1 - p.churn_rate * p.retention_hours / (p.retention_hours + h);
    survival.push_back(s);
  }
  if (must_lapse) {
    const double low = survival[survival.size() - 2];
    u = low + (survival.front() - low) * u;
  }
  for (size_t t = 0; t < survival.size(); ++t) {
    if (!(u < survival[t])) return static_cast<int>(t) + 1;
  }
  return 0;
}

// The history's rows, sorted by month then partner id.
std::vector<HistoryRow> HistoryRows(const History& history, const std::vector<std::string>& names) {
  std::vector<size_t> by_id(history.partners.size());
  for (size_t i = 0; i < by_id.size(); ++i) by_id[i] = i;
  std::sort(by_id.begin(), by_id.end(), [&](size_t a, size_t b) {
    return history.partners[a].id < history.partners[b].id;
  });
  const int64_t first = kExerciseFirstPlanMonth - history.periods;
  std::vector<HistoryRow> rows;
  for (size_t t = 0; t < static_cast<size_t>(history.periods); ++t) {
    const std::string month =
        PeriodLabelText({PeriodLabel::Kind::kMonth, first + static_cast<int64_t>(t)});
    for (const size_t i : by_id) {
      const PartnerHistory& p = history.partners[i];
      rows.push_back({p.id, month, std::round(p.revenue[t] * 100) / 100, p.hours[t], p.segment,
                      names[i]});
    }
  }
  return rows;
}

// The history's partners: the portfolio's, given that each is still active, then for each
// of them a former partner of its archetype, logged like it, where that one lapsed during
// the history (see the header). All are drawn without churn, and the lapsed ones cut off
// at their dormancy. Appends the lapsed ones' names, from `words`, to `names`.
History DrawHistory(const ExerciseKey& key, const Level& level, const Exercise& exercise,
                    std::span<const std::string> words, std::vector<std::string>& names) {
  const Portfolio& truth = exercise.truth;
  const size_t n = truth.partners.size();
  SplitMix64 hours_stream(StreamSeed(key, kHoursSalt));
  Portfolio cohort = truth;
  std::vector<std::vector<double>> hours;
  for (const Partner& p : truth.partners) {
    hours.push_back(LoggedHours(truth.tier_policy.HoursFor(p.tier), level, hours_stream));
  }
  std::vector<int> dormant_from;  // of each lapsed partner
  SplitMix64 lapsed_stream(StreamSeed(key, kLapsedSalt));
  for (size_t i = 0; i < n; ++i) {
    Partner former = DrawPartner(exercise.archetypes[i], level, lapsed_stream);
    std::vector<double> former_hours =
        LoggedHours(truth.tier_policy.HoursFor(truth.partners[i].tier), level, lapsed_stream);
    const int month = DormantFrom(former, former_hours, Uniform(lapsed_stream),
                                  exercise.archetypes[i] == Archetype::kRetentionNeedy);
    if (month < 2 || month >= level.history_months) continue;  // not seen to lapse
    const std::string& word = words[dormant_from.size()];
    former.id = absl::AsciiStrToLower(word);
    names.push_back(DisplayName(word, lapsed_stream));
    cohort.partners.push_back(std::move(former));
    hours.push_back(std::move(former_hours));
    dormant_from.push_back(month);
  }
  for (Partner& p : cohort.partners) p.churn_rate = 0;
  const Portfolio model = HistoryModel(cohort, hours);
  // A DEALS partner may close no deal for two months, which calibration reads as
  // dormancy; the portfolio's partners are active, so such a draw is made again with the
  // stream's next seed (rejection: exactly the law given that each sold in one of the
  // last two months; one draw in 100 fails at difficulty 5, none in 400 at 3 or 4).
  History history;
  for (uint64_t attempt = 0;; ++attempt) {
    history = SimulateHistory(model, hours, StreamSeed(key, kHistorySalt) + attempt);
    const auto active = [&](const PartnerHistory& p) {
      return p.revenue.back() > 0 || p.revenue[p.revenue.size() - 2] > 0;
    };
    if (std::all_of(history.partners.begin(), history.partners.begin() + static_cast<long>(n),
                    active)) {
      break;
    }
  }
  for (size_t j = 0; j < dormant_from.size(); ++j) {
    PartnerHistory& lapsed = history.partners[n + j];
    const auto from = static_cast<size_t>(dormant_from[j]);
    // No revenue from its dormancy on; hours logged in that month, none after.
    for (size_t t = from - 1; t < lapsed.revenue.size(); ++t) lapsed.revenue[t] = 0;
    for (size_t t = from; t < lapsed.hours.size(); ++t) lapsed.hours[t] = 0;
  }
  return history;
}

// What the trainee sees of the truth (Exercise::shown).
Portfolio ShownPortfolio(const Portfolio& truth, const History& history, SplitMix64& stream) {
  Portfolio shown = truth;
  shown.segment_correlation = Portfolio{}.segment_correlation;
  const size_t months = static_cast<size_t>(history.periods);
  for (size_t i = 0; i < truth.partners.size(); ++i) {
    const Partner& p = truth.partners[i];
    const std::vector<double>& revenue = history.partners[i].revenue;
    Partner& s = shown.partners[i];
    s = Partner{};
    s.id = p.id;
    s.tier = p.tier;
    s.segment = p.segment;
    double recent = 0;
    for (size_t t = months - kShownBaselineMonths; t < months; ++t) recent += revenue[t];
    // In cents, as the history; never 0 (each partner sold in one of the last 2 months).
    s.baseline_revenue = std::max(0.01, std::round(recent / kShownBaselineMonths * 100) / 100);
    if (p.revenue_model == RevenueModel::kDeals) {
      // The mean of the history's deals: about n = months x b / m of them, so its relative
      // error is cv / sqrt(n); drawn uniform with that standard deviation.
      const double deals = static_cast<double>(months) * p.baseline_revenue / p.mean_deal_size;
      const double spread = std::sqrt(3.0) * p.deal_size_cv / std::sqrt(deals);
      s.revenue_model = RevenueModel::kDeals;
      s.mean_deal_size =
          RoundTo(p.mean_deal_size * (1 + spread * (2 * Uniform(stream) - 1)), 100);
    }
  }
  return shown;
}

// "9,450,000".
std::string WholeAmount(double amount) {
  const std::string digits = absl::StrCat(static_cast<int64_t>(std::round(amount)));
  std::string text;
  for (size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) text += ',';
    text += digits[k];
  }
  return text;
}

std::string Briefing(const Exercise& exercise, int history_months) {
  const Portfolio& p = exercise.shown;
  double used = 0;
  for (const Partner& partner : p.partners) used += p.tier_policy.HoursFor(partner.tier);
  const auto month = [](int64_t ordinal) {
    return PeriodLabelText({PeriodLabel::Kind::kMonth, ordinal});
  };
  int deals = 0;
  for (const Partner& partner : p.partners) deals += partner.revenue_model == RevenueModel::kDeals;
  std::string text = absl::StrCat(
      "You take over ", p.partners.size(), " reseller partners for the ", p.periods,
      " months from ", month(kExerciseFirstPlanMonth), " to ",
      month(kExerciseFirstPlanMonth + p.periods - 1), ". Your quota is ", WholeAmount(p.quota),
      " ", p.currency, " of partner revenue over those months, and you have ",
      WholeAmount(p.capacity_hours), " hours a month to give partners: INVEST takes ",
      p.tier_policy.invest_hours, ", MAINTAIN ", p.tier_policy.maintain_hours,
      " and OPPORTUNISTIC ", p.tier_policy.opportunistic_hours,
      " hours a month. The current tiers use ", WholeAmount(used), " of those hours. ");
  absl::StrAppend(&text, "You get each partner's name, segment and current tier, and the ",
                  history_months, " months of revenue and logged hours your CRM holds (",
                  month(kExerciseFirstPlanMonth - history_months), " to ",
                  month(kExerciseFirstPlanMonth - 1),
                  ") for these partners and for former ones that stopped selling. ");
  if (deals > 0) {
    absl::StrAppend(&text, deals, " of the partners sell in lumpy deals; their mean deal size "
                              "is what your CRM's deal records show. ");
  }
  absl::StrAppend(
      &text,
      "Some partners sell whether you show up or not, some grow with heavy attention, and "
      "some drift away when neglected; the history is your evidence. Choose a tier for "
      "every partner within your hours. Your plan is scored by the share of the achievable "
      "improvement in the probability of making quota that it captures: 0 for every "
      "partner OPPORTUNISTIC, 100 for the best plan found on the true model.");
  return text;
}

}  // namespace

const char* ArchetypeName(Archetype archetype) {
  switch (archetype) {
    case Archetype::kSelfSufficient:
      return "SELF_SUFFICIENT";
    case Archetype::kGrowthBet:
      return "GROWTH_BET";
    case Archetype::kRetentionNeedy:
      return "RETENTION_NEEDY";
    case Archetype::kLongTail:
      return "LONG_TAIL";
  }
  return "UNKNOWN";
}

Exercise GenerateExercise(const ExerciseKey& key) {
  const Level& level = kLevels[static_cast<size_t>(key.difficulty - kMinExerciseDifficulty)];
  SplitMix64 stream(StreamSeed(key, kPortfolioSalt));
  Exercise exercise;
  exercise.key = key;
  exercise.id = FormatExerciseId(key);
  exercise.archetypes = ArchetypeMix(level.partners, stream);

  Portfolio& truth = exercise.truth;
  truth.channel_manager_id = "trainee";
  truth.currency = "USD";
  truth.periods = kExercisePlanMonths;
  truth.capacity_hours = level.capacity_per_partner * level.partners;
  truth.segment_correlation = level.segment_correlation;
  const std::vector<std::string> words =
      Shuffled(std::vector<std::string>(kNameWords.begin(), kNameWords.end()), stream);
  for (size_t i = 0; i < exercise.archetypes.size(); ++i) {
    Partner p = DrawPartner(exercise.archetypes[i], level, stream);
    p.id = absl::AsciiStrToLower(words[i]);
    exercise.names.push_back(DisplayName(words[i], stream));
    truth.partners.push_back(std::move(p));
  }
  MakeDealsPartners(level.deals_partners, exercise.archetypes, truth.partners, stream);
  const std::vector<Tier> tiers = InheritedTiers(level, exercise.archetypes, truth, stream);
  for (size_t i = 0; i < tiers.size(); ++i) truth.partners[i].tier = tiers[i];

  truth.quota = Quota(truth);

  std::vector<std::string> names = exercise.names;
  const History history = DrawHistory(key, level, exercise,
                                      std::span(words).subspan(exercise.names.size()), names);
  exercise.history = HistoryRows(history, names);
  exercise.shown = ShownPortfolio(truth, history, stream);
  exercise.briefing = Briefing(exercise, level.history_months);
  return exercise;
}

}  // namespace attain
