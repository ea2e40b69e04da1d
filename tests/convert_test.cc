// Tests of service/convert.h and service/portfolio_io.h: proto defaults and explicit
// zeros, enum problems, option conversion, result conversion, and reading the shared
// workload files.
#include "service/convert.h"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/support/json_io.h"
#include "simulator/engine.h"

namespace attain {
namespace {

using ::testing::HasSubstr;

v1::Portfolio MinimalPortfolioProto() {
  v1::Portfolio proto;
  proto.set_channel_manager_id("cm-7");
  proto.set_currency("EUR");
  proto.set_quota(500'000);
  proto.set_periods(3);
  proto.set_capacity_hours(30);
  v1::Partner* partner = proto.add_partners();
  partner->set_id("P1");
  partner->set_tier(v1::TIER_MAINTAIN);
  partner->set_baseline_revenue(10'000);
  return proto;
}

std::string Describe(const Violations& violations) {
  return ViolationsToStatus(violations).ToString();
}

// ---------------------------------------------------------------------------------------
// PortfolioFromProto.

TEST(PortfolioFromProtoTest, UnsetOptionalFieldsTakeTheDocumentedDefaults) {
  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(MinimalPortfolioProto(), violations);
  EXPECT_TRUE(violations.empty()) << Describe(violations);
  EXPECT_EQ(portfolio.tier_policy.invest_hours, 16);
  EXPECT_EQ(portfolio.tier_policy.maintain_hours, 6);
  EXPECT_EQ(portfolio.tier_policy.opportunistic_hours, 1);
  EXPECT_TRUE(portfolio.seasonality.empty());
  EXPECT_EQ(portfolio.segment_correlation, 0);
  ASSERT_EQ(portfolio.partners.size(), 1u);
  const Partner& p = portfolio.partners[0];
  EXPECT_EQ(p.growth_rate, 0);
  EXPECT_EQ(p.volatility, 0.25);
  EXPECT_EQ(p.market_correlation, 0.3);
  EXPECT_EQ(p.segment, "");
  EXPECT_EQ(p.max_lift, 0.3);
  EXPECT_EQ(p.half_effort_hours, 8);
  EXPECT_EQ(p.ramp_periods, 2);
  EXPECT_EQ(p.growth_boost, 0);
  EXPECT_EQ(p.churn_rate, 0.02);
  EXPECT_EQ(p.retention_hours, 4);
  EXPECT_EQ(p.revenue_model, RevenueModel::kLognormal);
  EXPECT_EQ(p.mean_deal_size, 0);
  EXPECT_EQ(p.deal_size_cv, 0.5);
  EXPECT_FALSE(p.hours_override.has_value());
}

TEST(PortfolioFromProtoTest, UnsetPeriodLengthIsAMonth) {
  Violations violations;
  EXPECT_EQ(PortfolioFromProto(MinimalPortfolioProto(), violations).period_length,
            PeriodLength::kMonth);
  EXPECT_TRUE(violations.empty()) << Describe(violations);
}

TEST(PortfolioFromProtoTest, QuarterDefaultsAreTheMonthsConverted) {
  v1::Portfolio proto = MinimalPortfolioProto();
  proto.set_period_length(v1::PERIOD_LENGTH_QUARTER);
  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(proto, violations);
  EXPECT_TRUE(violations.empty()) << Describe(violations);
  EXPECT_EQ(portfolio.period_length, PeriodLength::kQuarter);
  EXPECT_EQ(portfolio.tier_policy.invest_hours, 48);
  EXPECT_EQ(portfolio.tier_policy.maintain_hours, 18);
  EXPECT_EQ(portfolio.tier_policy.opportunistic_hours, 3);
  const Partner& p = portfolio.partners[0];
  EXPECT_DOUBLE_EQ(p.churn_rate, 1 - std::pow(0.98, 3));
  EXPECT_EQ(p.half_effort_hours, 24);
  EXPECT_EQ(p.retention_hours, 12);
  EXPECT_EQ(p.ramp_periods, 1);
  EXPECT_DOUBLE_EQ(p.volatility, QuarterlyVolatility(0.25));
  // Set values are the caller's, whatever the period.
  proto.mutable_tier_policy()->set_invest_hours(20);
  proto.mutable_partners(0)->mutable_retention()->set_churn_rate(0.1);
  const Portfolio set = PortfolioFromProto(proto, violations);
  EXPECT_EQ(set.tier_policy.invest_hours, 20);
  EXPECT_EQ(set.partners[0].churn_rate, 0.1);
}

TEST(PortfolioFromProtoTest, UnknownPeriodLengthIsAViolation) {
  v1::Portfolio proto = MinimalPortfolioProto();
  proto.set_period_length(static_cast<v1::PeriodLength>(9));
  Violations violations;
  PortfolioFromProto(proto, violations);
  EXPECT_THAT(Describe(violations), HasSubstr("period_length"));
}

TEST(PortfolioFromProtoTest, RecordsWhichResponseParametersAreDefaults) {
  v1::Portfolio proto = MinimalPortfolioProto();
  Violations violations;
  EXPECT_EQ(PortfolioFromProto(proto, violations).partners[0].defaulted.count(), 4);
  v1::Partner* partner = proto.mutable_partners(0);
  partner->mutable_response()->set_max_lift(0.5);
  partner->mutable_retention()->set_retention_hours(4);  // the default's value, but set
  const DefaultedResponse defaulted = PortfolioFromProto(proto, violations).partners[0].defaulted;
  EXPECT_FALSE(defaulted.max_lift);
  EXPECT_TRUE(defaulted.half_effort_hours);
  EXPECT_TRUE(defaulted.churn_rate);
  EXPECT_FALSE(defaulted.retention_hours);
  EXPECT_EQ(defaulted.count(), 2);
}

TEST(AddWarningsTest, CarriesCodeFiguresAndText) {
  v1::Portfolio proto = MinimalPortfolioProto();
  proto.set_period_length(v1::PERIOD_LENGTH_QUARTER);
  proto.set_capacity_hours(0);
  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(proto, violations);
  const Plan plan;
  google::protobuf::RepeatedPtrField<v1::Warning> warnings;
  AddWarnings(portfolio, {&plan, 1}, warnings);
  // 3 quarters x 10,000 (less churn) against 500,000; all 4 response parameters unset;
  // 18 MAINTAIN hours a quarter with no capacity.
  ASSERT_EQ(warnings.size(), 3);
  EXPECT_EQ(warnings[0].code(), v1::WARNING_CODE_UNASSISTED_FAR_BELOW_QUOTA);
  EXPECT_EQ(warnings[0].reference(), 500'000);
  EXPECT_THAT(warnings[0].message(), HasSubstr("baseline_revenue per quarter"));
  EXPECT_EQ(warnings[1].code(), v1::WARNING_CODE_RESTS_ON_DEFAULTS);
  EXPECT_EQ(warnings[1].count(), 4);
  EXPECT_THAT(warnings[1].message(), HasSubstr("results rest on defaults: 4 of 4"));
  EXPECT_EQ(warnings[2].code(), v1::WARNING_CODE_NO_CAPACITY);
  EXPECT_EQ(warnings[2].field(), "capacity_hours");
  EXPECT_EQ(warnings[2].value(), 18);
  EXPECT_THAT(warnings[2].message(), HasSubstr("18.0 hours per quarter"));
}

TEST(PortfolioFromProtoTest, CopiesScalarFields) {
  v1::Portfolio proto = MinimalPortfolioProto();
  proto.add_seasonality(0.9);
  proto.add_seasonality(1.0);
  proto.add_seasonality(1.1);
  proto.set_segment_correlation(0.15);
  v1::Partner* partner = proto.mutable_partners(0);
  partner->set_segment("EMEA");
  partner->set_growth_rate(-0.01);
  partner->set_revenue_model(v1::REVENUE_MODEL_DEALS);
  partner->mutable_deals()->set_mean_deal_size(2'500);
  partner->mutable_deals()->set_deal_size_cv(1.5);
  partner->set_hours_override(2.5);
  partner->mutable_response()->set_growth_boost(0.03);

  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(proto, violations);
  EXPECT_TRUE(violations.empty()) << Describe(violations);
  EXPECT_EQ(portfolio.channel_manager_id, "cm-7");
  EXPECT_EQ(portfolio.currency, "EUR");
  EXPECT_EQ(portfolio.quota, 500'000);
  EXPECT_EQ(portfolio.periods, 3);
  EXPECT_EQ(portfolio.capacity_hours, 30);
  EXPECT_EQ(portfolio.seasonality, (std::vector<double>{0.9, 1.0, 1.1}));
  EXPECT_EQ(portfolio.segment_correlation, 0.15);
  const Partner& p = portfolio.partners[0];
  EXPECT_EQ(p.id, "P1");
  EXPECT_EQ(p.tier, Tier::kMaintain);
  EXPECT_EQ(p.baseline_revenue, 10'000);
  EXPECT_EQ(p.segment, "EMEA");
  EXPECT_EQ(p.growth_rate, -0.01);
  EXPECT_EQ(p.revenue_model, RevenueModel::kDeals);
  EXPECT_EQ(p.mean_deal_size, 2'500);
  EXPECT_EQ(p.deal_size_cv, 1.5);
  EXPECT_EQ(p.hours_override, 2.5);
  EXPECT_EQ(p.growth_boost, 0.03);
}

TEST(PortfolioFromProtoTest, KeepsExplicitZeros) {
  v1::Portfolio proto = MinimalPortfolioProto();
  v1::TierPolicy* policy = proto.mutable_tier_policy();
  policy->set_invest_hours(0);
  policy->set_maintain_hours(0);
  policy->set_opportunistic_hours(0);
  v1::Partner* partner = proto.mutable_partners(0);
  partner->set_volatility(0);
  partner->set_market_correlation(0);
  partner->mutable_response()->set_max_lift(0);
  partner->mutable_response()->set_ramp_periods(0);
  partner->mutable_retention()->set_churn_rate(0);
  partner->mutable_deals()->set_deal_size_cv(0);
  partner->set_hours_override(0);

  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(proto, violations);
  EXPECT_TRUE(violations.empty()) << Describe(violations);
  EXPECT_EQ(portfolio.tier_policy.invest_hours, 0);
  EXPECT_EQ(portfolio.tier_policy.maintain_hours, 0);
  EXPECT_EQ(portfolio.tier_policy.opportunistic_hours, 0);
  const Partner& p = portfolio.partners[0];
  EXPECT_EQ(p.volatility, 0);
  EXPECT_EQ(p.market_correlation, 0);
  EXPECT_EQ(p.max_lift, 0);
  EXPECT_EQ(p.ramp_periods, 0);
  EXPECT_EQ(p.churn_rate, 0);
  EXPECT_EQ(p.deal_size_cv, 0);
  ASSERT_TRUE(p.hours_override.has_value());
  EXPECT_EQ(*p.hours_override, 0);
}

TEST(PortfolioFromProtoTest, UnspecifiedTierIsAViolation) {
  v1::Portfolio proto = MinimalPortfolioProto();
  v1::Partner* second = proto.add_partners();
  second->set_id("P2");
  second->set_baseline_revenue(1);  // tier left TIER_UNSPECIFIED
  Violations violations;
  PortfolioFromProto(proto, violations);
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].field, "partners[1].tier");
  EXPECT_NE(violations[0].description.find("is required"), std::string::npos)
      << violations[0].description;
}

TEST(PortfolioFromProtoTest, UnknownTierValueIsAViolation) {
  v1::Portfolio proto = MinimalPortfolioProto();
  proto.mutable_partners(0)->set_tier(static_cast<v1::Tier>(7));
  Violations violations;
  PortfolioFromProto(proto, violations);
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].field, "partners[0].tier");
  EXPECT_NE(violations[0].description.find("unknown value 7"), std::string::npos)
      << violations[0].description;
}

TEST(PortfolioFromProtoTest, UnknownRevenueModelValueIsAViolation) {
  v1::Portfolio proto = MinimalPortfolioProto();
  proto.mutable_partners(0)->set_revenue_model(static_cast<v1::RevenueModel>(9));
  Violations violations;
  PortfolioFromProto(proto, violations);
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].field, "partners[0].revenue_model");
  EXPECT_NE(violations[0].description.find("unknown value 9"), std::string::npos)
      << violations[0].description;
}

TEST(PortfolioFromProtoTest, UnspecifiedRevenueModelIsLognormal) {
  v1::Portfolio proto = MinimalPortfolioProto();
  proto.mutable_partners(0)->set_revenue_model(v1::REVENUE_MODEL_LOGNORMAL);
  Violations violations;
  EXPECT_EQ(PortfolioFromProto(proto, violations).partners[0].revenue_model,
            RevenueModel::kLognormal);
  EXPECT_TRUE(violations.empty());
}

TEST(PortfolioFromProtoTest, AppendsToExistingViolations) {
  v1::Portfolio proto = MinimalPortfolioProto();
  proto.mutable_partners(0)->set_tier(v1::TIER_UNSPECIFIED);
  Violations violations = {{"earlier", "kept"}};
  PortfolioFromProto(proto, violations);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "earlier");
  EXPECT_EQ(violations[1].field, "partners[0].tier");
}

// ---------------------------------------------------------------------------------------
// PlanFromProto.

TEST(PlanFromProtoTest, CopiesNameTiersAndHours) {
  v1::Plan proto;
  proto.set_name("invest in P2");
  (*proto.mutable_tiers())["P1"] = v1::TIER_OPPORTUNISTIC;
  (*proto.mutable_tiers())["P2"] = v1::TIER_INVEST;
  (*proto.mutable_tiers())["P3"] = v1::TIER_MAINTAIN;
  (*proto.mutable_hours())["P2"] = 12.5;
  Violations violations;
  const Plan plan = PlanFromProto(proto, violations);
  EXPECT_TRUE(violations.empty()) << Describe(violations);
  EXPECT_EQ(plan.name, "invest in P2");
  EXPECT_EQ(plan.tiers, (std::map<std::string, Tier>{{"P1", Tier::kOpportunistic},
                                                      {"P2", Tier::kInvest},
                                                      {"P3", Tier::kMaintain}}));
  EXPECT_EQ(plan.hours, (std::map<std::string, double>{{"P2", 12.5}}));
}

TEST(PlanFromProtoTest, UnspecifiedTierIsAViolation) {
  v1::Plan proto;
  (*proto.mutable_tiers())["P1"] = v1::TIER_INVEST;
  (*proto.mutable_tiers())["id"] = v1::TIER_UNSPECIFIED;
  Violations violations;
  const Plan plan = PlanFromProto(proto, violations);
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].field, "tiers[\"id\"]");
  EXPECT_NE(violations[0].description.find("is required"), std::string::npos);
  EXPECT_EQ(plan.tiers.count("id"), 0u);
  EXPECT_EQ(plan.tiers.count("P1"), 1u);
}

TEST(PlanFromProtoTest, UnknownTierValueIsAViolation) {
  v1::Plan proto;
  (*proto.mutable_tiers())["P9"] = static_cast<v1::Tier>(42);
  Violations violations;
  PlanFromProto(proto, violations);
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].field, "tiers[\"P9\"]");
  EXPECT_NE(violations[0].description.find("unknown value 42"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Standard errors (Partner.errors).

TEST(ParameterErrorsTest, UnsetErrorsAreZeroAndTheParametersKnown) {
  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(MinimalPortfolioProto(), violations);
  ASSERT_TRUE(violations.empty());
  const ParameterErrors& errors = portfolio.partners[0].errors;
  EXPECT_FALSE(errors.any());
  EXPECT_EQ(errors.baseline_revenue, 0);
  EXPECT_EQ(errors.churn_rate, 0);
}

TEST(ParameterErrorsTest, PartnerErrorsConvertAndRoundTrip) {
  v1::Portfolio proto = MinimalPortfolioProto();
  v1::ParameterErrors* wire = proto.mutable_partners(0)->mutable_errors();
  wire->set_baseline_revenue(1'250.5);
  wire->set_growth_rate(0.004);
  wire->set_max_lift(0.17);
  wire->set_churn_rate(0.011);
  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(proto, violations);
  ASSERT_TRUE(violations.empty()) << Describe(violations);
  const ParameterErrors& errors = portfolio.partners[0].errors;
  EXPECT_EQ(errors.baseline_revenue, 1'250.5);
  EXPECT_EQ(errors.growth_rate, 0.004);
  EXPECT_EQ(errors.max_lift, 0.17);
  EXPECT_EQ(errors.churn_rate, 0.011);
  const v1::ParameterErrors back = ParameterErrorsToProto(errors);
  EXPECT_EQ(back.SerializeAsString(), wire->SerializeAsString());
  const ParameterErrors again = ParameterErrorsFromProto(back);
  EXPECT_EQ(again.baseline_revenue, errors.baseline_revenue);
  EXPECT_EQ(again.growth_rate, errors.growth_rate);
  EXPECT_EQ(again.max_lift, errors.max_lift);
  EXPECT_EQ(again.churn_rate, errors.churn_rate);
}

// ---------------------------------------------------------------------------------------
// OptionsFromProto.

TEST(OptionsFromProtoTest, UnsetFieldsTakeTheDefaults) {
  Violations violations;
  const SimulationOptions options = OptionsFromProto(v1::SimulationOptions(), violations);
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(options.attainment_estimator, AttainmentEstimator::kDefault);
  EXPECT_EQ(options.paths, 10'000u);
  EXPECT_FALSE(options.seed.has_value());
  EXPECT_FALSE(options.antithetic);
  EXPECT_EQ(options.target_ci_half_width, 0);
  EXPECT_EQ(options.max_paths, 1'000'000u);
  EXPECT_FALSE(options.parameter_uncertainty);
}

TEST(OptionsFromProtoTest, SeedZeroIsASeed) {
  v1::SimulationOptions proto;
  proto.set_seed(0);
  Violations violations;
  const SimulationOptions options = OptionsFromProto(proto, violations);
  ASSERT_TRUE(options.seed.has_value());
  EXPECT_EQ(*options.seed, 0u);
}

TEST(OptionsFromProtoTest, CopiesSetFields) {
  v1::SimulationOptions proto;
  proto.set_paths(2'000);
  proto.set_seed(0xFFFF'FFFF'FFFF'FFFFu);
  proto.set_antithetic(true);
  proto.set_target_ci_half_width(0.005);
  proto.set_max_paths(50'000);
  proto.set_parameter_uncertainty(true);
  proto.set_attainment_estimator(v1::ATTAINMENT_ESTIMATOR_PATH_COUNT);
  Violations violations;
  const SimulationOptions options = OptionsFromProto(proto, violations);
  EXPECT_TRUE(violations.empty());
  EXPECT_TRUE(options.parameter_uncertainty);
  EXPECT_EQ(options.attainment_estimator, AttainmentEstimator::kPathCount);
  EXPECT_EQ(options.paths, 2'000u);
  EXPECT_EQ(options.seed, 0xFFFF'FFFF'FFFF'FFFFu);
  EXPECT_TRUE(options.antithetic);
  EXPECT_EQ(options.target_ci_half_width, 0.005);
  EXPECT_EQ(options.max_paths, 50'000u);
}

TEST(OptionsFromProtoTest, AnUnknownEstimatorIsAViolationNamingTheField) {
  v1::SimulationOptions proto;
  proto.set_attainment_estimator(static_cast<v1::AttainmentEstimator>(9));
  Violations violations;
  OptionsFromProto(proto, violations);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "options.attainment_estimator");
  EXPECT_NE(violations[0].description.find("unknown value 9"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Results to proto.

PlanOutcome SampleOutcome(std::string name) {
  PlanOutcome outcome;
  outcome.plan_name = std::move(name);
  outcome.attainment_probability = 0.42;
  outcome.attainment_interval = {0.40, 0.44};
  outcome.expected_revenue = 1.5e6;
  outcome.revenue_std_dev = 2e5;
  outcome.expected_revenue_std_error = 2e3;
  outcome.revenue_percentiles = {5, 10, 25, 50, 75, 90, 95};
  outcome.expected_shortfall = 7e4;
  outcome.histogram = {1e6, 2e6, {3, 0, 7}};
  outcome.periods = {{1, 4e5, 3.9e5, 0.6}, {2, 8e5, 7.7e5, 0.55}};
  PartnerOutcome partner;
  partner.partner_id = "P1";
  partner.tier = Tier::kInvest;
  partner.hours = 16;
  partner.expected_revenue = 9e5;
  partner.unassisted_expected_revenue = 8e5;
  partner.engagement_uplift = 1e5;
  partner.engagement_uplift_interval = {9e4, 1.1e5};
  partner.uplift_per_hour = 3125;
  partner.dormancy_probability = 0.01;
  partner.revenue_share = 0.6;
  partner.revenue_p10 = 7e5;
  partner.revenue_p90 = 1.1e6;
  outcome.partners = {partner};
  outcome.unassisted_expected_revenue = 1.3e6;
  outcome.unassisted_attainment_probability = 0.3;
  outcome.hours_used = 30;
  outcome.capacity_hours = 25;
  outcome.over_capacity = true;
  outcome.paths = 20'000;
  outcome.seed = 99;
  outcome.antithetic = true;
  outcome.partner_percentile_paths = 10'000;
  outcome.parameter_draw_partners = 4;
  return outcome;
}

Portfolio CurrencyPortfolio() {
  Portfolio portfolio;
  portfolio.currency = "JPY";
  portfolio.quota = 1.6e6;
  return portfolio;
}

TEST(PlanOutcomeToProtoTest, CopiesFieldsAndTakesCurrencyAndQuotaFromThePortfolio) {
  const v1::PlanOutcome proto = PlanOutcomeToProto(SampleOutcome("current"), CurrencyPortfolio());
  EXPECT_EQ(proto.plan_name(), "current");
  EXPECT_EQ(proto.currency(), "JPY");
  EXPECT_EQ(proto.quota(), 1.6e6);
  EXPECT_EQ(proto.attainment_probability(), 0.42);
  EXPECT_EQ(proto.attainment_interval().low(), 0.40);
  EXPECT_EQ(proto.attainment_interval().high(), 0.44);
  EXPECT_EQ(proto.expected_revenue(), 1.5e6);
  EXPECT_EQ(proto.revenue_std_dev(), 2e5);
  EXPECT_EQ(proto.expected_revenue_std_error(), 2e3);
  const v1::RevenuePercentiles& percentiles = proto.revenue_percentiles();
  EXPECT_EQ(percentiles.p5(), 5);
  EXPECT_EQ(percentiles.p10(), 10);
  EXPECT_EQ(percentiles.p25(), 25);
  EXPECT_EQ(percentiles.p50(), 50);
  EXPECT_EQ(percentiles.p75(), 75);
  EXPECT_EQ(percentiles.p90(), 90);
  EXPECT_EQ(percentiles.p95(), 95);
  EXPECT_EQ(proto.expected_shortfall(), 7e4);
  EXPECT_EQ(proto.revenue_histogram().low(), 1e6);
  EXPECT_EQ(proto.revenue_histogram().high(), 2e6);
  EXPECT_EQ(std::vector<uint64_t>(proto.revenue_histogram().path_counts().begin(),
                                  proto.revenue_histogram().path_counts().end()),
            (std::vector<uint64_t>{3, 0, 7}));
  ASSERT_EQ(proto.periods_size(), 2);
  EXPECT_EQ(proto.periods(1).period(), 2);
  EXPECT_EQ(proto.periods(1).expected_cumulative_revenue(), 8e5);
  EXPECT_EQ(proto.periods(1).on_track_threshold(), 7.7e5);
  EXPECT_EQ(proto.periods(1).on_track_probability(), 0.55);
  EXPECT_EQ(proto.unassisted_expected_revenue(), 1.3e6);
  EXPECT_EQ(proto.unassisted_attainment_probability(), 0.3);
  EXPECT_EQ(proto.hours_used(), 30);
  EXPECT_EQ(proto.capacity_hours(), 25);
  EXPECT_TRUE(proto.over_capacity());
  EXPECT_EQ(proto.paths(), 20'000u);
  EXPECT_EQ(proto.seed(), 99u);
  EXPECT_EQ(proto.sampler_version(), 2u);  // kSamplerVersion: the version that made it
  EXPECT_TRUE(proto.antithetic());
  EXPECT_EQ(proto.partner_percentile_paths(), 10'000u);
  EXPECT_EQ(proto.parameter_draw_partners(), 4u);
}

TEST(PlanOutcomeToProtoTest, CopiesPartnerOutcomes) {
  const v1::PlanOutcome proto = PlanOutcomeToProto(SampleOutcome("x"), CurrencyPortfolio());
  ASSERT_EQ(proto.partners_size(), 1);
  const v1::PartnerOutcome& p = proto.partners(0);
  EXPECT_EQ(p.partner_id(), "P1");
  EXPECT_EQ(p.tier(), v1::TIER_INVEST);
  EXPECT_EQ(p.hours(), 16);
  EXPECT_EQ(p.expected_revenue(), 9e5);
  EXPECT_EQ(p.unassisted_expected_revenue(), 8e5);
  EXPECT_EQ(p.engagement_uplift(), 1e5);
  EXPECT_EQ(p.engagement_uplift_interval().low(), 9e4);
  EXPECT_EQ(p.engagement_uplift_interval().high(), 1.1e5);
  EXPECT_EQ(p.uplift_per_hour(), 3125);
  EXPECT_EQ(p.dormancy_probability(), 0.01);
  EXPECT_EQ(p.revenue_share(), 0.6);
  EXPECT_EQ(p.revenue_p10(), 7e5);
  EXPECT_EQ(p.revenue_p90(), 1.1e6);
}

TEST(TierToProtoTest, MapsEveryTier) {
  EXPECT_EQ(TierToProto(Tier::kInvest), v1::TIER_INVEST);
  EXPECT_EQ(TierToProto(Tier::kMaintain), v1::TIER_MAINTAIN);
  EXPECT_EQ(TierToProto(Tier::kOpportunistic), v1::TIER_OPPORTUNISTIC);
}

TEST(ComparisonToProtoTest, CopiesOutcomesAndDifferences) {
  Comparison comparison;
  comparison.outcomes = {SampleOutcome("current"), SampleOutcome("invest")};
  PlanDifference difference;
  difference.plan_name = "invest";
  difference.baseline_plan_name = "current";
  difference.attainment_probability_difference = 0.05;
  difference.attainment_probability_difference_interval = {0.03, 0.07};
  difference.expected_revenue_difference = 4e4;
  difference.expected_revenue_difference_interval = {3e4, 5e4};
  comparison.differences = {difference};

  const v1::ComparePlansResponse proto = ComparisonToProto(comparison, CurrencyPortfolio());
  ASSERT_EQ(proto.outcomes_size(), 2);
  EXPECT_EQ(proto.outcomes(0).plan_name(), "current");
  EXPECT_EQ(proto.outcomes(1).plan_name(), "invest");
  EXPECT_EQ(proto.outcomes(1).currency(), "JPY");
  EXPECT_EQ(proto.outcomes(1).quota(), 1.6e6);
  ASSERT_EQ(proto.differences_size(), 1);
  const v1::PlanDifference& d = proto.differences(0);
  EXPECT_EQ(d.plan_name(), "invest");
  EXPECT_EQ(d.baseline_plan_name(), "current");
  EXPECT_EQ(d.attainment_probability_difference(), 0.05);
  EXPECT_EQ(d.attainment_probability_difference_interval().low(), 0.03);
  EXPECT_EQ(d.attainment_probability_difference_interval().high(), 0.07);
  EXPECT_EQ(d.expected_revenue_difference(), 4e4);
  EXPECT_EQ(d.expected_revenue_difference_interval().low(), 3e4);
  EXPECT_EQ(d.expected_revenue_difference_interval().high(), 5e4);
}

// ---------------------------------------------------------------------------------------
// ReadPortfolioJson.

TEST(WorkloadFilesTest, EveryWorkloadParsesConvertsAndValidates) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(ATTAIN_WORKLOADS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    const std::string path = entry.path().string();
    SCOPED_TRACE(path);
    const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
    ASSERT_TRUE(proto.ok()) << proto.status();
    EXPECT_GT(proto->partners_size(), 0);
    Violations violations;
    const Portfolio portfolio = PortfolioFromProto(*proto, violations);
    EXPECT_TRUE(violations.empty()) << Describe(violations);
    EXPECT_EQ(portfolio.partners.size(), static_cast<size_t>(proto->partners_size()));
    const Violations invalid = ValidatePortfolio(portfolio, Limits());
    EXPECT_TRUE(invalid.empty()) << Describe(invalid);
  }
  EXPECT_GT(files, 0) << "no *.json in " << ATTAIN_WORKLOADS_DIR;
}

// Each reference portfolio simulates, and its expected revenue agrees with the model's
// exact expectation within 4 standard errors.
TEST(WorkloadFilesTest, EveryWorkloadSimulates) {
  Engine engine;
  for (const auto& entry : std::filesystem::directory_iterator(ATTAIN_WORKLOADS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().string());
    const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(entry.path().string());
    ASSERT_TRUE(proto.ok()) << proto.status();
    Violations violations;
    const Portfolio portfolio = PortfolioFromProto(*proto, violations);
    SimulationOptions options;
    options.paths = portfolio.partners.size() > 1'000 ? 500 : 2'000;
    options.seed = 17;
    const absl::StatusOr<PlanOutcome> outcome = engine.Simulate(portfolio, Plan{}, options);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    double exact = 0;
    for (const Partner& p : portfolio.partners) {
      exact += ExpectedPartnerRevenue(
          portfolio, p, p.hours_override.value_or(portfolio.tier_policy.HoursFor(p.tier)));
    }
    EXPECT_NEAR(outcome->expected_revenue, exact, 4 * outcome->expected_revenue_std_error);
    EXPECT_GT(outcome->attainment_probability, 0);
    EXPECT_EQ(outcome->partners.size(), portfolio.partners.size());
  }
}

}  // namespace
}  // namespace attain
