#include "clients/cli/sensitivity_report.h"

#include <cmath>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "clients/cli/report_parts.h"
#include "clients/cli/text_table.h"
#include "proto/support/text.h"

namespace attain::cli {
namespace {

// "SENSITIVITY_ASSUMPTION_MAX_LIFT" -> "max_lift": the parameter's field name.
std::string ParameterName(v1::SensitivityAssumption assumption) {
  const std::string& name = v1::SensitivityAssumption_Name(assumption);
  if (name.empty()) return absl::StrCat("assumption ", static_cast<int>(assumption));
  return absl::AsciiStrToLower(absl::StripPrefix(name, "SENSITIVITY_ASSUMPTION_"));
}

// A parameter's value: money for a baseline, else three significant digits.
std::string FormatValue(const v1::AssumptionSensitivity& row, double value) {
  if (row.assumption() == v1::SENSITIVITY_ASSUMPTION_BASELINE_REVENUE) return FormatMoney(value);
  return absl::StrFormat("%.3g", value);
}

// "44.0% -> 58.3%".
std::string LowToHigh(const std::string& low, const std::string& high) {
  return absl::StrCat(low, " -> ", high);
}

// A swing of P(attain) in percentage points, unsigned: "14.3 pts".
std::string SwingPoints(double swing) {
  return absl::StrFormat("%.1f pts", std::round(swing * 1000) / 10);
}

// "acme (Acme Systems) OPPORTUNISTIC -> INVEST, cobalt INVEST -> MAINTAIN".
std::string ShiftsText(const v1::SensitivityEnd& end, const PartnerNames& names) {
  std::vector<std::string> shifts;
  for (const v1::TierShift& shift : end.tier_changes()) {
    shifts.push_back(absl::StrCat(PartnerWithName(shift.partner_id(), names), " ",
                                  TierWord(shift.base_tier()), " -> ", TierWord(shift.tier())));
  }
  return absl::StrJoin(shifts, ", ");
}

// The tiers column: whether the recommended tiers change at the ends.
std::string TiersCell(const v1::AssumptionSensitivity& row) {
  if (!row.low().tiers_checked() && !row.high().tiers_checked()) return "-";
  const bool low = row.low().tier_changes_size() > 0;
  const bool high = row.high().tier_changes_size() > 0;
  if (low && high) return "change at both";
  if (low) return "change at low";
  if (high) return "change at high";
  return "same";
}

// The tier changes under a row, if any.
std::string TiersNote(const v1::AssumptionSensitivity& row, const PartnerNames& names) {
  std::vector<std::string> parts;
  if (row.low().tier_changes_size() > 0) {
    parts.push_back(absl::StrCat("at low: ", ShiftsText(row.low(), names)));
  }
  if (row.high().tier_changes_size() > 0) {
    parts.push_back(absl::StrCat("at high: ", ShiftsText(row.high(), names)));
  }
  if (parts.empty()) return "";
  return absl::StrCat("recommended tiers ", absl::StrJoin(parts, "; "));
}

std::string TierCheckLine(const v1::AnalyzeSensitivityResponse& r) {
  switch (r.tier_check()) {
    case v1::TIER_CHECK_STATUS_OFF:
      return "Recommended tiers were not checked (--no-tier-check).";
    case v1::TIER_CHECK_STATUS_NO_FEASIBLE_PLAN:
      return "Recommended tiers were not checked: no plan fits the capacity hours, even with "
             "every partner OPPORTUNISTIC.";
    case v1::TIER_CHECK_STATUS_DONE: {
      int checked = 0;
      for (const v1::AssumptionSensitivity& row : r.assumptions()) {
        checked += row.low().tiers_checked() || row.high().tiers_checked();
      }
      return absl::StrCat("Recommended tiers (the search of attain recommend, on ",
                          FormatMoney(static_cast<double>(r.tier_check_paths())),
                          " paths) were checked at both ends of the first ", checked, " of ",
                          r.assumptions_size(), " assumptions; \"-\" marks the others.");
    }
    default:
      return "";
  }
}

}  // namespace

std::string AssumptionLabel(const v1::AssumptionSensitivity& row, const PartnerNames& names) {
  const std::string name = ParameterName(row.assumption());
  if (row.assumption() == v1::SENSITIVITY_ASSUMPTION_BASELINE_REVENUE) {
    return absl::StrCat(name, " of ", PartnerWithName(row.partner_id(), names));
  }
  return absl::StrCat(name, " (all partners)");
}

std::string RangeLabel(const v1::AssumptionSensitivity& row) {
  const double low = row.low().setting();
  const double high = row.high().setting();
  if (row.source() == v1::RANGE_SOURCE_STANDARD_ERROR) {
    return absl::StrFormat("%+.4g .. %+.4g SE", low, high);
  }
  if (row.assumption() == v1::SENSITIVITY_ASSUMPTION_GROWTH_RATE) {
    return absl::StrFormat("%+.3g .. %+.3g per period", low, high);
  }
  return absl::StrFormat("x%.3g .. x%.3g", low, high);
}

std::string SensitivityReport(const v1::AnalyzeSensitivityResponse& r,
                              const PartnerNames& names) {
  const v1::PlanOutcome& base = r.base_outcome();
  const std::string& currency = base.currency();
  const std::string in_currency = currency.empty() ? "" : absl::StrCat(" ", currency);
  std::string text = absl::StrCat(
      "Sensitivity of plan \"", base.plan_name(), "\" (", base.partners_size(), " partners, ",
      PeriodsPhrase(base.periods_size(), base.period_length()), ", quota ",
      FormatMoney(base.quota()), in_currency, ")\n\n");
  absl::StrAppend(&text, "  P(attain)           ", FormatPercent(base.attainment_probability()),
                  "   95% Monte Carlo interval ", FormatPercent(base.attainment_interval().low()),
                  " to ", FormatPercent(base.attainment_interval().high()), "\n");
  absl::StrAppend(&text, "  Expected revenue    ", FormatMoney(base.expected_revenue()),
                  in_currency, "\n");
  absl::StrAppend(&text, "  Paths               ",
                  FormatMoney(static_cast<double>(base.paths())), "   seed ", r.seed(),
                  base.antithetic() ? "   antithetic" : "",
                  "   (every end on the same paths)\n\n");

  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("assumption", Align::kLeft);
  table.AddColumn("range", Align::kLeft);
  table.AddColumn("values", Align::kRight);
  table.AddColumn("P(attain) low -> high", Align::kRight);
  table.AddColumn("swing", Align::kRight);
  table.AddColumn(absl::StrCat("E[revenue]", in_currency, " low -> high"), Align::kRight);
  table.AddColumn("tiers", Align::kLeft);
  for (const v1::AssumptionSensitivity& row : r.assumptions()) {
    table.AddRow({AssumptionLabel(row, names), RangeLabel(row),
                  LowToHigh(FormatValue(row, row.low().value()), FormatValue(row, row.high().value())),
                  LowToHigh(FormatPercent(row.low().attainment_probability()),
                            FormatPercent(row.high().attainment_probability())),
                  SwingPoints(row.attainment_swing()),
                  LowToHigh(FormatMoney(row.low().expected_revenue()),
                            FormatMoney(row.high().expected_revenue())),
                  TiersCell(row)},
                 TiersNote(row, names));
  }
  absl::StrAppend(&text, "Assumptions by swing of P(attain), largest first:\n",
                  table.Render("  "), "\n");
  absl::StrAppend(
      &text,
      Wrap(absl::StrCat(
               "Values are the parameter at each end (for all partners, their mean). Ranges "
               "marked SE are each partner's estimate -/+ 1.645 standard errors (90%); the "
               "others are the default ranges, or those requested. ",
               TierCheckLine(r)),
           "", kMinWrapWidth),
      "\n",
      Wrap("The tornado's ranges are about the ASSUMPTIONS: how far P(attain) moves if a "
           "parameter is off by that much. The 95% Monte Carlo interval is about SAMPLING "
           "only: how precisely the simulation knows P(attain) if every assumption is right. "
           "A narrow interval does not make the assumptions right.",
           "", kMinWrapWidth));
  return text;
}

}  // namespace attain::cli
