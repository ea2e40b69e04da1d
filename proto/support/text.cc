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
                          "; frees ", -added, " hours per period");
    case v1::REASON_CODE_FREES_HOURS:
      return absl::StrCat("frees ", -added,
                          " hours per period for partners with more leverage (it loses about ",
                          FormatMoney(-gain), " of expected revenue)");
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

}  // namespace attain
