#include "clients/cli/html_report.h"

#include <cmath>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace attain::cli {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;
using ::testing::HasSubstr;

v1::RecommendTiersRequest Request() {
  v1::RecommendTiersRequest request;
  v1::Portfolio& portfolio = *request.mutable_portfolio();
  portfolio.set_channel_manager_id("cm-7");
  v1::Partner& acme = *portfolio.add_partners();
  acme.set_id("acme");
  acme.set_name("Acme </script> Systems");
  acme.set_tier(v1::TIER_MAINTAIN);
  v1::Partner& cobalt = *portfolio.add_partners();
  cobalt.set_id("cobalt");
  cobalt.set_tier(v1::TIER_OPPORTUNISTIC);
  return request;
}

v1::RecommendTiersResponse Response() {
  v1::RecommendTiersResponse response;
  v1::PlanOutcome& now = *response.mutable_current_outcome();
  now.set_currency("EUR");
  now.set_quota(1000);
  now.set_attainment_probability(0.4);
  now.mutable_attainment_interval()->set_low(0.38);
  now.mutable_attainment_interval()->set_high(0.42);
  now.set_expected_revenue(990);
  now.set_unassisted_expected_revenue(800);
  now.set_seed(5);  // the validation sample's: not the one to show
  response.mutable_search()->set_optimization_seed(18303250839726151343u);  // above 2^53
  now.set_paths(2000);
  now.set_period_length(v1::PERIOD_LENGTH_QUARTER);
  now.mutable_revenue_histogram()->set_low(500);
  now.mutable_revenue_histogram()->set_high(1500);
  for (uint64_t count : {10u, 30u, 50u, 10u}) now.mutable_revenue_histogram()->add_path_counts(count);
  for (int period = 1; period <= 2; ++period) {
    v1::PeriodOutcome& p = *now.add_periods();
    p.set_period(period);
    p.set_on_track_probability(0.5 + 0.1 * period);
  }
  v1::PartnerOutcome& acme = *now.add_partners();
  acme.set_partner_id("acme");
  acme.set_expected_revenue(700);
  acme.set_unassisted_expected_revenue(650);
  v1::PartnerOutcome& cobalt = *now.add_partners();
  cobalt.set_partner_id("cobalt");
  cobalt.set_expected_revenue(290);
  cobalt.set_unassisted_expected_revenue(150);
  response.mutable_recommended_outcome()->set_attainment_probability(0.47);
  response.mutable_recommended_outcome()->set_expected_revenue(1030);
  v1::TierChange& change = *response.add_changes();
  change.set_partner_id("cobalt");
  change.set_from_tier(v1::TIER_OPPORTUNISTIC);
  change.set_to_tier(v1::TIER_INVEST);
  change.set_hours_change(15);
  change.set_attainment_probability_effect(0.07);
  change.set_expected_revenue_effect(40);
  change.set_reason("each extra hour adds about 3 of revenue");
  return response;
}

Struct Parse(const std::string& json) {
  Struct data;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &data);
  EXPECT_TRUE(status.ok()) << status.message() << "\n" << json;
  return data;
}

const Value& Field(const Struct& object, const std::string& key) {
  static const Value missing;
  const auto found = object.fields().find(key);
  EXPECT_NE(found, object.fields().end()) << key;
  return found == object.fields().end() ? missing : found->second;
}

TEST(HtmlReportTest, CarriesTheOutcomeThePartnersAndTheChanges) {
  const ReportHeading heading{"cm-7", "Current tiers", "attain report", "2026-11-28 10:00 UTC"};
  const auto json = PortfolioReportJson(Request(), Response(), heading);
  ASSERT_TRUE(json.ok()) << json.status();
  const Struct data = Parse(*json);
  EXPECT_EQ(Field(data, "kind").string_value(), "portfolio");
  EXPECT_EQ(Field(data, "title").string_value(), "cm-7");
  EXPECT_EQ(Field(data, "currency").string_value(), "EUR");
  EXPECT_EQ(Field(data, "seed").string_value(), "18303250839726151343");
  EXPECT_EQ(Field(data, "paths").number_value(), 2000);
  EXPECT_EQ(Field(data, "periodWord").string_value(), "quarter");
  EXPECT_EQ(Field(data, "pAttain").number_value(), 0.4);
  EXPECT_EQ(Field(data, "pAttainLow").number_value(), 0.38);
  EXPECT_EQ(Field(data, "unassistedExpectedRevenue").number_value(), 800);
  EXPECT_EQ(Field(Field(data, "recommended").struct_value(), "pAttain").number_value(), 0.47);

  const Struct& histogram = Field(data, "histogram").struct_value();
  ASSERT_EQ(Field(histogram, "counts").list_value().values_size(), 4);
  EXPECT_EQ(Field(histogram, "counts").list_value().values(2).number_value(), 50);

  const auto& periods = Field(data, "onTrack").list_value();
  ASSERT_EQ(periods.values_size(), 2);
  EXPECT_EQ(Field(periods.values(1).struct_value(), "label").string_value(), "Quarter 2");

  const auto& partners = Field(data, "partners").list_value();
  ASSERT_EQ(partners.values_size(), 2);
  const Struct& acme = partners.values(0).struct_value();
  EXPECT_EQ(Field(acme, "name").string_value(), "Acme </script> Systems");
  EXPECT_EQ(Field(acme, "tier").string_value(), "Maintain");
  EXPECT_EQ(Field(acme, "assisted").number_value(), 700);
  EXPECT_EQ(Field(acme, "unassisted").number_value(), 650);
  // A partner without a name is shown by its id.
  EXPECT_EQ(Field(partners.values(1).struct_value(), "name").string_value(), "cobalt");

  const auto& changes = Field(data, "changes").list_value();
  ASSERT_EQ(changes.values_size(), 1);
  const Struct& change = changes.values(0).struct_value();
  EXPECT_EQ(Field(change, "from").string_value(), "Opportunistic");
  EXPECT_EQ(Field(change, "to").string_value(), "Invest");
  EXPECT_EQ(Field(change, "pAttainEffect").number_value(), 0.07);
  EXPECT_EQ(Field(change, "reason").string_value(), "each extra hour adds about 3 of revenue");
}

TEST(HtmlReportTest, AFigureThatIsNotFiniteIsRefused) {
  v1::RecommendTiersResponse response = Response();
  response.mutable_current_outcome()->set_expected_shortfall(
      std::numeric_limits<double>::quiet_NaN());
  const auto json = PortfolioReportJson(Request(), response, {});
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInternal);
}

TEST(HtmlReportTest, ApplyPlanSetsTiersAndHours) {
  v1::Portfolio portfolio = Request().portfolio();
  v1::Plan plan;
  (*plan.mutable_tiers())["cobalt"] = v1::TIER_INVEST;
  (*plan.mutable_hours())["acme"] = 2.5;
  ASSERT_TRUE(ApplyPlan(plan, portfolio).ok());
  EXPECT_EQ(portfolio.partners(0).tier(), v1::TIER_MAINTAIN);
  EXPECT_EQ(portfolio.partners(0).hours_override(), 2.5);
  EXPECT_EQ(portfolio.partners(1).tier(), v1::TIER_INVEST);
  EXPECT_FALSE(portfolio.partners(1).has_hours_override());
}

TEST(HtmlReportTest, ApplyPlanNamesTheEntryItCannotApply) {
  v1::Portfolio portfolio = Request().portfolio();
  v1::Plan unknown;
  (*unknown.mutable_tiers())["nobody"] = v1::TIER_INVEST;
  const absl::Status status = ApplyPlan(unknown, portfolio);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("tiers[\"nobody\"]: names no partner"));

  v1::Plan negative;
  (*negative.mutable_hours())["acme"] = -1;
  EXPECT_THAT(ApplyPlan(negative, portfolio).message(), HasSubstr("hours[\"acme\"]: must be"));
  v1::Plan infinite;
  (*infinite.mutable_hours())["acme"] = std::numeric_limits<double>::infinity();
  EXPECT_THAT(ApplyPlan(infinite, portfolio).message(), HasSubstr("hours[\"acme\"]"));
}

}  // namespace
}  // namespace attain::cli
