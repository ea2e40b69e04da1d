#include "simulator/sanity.h"

namespace attain {
namespace {

SanityWarning& Add(std::vector<SanityWarning>& warnings, WarningCode code, std::string field) {
  SanityWarning& warning = warnings.emplace_back();
  warning.code = code;
  warning.field = std::move(field);
  return warning;
}

void CheckAgainstQuota(const Portfolio& portfolio, std::vector<SanityWarning>& warnings) {
  double unassisted = 0;
  for (const Partner& p : portfolio.partners) unassisted += ExpectedPartnerRevenue(portfolio, p, 0);
  const double quota = portfolio.quota;
  const bool far_above = unassisted > kFarFromQuotaRatio * quota;
  if (!far_above && !(unassisted * kFarFromQuotaRatio < quota)) return;
  SanityWarning& warning = Add(warnings,
                               far_above ? WarningCode::kUnassistedFarAboveQuota
                                         : WarningCode::kUnassistedFarBelowQuota,
                               "partners[*].baseline_revenue");
  warning.value = unassisted;
  warning.reference = quota;
}

void CheckDefaults(const Portfolio& portfolio, std::vector<SanityWarning>& warnings) {
  int defaulted = 0;
  for (const Partner& p : portfolio.partners) defaulted += p.defaulted.count();
  const int total = static_cast<int>(portfolio.partners.size()) * DefaultedResponse::kParameters;
  if (2 * defaulted <= total) return;
  SanityWarning& warning = Add(warnings, WarningCode::kRestsOnDefaults, "partners[*].response");
  warning.count = defaulted;
  warning.total = total;
}

}  // namespace

std::vector<SanityWarning> CheckSanity(const Portfolio& portfolio,
                                       std::span<const ResolvedPlan> plans) {
  std::vector<SanityWarning> warnings;
  CheckAgainstQuota(portfolio, warnings);
  CheckDefaults(portfolio, warnings);
  for (const ResolvedPlan& plan : plans) {
    const bool no_capacity = portfolio.capacity_hours == 0;
    if (!(plan.hours_used > portfolio.capacity_hours)) continue;
    SanityWarning& warning =
        Add(warnings, no_capacity ? WarningCode::kNoCapacity : WarningCode::kOverCapacity,
            "capacity_hours");
    warning.value = plan.hours_used;
    warning.reference = portfolio.capacity_hours;
    warning.plan_name = plan.name;
    if (no_capacity) break;  // said once: every plan with hours is over a capacity of 0
  }
  return warnings;
}

}  // namespace attain
