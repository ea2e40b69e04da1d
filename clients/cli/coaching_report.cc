#include "clients/cli/coaching_report.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "clients/cli/report_parts.h"
#include "clients/cli/text_table.h"
#include "proto/support/coaching_text.h"
#include "proto/support/text.h"

namespace attain::cli {
namespace {

// Prose wraps here; tables are as wide as their cells.
constexpr size_t kReportWidth = 92;

// FEEDBACK_CODE_OVER_INVESTED -> "OVER_INVESTED": the code as the API and docs name it.
std::string FeedbackWord(v1::FeedbackCode code) {
  const std::string& name = v1::FeedbackCode_Name(code);
  if (name.empty()) return absl::StrCat("code ", static_cast<int>(code));  // newer than us
  return std::string(absl::StripPrefix(name, "FEEDBACK_CODE_"));
}

std::string BasisWords(v1::ScoreBasis basis) {
  switch (basis) {
    case v1::SCORE_BASIS_SHARE_OF_GAIN: return "its share of the best plan's gain over the floor";
    case v1::SCORE_BASIS_NOTHING_TO_GAIN: return "no plan gains measurably over the floor: 100";
    case v1::SCORE_BASIS_ABOVE_FOUND_BEST: return "better than the best plan found: 100";
    case v1::SCORE_BASIS_BELOW_FLOOR: return "below the floor: 0";
    default: return "";
  }
}

// `text` wrapped under a hanging `marker` ("  1. ", "  - ").
std::string Item(absl::string_view marker, absl::string_view text) {
  std::string wrapped = Wrap(text, std::string(marker.size(), ' '), kReportWidth);
  wrapped.replace(0, marker.size(), marker.data(), marker.size());
  return wrapped;
}

std::string WithCurrency(absl::string_view label, const std::string& currency) {
  return currency.empty() ? std::string(label) : absl::StrCat(label, " ", currency);
}

std::string PlansTable(const v1::CoachPlanResponse& r) {
  const std::string& currency = r.plan_outcome().currency();
  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("plan", Align::kLeft);
  table.AddColumn("P(attain)", Align::kRight);
  table.AddColumn("95% interval", Align::kRight);
  table.AddColumn(WithCurrency("E[revenue]", currency), Align::kRight);
  table.AddColumn("revenue P10", Align::kRight);
  table.AddColumn(absl::StrCat("hours/", PeriodWord(r.plan_outcome().period_length())),
                  Align::kRight);
  const std::pair<std::string, const v1::PlanOutcome*> plans[] = {
      {absl::StrCat("your plan \"", r.plan_outcome().plan_name(), "\""), &r.plan_outcome()},
      {"best plan found", &r.best_outcome()},
      {"floor (all OPPORTUNISTIC)", &r.floor_outcome()}};
  for (const auto& [name, outcome] : plans) {
    table.AddRow({name, FormatPercent(outcome->attainment_probability()),
                  absl::StrCat(FormatPercent(outcome->attainment_interval().low()), " to ",
                               FormatPercent(outcome->attainment_interval().high())),
                  FormatMoney(outcome->expected_revenue()),
                  FormatMoney(outcome->revenue_percentiles().p10()),
                  absl::StrFormat("%.1f", outcome->hours_used())});
  }
  return table.Render("  ");
}

std::string PartnersTable(const v1::CoachPlanResponse& r, const PartnerNames& names) {
  std::vector<const v1::PartnerFeedback*> partners;
  for (const v1::PartnerFeedback& p : r.partners()) partners.push_back(&p);
  // What to change first: the partners off the best plan's tier, by the effect of moving
  // each alone to it (then on revenue); the aligned ones after, in portfolio order.
  std::stable_sort(partners.begin(), partners.end(),
                   [](const v1::PartnerFeedback* a, const v1::PartnerFeedback* b) {
                     const bool a_aligned = a->code() == v1::FEEDBACK_CODE_ALIGNED;
                     const bool b_aligned = b->code() == v1::FEEDBACK_CODE_ALIGNED;
                     if (a_aligned || b_aligned) return !a_aligned && b_aligned;
                     if (a->to_best().objective_effect() != b->to_best().objective_effect()) {
                       return a->to_best().objective_effect() > b->to_best().objective_effect();
                     }
                     return a->to_best().expected_revenue_effect() >
                            b->to_best().expected_revenue_effect();
                   });
  using Align = TextTable::Align;
  TextTable table;
  table.AddColumn("partner", Align::kLeft);
  if (AnyName(names)) table.AddColumn("name", Align::kLeft);
  table.AddColumn("your tier", Align::kLeft);
  table.AddColumn("best tier", Align::kLeft);
  table.AddColumn("feedback", Align::kLeft);
  table.AddColumn(absl::StrCat("moving it to best: ", ObjectiveWord(r.objective())),
                  Align::kRight);
  for (const v1::PartnerFeedback* p : partners) {
    const bool aligned = p->code() == v1::FEEDBACK_CODE_ALIGNED;
    std::vector<std::string> row = {p->partner_id()};
    if (AnyName(names)) row.push_back(NameCell(names, p->partner_id()));
    row.insert(row.end(),
               {TierWord(p->plan_tier()), TierWord(p->best_tier()), FeedbackWord(p->code()),
                aligned ? "" : FormatObjectiveEffect(r.objective(),
                                                     p->to_best().objective_effect(),
                                                     p->to_best().objective_effect_interval())});
    table.AddRow(std::move(row), p->message());
  }
  return table.Render("  ");
}

// "INVEST acme, cobalt; MAINTAIN brightline; OPPORTUNISTIC ...", partners in portfolio order.
std::string BestPlanByTier(const v1::CoachPlanResponse& r) {
  std::vector<std::string> groups;
  for (const v1::Tier tier : {v1::TIER_INVEST, v1::TIER_MAINTAIN, v1::TIER_OPPORTUNISTIC}) {
    std::vector<std::string> ids;
    for (const v1::PartnerFeedback& p : r.partners()) {
      const auto it = r.best_plan().tiers().find(p.partner_id());
      if (it != r.best_plan().tiers().end() && it->second == tier) ids.push_back(p.partner_id());
    }
    if (!ids.empty()) groups.push_back(absl::StrCat(TierWord(tier), " ", absl::StrJoin(ids, ", ")));
  }
  return absl::StrJoin(groups, "; ");
}

}  // namespace

std::string CoachingReport(const v1::CoachPlanResponse& r, const PartnerNames& names) {
  const v1::PlanOutcome& plan = r.plan_outcome();
  const v1::PortfolioFeedback& portfolio = r.portfolio();
  const v1::Objective objective = r.objective();
  std::string text = absl::StrCat(
      "Coaching of plan \"", plan.plan_name(), "\" (", r.partners_size(), " partners, ",
      PeriodsPhrase(plan.periods_size(), plan.period_length()), ", quota ",
      FormatMoney(plan.quota()), plan.currency().empty() ? "" : " ", plan.currency(), "), on ",
      ObjectiveWord(objective), "\n");
  // Over capacity has its own paragraph below.
  absl::StrAppend(&text, WarningLines(r.warnings(), v1::WARNING_CODE_OVER_CAPACITY), "\n");
  absl::StrAppend(&text,
                  absl::StrFormat("  Score %.0f of 100   95%% interval %.0f to %.0f   (%s)\n",
                                  r.score(), r.score_interval().low(), r.score_interval().high(),
                                  BasisWords(r.score_basis())),
                  Wrap(r.score_message(), "  ", kReportWidth));
  if (portfolio.capacity_code() == v1::FEEDBACK_CODE_OVER_CAPACITY) {
    absl::StrAppend(
        &text, "\n",
        Wrap(absl::StrFormat("OVER_CAPACITY: your plan needs %g hours per %s, %g more than "
                             "the capacity of %g. It is scored as if the hours were there, and "
                             "the moves below free hours first.",
                             portfolio.hours_used(), PeriodWord(plan.period_length()),
                             portfolio.hours_used() - portfolio.capacity_hours(),
                             portfolio.capacity_hours()),
             "  ", kReportWidth));
  }

  absl::StrAppend(&text, "\nThe three plans on the validation sample, paired path by path:\n",
                  PlansTable(r),
                  Wrap(absl::StrCat("Gain over the floor in ", ObjectiveWord(objective),
                                    ": your plan ",
                                    FormatObjectiveEffect(objective, r.plan_gain(),
                                                          r.plan_gain_interval()),
                                    ", the best plan found ",
                                    FormatObjectiveEffect(objective, r.achievable_gain(),
                                                          r.achievable_gain_interval()),
                                    "."),
                       "  ", kReportWidth));

  absl::StrAppend(&text,
                  "\nPartners, those to change first: by the effect of moving each alone to the "
                  "best plan's tier\n",
                  PartnersTable(r, names));

  text += "\nPortfolio:\n";
  for (const std::string& message : portfolio.messages()) text += Item("  - ", message);

  if (portfolio.top_moves().empty()) {
    text += "\nNo single step toward the best plan improves your plan.\n";
  } else {
    text += "\nTop moves toward the best plan, each measured with the earlier ones made:\n";
    for (int k = 0; k < portfolio.top_moves_size(); ++k) {
      text += Item(absl::StrCat("  ", k + 1, ". "), portfolio.top_moves(k).message());
    }
  }

  absl::StrAppend(&text, "\n", Wrap(absl::StrCat("Best plan found: ", BestPlanByTier(r)), "",
                                    kReportWidth));
  absl::StrAppend(&text, "Paths ", FormatMoney(static_cast<double>(plan.paths())),
                  " per sample; seeds: optimization ", r.optimization_seed(), ", validation ",
                  r.validation_seed(), "\n");
  return text;
}

}  // namespace attain::cli
