// Why a partner gets, or keeps, its tier: a reason code and the model's exact
// expectations behind it (docs/model.md), as numbers. Wording is left to the edge (the
// service's reason text, the CLI): the domain decides and measures, it does not write.
//
// Pure functions; thread-safe. REQUIRE a portfolio that validates.
#ifndef ATTAIN_SIMULATOR_EXPLANATION_H_
#define ATTAIN_SIMULATOR_EXPLANATION_H_

#include "simulator/model.h"

namespace attain {

enum class ReasonCode {
  kHighLiftPerHour,  // its revenue responds strongly to hours: among the best uses of time
  kDormancyRisk,     // without attention it is likely to go dormant within the horizon
  kSelfSufficient,   // it sells almost as much unassisted
  kFreesHours,       // its hours go to partners with more leverage (another change uses them)
  kFitsCapacity,     // it gives up hours the current plan needs to fit the capacity
  kHoursLeftUnused,  // it gives up hours that no other change uses
  kLocked,           // the caller locked its tier
  kChangeLimit,      // a change would help, but the change budget is spent
  kBestAsIs,         // no other tier does better within the hours
};
const char* ReasonCodeName(ReasonCode code);  // e.g. "SELF_SUFFICIENT"

// Thresholds of the reasons.
inline constexpr double kSelfSufficientShare = 0.9;  // unassisted / assisted revenue
inline constexpr double kDormancyRiskGap = 0.05;     // dormancy probability saved by hours

// A partner at its recommended tier and at the tier the reason weighs it against: for a
// change, the tier it leaves; for a tier kept against dormancy, OPPORTUNISTIC; else the
// tier itself.
struct ReasonFacts {
  Tier tier = Tier::kOpportunistic;
  Tier compared_tier = Tier::kOpportunistic;
  double expected_revenue = 0;           // over the horizon, at `tier`
  double compared_expected_revenue = 0;  // at `compared_tier`
  double unassisted_expected_revenue = 0;  // with no hours at all
  double dormancy_probability = 0;       // P(dormant within the horizon) at `tier`
  double compared_dormancy_probability = 0;
  double hours = 0;                      // per period, at `tier`
  double compared_hours = 0;
  int max_changes = 0;                   // kChangeLimit: the spent change budget
};

struct Reason {
  ReasonCode code = ReasonCode::kBestAsIs;
  ReasonFacts facts;
};

// A partner moving from `from` to `to`: DORMANCY_RISK or HIGH_LIFT_PER_HOUR when it
// gains hours, SELF_SUFFICIENT or FREES_HOURS when it gives them up.
Reason ExplainChange(const Portfolio& portfolio, const Partner& partner, Tier from, Tier to);

// A partner keeping `tier` by the search's choice: SELF_SUFFICIENT, DORMANCY_RISK or
// BEST_AS_IS.
Reason ExplainKept(const Portfolio& portfolio, const Partner& partner, Tier tier);

// A partner keeping `tier` because it is locked, or because the change budget
// (`max_changes`) is spent.
Reason ExplainLocked(const Portfolio& portfolio, const Partner& partner, Tier tier);
Reason ExplainChangeLimit(const Portfolio& portfolio, const Partner& partner, Tier tier,
                          int max_changes);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_EXPLANATION_H_
