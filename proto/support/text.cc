#include "proto/support/text.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace attain {
namespace {

// Unassisted revenue as a share of `revenue` (1 when that is 0).
double UnassistedShare(const v1::ReasonFacts& f, double revenue) {
  return revenue > 0 ? f.unassisted_expected_revenue() / revenue : 1;
}

// Where the hours a change gives up go, by the change's own flags.
std::string FreedHoursUse(const v1::TierChange& change, double freed) {
  if (change.needed_to_fit()) {
    return absl::StrCat("gives up ", freed,
                        " hours per period that the current tiers need to fit the capacity");
  }
  if (change.freed_hours_used()) {
    return absl::StrCat("frees ", freed, " hours per period for partners with more leverage");
  }
  return absl::StrCat("gives up ", freed,
                      " hours per period that no other change uses: they are left unused");
}

}  // namespace

std::string FormatMoney(double amount, bool signed_plus) {
  if (!std::isfinite(amount)) return "n/a";
  const double rounded = std::round(amount);
  if (rounded == 0) return "0";  // also for -0.4, which would print as "-0"
  const std::string digits = absl::StrFormat("%.0f", std::fabs(rounded));
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  if (rounded < 0) return absl::StrCat("-", grouped);
  return signed_plus ? absl::StrCat("+", grouped) : grouped;
}

std::string FormatPercent(double probability) {
  return absl::StrFormat("%.1f%%", probability * 100);
}

std::string TierWord(v1::Tier tier) {
  return std::string(absl::StripPrefix(v1::Tier_Name(tier), "TIER_"));
}

std::string ChangeReasonText(const v1::TierChange& change, int periods) {
  const v1::ReasonFacts& f = change.facts();
  const double gain = f.expected_revenue() - f.compared_expected_revenue();
  const double added = f.hours() - f.compared_hours();
  switch (change.reason_code()) {
    case v1::REASON_CODE_DORMANCY_RISK:
      return absl::StrCat("at ", TierWord(change.from_tier()), " it has a ",
                          FormatPercent(f.compared_dormancy_probability()),
                          " chance of going dormant within the horizon; at ",
                          TierWord(change.to_tier()), " ", FormatPercent(f.dormancy_probability()),
                          " (the model expects ", FormatMoney(gain, true), " of revenue)");
    case v1::REASON_CODE_HIGH_LIFT_PER_HOUR:
      return absl::StrCat("each extra hour per period adds about ",
                          FormatMoney(gain / (added * periods)),
                          " of revenue (the model expects ", FormatMoney(gain, true),
                          " over the horizon)");
    case v1::REASON_CODE_SELF_SUFFICIENT:
      return absl::StrCat("it sells ",
                          FormatPercent(UnassistedShare(f, f.compared_expected_revenue())),
                          " as much with no hours at all as at ", TierWord(change.from_tier()),
                          "; ", FreedHoursUse(change, -added));
    case v1::REASON_CODE_FREES_HOURS:
    case v1::REASON_CODE_FITS_CAPACITY:
    case v1::REASON_CODE_HOURS_LEFT_UNUSED:
      return absl::StrCat(FreedHoursUse(change, -added), " (it loses about ", FormatMoney(-gain),
                          " of expected revenue)");
    default:
      return "";
  }
}

std::string KeptReasonText(const v1::PartnerAdvice& advice) {
  const v1::ReasonFacts& f = advice.facts();
  switch (advice.reason_code()) {
    case v1::REASON_CODE_SELF_SUFFICIENT:
      return absl::StrCat("it sells ", FormatPercent(UnassistedShare(f, f.expected_revenue())),
                          " as much with no hours at all");
    case v1::REASON_CODE_DORMANCY_RISK:
      return absl::StrCat("with opportunistic attention it has a ",
                          FormatPercent(f.compared_dormancy_probability()),
                          " chance of going dormant; at ", TierWord(advice.tier()), " ",
                          FormatPercent(f.dormancy_probability()));
    case v1::REASON_CODE_LOCKED:
      return "locked by the request";
    case v1::REASON_CODE_CHANGE_LIMIT:
      return absl::StrCat("another tier would do better, but the ", f.max_changes(),
                          " allowed changes are used");
    case v1::REASON_CODE_BEST_AS_IS:
      return absl::StrCat("no other tier does better within the hours (",
                          TierWord(advice.tier()), ")");
    default:
      return "";
  }
}

std::string PeriodWord(v1::PeriodLength length) {
  return length == v1::PERIOD_LENGTH_QUARTER ? "quarter" : "month";
}

std::string WarningText(const v1::Warning& w, const std::string& period) {
  const std::string hours = absl::StrFormat("%.1f", w.value());
  switch (w.code()) {
    case v1::WARNING_CODE_UNASSISTED_FAR_ABOVE_QUOTA:
      return absl::StrCat(
          "expected revenue with no hours at all is ", FormatMoney(w.value()),
          " over the horizon, ",
          w.reference() > 0 ? absl::StrFormat("%.1fx the quota of %s", w.value() / w.reference(),
                                              FormatMoney(w.reference()))
                            : std::string("and the quota is 0"),
          ": every plan looks safe. Is baseline_revenue per ", period,
          " (not per year), and the quota for the whole horizon?");
    case v1::WARNING_CODE_UNASSISTED_FAR_BELOW_QUOTA:
      return absl::StrCat("expected revenue with no hours at all is ", FormatMoney(w.value()),
                          " over the horizon, under a third of the quota of ",
                          FormatMoney(w.reference()),
                          ": no plan looks good. Is baseline_revenue per ", period,
                          ", and the quota for this horizon only?");
    case v1::WARNING_CODE_NO_CAPACITY:
      return absl::StrCat("capacity_hours is 0 (unset?) while plan \"", w.plan_name(),
                          "\" gives partners ", hours, " hours per ", period,
                          ": set the hours per ", period, " you can give partners");
    case v1::WARNING_CODE_RESTS_ON_DEFAULTS:
      return absl::StrCat(
          "results rest on defaults: ", w.count(), " of ", w.total(),
          " response parameters (max_lift, half_effort_hours, churn_rate, retention_hours) "
          "are unset, so tier effects and reasons describe the defaults, not your partners; "
          "calibrate from history (attain calibrate) or set them");
    case v1::WARNING_CODE_OVER_CAPACITY:
      return absl::StrCat("plan \"", w.plan_name(), "\" uses ", hours, " hours per ", period,
                          ", over the capacity of ", absl::StrFormat("%.1f", w.reference()),
                          " (it is simulated anyway)");
    default:
      return "";
  }
}

}  // namespace attain
