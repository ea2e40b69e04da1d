#include "clients/cli/exercise_report.h"

#include <filesystem>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "clients/cli/calibration_report.h"
#include "clients/cli/coaching_report.h"
#include "clients/cli/output_files.h"
#include "clients/cli/report_parts.h"
#include "clients/cli/text_table.h"
#include "proto/support/text.h"

namespace attain::cli {
namespace {

constexpr size_t kReportWidth = 92;

// `word` as one word of a POSIX shell command: as it is when every character is one the
// shell takes literally, else in single quotes.
std::string ShellWord(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789@%_+=:,./-") == std::string::npos;
  if (plain) return word;
  return absl::StrCat("'", absl::StrReplaceAll(word, {{"'", "'\\''"}}), "'");
}

std::string ArchetypeWords(v1::PartnerArchetype archetype) {
  switch (archetype) {
    case v1::PARTNER_ARCHETYPE_SELF_SUFFICIENT: return "self-sufficient";
    case v1::PARTNER_ARCHETYPE_GROWTH_BET: return "growth bet";
    case v1::PARTNER_ARCHETYPE_RETENTION_NEEDY: return "retention-needy";
    case v1::PARTNER_ARCHETYPE_LONG_TAIL: return "long tail";
    default: return absl::StrCat("kind ", static_cast<int>(archetype));  // newer than us
  }
}

// A true proportion, written as PercentEstimate writes its value.
std::string SignedPercent(double fraction) { return absl::StrFormat("%+.1f%%", fraction * 100); }

std::string RevealTable(const v1::SubmitExerciseResponse& response) {
  const std::string& currency = response.truth().currency();
  const std::string per = absl::StrCat("/", PeriodWord(response.truth().period_length()));
  const PartnerNames names = NamesOf(response.truth());
  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("partner", Align::kLeft);
  if (AnyName(names)) table.AddColumn("name", Align::kLeft);
  table.AddColumn("kind", Align::kLeft);
  table.AddColumn("", Align::kLeft);
  table.AddColumn(absl::StrCat("baseline", per, currency.empty() ? "" : " ", currency),
                  Align::kRight);
  table.AddColumn(absl::StrCat("growth", per), Align::kRight);
  table.AddColumn("lift at saturation", Align::kRight);
  table.AddColumn(absl::StrCat("churn", per), Align::kRight);
  for (const v1::PartnerReveal& p : response.partners()) {
    const v1::Partner& truth = p.truth();
    const v1::PartnerCalibration& estimate = p.calibrated();
    std::vector<std::string> row = {p.partner_id()};
    std::vector<std::string> estimates = {""};
    if (AnyName(names)) {
      row.push_back(NameCell(names, p.partner_id()));
      estimates.push_back("");
    }
    row.insert(row.end(),
               {ArchetypeWords(p.archetype()), "true", FormatMoney(truth.baseline_revenue()),
                SignedPercent(truth.growth_rate()), SignedPercent(truth.response().max_lift()),
                FormatPercent(truth.retention().churn_rate())});
    // Churn is estimated for the portfolio, not per partner: see the shared estimates.
    estimates.insert(estimates.end(),
                     {"", "calibrated", MoneyEstimate(estimate.baseline_revenue()),
                      PercentEstimate(estimate.growth_rate(), /*signed_plus=*/true),
                      PercentEstimate(estimate.max_lift(), /*signed_plus=*/true), "pooled"});
    table.AddRow(std::move(row));
    table.AddRow(std::move(estimates));
  }
  return table.Render("  ");
}

std::string SharedEstimates(const v1::CalibrationDiagnostics& d) {
  return absl::StrCat(
      "The calibration's shared estimates: half-effort hours ",
      absl::StrFormat("%.1f +-%.1f", d.half_effort_hours().value(),
                      d.half_effort_hours().std_error()),
      " per period; pooled lift ", PercentEstimate(d.pooled_max_lift(), /*signed_plus=*/true),
      "; churn ", PercentEstimate(d.churn_rate(), /*signed_plus=*/false),
      " per period for a neglected partner, from ", d.dormancy_transitions(),
      d.dormancy_transitions() == 1 ? " transition" : " transitions", " to dormancy in ",
      d.periods_at_risk(), " partner-periods at risk.");
}

}  // namespace

std::string ExerciseBriefing(const v1::Exercise& exercise, const std::string& directory) {
  const ExerciseFiles files = ExerciseFilesIn(directory);
  std::string text = absl::StrCat("Exercise ", exercise.id(), " (difficulty ",
                                  exercise.difficulty(), ", seed ", exercise.seed(), ")\n\n");
  for (absl::string_view paragraph : absl::StrSplit(exercise.briefing(), '\n')) {
    text += paragraph.empty() ? "\n" : Wrap(paragraph, "  ", kReportWidth);
  }

  std::set<std::string> periods;
  for (const v1::HistoryRow& row : exercise.history()) periods.insert(row.period());
  absl::StrAppend(
      &text, "\nFiles:\n",
      Wrap(absl::StrCat(files.portfolio, ": ", exercise.portfolio().partners_size(),
                        " partners with their current tiers, the quota, capacity and tier "
                        "policy; each baseline is the partner's recent revenue, every other "
                        "parameter the model's default"),
           "  ", kReportWidth),
      Wrap(absl::StrCat(files.history, ": ", periods.size(),
                        " periods of revenue and hours per partner (", exercise.history_size(),
                        " rows)"),
           "  ", kReportWidth));

  const std::filesystem::path dir(directory);
  const std::string calibrated = ShellWord((dir / "calibrated.json").string());
  const std::string plan = ShellWord((dir / "plan.json").string());
  absl::StrAppend(
      &text, "\nNext steps:\n",
      "  1. Calibrate the history, keeping the exercise's quota, capacity and current tiers:\n",
      "       attain calibrate ", ShellWord(files.history), " --portfolio ",
      ShellWord(files.portfolio), " --out ", calibrated, "\n",
      "  2. Choose a tier for every partner within the hours: a recommendation on the\n"
      "     calibrated portfolio (edit it as you see fit), or a plan of your own:\n",
      "       attain recommend ", calibrated, " --out ", plan, "\n",
      "  3. Submit the plan for a score and the true parameters:\n",
      "       attain exercise submit ", ShellWord(exercise.id()), " ", plan, "\n");
  return text;
}

std::string ExerciseResultReport(const v1::SubmitExerciseResponse& response) {
  std::string text = absl::StrCat("Exercise ", response.exercise_id(),
                                  ": your plan scored against the true parameters\n\n",
                                  CoachingReport(response.coaching(), NamesOf(response.truth())));
  absl::StrAppend(&text,
                  "\nThe truth revealed: each partner's kind and true parameters, above what "
                  "calibrating the\nhistory estimates (+-standard error):\n",
                  RevealTable(response), "\n",
                  Wrap(SharedEstimates(response.calibration()), "", kReportWidth));
  return text;
}

}  // namespace attain::cli
