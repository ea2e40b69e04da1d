// Validation of portfolios, plans and simulation options. Every rule names the field it
// concerns with a path like `partners[3].volatility`, relative to the validated object;
// callers prefix their own path (e.g. "portfolio.").
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_VALIDATION_H_
#define ATTAIN_SIMULATOR_VALIDATION_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
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
inline constexpr double kMaxQuota = 1e18;
inline constexpr double kMaxGrowthRate = 1.0;
inline constexpr double kMaxGrowthBoost = 1.0;
inline constexpr double kMaxVolatility = 3.0;
inline constexpr double kMaxLift = 10.0;
inline constexpr double kMaxSeasonality = 100.0;
inline constexpr double kMaxDealSizeCv = 10.0;
inline constexpr double kMaxHours = 1e4;  // per partner per period
inline constexpr int kMaxRampPeriods = 1000;
// The model's expected revenue of one partner in one period, at saturating engagement,
// is at most this. Every per-path figure then stays far inside float and double range
// (a shock of sigma = 3 at 8 standard deviations is ~3e10), so every output is finite.
// Only growth can reach it: baseline x seasonality x (1 + lift) alone is at most 1.1e15.
inline constexpr double kMaxExpectedPeriodRevenue = 1e18;
// Largest per-period expected revenue of a partner: saturating engagement (f = 1), the
// largest growth and seasonality over the horizon. REQUIRES: the partner's mean fields
// are finite.
double MaxExpectedPeriodRevenue(const Portfolio& portfolio, const Partner& p);

// Ids, names and segments; longer ones are refused, and quoted ones cut in messages.
inline constexpr size_t kMaxNameBytes = 256;

struct FieldViolation {
  std::string field;        // e.g. "partners[3].volatility"
  std::string description;  // e.g. "must be >= 0, got -0.1"
};

// Violations kept in full per input; the rest are only counted.
inline constexpr size_t kMaxListedViolations = 100;

// The field violations of one input, in the order found. The first
// kMaxListedViolations are kept and the rest only counted, so an input with a million
// bad fields costs no more memory than one with a hundred. size() counts them all;
// indexing and iteration see the kept ones. Thread-compatible value type.
class Violations {
 public:
  Violations() = default;
  Violations(std::initializer_list<FieldViolation> violations) {
    for (const FieldViolation& v : violations) Add(v.field, v.description);
  }

  void Add(std::string field, std::string description);
  // Adds every violation of `from` (kept and counted), each field under `path` (see
  // NestedField): "plans[1]" + "tiers[\"P7\"]" -> "plans[1].tiers[\"P7\"]".
  void Append(absl::string_view path, const Violations& from);

  bool empty() const { return total_ == 0; }
  size_t size() const { return total_; }
  size_t unlisted() const { return total_ - listed_.size(); }
  const FieldViolation& operator[](size_t i) const { return listed_[i]; }
  std::vector<FieldViolation>::const_iterator begin() const { return listed_.begin(); }
  std::vector<FieldViolation>::const_iterator end() const { return listed_.end(); }

 private:
  std::vector<FieldViolation> listed_;
  size_t total_ = 0;
};

Violations ValidatePortfolio(const Portfolio& portfolio, const Limits& limits);

// REQUIRES: ValidatePortfolio(portfolio) is empty (plans are checked against its ids).
Violations ValidatePlan(const Portfolio& portfolio, const Plan& plan);

Violations ValidateOptions(const SimulationOptions& options, const Limits& limits);

// The inputs of a run (a portfolio, its plans, the options), each checked against its
// own rules, with field paths relative to it.
struct RunViolations {
  Violations portfolio;
  Violations plan_list;           // the list of plans as a whole: its length
  std::vector<Violations> plans;  // one per plan, when the portfolio and the list are valid
  Violations options;

  bool empty() const;
  // Every violation under the caller's names for the inputs: `portfolio`, `plan_list`,
  // plan_path(k) and `options`, e.g. "portfolio" + "partners[3].volatility" ->
  // "portfolio.partners[3].volatility".
  Violations Under(absl::string_view portfolio_path, absl::string_view plan_list_path,
                   const std::function<std::string(size_t)>& plan_path,
                   absl::string_view options_path) const;
};

RunViolations ValidateRun(const Portfolio& portfolio, std::span<const Plan> plans,
                          const SimulationOptions& options, const Limits& limits);

// `field` (relative to the object at `path`) as a path from the caller: "portfolio" +
// "quota" -> "portfolio.quota"; "plans" + "" -> "plans"; "ids" + "[3]" -> "ids[3]".
std::string NestedField(absl::string_view path, absl::string_view field);

// `text` in double quotes, cut to its first 64 bytes (then "...") so that a message
// quoting user input stays short.
std::string QuoteForMessage(absl::string_view text);

// Bytes of "field: description" text a violations message lists before it sums up the
// rest; keeps a gRPC status (message and details) well under the 8 KiB metadata limit.
inline constexpr size_t kViolationsMessageBytes = 1000;

// The violations that a message lists: the first ones whose "field: description" text
// fits kViolationsMessageBytes (at least one).
size_t ViolationsToList(const Violations& violations);

// "field: description; field: description", the first ViolationsToList() of them,
// then "; and N more" for the rest.
std::string ViolationsMessage(const Violations& violations);

// OK when `violations` is empty; otherwise InvalidArgument with ViolationsMessage().
absl::Status ViolationsToStatus(const Violations& violations);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_VALIDATION_H_
