// Validation of portfolios, plans and simulation options. Every rule names the field it
// concerns with a path like `partners[3].volatility`, relative to the validated object;
// callers prefix their own path (e.g. "portfolio.").
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_VALIDATION_H_
#define ATTAIN_SIMULATOR_VALIDATION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "simulator/model.h"
#include "simulator/simulation_options.h"

namespace attain {

// Size limits of one request. Defaults are the service's documented defaults.
struct Limits {
  size_t max_partners = 10'000;
  int max_periods = 60;  // the model is defined for 1..60 periods
  uint64_t max_paths = 10'000'000;
  size_t max_plans = 16;
  // Largest expected number of deals of one DEALS partner in one period (at saturating
  // engagement); bounds the work per draw.
  double max_expected_deals_per_period = 10'000;
};

// Ranges beyond the model's own (docs/model.md), so that no input overflows or stalls.
inline constexpr double kMaxBaselineRevenue = 1e12;
inline constexpr double kMaxGrowthRate = 1.0;
inline constexpr double kMaxGrowthBoost = 1.0;
inline constexpr double kMaxVolatility = 3.0;
inline constexpr double kMaxLift = 10.0;
inline constexpr double kMaxSeasonality = 100.0;
inline constexpr double kMaxDealSizeCv = 10.0;
inline constexpr double kMaxHours = 1e4;  // per partner per period
inline constexpr int kMaxRampPeriods = 1000;

struct FieldViolation {
  std::string field;        // e.g. "partners[3].volatility"
  std::string description;  // e.g. "must be >= 0, got -0.1"
};

std::vector<FieldViolation> ValidatePortfolio(const Portfolio& portfolio, const Limits& limits);

// REQUIRES: ValidatePortfolio(portfolio) is empty (plans are checked against its ids).
std::vector<FieldViolation> ValidatePlan(const Portfolio& portfolio, const Plan& plan);

std::vector<FieldViolation> ValidateOptions(const SimulationOptions& options,
                                            const Limits& limits);

// Prepends `prefix` to each violation's field ("plans[1]." + "tiers[P7]").
void AppendViolations(std::string_view prefix, std::vector<FieldViolation> from,
                      std::vector<FieldViolation>& to);

// OK when `violations` is empty; otherwise InvalidArgument listing every violation as
// "field: description", separated by "; ".
absl::Status ViolationsToStatus(const std::vector<FieldViolation>& violations);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_VALIDATION_H_
