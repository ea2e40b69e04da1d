#include "clients/cli/report.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "clients/cli/report_parts.h"
#include "clients/cli/text_table.h"

namespace attain::cli {
namespace {

std::string WithCurrency(double amount, const std::string& currency) {
  return currency.empty() ? FormatMoney(amount) : absl::StrCat(FormatMoney(amount), " ", currency);
}

// Path counts: grouped like money (exact below 2^53, far above any run).
std::string FormatCount(uint64_t count) { return FormatMoney(static_cast<double>(count)); }

std::string FormatHours(double hours) { return absl::StrFormat("%.1f", hours); }

// A difference of probabilities in percentage points, always signed: "+2.8", "-0.4".
std::string FormatPoints(double difference) {
  const double points = std::round(difference * 1000) / 10;
  return absl::StrFormat("%+.1f", points == 0 ? 0.0 : points);  // no "-0.0"
}

std::string PercentInterval(const v1::Interval& interval) {
  return absl::StrCat(FormatPercent(interval.low()), " to ", FormatPercent(interval.high()));
}

constexpr size_t kLabelWidth = 24;

void AppendField(std::string& text, absl::string_view label, absl::string_view value) {
  absl::StrAppend(&text, "  ", label,
                  std::string(kLabelWidth > label.size() ? kLabelWidth - label.size() : 1, ' '),
                  value, "\n");
}

std::string Headline(absl::string_view what, const v1::PlanOutcome& outcome) {
  return absl::StrCat(what, " (", outcome.partners_size(), " partners, ",
                      PeriodsPhrase(outcome.periods_size(), outcome.period_length()), ", quota ",
                      WithCurrency(outcome.quota(), outcome.currency()), ")\n");
}

std::string RunLine(const v1::PlanOutcome& outcome) {
  const uint64_t drawn = outcome.parameter_draw_partners();
  return absl::StrCat(FormatCount(outcome.paths()), "   seed ", outcome.seed(), " (sampler v",
                      outcome.sampler_version(), ")",
                      outcome.antithetic() ? "   antithetic" : "",
                      outcome.attainment_estimator() == v1::ATTAINMENT_ESTIMATOR_CONDITIONAL
                          ? "   P(attain) conditional"
                          : "",
                      drawn == 0 ? ""
                                 : absl::StrCat("   parameters drawn per path for ", drawn,
                                                drawn == 1 ? " partner" : " partners"));
}

// "Hours per quarter": hours are per period, and the period is the portfolio's.
std::string HoursPerPeriodLabel(const v1::PlanOutcome& outcome) {
  return absl::StrCat("Hours per ", PeriodWord(outcome.period_length()));
}

std::string PercentilesTable(const v1::RevenuePercentiles& p) {
  TextTable table;
  std::vector<std::string> row;
  const std::pair<const char*, double> columns[] = {
      {"P5", p.p5()},   {"P10", p.p10()}, {"P25", p.p25()}, {"P50", p.p50()},
      {"P75", p.p75()}, {"P90", p.p90()}, {"P95", p.p95()}};
  for (const auto& [name, value] : columns) {
    table.AddColumn(name, TextTable::Align::kRight);
    row.push_back(FormatMoney(value));
  }
  table.AddRow(std::move(row));
  return table.Render("    ");
}

// Where the portfolio stands at the end of each period: expected cumulative revenue, the
// share of the quota due by then, and P(on track).
std::string OnTrackTable(const v1::PlanOutcome& outcome) {
  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("period", Align::kRight);
  table.AddColumn("expected so far", Align::kRight);
  table.AddColumn("on track at", Align::kRight);
  table.AddColumn("P(on track)", Align::kRight);
  for (const v1::PeriodOutcome& period : outcome.periods()) {
    table.AddRow({absl::StrCat(period.period()), FormatMoney(period.expected_cumulative_revenue()),
                  FormatMoney(period.on_track_threshold()),
                  FormatPercent(period.on_track_probability())});
  }
  return table.Render("  ");
}

// Rows of the text histogram: the response's bins, merged in equal groups.
constexpr int kHistogramRows = 10;
constexpr int kHistogramBarWidth = 40;

// The revenue distribution as bars of '#', the widest kHistogramBarWidth, each row with
// its range and share of paths, and the row holding the quota marked.
std::string HistogramText(const v1::PlanOutcome& outcome) {
  const v1::RevenueHistogram& h = outcome.revenue_histogram();
  const int bins = h.path_counts_size();
  if (bins == 0 || !(h.high() > h.low())) return "";
  const int per_row = (bins + kHistogramRows - 1) / kHistogramRows;
  const int rows = (bins + per_row - 1) / per_row;
  std::vector<uint64_t> counts(static_cast<size_t>(rows), 0);
  uint64_t total = 0;
  for (int b = 0; b < bins; ++b) {
    counts[static_cast<size_t>(b / per_row)] += h.path_counts(b);
    total += h.path_counts(b);
  }
  const uint64_t widest = *std::max_element(counts.begin(), counts.end());
  if (total == 0 || widest == 0) return "";
  const double bin_width = (h.high() - h.low()) / bins;
  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("revenue from", Align::kRight);
  table.AddColumn("to", Align::kRight);
  table.AddColumn("paths", Align::kRight);
  table.AddColumn("", Align::kLeft);
  for (int r = 0; r < rows; ++r) {
    const double from = h.low() + bin_width * r * per_row;
    const double to = std::min(h.high(), h.low() + bin_width * (r + 1) * per_row);
    const uint64_t count = counts[static_cast<size_t>(r)];
    std::string bar(static_cast<size_t>(std::llround(static_cast<double>(count) *
                                                     kHistogramBarWidth /
                                                     static_cast<double>(widest))),
                    '#');
    const bool quota_here = outcome.quota() >= from && (outcome.quota() < to || r + 1 == rows);
    if (quota_here) absl::StrAppend(&bar, bar.empty() ? "" : " ", "<- quota");
    table.AddRow({FormatMoney(from), FormatMoney(to),
                  FormatPercent(static_cast<double>(count) / static_cast<double>(total)), bar});
  }
  std::string text = table.Render("  ");
  if (outcome.quota() < h.low()) absl::StrAppend(&text, "  (the quota lies below every path)\n");
  if (outcome.quota() > h.high()) absl::StrAppend(&text, "  (the quota lies above every path)\n");
  return text;
}

std::string PartnersTable(const v1::PlanOutcome& outcome, const PartnerNames& names) {
  std::vector<const v1::PartnerOutcome*> partners;
  for (const v1::PartnerOutcome& partner : outcome.partners()) partners.push_back(&partner);
  // Where the next hour pays most comes first; ties keep the portfolio's order.
  std::stable_sort(partners.begin(), partners.end(),
                   [](const v1::PartnerOutcome* a, const v1::PartnerOutcome* b) {
                     return a->uplift_per_hour() > b->uplift_per_hour();
                   });
  TextTable table;
  using Align = TextTable::Align;
  table.AddColumn("partner", Align::kLeft);
  if (AnyName(names)) table.AddColumn("name", Align::kLeft);
  table.AddColumn("tier", Align::kLeft);
  table.AddColumn("hours", Align::kRight);
  table.AddColumn("unassisted", Align::kRight);
  table.AddColumn("assisted", Align::kRight);
  table.AddColumn("uplift", Align::kRight);
  table.AddColumn("95% interval", Align::kRight);
  table.AddColumn("uplift/hour", Align::kRight);
  table.AddColumn("dormancy", Align::kRight);
  for (const v1::PartnerOutcome* partner : partners) {
    const v1::Interval& interval = partner->engagement_uplift_interval();
    std::vector<std::string> row = {partner->partner_id()};
    if (AnyName(names)) row.push_back(NameCell(names, partner->partner_id()));
    row.insert(row.end(), {TierWord(partner->tier()), FormatHours(partner->hours()),
                  FormatMoney(partner->unassisted_expected_revenue()),
                  FormatMoney(partner->expected_revenue()),
                  FormatMoney(partner->engagement_uplift()),
                  absl::StrCat(FormatMoney(interval.low()), " to ", FormatMoney(interval.high())),
                  FormatMoney(partner->uplift_per_hour()),
                  FormatPercent(partner->dormancy_probability())});
    table.AddRow(std::move(row));
  }
  return table.Render("  ");
}

// Hours per period added (+) or freed (-): "+5.0", "-10.0".
std::string FormatSignedHours(double hours) {
  const double tenths = std::round(hours * 10) / 10;
  return absl::StrFormat("%+.1f", tenths == 0 ? 0.0 : tenths);
}

std::string PointsInterval(const v1::Interval& interval) {
  return absl::StrCat(FormatPoints(interval.low()), " to ", FormatPoints(interval.high()));
}

std::string SignedMoneyInterval(const v1::Interval& interval) {
  return absl::StrCat(FormatMoney(interval.low(), /*signed_plus=*/true), " to ",
                      FormatMoney(interval.high(), /*signed_plus=*/true));
}

// What the recommendation maximizes, in words.
std::string ObjectiveName(v1::Objective objective) {
  switch (objective) {
    case v1::OBJECTIVE_EXPECTED_REVENUE: return "expected revenue";
    case v1::OBJECTIVE_DOWNSIDE_REVENUE: return "downside revenue (10th percentile)";
    default: return "P(attain)";  // also OBJECTIVE_UNSPECIFIED, the server's default
  }
}

// A value of the objective: a probability for P(attain), else money.
std::string FormatObjective(v1::Objective objective, double value, const std::string& currency) {
  if (objective == v1::OBJECTIVE_EXPECTED_REVENUE || objective == v1::OBJECTIVE_DOWNSIDE_REVENUE) {
    return WithCurrency(value, currency);
  }
  return FormatPercent(value);
}

std::string SearchMethodName(v1::SearchMethod method) {
  switch (method) {
    case v1::SEARCH_METHOD_EXHAUSTIVE: return "exhaustive";  // every plan within the hours
    case v1::SEARCH_METHOD_HEURISTIC: return "heuristic";    // greedy, then local search
    case v1::SEARCH_METHOD_SCREENED: return "screened";      // surrogate, then local search
    default: return "unspecified";
  }
}

// REASON_CODE_HIGH_LIFT_PER_HOUR -> "high lift per hour".
std::string ReasonName(v1::ReasonCode code) {
  switch (code) {
    case v1::REASON_CODE_HIGH_LIFT_PER_HOUR: return "high lift per hour";
    case v1::REASON_CODE_DORMANCY_RISK: return "dormancy risk";
    case v1::REASON_CODE_SELF_SUFFICIENT: return "self-sufficient";
    case v1::REASON_CODE_FREES_HOURS: return "frees hours";
    case v1::REASON_CODE_LOCKED: return "locked";
    case v1::REASON_CODE_CHANGE_LIMIT: return "change limit";
    case v1::REASON_CODE_BEST_AS_IS: return "best as is";
    default: break;
  }
  // A code newer than this client, or none.
  const std::string& name = v1::ReasonCode_Name(code);
  if (name.empty()) return absl::StrCat("reason ", static_cast<int>(code));
  std::string readable = absl::AsciiStrToLower(absl::StripPrefix(name, "REASON_CODE_"));
  std::replace(readable.begin(), readable.end(), '_', ' ');
  return readable;
}

// "dormancy risk: at OPPORTUNISTIC it has ...": the code, then the text unless that
// already says it ("locked by the request").
std::string ReasonText(v1::ReasonCode code, const std::string& reason) {
  const std::string name = ReasonName(code);
  if (reason.empty()) return name;
  if (absl::StartsWithIgnoreCase(reason, name)) return reason;
  return absl::StrCat(name, ": ", reason);
}

// Seconds of a search: "0.03 s", "12.40 s"; "< 0.01 s" rather than "0.00 s".
std::string FormatSeconds(double seconds) {
  return seconds < 0.005 ? "< 0.01 s" : absl::StrFormat("%.2f s", seconds);
}

std::string HoursOfCapacity(const v1::PlanOutcome& outcome) {
  return absl::StrCat(FormatHours(outcome.hours_used()), " of ",
                      FormatHours(outcome.capacity_hours()),
                      outcome.over_capacity() ? " (over)" : "");
}

// One plan's column of a table of plans side by side.
struct PlanColumn {
  std::string label;
  double attainment = 0;
  v1::Interval attainment_interval;
  double expected_revenue = 0;
  std::optional<double> revenue_p10;  // a row only when every plan has it
  double hours_used = 0;
  std::string hours;  // "53.0 of 60.0 (over)"
};

PlanColumn ColumnOf(const v1::PlanOutcome& outcome, const std::string& fallback_label) {
  return {outcome.plan_name().empty() ? fallback_label : outcome.plan_name(),
          outcome.attainment_probability(),
          outcome.attainment_interval(),
          outcome.expected_revenue(),
          outcome.revenue_percentiles().p10(),
          outcome.hours_used(),
          HoursOfCapacity(outcome)};
}

// Plans side by side (P(attain), its interval, expected revenue, P10, hours), then `d`,
// the last plan minus `d`'s baseline, paired, under `difference_label`.
std::string SideBySideTable(const std::vector<PlanColumn>& plans, const PlanColumn& baseline,
                            const std::string& difference_label, const v1::PlanDifference& d,
                            const v1::PlanOutcome& reference) {
  const std::string currency_suffix =
      reference.currency().empty() ? "" : " " + reference.currency();
  const PlanColumn& last = plans.back();
  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("", Align::kLeft);
  for (const PlanColumn& plan : plans) table.AddColumn(plan.label, Align::kRight);
  table.AddColumn(difference_label, Align::kRight);
  table.AddColumn("95% interval", Align::kRight);
  // A row: its label, one cell per plan, the difference and its interval.
  auto add_row = [&](std::string label, auto cell, std::string difference, std::string interval) {
    std::vector<std::string> row = {std::move(label)};
    for (const PlanColumn& plan : plans) row.push_back(cell(plan));
    row.push_back(std::move(difference));
    row.push_back(std::move(interval));
    table.AddRow(std::move(row));
  };
  add_row(
      "P(attain)", [](const PlanColumn& p) { return FormatPercent(p.attainment); },
      absl::StrCat(FormatPoints(d.attainment_probability_difference()), " pts"),
      absl::StrCat(PointsInterval(d.attainment_probability_difference_interval()), " pts"));
  add_row(
      "  95% interval", [](const PlanColumn& p) { return PercentInterval(p.attainment_interval); },
      "", "");
  add_row(
      absl::StrCat("Expected revenue", currency_suffix),
      [](const PlanColumn& p) { return FormatMoney(p.expected_revenue); },
      FormatMoney(d.expected_revenue_difference(), /*signed_plus=*/true),
      SignedMoneyInterval(d.expected_revenue_difference_interval()));
  const bool every_p10 = std::all_of(plans.begin(), plans.end(),
                                     [](const PlanColumn& p) { return p.revenue_p10.has_value(); });
  if (every_p10 && baseline.revenue_p10) {
    add_row(
        absl::StrCat("Revenue P10", currency_suffix),
        [](const PlanColumn& p) { return FormatMoney(*p.revenue_p10); },
        FormatMoney(*last.revenue_p10 - *baseline.revenue_p10, /*signed_plus=*/true), "");
  }
  add_row(
      HoursPerPeriodLabel(reference), [](const PlanColumn& p) { return p.hours; },
      FormatSignedHours(last.hours_used - baseline.hours_used), "");
  return table.Render("  ");
}

std::string BeforeAfterTable(const v1::RecommendTiersResponse& r) {
  const PlanColumn now = ColumnOf(r.current_outcome(), "current tiers");
  return SideBySideTable({now, ColumnOf(r.recommended_outcome(), "recommended")}, now,
                         "difference", r.difference(), r.current_outcome());
}

// The changes of `r` with needed_to_fit == `needed`, when the current plan is over capacity;
// otherwise all of them.
std::vector<const v1::TierChange*> ChangesOf(const v1::RecommendTiersResponse& r, bool needed) {
  std::vector<const v1::TierChange*> changes;
  for (const v1::TierChange& change : r.changes()) {
    if (!r.has_fitted() || change.needed_to_fit() == needed) changes.push_back(&change);
  }
  return changes;
}

std::string ChangesTable(const v1::RecommendTiersResponse& r,
                         std::vector<const v1::TierChange*> changes, const PartnerNames& names) {
  // The changes that matter most for P(attain) first, then for revenue; ties keep the
  // server's (portfolio) order.
  std::stable_sort(changes.begin(), changes.end(),
                   [](const v1::TierChange* a, const v1::TierChange* b) {
                     if (a->attainment_probability_effect() != b->attainment_probability_effect()) {
                       return a->attainment_probability_effect() >
                              b->attainment_probability_effect();
                     }
                     return a->expected_revenue_effect() > b->expected_revenue_effect();
                   });
  const std::string& currency = r.current_outcome().currency();
  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("partner", Align::kLeft);
  if (AnyName(names)) table.AddColumn("name", Align::kLeft);
  table.AddColumn("from -> to", Align::kLeft);
  table.AddColumn("hours", Align::kRight);
  table.AddColumn("P(attain) pts", Align::kRight);
  table.AddColumn("95% interval", Align::kRight);
  table.AddColumn(currency.empty() ? "E[revenue]" : absl::StrCat("E[revenue] ", currency),
                  Align::kRight);
  table.AddColumn("95% interval", Align::kRight);
  for (const v1::TierChange* c : changes) {
    // The reason goes under its row: in the row it would make the table too wide to read.
    std::vector<std::string> row = {c->partner_id()};
    if (AnyName(names)) row.push_back(NameCell(names, c->partner_id()));
    row.insert(row.end(), {absl::StrCat(TierWord(c->from_tier()), " -> ", TierWord(c->to_tier())),
                  FormatSignedHours(c->hours_change()),
                  FormatPoints(c->attainment_probability_effect()),
                  PointsInterval(c->attainment_probability_effect_interval()),
                  FormatMoney(c->expected_revenue_effect(), /*signed_plus=*/true),
                  SignedMoneyInterval(c->expected_revenue_effect_interval())});
    table.AddRow(std::move(row), ReasonText(c->reason_code(), c->reason()));
  }
  return table.Render("  ");
}

// The current plan over capacity, the same fitted to it, and the recommendation against
// the fitted plan, paired path by path.
std::string FittedTable(const v1::RecommendTiersResponse& r) {
  const v1::PlanOutcome& now = r.current_outcome();
  const v1::FittedPlan& f = r.fitted();
  PlanColumn current = ColumnOf(now, "");
  current.label = "current (over)";
  const PlanColumn fitted = {"fitted",
                             f.attainment_probability(),
                             f.attainment_interval(),
                             f.expected_revenue(),
                             std::nullopt,
                             f.hours_used(),
                             absl::StrCat(FormatHours(f.hours_used()), " of ",
                                          FormatHours(now.capacity_hours()))};
  PlanColumn recommended = ColumnOf(r.recommended_outcome(), "");
  recommended.label = "recommended";
  return SideBySideTable({current, fitted, recommended}, fitted, "rec. - fitted",
                         f.improvement(), now);
}

std::string UnchangedTable(const v1::RecommendTiersResponse& r, const PartnerNames& names) {
  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("partner", Align::kLeft);
  if (AnyName(names)) table.AddColumn("name", Align::kLeft);
  table.AddColumn("tier", Align::kLeft);
  table.AddColumn("reason", Align::kLeft);
  for (const v1::PartnerAdvice& advice : r.unchanged()) {
    std::vector<std::string> row = {advice.partner_id()};
    if (AnyName(names)) row.push_back(NameCell(names, advice.partner_id()));
    row.insert(row.end(),
               {TierWord(advice.tier()), ReasonText(advice.reason_code(), advice.reason())});
    table.AddRow(std::move(row));
  }
  return table.Render("  ");
}

}  // namespace

std::string SimulationReport(const v1::SimulateResponse& response, const PartnerNames& names) {
  const v1::PlanOutcome& outcome = response.outcome();
  const std::string& currency = outcome.currency();
  std::string text = Headline(absl::StrCat("Plan: ", outcome.plan_name()), outcome);
  text += WarningLines(response.warnings());
  text += "\n";
  AppendField(text, "P(attain)",
              absl::StrCat(FormatPercent(outcome.attainment_probability()), "   95% interval ",
                           PercentInterval(outcome.attainment_interval())));
  AppendField(text, "Expected revenue",
              absl::StrCat(WithCurrency(outcome.expected_revenue(), currency), "   std. error ",
                           FormatMoney(outcome.expected_revenue_std_error())));
  text += "  Whether you show up or not (no hours for any partner):\n";
  AppendField(text, "  expected revenue",
              WithCurrency(outcome.unassisted_expected_revenue(), currency));
  AppendField(text, "  P(attain)", FormatPercent(outcome.unassisted_attainment_probability()));
  AppendField(text, "Expected shortfall", WithCurrency(outcome.expected_shortfall(), currency));
  AppendField(text, HoursPerPeriodLabel(outcome),
              absl::StrCat(FormatHours(outcome.hours_used()), " used of ",
                           FormatHours(outcome.capacity_hours()), " capacity",
                           outcome.over_capacity() ? " (over)" : ""));
  AppendField(text, "Paths", RunLine(outcome));

  absl::StrAppend(&text, "\n  Revenue percentiles", currency.empty() ? "" : " (" + currency + ")",
                  ":\n", PercentilesTable(outcome.revenue_percentiles()));
  if (outcome.periods_size() > 0) {
    absl::StrAppend(&text, "\nOn track by period (cumulative revenue against the quota's share",
                    " due by then):\n", OnTrackTable(outcome));
  }
  if (const std::string histogram = HistogramText(outcome); !histogram.empty()) {
    absl::StrAppend(&text, "\nRevenue over the horizon, share of paths:\n", histogram);
  }

  absl::StrAppend(&text, "\nPartners by uplift per hour",
                  currency.empty() ? "" : absl::StrCat(" (", currency, ")"),
                  "; hours per ", PeriodWord(outcome.period_length()),
                  ", revenue over the horizon:\n", PartnersTable(outcome, names));
  return text;
}

std::string ComparisonReport(const v1::ComparePlansResponse& comparison) {
  if (comparison.outcomes().empty()) return "No plans compared.\n";
  const v1::PlanOutcome& first = comparison.outcomes(0);
  const std::string& currency = first.currency();
  std::string text =
      Headline(absl::StrCat("Comparing ", comparison.outcomes_size(), " plans"), first);
  text += WarningLines(comparison.warnings());
  absl::StrAppend(&text, "Paths ", RunLine(first), "\n\n");

  using Align = TextTable::Align;
  TextTable plans;
  plans.AddColumn("plan", Align::kLeft);
  plans.AddColumn("P(attain)", Align::kRight);
  plans.AddColumn("95% interval", Align::kRight);
  plans.AddColumn(currency.empty() ? "E[revenue]" : absl::StrCat("E[revenue] ", currency),
                  Align::kRight);
  plans.AddColumn(absl::StrCat("hours/", PeriodWord(first.period_length())), Align::kRight);
  plans.AddColumn("", Align::kLeft);
  for (const v1::PlanOutcome& outcome : comparison.outcomes()) {
    plans.AddRow({outcome.plan_name(), FormatPercent(outcome.attainment_probability()),
                  PercentInterval(outcome.attainment_interval()),
                  FormatMoney(outcome.expected_revenue()), FormatHours(outcome.hours_used()),
                  outcome.over_capacity()
                      ? absl::StrCat("over capacity (", FormatHours(outcome.capacity_hours()), ")")
                      : ""});
  }
  text += plans.Render("  ");

  if (comparison.differences_size() > 0) {
    absl::StrAppend(&text, "\nDifferences to \"", comparison.differences(0).baseline_plan_name(),
                    "\", paired on the same random numbers:\n");
    TextTable differences;
    differences.AddColumn("plan", Align::kLeft);
    differences.AddColumn("P(attain) pts", Align::kRight);
    differences.AddColumn("95% interval", Align::kRight);
    differences.AddColumn(currency.empty() ? "E[revenue]" : absl::StrCat("E[revenue] ", currency),
                          Align::kRight);
    differences.AddColumn("95% interval", Align::kRight);
    for (const v1::PlanDifference& d : comparison.differences()) {
      const v1::Interval& p = d.attainment_probability_difference_interval();
      const v1::Interval& r = d.expected_revenue_difference_interval();
      differences.AddRow({d.plan_name(), FormatPoints(d.attainment_probability_difference()),
                          absl::StrCat(FormatPoints(p.low()), " to ", FormatPoints(p.high())),
                          FormatMoney(d.expected_revenue_difference(), /*signed_plus=*/true),
                          absl::StrCat(FormatMoney(r.low(), true), " to ",
                                       FormatMoney(r.high(), true))});
    }
    text += differences.Render("  ");
  }
  return text;
}

std::string RecommendationReport(const v1::RecommendTiersRequest& request,
                                 const v1::RecommendTiersResponse& recommendation) {
  const v1::PlanOutcome& current = recommendation.current_outcome();
  const v1::RecommendationSearch& search = recommendation.search();
  const std::string& currency = current.currency();
  const v1::Objective objective = request.objective();
  std::string text = Headline("Tier recommendation", current);
  // The current plan's over capacity is the subject of its own section below.
  text += WarningLines(recommendation.warnings(),
                       recommendation.has_fitted() ? v1::WARNING_CODE_OVER_CAPACITY
                                                   : v1::WARNING_CODE_UNSPECIFIED);
  text += "\n";
  AppendField(text, "Objective", absl::StrCat("maximize ", ObjectiveName(objective)));
  if (request.locked_partner_ids_size() > 0) {
    AppendField(text, "Locked", absl::StrJoin(request.locked_partner_ids(), ", "));
  }
  if (request.has_max_changes()) {
    AppendField(text, "Max changes", absl::StrCat(request.max_changes()));
  }
  AppendField(text, "Search",
              absl::StrCat(SearchMethodName(search.method()), ", ",
                           FormatCount(search.candidate_plans_evaluated()),
                           " candidate plans evaluated in ",
                           FormatSeconds(search.search_seconds())));
  AppendField(text, "Paths",
              absl::StrCat(FormatCount(current.paths()),
                           " per sample (one to search, an independent one to validate)"));
  AppendField(text, "Seeds", absl::StrCat("optimization ", search.optimization_seed(),
                                          ", validation ", search.validation_seed()));
  const std::string searched_current =
      FormatObjective(objective, search.optimization_objective_current(), currency);
  const std::string searched_recommended =
      FormatObjective(objective, search.optimization_objective_recommended(), currency);
  AppendField(text, "On the search sample",
              recommendation.has_fitted()
                  ? absl::StrCat("recommended ", ObjectiveName(objective), " ",
                                 searched_recommended, " (optimistic); the current tiers' ",
                                 searched_current, " is over capacity")
                  : absl::StrCat(ObjectiveName(objective), " ", searched_current, " -> ",
                                 searched_recommended, " (optimistic)"));

  const PartnerNames names = NamesOf(request.portfolio());
  if (recommendation.has_fitted()) {
    absl::StrAppend(
        &text, "\nThe current tiers use ", FormatHours(current.hours_used()), " hours per ",
        PeriodWord(current.period_length()), ", over the capacity of ",
        FormatHours(current.capacity_hours()),
        ": they cannot be kept.\nFitted to the capacity by the changes needed to fit alone, "
        "then the recommendation,\nthe best plan found within the hours, against the fitted "
        "plan (validation sample,\npaired path by path):\n",
        FittedTable(recommendation));
    const std::vector<const v1::TierChange*> needed = ChangesOf(recommendation, true);
    const std::vector<const v1::TierChange*> improving = ChangesOf(recommendation, false);
    absl::StrAppend(&text,
                    "\nChanges by effect on P(attain), then on expected revenue; an effect is "
                    "the\nrecommended plan minus the same plan with that one change undone.\n"
                    "\nNeeded to fit the hours (", needed.size(),
                    "):\n", ChangesTable(recommendation, needed, names));
    if (improving.empty()) {
      text += "\nNo change improves on the fitted plan.\n";
    } else {
      absl::StrAppend(&text, "\nImproving on the fitted plan (", improving.size(), "):\n",
                      ChangesTable(recommendation, improving, names));
    }
  } else {
    absl::StrAppend(&text,
                    "\nCurrent and recommended tiers on the validation sample, the difference "
                    "paired path by path:\n",
                    BeforeAfterTable(recommendation));
    if (recommendation.changes().empty()) {
      text += "\nNo tier changes: the current tiers are the best plan found.\n";
    } else {
      absl::StrAppend(&text, "\nTier changes (", recommendation.changes_size(),
                      "), by effect on P(attain), then on expected revenue; an effect is the\n"
                      "recommended plan minus the same plan with that one change undone:\n",
                      ChangesTable(recommendation, ChangesOf(recommendation, false), names));
    }
  }
  if (!recommendation.unchanged().empty()) {
    absl::StrAppend(&text, "\nUnchanged (", recommendation.unchanged_size(), "):\n",
                    UnchangedTable(recommendation, names));
  }
  return text;
}

std::string ProgressLine(const v1::SimulationProgress& progress, int width) {
  const double done_share =
      progress.paths_planned() == 0
          ? 0
          : std::min(1.0, static_cast<double>(progress.paths_done()) /
                              static_cast<double>(progress.paths_planned()));
  auto status_text = [&progress](double share, uint64_t paths_done, double attainment) {
    std::string status = absl::StrFormat(
        " %3.0f%%  %s / %s paths  P(attain) %s", share * 100, FormatCount(paths_done),
        FormatCount(progress.paths_planned()), FormatPercent(attainment));
    if (progress.target_ci_half_width() > 0) {
      // Under a precision target the run usually stops before paths_planned (a cap), so
      // the interval closing in on the target says more than the bar.
      const v1::Interval& interval = progress.attainment_interval();
      absl::StrAppend(&status, absl::StrFormat(" +-%.2f (target +-%.2f)",
                                               (interval.high() - interval.low()) * 50,
                                               progress.target_ci_half_width() * 100));
    }
    return status;
  };
  const std::string status =
      status_text(done_share, progress.paths_done(), progress.attainment_probability());
  // Sized for the widest the figures get, so the bar does not shrink as they grow.
  const size_t widest = status_text(1.0, progress.paths_planned(), 1.0).size();
  const int bar_width = std::clamp(width - 2 - static_cast<int>(widest), 10, 30);
  const int filled = static_cast<int>(std::lround(done_share * bar_width));
  return absl::StrCat("[", std::string(static_cast<size_t>(filled), '#'),
                      std::string(static_cast<size_t>(bar_width - filled), '.'), "]", status);
}

std::string RecommendationProgressLine(const v1::RecommendationProgress& progress,
                                       v1::Objective objective, const std::string& currency,
                                       int width) {
  auto paths = [&progress](absl::string_view phase) {
    return absl::StrCat(phase, " ", FormatCount(progress.paths_done()), "/",
                        FormatCount(progress.paths_planned()), " paths");
  };
  std::string line;
  switch (progress.phase()) {
    case v1::RECOMMENDATION_PHASE_SAMPLING:
      line = paths("sampling");
      break;
    case v1::RECOMMENDATION_PHASE_SEARCHING:
      line = absl::StrCat("searching: ", FormatCount(progress.candidate_plans_evaluated()),
                          " plans evaluated");
      // Before the first plan is measured there is no best to show.
      if (progress.candidate_plans_evaluated() > 0) {
        const absl::string_view name = objective == v1::OBJECTIVE_EXPECTED_REVENUE
                                           ? "expected revenue"
                                       : objective == v1::OBJECTIVE_DOWNSIDE_REVENUE
                                           ? "downside revenue"
                                           : "P(attain)";
        absl::StrAppend(&line, ", best ", name, " ",
                        FormatObjective(objective, progress.best_objective(), currency));
      }
      break;
    case v1::RECOMMENDATION_PHASE_VALIDATING:
      line = paths("validating");
      break;
    default:  // a phase newer than this client, or none yet
      line = progress.paths_planned() > 0 ? paths("working:") : "working";
      break;
  }
  // Cut at a character boundary: a currency may be more than one byte of UTF-8.
  size_t columns = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    if (++columns > static_cast<size_t>(std::max(width, 0))) {
      line.resize(i);
      break;
    }
  }
  return line;
}

}  // namespace attain::cli
