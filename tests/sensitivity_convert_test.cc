// Conversion of AnalyzeSensitivity: unset options take the domain's defaults, a set
// range takes both its ends, the request's plan is named, and the response carries every
// figure with its enums and the recommended plan only when the tier check ran.
#include "service/sensitivity_convert.h"

#include "gtest/gtest.h"

namespace attain {
namespace {

TEST(SensitivityConvertTest, UnsetOptionsTakeTheDefaults) {
  const SensitivityOptions options = SensitivityOptionsFromProto(v1::SensitivityOptions());
  const SensitivityOptions defaults;
  EXPECT_EQ(options.ranges.max_lift_factor.low, defaults.ranges.max_lift_factor.low);
  EXPECT_EQ(options.ranges.growth_rate_shift.high, defaults.ranges.growth_rate_shift.high);
  EXPECT_EQ(options.ranges.baseline_revenue_factor.low, 0.8);
  EXPECT_EQ(options.ranges.top_partners, 5u);
  EXPECT_TRUE(options.ranges.use_standard_errors);
  EXPECT_TRUE(options.check_tiers);
  EXPECT_EQ(options.tier_check_assumptions, 3u);
  EXPECT_EQ(options.tier_check_paths, 0u);
}

TEST(SensitivityConvertTest, SetFieldsAreTakenAsTheyAre) {
  v1::SensitivityOptions proto;
  proto.mutable_volatility_factor()->set_high(2);  // low unset in a set range: 0
  proto.set_top_partners(0);
  proto.set_use_standard_errors(false);
  proto.set_check_tiers(false);
  proto.set_tier_check_assumptions(0);
  proto.set_tier_check_paths(500);
  const SensitivityOptions options = SensitivityOptionsFromProto(proto);
  EXPECT_EQ(options.ranges.volatility_factor.low, 0);
  EXPECT_EQ(options.ranges.volatility_factor.high, 2);
  EXPECT_EQ(options.ranges.churn_rate_factor.high, 2) << "others keep their defaults";
  EXPECT_EQ(options.ranges.top_partners, 0u);
  EXPECT_FALSE(options.ranges.use_standard_errors);
  EXPECT_FALSE(options.check_tiers);
  EXPECT_EQ(options.tier_check_assumptions, 0u);
  EXPECT_EQ(options.tier_check_paths, 500u);
}

TEST(SensitivityConvertTest, ThePlanIsNamedAndBadTiersAreNamed) {
  v1::AnalyzeSensitivityRequest request;
  request.mutable_portfolio()->add_partners()->set_id("a");
  SensitivityInput input;
  EXPECT_EQ(SensitivityInputFromProto(request, input).size(), 1u) << "the partner's tier";
  EXPECT_EQ(input.plan.name, "current tiers");
  (*request.mutable_plan()->mutable_tiers())["a"] = static_cast<v1::Tier>(42);
  const Violations violations = SensitivityInputFromProto(request, input);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[1].field, "plan.tiers[\"a\"]");
  EXPECT_EQ(input.plan.name, "plan");
  request.mutable_plan()->set_name("mine");
  SensitivityInputFromProto(request, input);
  EXPECT_EQ(input.plan.name, "mine");
}

TEST(SensitivityConvertTest, TheResponseCarriesEveryFigure) {
  Portfolio portfolio;
  portfolio.currency = "EUR";
  Partner a;
  a.id = "a";
  Partner b;
  b.id = "b";
  portfolio.partners = {a, b};
  Sensitivity sensitivity;
  sensitivity.base.attainment_probability = 0.5;
  sensitivity.seed = 3;
  sensitivity.tier_check_paths = 700;
  AssumptionSensitivity row;
  row.assumption = Assumption::kBaselineRevenue;
  row.partner_id = "b";
  row.source = RangeSource::kStandardError;
  row.base_value = 100;
  row.low = {-1.645, 80, 0.4, {0.35, 0.45}, 900, true, {}};
  row.high = {1.645, 120, 0.6, {0.55, 0.65}, 1100, true, {{"a", Tier::kInvest, Tier::kMaintain}}};
  row.attainment_swing = 0.2;
  row.expected_revenue_swing = 200;
  sensitivity.assumptions = {row};
  sensitivity.tier_check = TierCheck::kDone;
  sensitivity.recommended_tiers = {Tier::kInvest, Tier::kOpportunistic};

  const v1::AnalyzeSensitivityResponse proto = SensitivityToProto(sensitivity, portfolio);
  EXPECT_EQ(proto.base_outcome().currency(), "EUR");
  EXPECT_EQ(proto.seed(), 3u);
  EXPECT_EQ(proto.tier_check(), v1::TIER_CHECK_STATUS_DONE);
  EXPECT_EQ(proto.tier_check_paths(), 700u);
  EXPECT_EQ(proto.recommended_plan().tiers().at("a"), v1::TIER_INVEST);
  EXPECT_EQ(proto.recommended_plan().tiers().at("b"), v1::TIER_OPPORTUNISTIC);
  ASSERT_EQ(proto.assumptions_size(), 1);
  const v1::AssumptionSensitivity& out = proto.assumptions(0);
  EXPECT_EQ(out.assumption(), v1::SENSITIVITY_ASSUMPTION_BASELINE_REVENUE);
  EXPECT_EQ(out.partner_id(), "b");
  EXPECT_EQ(out.source(), v1::RANGE_SOURCE_STANDARD_ERROR);
  EXPECT_EQ(out.base_value(), 100);
  EXPECT_EQ(out.low().setting(), -1.645);
  EXPECT_EQ(out.low().value(), 80);
  EXPECT_EQ(out.low().attainment_interval().high(), 0.45);
  EXPECT_EQ(out.high().expected_revenue(), 1100);
  EXPECT_TRUE(out.high().tiers_checked());
  ASSERT_EQ(out.high().tier_changes_size(), 1);
  EXPECT_EQ(out.high().tier_changes(0).partner_id(), "a");
  EXPECT_EQ(out.high().tier_changes(0).base_tier(), v1::TIER_INVEST);
  EXPECT_EQ(out.high().tier_changes(0).tier(), v1::TIER_MAINTAIN);
  EXPECT_EQ(out.attainment_swing(), 0.2);
  EXPECT_EQ(out.expected_revenue_swing(), 200);

  sensitivity.tier_check = TierCheck::kNoFeasiblePlan;
  const v1::AnalyzeSensitivityResponse skipped = SensitivityToProto(sensitivity, portfolio);
  EXPECT_EQ(skipped.tier_check(), v1::TIER_CHECK_STATUS_NO_FEASIBLE_PLAN);
  EXPECT_FALSE(skipped.has_recommended_plan());
}

}  // namespace
}  // namespace attain
