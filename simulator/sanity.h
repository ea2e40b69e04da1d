// Sanity checks: inputs that are valid but probably do not mean what the caller thinks
// (an annual figure entered per period, capacity left at 0, a model resting on defaults,
// a plan over the manager's hours). They never stop a run; their warnings travel with its
// result, as codes and numbers (wording is left to the edge, as for reasons).
//
// Pure functions; thread-safe. REQUIRE a portfolio and plans that validate.
#ifndef ATTAIN_SIMULATOR_SANITY_H_
#define ATTAIN_SIMULATOR_SANITY_H_

#include <span>
#include <string>
#include <vector>

#include "simulator/model.h"

namespace attain {

enum class WarningCode {
  kUnassistedFarAboveQuota,  // value: unassisted expected revenue; reference: quota
  kUnassistedFarBelowQuota,  // the same
  kNoCapacity,               // capacity 0 while the plan uses hours (value)
  kRestsOnDefaults,          // count of total response parameters are defaults
  kOverCapacity,             // plan_name uses value hours per period of reference
};

struct SanityWarning {
  WarningCode code = WarningCode::kRestsOnDefaults;
  std::string field;  // the input to look at, e.g. "capacity_hours"
  double value = 0;
  double reference = 0;
  int count = 0;
  int total = 0;
  std::string plan_name;
};

// Unassisted expected horizon revenue more than this many times the quota, or less than
// its inverse, is warned about.
inline constexpr double kFarFromQuotaRatio = 3;

// The portfolio's warnings (unassisted revenue against the quota, response parameters at
// defaults), then each plan's (NO_CAPACITY once, for the first plan using hours while
// capacity is 0; else OVER_CAPACITY for each plan over it), in that order.
std::vector<SanityWarning> CheckSanity(const Portfolio& portfolio,
                                       std::span<const ResolvedPlan> plans);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_SANITY_H_
