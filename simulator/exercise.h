// Training exercises: a realistic portfolio for a new channel manager to plan, drawn from
// the model, with the true parameters hidden and the history a CRM would hold. The
// trainee sees `shown` and `history`, chooses tiers, and is scored on `truth`.
//
// An exercise depends only on its key (exercise_id.h): every draw comes from SplitMix64
// streams seeded from (seed, difficulty), in plain double arithmetic (the simulator is
// built without FMA contraction), with no std:: distribution, so the same id gives the
// same exercise on every replica and build of one generator version. Changing anything
// below that changes an exercise must bump kExerciseGeneratorVersion (exercise_id.h).
//
// The portfolio (docs/model.md, "Training exercises"):
//   - Four archetypes, after the essay: self-sufficient producers (large, steady
//     baselines, lift 0.02-0.05, hardly any churn: hours on them are wasted), growth bets
//     (modest baselines, lift 0.8-1.5 at 8-14 hours to half effect, some growth boost),
//     retention-needy partners (churn 0.10-0.20 a month without hours, retention hours
//     5-8, about MAINTAIN's, modest lift) and a long tail (small baselines). A quarter
//     each of the first two, a fifth retention-needy, the rest the tail; partners in a
//     shuffled order, with names from word lists.
//   - A horizon of 12 months from kExerciseFirstPlanMonth, the default tier policy
//     (INVEST 16, MAINTAIN 6, OPPORTUNISTIC 1 hours a month), no seasonality.
//   - The difficulty (1..5) sets the number of partners (8, 12, 16, 24, 32), the capacity
//     per partner (6 down to 4 hours a month), volatility, market and segment
//     correlation, DEALS partners (none at 1-2), the history's length (24, 24, 18, 12, 9
//     months), how often the logged hours left the current tier's (almost always at 1,
//     seldom at 5), and the current tiers (neutral at 1-2, random at 3, misleading at
//     4-5: INVEST on the self-sufficient, OPPORTUNISTIC on growth bets and the
//     retention-needy). The table is in exercise.cc.
//   - The quota lies 70% of the way from the expected revenue of the floor (every
//     partner OPPORTUNISTIC) to that of a greedy plan within capacity (ExpectedPartner-
//     Revenue, upgrades by revenue gained per hour), rounded to 3 significant digits: the
//     floor seldom attains it, a good plan usually does.
//   - The history is SimulateHistory of the truth over the months before the horizon
//     (HistoryModel), with churn 0: the partners are those still active now, and a
//     history drawn without churn is exactly the model's history given that the partner
//     survived it (dormancy is independent of the shocks). A survivor's history shows no
//     churn, so the history also holds former partners that lapsed: for each partner, one
//     of its archetype, logged like it, is drawn with its churn and kept if it went
//     dormant between the second and the second-to-last month (always, conditioned so,
//     for the retention-needy). Its rows show no revenue from then on, and calibration
//     reads the dormancy (and leaves it out of its portfolio).
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_EXERCISE_H_
#define ATTAIN_SIMULATOR_EXERCISE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "simulator/exercise_id.h"
#include "simulator/history.h"
#include "simulator/model.h"

namespace attain {

enum class Archetype { kSelfSufficient, kGrowthBet, kRetentionNeedy, kLongTail };

// "SELF_SUFFICIENT", "GROWTH_BET", "RETENTION_NEEDY", "LONG_TAIL".
const char* ArchetypeName(Archetype archetype);

// The first month of every exercise's horizon, as year * 12 + (month - 1) (a PeriodLabel
// ordinal): January 2026. The history ends the month before.
inline constexpr int64_t kExerciseFirstPlanMonth = int64_t{2026} * 12;
inline constexpr int kExercisePlanMonths = 12;

struct Exercise {
  ExerciseKey key;
  std::string id;        // FormatExerciseId(key)
  // What the trainee reads first: the situation, quota, capacity and tier policy, what
  // they get, the task, and how the plan is scored. No true parameter.
  std::string briefing;
  // The true model: parameters, current tiers, quota, capacity, tier policy, horizon.
  Portfolio truth;
  // What the trainee sees: truth's ids, segments, current tiers, quota, capacity, tier
  // policy, horizon and seasonality; each baseline is the partner's mean revenue over
  // the history's last 3 months, in cents (every partner sold in one of its last 2);
  // DEALS partners are DEALS with the mean deal size a CRM's deal records would show
  // (the true one with the sampling error of the history's expected number of deals).
  // Every other field, of the partners and the portfolio (segment correlation), is the
  // model's default.
  Portfolio shown;
  std::vector<std::string> names;       // display names, portfolio order
  std::vector<Archetype> archetypes;    // the truth, portfolio order
  // The history CalibratePortfolio reads: a row per partner and month ("2025-07"), the
  // months before the horizon, sorted by month then partner id; revenue in cents, hours
  // in half hours; each row with the partner's segment and name. Its partners are the
  // portfolio's and the former ones that lapsed (ids and names not in the portfolio).
  std::vector<HistoryRow> history;
};

// The exercise of `key`. REQUIRES: key.generator_version == kExerciseGeneratorVersion
// and its difficulty is in range (as ParseExerciseId returns it).
Exercise GenerateExercise(const ExerciseKey& key);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_EXERCISE_H_
