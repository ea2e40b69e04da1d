#include "proto/support/coaching_text.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "proto/support/text.h"

namespace attain {
namespace {

bool IsProbability(v1::Objective objective) {
  return objective == v1::OBJECTIVE_UNSPECIFIED ||
         objective == v1::OBJECTIVE_ATTAINMENT_PROBABILITY;
}

std::string FormatHours(double hours) { return absl::StrFormat("%g", hours); }

// Revenue per hour of `hours` more per period over `periods`.
std::string PerHour(double revenue, double hours, int periods) {
  return FormatMoney(hours > 0 && periods > 0 ? revenue / (hours * periods) : 0);
}

std::string AlignedText(const v1::PartnerFeedback& f) {
  const v1::ReasonFacts& facts = f.facts();
  const std::string tier = TierWord(f.plan_tier());
  switch (f.reason_code()) {
    case v1::REASON_CODE_SELF_SUFFICIENT:
      return absl::StrCat(tier, ", as in the best plan: it sells ",
                          FormatPercent(facts.expected_revenue() > 0
                                            ? facts.unassisted_expected_revenue() /
                                                  facts.expected_revenue()
                                            : 1),
                          " as much with no hours at all");
    case v1::REASON_CODE_DORMANCY_RISK:
      return absl::StrCat(tier, ", as in the best plan: with opportunistic attention it has a ",
                          FormatPercent(facts.compared_dormancy_probability()),
                          " chance of going dormant within the horizon, at ", tier, " ",
                          FormatPercent(facts.dormancy_probability()));
    default:
      return absl::StrCat(tier, ", as in the best plan (",
                          FormatMoney(facts.expected_revenue()), " expected over the horizon)");
  }
}

// The score's sentence, from its basis.
std::string ScoreSentence(const v1::CoachPlanResponse& r, const std::string& plan,
                          const std::string& best, const std::string& floor,
                          const std::string& interval) {
  const v1::Objective o = r.objective();
  switch (r.score_basis()) {
    case v1::SCORE_BASIS_NOTHING_TO_GAIN:
      return absl::StrCat("No plan found does measurably better than the floor on ",
                          ObjectiveWord(o), " (best ", best, ", floor ", floor,
                          "): every plan scores 100, and the feedback shows where the hours go.");
    case v1::SCORE_BASIS_ABOVE_FOUND_BEST:
      return absl::StrCat("Your plan does better than the best plan found (", ObjectiveWord(o),
                          " ", plan, " against ", best, "): it scores 100 ", interval, ".");
    case v1::SCORE_BASIS_BELOW_FLOOR:
      return absl::StrCat("Your plan does worse than opportunistic touches for every partner (",
                          ObjectiveWord(o), " ", plan, " against ", floor, "): it scores 0 ",
                          interval, ".");
    default:
      return absl::StrFormat(
          "Your plan captures %.0f of the 100 points available over the floor %s: %s %s, "
          "against %s for the floor and %s for the best plan found.",
          r.score(), interval, ObjectiveWord(o), plan, floor, best);
  }
}

}  // namespace

std::string ObjectiveWord(v1::Objective objective) {
  switch (objective) {
    case v1::OBJECTIVE_EXPECTED_REVENUE: return "expected revenue";
    case v1::OBJECTIVE_DOWNSIDE_REVENUE: return "10th-percentile revenue";
    default: return "P(attain)";
  }
}

std::string FormatObjective(v1::Objective objective, double value) {
  return IsProbability(objective) ? FormatPercent(value) : FormatMoney(value);
}

std::string FormatObjectiveEffect(v1::Objective objective, double effect,
                                  const v1::Interval& interval) {
  if (IsProbability(objective)) {
    return absl::StrFormat("%+.1f pts [%.1f, %.1f]", 100 * effect, 100 * interval.low(),
                           100 * interval.high());
  }
  return absl::StrCat(FormatMoney(effect, true), " [", FormatMoney(interval.low()), ", ",
                      FormatMoney(interval.high()), "]");
}

std::string ScoreText(const v1::CoachPlanResponse& r) {
  const v1::Objective o = r.objective();
  const auto value = [o](const v1::PlanOutcome& outcome) {
    switch (o) {
      case v1::OBJECTIVE_EXPECTED_REVENUE: return outcome.expected_revenue();
      case v1::OBJECTIVE_DOWNSIDE_REVENUE: return outcome.revenue_percentiles().p10();
      default: return outcome.attainment_probability();
    }
  };
  const std::string plan = FormatObjective(o, value(r.plan_outcome()));
  const std::string best = FormatObjective(o, value(r.best_outcome()));
  const std::string floor = FormatObjective(o, value(r.floor_outcome()));
  const std::string interval = absl::StrFormat("[%.0f, %.0f]", r.score_interval().low(),
                                               r.score_interval().high());
  const v1::PlanOutcome& m = r.plan_outcome();
  const std::string capacity =
      m.over_capacity()
          ? absl::StrCat(" The plan needs ", FormatHours(m.hours_used()), " hours per period of ",
                         FormatHours(m.capacity_hours()),
                         ": the score counts hours you do not have.")
          : "";
  return ScoreSentence(r, plan, best, floor, interval) + capacity;
}

std::string PartnerFeedbackText(const v1::PartnerFeedback& f, v1::Objective objective,
                                int periods) {
  if (f.code() == v1::FEEDBACK_CODE_ALIGNED) return AlignedText(f);
  const v1::ReasonFacts& facts = f.facts();
  const std::string plan = TierWord(f.plan_tier());
  const std::string best = TierWord(f.best_tier());
  const double hours = std::fabs(facts.hours() - facts.compared_hours());
  const double revenue = std::fabs(facts.expected_revenue() - facts.compared_expected_revenue());
  std::string text;
  switch (f.code()) {
    case v1::FEEDBACK_CODE_OVER_INVESTED:
      text = f.reason_code() == v1::REASON_CODE_SELF_SUFFICIENT
                 ? absl::StrCat(
                       "it sells ",
                       FormatPercent(facts.compared_expected_revenue() > 0
                                         ? facts.expected_revenue() /
                                               facts.compared_expected_revenue()
                                         : 1),
                       " as much at ", best, " as at ", plan, ": the ", FormatHours(hours),
                       " extra hours per period add only ", FormatMoney(revenue),
                       " over the horizon (", PerHour(revenue, hours, periods),
                       " per hour), and earn more elsewhere")
                 : absl::StrCat("the ", FormatHours(hours), " hours per period ", plan,
                                " adds over ", best, " earn about ",
                                PerHour(revenue, hours, periods),
                                " per hour here; the best plan spends them where they earn more");
      break;
    case v1::FEEDBACK_CODE_RETENTION_RISK:
      text = absl::StrCat("at ", plan, " it has a ",
                          FormatPercent(facts.compared_dormancy_probability()),
                          " chance of going dormant within the horizon; ", best, " cuts that to ",
                          FormatPercent(facts.dormancy_probability()), " for ",
                          FormatHours(hours), " more hours per period (",
                          FormatMoney(revenue, true), " expected)");
      break;
    default:  // UNDER_INVESTED
      text = absl::StrCat("its revenue responds to hours: at ", best, " each of the ",
                          FormatHours(hours), " extra hours per period adds about ",
                          PerHour(revenue, hours, periods), " (", FormatMoney(revenue, true),
                          " expected over the horizon)");
  }
  return absl::StrCat(text, "; moving it to ", best, " alone changes ", ObjectiveWord(objective),
                      " by ",
                      FormatObjectiveEffect(objective, f.to_best().objective_effect(),
                                            f.to_best().objective_effect_interval()));
}

std::string MoveText(const v1::CoachingMove& move, v1::Objective objective) {
  std::string what;
  if (move.changes_size() == 2) {
    const v1::TierMove& from = move.changes(0);
    const v1::TierMove& to = move.changes(1);
    what = absl::StrCat("free ", FormatHours(-from.hours_change()), " hours per period from ",
                        from.partner_id(), " (", TierWord(from.from_tier()), " -> ",
                        TierWord(from.to_tier()), ") and give ", FormatHours(to.hours_change()),
                        " to ", to.partner_id(), " (", TierWord(to.from_tier()), " -> ",
                        TierWord(to.to_tier()), ")");
  } else if (move.changes_size() == 1) {
    const v1::TierMove& c = move.changes(0);
    what = absl::StrCat(c.partner_id(), " ", TierWord(c.from_tier()), " -> ",
                        TierWord(c.to_tier()), " (", c.hours_change() > 0 ? "+" : "",
                        FormatHours(c.hours_change()), " hours per period)");
  }
  return absl::StrCat(what, ": ", ObjectiveWord(objective), " ",
                      FormatObjectiveEffect(objective, move.effect().objective_effect(),
                                            move.effect().objective_effect_interval()),
                      ", expected revenue ",
                      FormatMoney(move.effect().expected_revenue_effect(), true));
}

std::vector<std::string> PortfolioFeedbackTexts(const v1::PortfolioFeedback& f, int partners) {
  std::vector<std::string> texts;
  if (f.self_sufficient_hours() > 0) {
    texts.push_back(absl::StrCat(
        FormatHours(f.self_sufficient_hours()), " of your ", FormatHours(f.hours_used()),
        " hours per period (", FormatPercent(f.self_sufficient_hours_share()), ") go to ",
        f.self_sufficient_partners(), f.self_sufficient_partners() == 1 ? " partner" : " partners",
        " that sell at least 90% as much without them."));
  } else {
    texts.push_back("None of your hours go to partners that sell as much without them.");
  }
  if (f.capacity_code() == v1::FEEDBACK_CODE_OVER_CAPACITY) {
    texts.push_back(absl::StrCat("The plan needs ", FormatHours(f.hours_used()),
                                 " hours per period, ",
                                 FormatHours(f.hours_used() - f.capacity_hours()),
                                 " more than the capacity of ", FormatHours(f.capacity_hours()),
                                 ": OVER_CAPACITY."));
  } else {
    texts.push_back(absl::StrCat("The plan uses ", FormatHours(f.hours_used()), " of ",
                                 FormatHours(f.capacity_hours()), " hours per period (",
                                 FormatPercent(f.capacity_use()), ")."));
  }
  if (!f.largest_partner_id().empty()) {
    texts.push_back(absl::StrFormat(
        "%s brings %s of expected revenue and the top three %s: revenue is spread like %.1f "
        "equal partners of %d.",
        f.largest_partner_id(), FormatPercent(f.largest_revenue_share()),
        FormatPercent(f.top3_revenue_share()), f.effective_partners(), partners));
  }
  return texts;
}

}  // namespace attain
