#include "clients/cli/calibration_report.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "clients/cli/report_parts.h"
#include "clients/cli/text_table.h"
#include "proto/support/text.h"

namespace attain::cli {
namespace {

// Labels of "what the estimates rest on" take this many columns; values wrap after them.
constexpr size_t kLabelWidth = 22;
constexpr size_t kReportWidth = 92;

constexpr char kSelfSelectionCaution[] =
    "Caution: CRM hours are chosen by the manager, not at random. Managers spend more time "
    "where revenue is already moving, so the lifts above (and what your hours seem to buy) "
    "may be biased upward. To check them, calibrate without the last few periods and "
    "compare the forecast with what happened, or change the hours of a few partners on "
    "purpose and calibrate again.";

// "label   value", the value wrapped under itself.
void AppendField(std::string& text, absl::string_view label, absl::string_view value) {
  const std::string indent(kLabelWidth + 2, ' ');
  std::string wrapped = Wrap(value, indent, kReportWidth);
  const std::string head = absl::StrCat("  ", label);
  wrapped.replace(0, std::min(head.size(), indent.size() - 1), head);
  text += wrapped;
}

std::string Money(double amount, const std::string& currency) {
  return currency.empty() ? FormatMoney(amount) : absl::StrCat(FormatMoney(amount), " ", currency);
}

// A proportion in percent: 0.345 -> "+34.5%" (signed) or "34.5%".
std::string Percent(double fraction, bool signed_plus) {
  return signed_plus ? absl::StrFormat("%+.1f%%", fraction * 100)
                     : absl::StrFormat("%.1f%%", fraction * 100);
}

std::string Plural(int64_t count, absl::string_view one, absl::string_view many) {
  return absl::StrCat(count, " ", count == 1 ? one : many);
}

// The label of period `t` (1-based) of a history starting at `first`: months count on
// from an ISO month, numbers from a number; otherwise "period t".
std::string PeriodLabel(const std::string& first, int t) {
  int64_t number = 0;
  if (absl::SimpleAtoi(first, &number)) return absl::StrCat(number + t - 1);
  int year = 0;
  int month = 0;
  if (first.size() == 7 && first[4] == '-' && absl::SimpleAtoi(first.substr(0, 4), &year) &&
      absl::SimpleAtoi(first.substr(5, 2), &month)) {
    const int ordinal = year * 12 + month - 1 + t - 1;
    return absl::StrFormat("%04d-%02d", ordinal / 12, ordinal % 12 + 1);
  }
  return absl::StrCat("period ", t);
}

bool IsDormant(const v1::PartnerCalibration& p) { return p.dormant_since() != 0; }

std::string FlagsCell(const v1::PartnerCalibration& p, const std::string& first_period) {
  std::vector<std::string> words;
  for (const int flag : p.flags()) {
    const auto value = static_cast<v1::CalibrationFlag>(flag);
    if (value == v1::CALIBRATION_FLAG_DORMANT) {
      words.push_back(absl::StrCat("dormant since ", PeriodLabel(first_period, p.dormant_since()),
                                   " (left out)"));
    } else {
      words.push_back(CalibrationFlagWords(value));
    }
  }
  return absl::StrJoin(words, ", ");
}

std::string PartnersTable(const v1::CalibratePortfolioResponse& response) {
  std::vector<const v1::PartnerCalibration*> partners;
  for (const v1::PartnerCalibration& p : response.partners()) partners.push_back(&p);
  // Most self-sufficient first; dormant partners (not in the portfolio) last; ties by id.
  std::stable_sort(partners.begin(), partners.end(),
                   [](const v1::PartnerCalibration* a, const v1::PartnerCalibration* b) {
                     if (IsDormant(*a) != IsDormant(*b)) return IsDormant(*b);
                     return a->self_sufficiency() > b->self_sufficiency();
                   });
  TextTable table;
  using Align = TextTable::Align;
  table.AddColumn("partner", Align::kLeft);
  table.AddColumn("name", Align::kLeft);
  table.AddColumn("self-sufficient", Align::kRight);
  table.AddColumn("baseline/period", Align::kRight);
  table.AddColumn("lift", Align::kRight);
  table.AddColumn("pooled", Align::kRight);
  table.AddColumn("tier", Align::kLeft);
  table.AddColumn("flags", Align::kLeft);
  const std::string& first_period = response.diagnostics().first_period();
  for (const v1::PartnerCalibration* p : partners) {
    const bool dormant = IsDormant(*p);
    table.AddRow({p->partner_id(), p->name(),
                  dormant ? "-" : Percent(p->self_sufficiency(), false),
                  dormant ? "-" : MoneyEstimate(p->baseline_revenue()),
                  dormant ? "-" : PercentEstimate(p->max_lift(), true),
                  dormant ? "-" : absl::StrFormat("%.0f%%", p->lift_shrinkage() * 100),
                  absl::StrCat(TierWord(p->tier()), p->tier_from_hours() ? " (from hours)" : ""),
                  FlagsCell(*p, first_period)});
  }
  return table.Render("  ");
}

std::string RestsOn(const v1::CalibratePortfolioResponse& response) {
  const v1::CalibrationDiagnostics& d = response.diagnostics();
  std::string text;
  AppendField(text, "Hours variation",
              absl::StrCat(d.partners_with_hours_variation(), " of ", d.partners(),
                           " partners: their own lift is estimated; the others borrow the "
                           "pooled lift (the \"pooled\" column: its weight in each lift)"));
  AppendField(text, "Fitted on their own",
              absl::StrCat(d.partners_fitted(), " of ", d.partners(),
                           " partners (with 4 or more periods of revenue)"));
  AppendField(text, "Half-effort hours",
              absl::StrCat(absl::StrFormat("%.1f +-%.1f", d.half_effort_hours().value(),
                                           d.half_effort_hours().std_error()),
                           " hours per period, shared by all partners; ",
                           d.half_effort_identified()
                               ? "identified by the data"
                               : "not identified (the fit hardly changes with it): a weak guess"));
  if (d.response_identified()) {
    AppendField(text, "Pooled lift",
                absl::StrCat(PercentEstimate(d.pooled_max_lift(), true),
                             " at saturating hours; spread between partners ",
                             Percent(d.max_lift_between_sd(), false)));
  } else {
    AppendField(text, "Pooled lift",
                "not identified: no partner's hours varied, so each lift is the base "
                "portfolio's (or the default) with a standard error of 30 points. Not an "
                "error, but the data says nothing about what your hours do.");
  }
  AppendField(text, "Pooled growth",
              absl::StrCat(PercentEstimate(d.pooled_growth_rate(), true), " per period"));
  AppendField(text, "Churn",
              absl::StrCat(PercentEstimate(d.churn_rate(), false),
                           " per period for a neglected partner, from ",
                           Plural(d.dormancy_transitions(), "transition", "transitions"),
                           " to dormancy in ", d.periods_at_risk(),
                           " partner-periods at risk (retention hours ",
                           absl::StrFormat("%.1f", d.retention_hours()), ", given, not fitted)"));
  AppendField(text, "Residual scale",
              absl::StrFormat("%.3f (median standard deviation of log revenue per period, "
                              "after the market and segment shocks); market variance %.4f, "
                              "segment correlation %.2f",
                              d.residual_scale(), d.market_variance(), d.segment_correlation()));
  std::vector<std::string> dormant;
  for (const v1::PartnerCalibration& p : response.partners()) {
    if (IsDormant(p)) dormant.push_back(p.partner_id());
  }
  AppendField(text, "Dormant, left out",
              dormant.empty() ? "none"
                              : absl::StrCat(d.dormant_partners(), " (",
                                             absl::StrJoin(dormant, ", "), ")"));
  return text;
}

}  // namespace

std::string MoneyEstimate(const v1::Estimate& e) {
  return absl::StrCat(FormatMoney(e.value()), " +-", FormatMoney(e.std_error()));
}

std::string PercentEstimate(const v1::Estimate& e, bool signed_plus) {
  return absl::StrCat(Percent(e.value(), signed_plus), " +-", Percent(e.std_error(), false));
}

std::string CalibrationFlagWords(v1::CalibrationFlag flag) {
  std::string name(absl::StripPrefix(v1::CalibrationFlag_Name(flag), "CALIBRATION_FLAG_"));
  if (name.empty()) return absl::StrCat("flag ", static_cast<int>(flag));
  absl::AsciiStrToLower(&name);
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

std::string CalibrationReport(const v1::CalibratePortfolioResponse& response) {
  const v1::CalibrationDiagnostics& d = response.diagnostics();
  const v1::Portfolio& portfolio = response.portfolio();
  std::string text = absl::StrCat("Calibrated ", Plural(d.partners(), "partner", "partners"),
                                  " from ", Plural(d.periods(), "period", "periods"));
  if (!d.first_period().empty()) {
    absl::StrAppend(&text, " (", d.first_period(), " to ", d.last_period(), ")");
  }
  absl::StrAppend(&text, " of history\n");

  absl::StrAppend(&text,
                  "\nPartners by self-sufficiency (the share of their expected revenue they bring "
                  "with no hours at all);\nbaseline: unassisted revenue of the next period, "
                  "lift: at saturating hours, both +-standard error:\n",
                  PartnersTable(response));

  absl::StrAppend(&text, "\nWhat the estimates rest on:\n", RestsOn(response));
  absl::StrAppend(&text, "\n", Wrap(kSelfSelectionCaution, "", kReportWidth));
  const std::string summary = absl::StrCat(
      "Calibrated portfolio: ", Plural(portfolio.partners_size(), "partner", "partners"),
      ", horizon ", PeriodsPhrase(portfolio.periods(), portfolio.period_length()), ", quota ",
      Money(portfolio.quota(), portfolio.currency()), ", capacity ",
      absl::StrFormat("%.1f", portfolio.capacity_hours()), " hours per ",
      PeriodWord(portfolio.period_length()), "; standard errors in each partner's \"errors\"");
  absl::StrAppend(&text, "\n", Wrap(summary, "", kReportWidth));
  return text;
}

}  // namespace attain::cli
