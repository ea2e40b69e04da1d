// Enum values as people write them (proto/support/enum_names.h), and JSON documents that
// use them (ParseJsonMessage in json_io.h).
#include "proto/support/enum_names.h"

#include "attain/v1/coaching.pb.h"
#include "attain/v1/portfolio.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/support/json_io.h"

namespace attain {
namespace {

using ::testing::HasSubstr;

TEST(FindEnumValueTest, WithOrWithoutThePrefixInAnyCase) {
  const auto& tier = *v1::Tier_descriptor();
  for (const char* text : {"MAINTAIN", "maintain", "Maintain", "TIER_MAINTAIN", "tier_maintain"}) {
    const auto* value = FindEnumValue(tier, text);
    ASSERT_NE(value, nullptr) << text;
    EXPECT_EQ(value->number(), v1::TIER_MAINTAIN) << text;
  }
  EXPECT_EQ(FindEnumValue(*v1::PartnerArchetype_descriptor(), "growth_bet")->number(),
            v1::PARTNER_ARCHETYPE_GROWTH_BET);
}

TEST(FindEnumValueTest, NeverTheUnsetValueNorAnythingElse) {
  const auto& tier = *v1::Tier_descriptor();
  for (const char* text : {"TIER_UNSPECIFIED", "UNSPECIFIED", "", "MAINTAINED", "TIER_", "1"}) {
    EXPECT_EQ(FindEnumValue(tier, text), nullptr) << text;
  }
}

TEST(EnumChoicesTest, ListsTheSettableValuesWithoutThePrefix) {
  EXPECT_EQ(EnumChoices(*v1::Tier_descriptor()),
            "INVEST, MAINTAIN or OPPORTUNISTIC (any case, with or without TIER_)");
  EXPECT_EQ(EnumChoices(*v1::RevenueModel_descriptor()),
            "LOGNORMAL or DEALS (any case, with or without REVENUE_MODEL_)");
}

TEST(ParseJsonMessageTest, RewritesEnumNamesInNestedRepeatedAndMapFields) {
  v1::Portfolio portfolio;
  ASSERT_TRUE(ParseJsonMessage(
                  R"({"quota": 5, "partners": [{"id": "a", "tier": "invest",
                       "revenue_model": "Deals"}, {"id": "b", "tier": "TIER_MAINTAIN"}]})",
                  portfolio)
                  .ok());
  EXPECT_EQ(portfolio.quota(), 5);
  EXPECT_EQ(portfolio.partners(0).tier(), v1::TIER_INVEST);
  EXPECT_EQ(portfolio.partners(0).revenue_model(), v1::REVENUE_MODEL_DEALS);
  EXPECT_EQ(portfolio.partners(1).tier(), v1::TIER_MAINTAIN);

  v1::CoachPlanRequest request;
  ASSERT_TRUE(ParseJsonMessage(R"({"objective": "expected_revenue",
                                  "plan": {"tiers": {"a": "opportunistic"}},
                                  "options": {"seed": "18446744073709551615"}})",
                               request)
                  .ok());
  EXPECT_EQ(request.objective(), v1::OBJECTIVE_EXPECTED_REVENUE);
  EXPECT_EQ(request.plan().tiers().at("a"), v1::TIER_OPPORTUNISTIC);
  EXPECT_EQ(request.options().seed(), 18446744073709551615ULL) << "a quoted 64-bit value";
}

TEST(ParseJsonMessageTest, NamesEveryBadValueWithItsPath) {
  v1::Portfolio portfolio;
  const absl::Status status = ParseJsonMessage(
      R"({"partners": [{"id": "a"}, {"id": "b", "tier": "GOLD"}]})", portfolio);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("partners[1].tier: \"GOLD\" is not a value of Tier: use INVEST, MAINTAIN "
                        "or OPPORTUNISTIC"));
  EXPECT_FALSE(ParseJsonMessage(R"({"partners": [{"tier": "TIER_UNSPECIFIED"}]})", portfolio).ok());
  // Other errors are the parser's.
  EXPECT_THAT(ParseJsonMessage(R"({"qouta": 1})", portfolio).message(), HasSubstr("qouta"));
  EXPECT_FALSE(ParseJsonMessage("{", portfolio).ok());
}

}  // namespace
}  // namespace attain
