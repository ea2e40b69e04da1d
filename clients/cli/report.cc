#include "clients/cli/report.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace attain::cli {
namespace {

// Characters as a terminal shows them: UTF-8 continuation bytes take no column.
size_t DisplayWidth(absl::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Columns padded to their widest cell, two spaces apart.
class TextTable {
 public:
  enum class Align { kLeft, kRight };

  void AddColumn(std::string header, Align align) {
    headers_.push_back(std::move(header));
    aligns_.push_back(align);
  }

  void AddRow(std::vector<std::string> cells) {
    cells.resize(headers_.size());
    rows_.push_back(std::move(cells));
  }

  std::string Render(absl::string_view indent) const {
    std::vector<size_t> widths(headers_.size());
    for (size_t c = 0; c < headers_.size(); ++c) {
      widths[c] = DisplayWidth(headers_[c]);
      for (const auto& row : rows_) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
    std::string text;
    auto append_line = [&](const std::vector<std::string>& cells) {
      std::string line(indent);
      for (size_t c = 0; c < cells.size(); ++c) {
        const std::string padding(widths[c] - DisplayWidth(cells[c]), ' ');
        if (c > 0) line += "  ";
        line += aligns_[c] == Align::kRight ? padding + cells[c] : cells[c] + padding;
      }
      // Trailing spaces of a left-aligned last column are noise in files and diffs.
      absl::StrAppend(&text, absl::StripTrailingAsciiWhitespace(line), "\n");
    };
    append_line(headers_);
    for (const auto& row : rows_) append_line(row);
    return text;
  }

 private:
  std::vector<std::string> headers_;
  std::vector<Align> aligns_;
  std::vector<std::vector<std::string>> rows_;
};

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

// "TIER_INVEST" -> "INVEST": the prefix only repeats the column's name.
std::string TierName(v1::Tier tier) {
  return std::string(absl::StripPrefix(v1::Tier_Name(tier), "TIER_"));
}

constexpr size_t kLabelWidth = 24;

void AppendField(std::string& text, absl::string_view label, absl::string_view value) {
  absl::StrAppend(&text, "  ", label,
                  std::string(kLabelWidth > label.size() ? kLabelWidth - label.size() : 1, ' '),
                  value, "\n");
}

std::string Headline(absl::string_view what, const v1::PlanOutcome& outcome) {
  return absl::StrCat(what, " (", outcome.partners_size(), " partners, ",
                      outcome.periods_size(), " periods, quota ",
                      WithCurrency(outcome.quota(), outcome.currency()), ")\n");
}

std::string RunLine(const v1::PlanOutcome& outcome) {
  return absl::StrCat(FormatCount(outcome.paths()), "   seed ",
                      outcome.seed(), outcome.antithetic() ? "   antithetic" : "");
}

std::string OverCapacityWarning(const v1::PlanOutcome& outcome) {
  return absl::StrCat("WARNING: the plan uses ", FormatHours(outcome.hours_used()),
                      " hours per period, over the capacity of ",
                      FormatHours(outcome.capacity_hours()), " (it is simulated anyway)");
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

std::string PartnersTable(const v1::PlanOutcome& outcome) {
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
    table.AddRow({partner->partner_id(), TierName(partner->tier()),
                  FormatHours(partner->hours()),
                  FormatMoney(partner->unassisted_expected_revenue()),
                  FormatMoney(partner->expected_revenue()),
                  FormatMoney(partner->engagement_uplift()),
                  absl::StrCat(FormatMoney(interval.low()), " to ", FormatMoney(interval.high())),
                  FormatMoney(partner->uplift_per_hour()),
                  FormatPercent(partner->dormancy_probability())});
  }
  return table.Render("  ");
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

std::string SimulationReport(const v1::PlanOutcome& outcome) {
  const std::string& currency = outcome.currency();
  std::string text = Headline(absl::StrCat("Plan: ", outcome.plan_name()), outcome);
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
  AppendField(text, "Hours per period",
              absl::StrCat(FormatHours(outcome.hours_used()), " used of ",
                           FormatHours(outcome.capacity_hours()), " capacity"));
  if (outcome.over_capacity()) absl::StrAppend(&text, "  ", OverCapacityWarning(outcome), "\n");
  AppendField(text, "Paths", RunLine(outcome));

  absl::StrAppend(&text, "\n  Revenue percentiles", currency.empty() ? "" : " (" + currency + ")",
                  ":\n", PercentilesTable(outcome.revenue_percentiles()));

  absl::StrAppend(&text, "\nPartners by uplift per hour",
                  currency.empty() ? "" : absl::StrCat(" (", currency, ")"),
                  "; hours per period, revenue over the horizon:\n", PartnersTable(outcome));
  return text;
}

std::string ComparisonReport(const v1::ComparePlansResponse& comparison) {
  if (comparison.outcomes().empty()) return "No plans compared.\n";
  const v1::PlanOutcome& first = comparison.outcomes(0);
  const std::string& currency = first.currency();
  std::string text =
      Headline(absl::StrCat("Comparing ", comparison.outcomes_size(), " plans"), first);
  absl::StrAppend(&text, "Paths ", RunLine(first), "\n\n");

  using Align = TextTable::Align;
  TextTable plans;
  plans.AddColumn("plan", Align::kLeft);
  plans.AddColumn("P(attain)", Align::kRight);
  plans.AddColumn("95% interval", Align::kRight);
  plans.AddColumn(currency.empty() ? "E[revenue]" : absl::StrCat("E[revenue] ", currency),
                  Align::kRight);
  plans.AddColumn("hours/period", Align::kRight);
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
  for (const v1::PlanOutcome& outcome : comparison.outcomes()) {
    if (outcome.over_capacity()) {
      absl::StrAppend(&text, "\n", outcome.plan_name(), ": ", OverCapacityWarning(outcome), "\n");
    }
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

}  // namespace attain::cli
