#include "clients/cli/team_report.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli/report.h"
#include "clients/cli/report_parts.h"
#include "clients/cli/text_table.h"
#include "proto/support/text.h"

namespace attain::cli {
namespace {

// Prose wraps here; tables are as wide as their cells.
constexpr size_t kReportWidth = 92;

std::string FormatCount(uint64_t count) { return FormatMoney(static_cast<double>(count)); }

std::string IntervalText(const v1::Interval& interval) {
  return absl::StrCat(FormatPercent(interval.low()), " - ", FormatPercent(interval.high()));
}

// +4.1 pts (+3.6 to +4.6)
std::string PointsText(double difference, const v1::Interval& interval) {
  return absl::StrFormat("%+.1f pts (%+.1f to %+.1f)", difference * 100, interval.low() * 100,
                         interval.high() * 100);
}

std::string Money(double amount, const std::string& currency) {
  return currency.empty() ? FormatMoney(amount) : absl::StrCat(FormatMoney(amount), " ", currency);
}

std::string TeamSummary(const v1::SimulateTeamRequest& request,
                        const v1::SimulateTeamResponse& r) {
  const v1::PlanOutcome& team = r.team();
  const std::string& currency = team.currency();
  const int periods = request.team().members().empty() ? 0 : request.team().members(0).periods();
  const std::string& name = request.team().name();
  std::string out = absl::StrCat(
      "Team ", name.empty() ? "" : absl::StrCat("\"", name, "\" "), "(", r.members_size(),
      " managers) over ", PeriodsPhrase(periods, team.period_length()), ", sharing one market\n");
  absl::StrAppend(&out, "  P(team reaches ", Money(team.quota(), currency), "): ",
                  FormatPercent(team.attainment_probability()), "  (95% ",
                  IntervalText(team.attainment_interval()), ")\n");
  const v1::RevenuePercentiles& p = team.revenue_percentiles();
  absl::StrAppend(&out, "  Expected team revenue: ", Money(team.expected_revenue(), currency),
                  "  (P10 ", FormatMoney(p.p10()), ", median ", FormatMoney(p.p50()), ", P90 ",
                  FormatMoney(p.p90()), ")\n");
  absl::StrAppend(&out, "  Without any manager's hours: ",
                  Money(team.unassisted_expected_revenue(), currency), ", P(attain) ",
                  FormatPercent(team.unassisted_attainment_probability()), "\n");
  if (r.has_all_recommended()) {
    absl::StrAppend(&out, "  Every manager on their recommended tiers: P(attain) ",
                    FormatPercent(r.all_recommended().attainment_probability()), ", ",
                    PointsText(r.all_recommended_difference().attainment_probability_difference(),
                               r.all_recommended_difference()
                                   .attainment_probability_difference_interval()),
                    "\n");
  }
  absl::StrAppend(&out, "  ", FormatCount(team.paths()), " paths, seed ", team.seed(),
                  " (sampler v", team.sampler_version(), ")\n");
  return out;
}

std::string MembersTable(const v1::SimulateTeamResponse& r) {
  const std::string& currency = r.team().currency();
  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("risk", Align::kRight);
  table.AddColumn("manager", Align::kLeft);
  table.AddColumn(currency.empty() ? "quota" : absl::StrCat("quota ", currency), Align::kRight);
  table.AddColumn("P(attain)", Align::kRight);
  table.AddColumn("95% interval", Align::kRight);
  table.AddColumn("E[revenue]", Align::kRight);
  table.AddColumn("no hours", Align::kRight);
  table.AddColumn("E[shortfall]", Align::kRight);
  table.AddColumn(absl::StrCat("hours/", PeriodWord(r.team().period_length())), Align::kRight);
  const bool coaching = r.coaching_paths() > 0;
  if (coaching) table.AddColumn("team gain if coached", Align::kLeft);
  std::vector<const v1::MemberOutcome*> by_risk;
  for (const v1::MemberOutcome& m : r.members()) by_risk.push_back(&m);
  std::sort(by_risk.begin(), by_risk.end(), [](const auto* a, const auto* b) {
    return a->risk_rank() < b->risk_rank();
  });
  for (const v1::MemberOutcome* m : by_risk) {
    std::vector<std::string> cells = {
        absl::StrCat(m->risk_rank()),
        m->channel_manager_id(),
        FormatMoney(m->quota()),
        FormatPercent(m->attainment_probability()),
        IntervalText(m->attainment_interval()),
        FormatMoney(m->expected_revenue()),
        FormatMoney(m->unassisted_expected_revenue()),
        FormatMoney(m->expected_shortfall()),
        absl::StrFormat("%.0f of %.0f%s", m->hours_used(), m->capacity_hours(),
                        m->hours_used() > m->capacity_hours() ? " (over)" : "")};
    if (coaching) {
      const v1::CoachingGain& gain = m->coaching_gain();
      cells.push_back(gain.plan_found()
                          ? absl::StrCat(PointsText(gain.team_attainment_gain(),
                                                    gain.team_attainment_gain_interval()),
                                         ", ", gain.tier_changes(), " tier changes")
                          : "no plan fits the hours");
    }
    table.AddRow(std::move(cells));
  }
  return table.Render("  ");
}

std::string CountLine(const v1::SimulateTeamResponse& r) {
  std::string out = absl::StrFormat(
      "Managers at their own quota: %.2f of %d expected (95%% %.2f - %.2f)\n",
      r.expected_members_at_quota(), r.members_size(),
      r.expected_members_at_quota_interval().low(), r.expected_members_at_quota_interval().high());
  std::string counts;
  for (int k = 0; k < r.members_at_quota_probability_size(); ++k) {
    absl::StrAppend(&counts, k == 0 ? "" : ", ", k, ": ",
                    FormatPercent(r.members_at_quota_probability(k)));
  }
  absl::StrAppend(&out, Wrap(absl::StrCat("P(k at quota) ", counts), "  ", kReportWidth));
  return out;
}

// Where coaching pays the team most: the member whose recommendation gains most.
std::string CoachingLine(const v1::SimulateTeamResponse& r) {
  const v1::MemberOutcome* best = nullptr;
  for (const v1::MemberOutcome& m : r.members()) {
    if (!m.coaching_gain().plan_found()) continue;
    if (best == nullptr ||
        m.coaching_gain().team_attainment_gain() > best->coaching_gain().team_attainment_gain()) {
      best = &m;
    }
  }
  if (best == nullptr) return "";
  return Wrap(absl::StrCat("Coaching pays most with ", best->channel_manager_id(),
                           ": their recommended tiers alone move the team's P(attain) ",
                           PointsText(best->coaching_gain().team_attainment_gain(),
                                      best->coaching_gain().team_attainment_gain_interval()),
                           ". Each manager's tiers were searched on ",
                           FormatCount(r.coaching_paths()),
                           " paths of their own; the gains are measured on the team's paths "
                           "(attain recommend shows a manager's changes)."),
              "", kReportWidth);
}

}  // namespace

std::string TeamReport(const v1::SimulateTeamRequest& request,
                       const v1::SimulateTeamResponse& response) {
  // Warnings first, as every report prints them.
  std::string out = WarningLines(response.warnings());
  if (!out.empty()) out += "\n";
  absl::StrAppend(&out, TeamSummary(request, response), "\nManagers, most at risk first:\n",
                  MembersTable(response), "\n", CountLine(response));
  if (const std::string coaching = CoachingLine(response); !coaching.empty()) {
    absl::StrAppend(&out, "\n", coaching);
  }
  return out;
}

std::string TeamProgressLine(const v1::TeamProgress& progress, int width) {
  if (progress.phase() == v1::TEAM_PHASE_SIMULATING) {
    return absl::StrCat("team: ", ProgressLine(progress.simulation(), width - 6));
  }
  return absl::StrCat("searching each manager's tiers: ", progress.members_searched(), " of ",
                      progress.members(), " done");
}

}  // namespace attain::cli
