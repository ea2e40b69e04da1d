#include "simulator/validation.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace attain {

double MaxExpectedPeriodRevenue(const Portfolio& portfolio, const Partner& p) {
  const double growth = p.growth_rate + p.growth_boost;
  double compounded = 1;
  double largest = 0;
  for (int t = 1; t <= portfolio.periods; ++t) {
    largest = std::max(largest, compounded * portfolio.Seasonality(t));
    compounded *= 1 + growth;
  }
  return p.baseline_revenue * largest * (1 + p.max_lift);
}

namespace {

// Collects violations for fields under one path prefix.
class Checker {
 public:
  Checker(std::string prefix, Violations& out) : prefix_(std::move(prefix)), out_(out) {}

  void Fail(absl::string_view field, std::string description) {
    out_.Add(absl::StrCat(prefix_, field), std::move(description));
  }

  // Checks that a name fits kMaxNameBytes.
  bool NameFits(absl::string_view field, const std::string& name) {
    if (name.size() <= kMaxNameBytes) return true;
    Fail(field, absl::StrCat("is ", name.size(), " bytes long, the limit is ", kMaxNameBytes));
    return false;
  }

  // Checks low <= value <= high (or < when the bound is open); rejects NaN and infinities.
  bool InRange(absl::string_view field, double value, double low, bool low_open, double high,
               bool high_open) {
    if (!std::isfinite(value)) {
      Fail(field, absl::StrCat("must be a finite number, got ", value));
      return false;
    }
    const bool low_ok = low_open ? value > low : value >= low;
    const bool high_ok = high_open ? value < high : value <= high;
    if (low_ok && high_ok) return true;
    Fail(field, absl::StrCat("must be in ", low_open ? "(" : "[", low, ", ", high,
                             high_open ? ")" : "]", ", got ", value));
    return false;
  }
  bool AtLeast(absl::string_view field, double value, double low, double high) {
    return InRange(field, value, low, false, high, false);
  }
  bool Positive(absl::string_view field, double value, double high) {
    return InRange(field, value, 0, true, high, false);
  }
  bool Fraction(absl::string_view field, double value) {  // [0, 1)
    return InRange(field, value, 0, false, 1, true);
  }

 private:
  std::string prefix_;
  Violations& out_;
};

void ValidatePartner(const Portfolio& portfolio, const Partner& p, const Limits& limits,
                     Checker& check) {
  if (p.id.empty()) check.Fail("id", "must not be empty");
  check.NameFits("id", p.id);
  check.NameFits("segment", p.segment);
  // The revenue bound needs every factor of the mean in range.
  bool mean_ok = check.Positive("baseline_revenue", p.baseline_revenue, kMaxBaselineRevenue);
  mean_ok &= check.InRange("growth_rate", p.growth_rate, -1, true, kMaxGrowthRate, false);
  check.AtLeast("volatility", p.volatility, 0, kMaxVolatility);
  if (check.Fraction("market_correlation", p.market_correlation) && !p.segment.empty() &&
      std::isfinite(portfolio.segment_correlation) &&
      p.market_correlation + portfolio.segment_correlation >= 1) {
    check.Fail("market_correlation",
               absl::StrCat("plus segment_correlation (", portfolio.segment_correlation,
                            ") must be < 1 for a partner in a segment, got ",
                            p.market_correlation));
  }
  mean_ok &= check.AtLeast("response.max_lift", p.max_lift, 0, kMaxLift);
  check.Positive("response.half_effort_hours", p.half_effort_hours, kMaxHours);
  if (p.ramp_periods < 0 || p.ramp_periods > kMaxRampPeriods) {
    check.Fail("response.ramp_periods", absl::StrCat("must be in [0, ", kMaxRampPeriods,
                                                     "], got ", p.ramp_periods));
  }
  mean_ok &= check.AtLeast("response.growth_boost", p.growth_boost, 0, kMaxGrowthBoost);
  check.Fraction("retention.churn_rate", p.churn_rate);
  check.Positive("retention.retention_hours", p.retention_hours, kMaxHours);
  if (p.hours_override) check.AtLeast("hours_override", *p.hours_override, 0, kMaxHours);
  // Standard errors: each at most its parameter's own range (a wider one says nothing
  // more, and parameter draws are clipped to the range anyway).
  check.AtLeast("errors.baseline_revenue", p.errors.baseline_revenue, 0, kMaxBaselineRevenue);
  check.AtLeast("errors.growth_rate", p.errors.growth_rate, 0, kMaxGrowthRate);
  check.AtLeast("errors.max_lift", p.errors.max_lift, 0, kMaxLift);
  check.AtLeast("errors.churn_rate", p.errors.churn_rate, 0, 1);
  const double peak = mean_ok ? MaxExpectedPeriodRevenue(portfolio, p) : 0;
  if (!(peak <= kMaxExpectedPeriodRevenue)) {
    check.Fail("growth_rate",
               absl::StrCat("compounds (with response.growth_boost) to an expected ", peak,
                            " per period at full engagement, over the model's limit of ",
                            kMaxExpectedPeriodRevenue,
                            "; lower growth_rate or response.growth_boost"));
    return;
  }
  if (p.revenue_model != RevenueModel::kDeals) return;
  if (p.mean_deal_size == 0) {
    check.Fail("deals.mean_deal_size", "is required for the deals revenue model");
    return;
  }
  check.AtLeast("deals.deal_size_cv", p.deal_size_cv, 0, kMaxDealSizeCv);
  if (!check.Positive("deals.mean_deal_size", p.mean_deal_size, kMaxBaselineRevenue)) return;
  if (!mean_ok) return;
  const double deals = peak / p.mean_deal_size;
  if (!(deals <= limits.max_expected_deals_per_period)) {
    check.Fail("deals.mean_deal_size",
               absl::StrCat("is too small: up to ", deals,
                            " expected deals per period, the limit is ",
                            limits.max_expected_deals_per_period));
  }
}

}  // namespace

Violations ValidatePortfolio(const Portfolio& portfolio, const Limits& limits) {
  Violations violations;
  Checker check("", violations);
  check.NameFits("channel_manager_id", portfolio.channel_manager_id);
  check.NameFits("currency", portfolio.currency);
  check.AtLeast("quota", portfolio.quota, 0, kMaxQuota);
  const bool periods_ok = portfolio.periods >= 1 && portfolio.periods <= limits.max_periods;
  if (!periods_ok) {
    check.Fail("periods", absl::StrCat("must be in [1, ", limits.max_periods, "], got ",
                                       portfolio.periods));
  }
  check.AtLeast("capacity_hours", portfolio.capacity_hours, 0, kMaxHours * 1e6);
  check.AtLeast("tier_policy.invest_hours", portfolio.tier_policy.invest_hours, 0, kMaxHours);
  check.AtLeast("tier_policy.maintain_hours", portfolio.tier_policy.maintain_hours, 0,
                kMaxHours);
  check.AtLeast("tier_policy.opportunistic_hours", portfolio.tier_policy.opportunistic_hours,
                0, kMaxHours);
  bool seasonality_ok = true;
  if (!portfolio.seasonality.empty() &&
      static_cast<int>(portfolio.seasonality.size()) != portfolio.periods) {
    check.Fail("seasonality", absl::StrCat("must be empty or have one value per period (",
                                           portfolio.periods, "), got ",
                                           portfolio.seasonality.size()));
    seasonality_ok = false;
  }
  for (size_t t = 0; t < portfolio.seasonality.size(); ++t) {
    seasonality_ok &= check.Positive(absl::StrCat("seasonality[", t, "]"),
                                     portfolio.seasonality[t], kMaxSeasonality);
  }
  check.Fraction("segment_correlation", portfolio.segment_correlation);
  if (portfolio.partners.empty()) {
    check.Fail("partners", "must list at least one partner");
  } else if (portfolio.partners.size() > limits.max_partners) {
    check.Fail("partners", absl::StrCat("has ", portfolio.partners.size(),
                                        " partners, the limit is ", limits.max_partners));
    return violations;  // too large to check one by one
  }
  if (!periods_ok || !seasonality_ok) return violations;  // partner checks need the horizon

  std::set<std::string_view> ids;
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    Checker partner_check(absl::StrCat("partners[", i, "]."), violations);
    ValidatePartner(portfolio, p, limits, partner_check);
    if (!p.id.empty() && !ids.insert(p.id).second) {
      partner_check.Fail("id", absl::StrCat("duplicates the id of an earlier partner: ",
                                            QuoteForMessage(p.id)));
    }
  }
  return violations;
}

Violations ValidatePlan(const Portfolio& portfolio, const Plan& plan) {
  Violations violations;
  Checker check("", violations);
  check.NameFits("name", plan.name);
  std::set<std::string_view> ids;
  for (const Partner& p : portfolio.partners) ids.insert(p.id);
  for (const auto& [id, tier] : plan.tiers) {
    if (!ids.contains(id)) {
      check.Fail(absl::StrCat("tiers[", QuoteForMessage(id), "]"),
                 "names no partner of the portfolio");
    }
  }
  for (const auto& [id, hours] : plan.hours) {
    const std::string field = absl::StrCat("hours[", QuoteForMessage(id), "]");
    if (!ids.contains(id)) {
      check.Fail(field, "names no partner of the portfolio");
    } else {
      check.AtLeast(field, hours, 0, kMaxHours);
    }
  }
  return violations;
}

Violations ValidateOptions(const SimulationOptions& options, const Limits& limits) {
  Violations violations;
  Checker check("", violations);
  if (options.paths < 1 || options.paths > limits.max_paths) {
    check.Fail("paths", absl::StrCat("must be in [1, ", limits.max_paths, "], got ",
                                     options.paths));
  }
  check.InRange("target_ci_half_width", options.target_ci_half_width, 0, false, 0.5, true);
  if (options.target_ci_half_width > 0) {
    if (options.max_paths > limits.max_paths) {
      check.Fail("max_paths", absl::StrCat("must be at most ", limits.max_paths, ", got ",
                                           options.max_paths));
    } else if (options.max_paths < options.paths) {
      check.Fail("max_paths", absl::StrCat("must be at least paths (", options.paths,
                                           "), got ", options.max_paths));
    }
  }
  return violations;
}

void Violations::Add(std::string field, std::string description) {
  ++total_;
  if (listed_.size() < kMaxListedViolations) {
    listed_.push_back({std::move(field), std::move(description)});
  }
}

void Violations::Append(absl::string_view path, const Violations& from) {
  for (const FieldViolation& v : from) Add(NestedField(path, v.field), v.description);
  total_ += from.unlisted();
}

std::string NestedField(absl::string_view path, absl::string_view field) {
  if (path.empty()) return std::string(field);
  if (field.empty()) return std::string(path);
  return absl::StrCat(path, field.front() == '[' ? "" : ".", field);
}

bool RunViolations::empty() const {
  return portfolio.empty() && plan_list.empty() && options.empty() &&
         std::all_of(plans.begin(), plans.end(), [](const Violations& v) { return v.empty(); });
}

Violations RunViolations::Under(absl::string_view portfolio_path,
                                absl::string_view plan_list_path,
                                const std::function<std::string(size_t)>& plan_path,
                                absl::string_view options_path) const {
  Violations all;
  all.Append(portfolio_path, portfolio);
  all.Append(plan_list_path, plan_list);
  for (size_t k = 0; k < plans.size(); ++k) all.Append(plan_path(k), plans[k]);
  all.Append(options_path, options);
  return all;
}

RunViolations ValidateRun(const Portfolio& portfolio, std::span<const Plan> plans,
                          const SimulationOptions& options, const Limits& limits) {
  RunViolations run;
  run.portfolio = ValidatePortfolio(portfolio, limits);
  if (plans.empty()) {
    run.plan_list.Add("", "must list at least one plan");
  } else if (plans.size() > limits.max_plans) {
    run.plan_list.Add("", absl::StrCat("has ", plans.size(), " plans, the limit is ",
                                       limits.max_plans));
  } else if (run.portfolio.empty()) {  // plans name the portfolio's partners
    for (const Plan& plan : plans) run.plans.push_back(ValidatePlan(portfolio, plan));
  }
  run.options = ValidateOptions(options, limits);
  return run;
}

std::string QuoteForMessage(absl::string_view text) {
  constexpr size_t kQuotedBytes = 64;
  if (text.size() <= kQuotedBytes) return absl::StrCat("\"", text, "\"");
  return absl::StrCat("\"", text.substr(0, kQuotedBytes), "...\"");
}

size_t ViolationsToList(const Violations& violations) {
  size_t listed = 0;
  size_t bytes = 0;
  for (const FieldViolation& v : violations) {
    bytes += v.field.size() + v.description.size() + 4;  // "f: d; "
    if (listed > 0 && bytes > kViolationsMessageBytes) break;
    ++listed;
  }
  return listed;
}

std::string ViolationsMessage(const Violations& violations) {
  const size_t listed = ViolationsToList(violations);
  std::string message;
  for (size_t i = 0; i < listed; ++i) {
    absl::StrAppend(&message, i > 0 ? "; " : "", violations[i].field, ": ",
                    violations[i].description);
  }
  if (listed < violations.size()) {
    absl::StrAppend(&message, "; and ", violations.size() - listed, " more");
  }
  return message;
}

absl::Status ViolationsToStatus(const Violations& violations) {
  if (violations.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(ViolationsMessage(violations));
}

}  // namespace attain
