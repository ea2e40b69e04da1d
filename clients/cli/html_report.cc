#include "clients/cli/html_report.h"

#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/report_parts.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "proto/support/text.h"
#include "simulator/validation.h"

namespace attain::cli {
namespace {

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

// Builds a JSON object field by field; protobuf's JSON printer does the quoting.
class JsonObject {
 public:
  JsonObject& Number(const std::string& key, double value) {
    (*fields_.mutable_fields())[key].set_number_value(value);
    return *this;
  }
  JsonObject& Text(const std::string& key, const std::string& value) {
    (*fields_.mutable_fields())[key].set_string_value(value);
    return *this;
  }
  JsonObject& Object(const std::string& key, JsonObject value) {
    *(*fields_.mutable_fields())[key].mutable_struct_value() = std::move(value.fields_);
    return *this;
  }
  // A list of objects, or of numbers.
  JsonObject& Objects(const std::string& key, std::vector<JsonObject> values) {
    ListValue& list = *(*fields_.mutable_fields())[key].mutable_list_value();
    for (JsonObject& value : values) *list.add_values()->mutable_struct_value() = value.fields_;
    return *this;
  }
  JsonObject& Numbers(const std::string& key, const std::vector<double>& values) {
    ListValue& list = *(*fields_.mutable_fields())[key].mutable_list_value();
    for (double value : values) list.add_values()->set_number_value(value);
    return *this;
  }
  const Struct& fields() const { return fields_; }

 private:
  Struct fields_;
};

// "Invest" for TIER_INVEST.
std::string TierName(v1::Tier tier) {
  std::string word = absl::AsciiStrToLower(TierWord(tier));
  if (!word.empty()) word[0] = absl::ascii_toupper(word[0]);
  return word;
}

std::string NameOf(const PartnerNames& names, const std::string& id) {
  const auto found = names.find(id);
  return found == names.end() || found->second.empty() ? id : found->second;
}

JsonObject Histogram(const v1::RevenueHistogram& histogram) {
  std::vector<double> counts(histogram.path_counts().begin(), histogram.path_counts().end());
  JsonObject json;
  json.Number("low", histogram.low()).Number("high", histogram.high()).Numbers("counts", counts);
  return json;
}

std::vector<JsonObject> OnTrack(const v1::PlanOutcome& outcome) {
  std::string period = PeriodWord(outcome.period_length());
  period[0] = absl::ascii_toupper(period[0]);
  std::vector<JsonObject> periods;
  for (const v1::PeriodOutcome& p : outcome.periods()) {
    JsonObject json;
    json.Text("label", absl::StrCat(period, " ", p.period()))
        .Number("probability", p.on_track_probability())
        .Number("expectedCumulativeRevenue", p.expected_cumulative_revenue())
        .Number("threshold", p.on_track_threshold());
    periods.push_back(std::move(json));
  }
  return periods;
}

std::vector<JsonObject> Partners(const v1::PlanOutcome& outcome, const v1::Portfolio& portfolio,
                                 const PartnerNames& names) {
  std::map<std::string, v1::Tier, std::less<>> tiers;
  for (const v1::Partner& p : portfolio.partners()) tiers[p.id()] = p.tier();
  std::vector<JsonObject> partners;
  for (const v1::PartnerOutcome& p : outcome.partners()) {
    JsonObject json;
    json.Text("id", p.partner_id())
        .Text("name", NameOf(names, p.partner_id()))
        .Text("tier", TierName(tiers[p.partner_id()]))
        .Number("hours", p.hours())
        .Number("assisted", p.expected_revenue())
        .Number("unassisted", p.unassisted_expected_revenue());
    partners.push_back(std::move(json));
  }
  return partners;
}

std::vector<JsonObject> Changes(const v1::RecommendTiersResponse& response,
                                const PartnerNames& names) {
  std::vector<JsonObject> changes;
  for (const v1::TierChange& c : response.changes()) {
    JsonObject json;
    json.Text("id", c.partner_id())
        .Text("name", NameOf(names, c.partner_id()))
        .Text("from", TierName(c.from_tier()))
        .Text("to", TierName(c.to_tier()))
        .Number("hoursChange", c.hours_change())
        .Number("pAttainEffect", c.attainment_probability_effect())
        .Number("pAttainEffectLow", c.attainment_probability_effect_interval().low())
        .Number("pAttainEffectHigh", c.attainment_probability_effect_interval().high())
        .Number("revenueEffect", c.expected_revenue_effect())
        .Text("reason", c.reason());
    changes.push_back(std::move(json));
  }
  return changes;
}

// True when every number in `value` is finite: JSON has no NaN, and the page would draw
// nonsense.
bool AllFinite(const Value& value) {
  switch (value.kind_case()) {
    case Value::kNumberValue:
      return std::isfinite(value.number_value());
    case Value::kStructValue:
      for (const auto& [key, field] : value.struct_value().fields()) {
        if (!AllFinite(field)) return false;
      }
      return true;
    case Value::kListValue:
      for (const Value& item : value.list_value().values()) {
        if (!AllFinite(item)) return false;
      }
      return true;
    default:
      return true;
  }
}

}  // namespace

absl::Status ApplyPlan(const v1::Plan& plan, v1::Portfolio& portfolio) {
  std::map<std::string, v1::Partner*, std::less<>> partners;
  for (v1::Partner& p : *portfolio.mutable_partners()) partners[p.id()] = &p;
  // Sorted, so that the first bad entry named is the same every run.
  const std::map<std::string, v1::Tier> tiers(plan.tiers().begin(), plan.tiers().end());
  const std::map<std::string, double> hours(plan.hours().begin(), plan.hours().end());
  for (const auto& [id, tier] : tiers) {
    const auto found = partners.find(id);
    if (found == partners.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("tiers[", QuoteForMessage(id), "]: names no partner of the portfolio"));
    }
    found->second->set_tier(tier);
  }
  for (const auto& [id, value] : hours) {
    const auto found = partners.find(id);
    if (found == partners.end() || !std::isfinite(value) || value < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hours[", QuoteForMessage(id), "]: ",
          found == partners.end() ? "names no partner of the portfolio"
                                  : "must be a finite number of hours, 0 or more"));
    }
    found->second->set_hours_override(value);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PortfolioReportJson(const v1::RecommendTiersRequest& request,
                                                const v1::RecommendTiersResponse& response,
                                                const ReportHeading& heading) {
  const v1::PlanOutcome& now = response.current_outcome();
  const v1::PlanOutcome& best = response.recommended_outcome();
  const PartnerNames names = NamesOf(request.portfolio());

  JsonObject recommended;
  recommended.Number("pAttain", best.attainment_probability())
      .Number("pAttainLow", best.attainment_interval().low())
      .Number("pAttainHigh", best.attainment_interval().high())
      .Number("expectedRevenue", best.expected_revenue());
  JsonObject data;
  data.Text("kind", "portfolio")
      .Text("title", heading.title)
      .Text("subtitle", heading.subtitle)
      .Text("generatedBy", heading.generated_by)
      .Text("generatedAt", heading.generated_at)
      .Text("currency", now.currency())
      // The request's seed, which reproduces the page (the outcomes are on the validation
      // sample, seeded from it); a uint64, as text so that no digit is lost to a double.
      .Text("seed", absl::StrCat(response.search().optimization_seed()))
      .Number("paths", static_cast<double>(now.paths()))
      .Text("periodWord", PeriodWord(now.period_length()))
      .Number("quota", now.quota())
      .Number("pAttain", now.attainment_probability())
      .Number("pAttainLow", now.attainment_interval().low())
      .Number("pAttainHigh", now.attainment_interval().high())
      .Number("expectedRevenue", now.expected_revenue())
      .Number("expectedShortfall", now.expected_shortfall())
      .Number("unassistedExpectedRevenue", now.unassisted_expected_revenue())
      .Number("unassistedPAttain", now.unassisted_attainment_probability())
      .Number("hoursUsed", now.hours_used())
      .Number("capacityHours", now.capacity_hours())
      .Object("recommended", std::move(recommended))
      .Object("histogram", Histogram(now.revenue_histogram()))
      .Objects("onTrack", OnTrack(now))
      .Objects("partners", Partners(now, request.portfolio(), names))
      .Objects("changes", Changes(response, names));

  Value whole;
  *whole.mutable_struct_value() = data.fields();
  if (!AllFinite(whole)) {
    return absl::InternalError("report: the server sent a figure that is not finite");
  }
  std::string json;
  if (const auto printed = google::protobuf::util::MessageToJsonString(data.fields(), &json);
      !printed.ok()) {
    return absl::InternalError(absl::StrCat("report: ", printed.ToString()));
  }
  return json;
}

}  // namespace attain::cli
