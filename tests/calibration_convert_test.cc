// CalibratePortfolio's conversion: request rows into a history (violations with the
// request's paths, strings moved), the base portfolio checked against it, and a
// calibration back into the response (a portfolio that converts back to the calibrated
// one, names, flags, diagnostics).
#include "service/calibration_convert.h"

#include <cmath>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/convert.h"
#include "tests/test_portfolios.h"
#include "tests/test_requests.h"

namespace attain {
namespace {

using testing_support::CalibrationCase;
using testing_support::CalibrationCaseOptions;
using testing_support::CalibrationRequest;
using testing_support::MakeCalibrationCase;


CalibrationCase SmallCase() {
  CalibrationCaseOptions options;
  options.partners = 12;
  options.periods = 18;
  return MakeCalibrationCase(11, options);
}

std::set<std::string> FieldsOf(const Violations& violations) {
  std::set<std::string> fields;
  for (const FieldViolation& v : violations) fields.insert(v.field);
  return fields;
}

TEST(CalibrationConvertTest, RowsBecomeAHistoryLabelledByMonth) {
  const CalibrationCase c = SmallCase();
  v1::CalibratePortfolioRequest request = CalibrationRequest(c.history);
  CalibrationInput input;
  const Violations violations = CalibrationInputFromProto(request, Limits(), input);
  ASSERT_TRUE(violations.empty()) << ViolationsMessage(violations);
  EXPECT_EQ(request.rows_size(), 0);  // moved out, not held twice
  EXPECT_EQ(input.history.periods, 18);
  EXPECT_EQ(input.history.period_labels.front(), "2024-01");
  EXPECT_EQ(input.history.period_labels.back(), "2025-06");
  ASSERT_EQ(input.history.partners.size(), 12u);
  // BuildHistory orders partners by id; find P3 and compare its series.
  for (const PartnerHistory& partner : input.history.partners) {
    if (partner.id != "P3") continue;
    EXPECT_EQ(partner.name, "Partner P3");
    EXPECT_EQ(partner.revenue, c.history.partners[3].revenue);
    EXPECT_EQ(partner.hours, c.history.partners[3].hours);
  }
  EXPECT_FALSE(input.base.has_value());
}

TEST(CalibrationConvertTest, BadRowsAreNamedByTheirIndexInTheRequest) {
  v1::CalibratePortfolioRequest request = CalibrationRequest(SmallCase().history);
  request.mutable_rows(17)->set_revenue(-5);
  request.mutable_rows(3)->set_period("July");
  request.mutable_rows(40)->set_hours(std::nan(""));
  CalibrationInput input;
  const Violations violations = CalibrationInputFromProto(request, Limits(), input);
  EXPECT_EQ(FieldsOf(violations),
            (std::set<std::string>{"rows[17].revenue", "rows[3].period", "rows[40].hours"}));
}

TEST(CalibrationConvertTest, ABasePartnerWithoutRowsIsNamed) {
  v1::CalibratePortfolioRequest request = CalibrationRequest(SmallCase().history);
  v1::Portfolio* base = request.mutable_portfolio();
  base->set_quota(1e6);
  base->set_periods(6);
  base->set_capacity_hours(40);
  v1::Partner* known = base->add_partners();
  known->set_id("P2");
  known->set_name("Second");
  known->set_tier(v1::TIER_INVEST);
  v1::Partner* unknown = base->add_partners();
  unknown->set_id("zeta");
  unknown->set_tier(v1::TIER_MAINTAIN);
  CalibrationInput input;
  const Violations violations = CalibrationInputFromProto(request, Limits(), input);
  ASSERT_EQ(violations.size(), 1u) << ViolationsMessage(violations);
  EXPECT_EQ(violations[0].field, "portfolio.partners[1].id");
  EXPECT_NE(violations[0].description.find("\"zeta\""), std::string::npos);
}

TEST(CalibrationConvertTest, ABaseThatDoesNotConvertIsNamedWithoutCheckingItFurther) {
  v1::CalibratePortfolioRequest request = CalibrationRequest(SmallCase().history);
  request.mutable_portfolio()->set_periods(6);
  request.mutable_portfolio()->add_partners()->set_id("P1");  // no tier
  CalibrationInput input;
  const Violations violations = CalibrationInputFromProto(request, Limits(), input);
  EXPECT_EQ(FieldsOf(violations), (std::set<std::string>{"portfolio.partners[0].tier"}));
}

TEST(CalibrationConvertTest, EveryFlagHasItsOwnValueOfTheSameName) {
  std::set<int> values;
  for (const CalibrationFlag flag :
       {CalibrationFlag::kNoHoursVariation, CalibrationFlag::kWeakHoursVariation,
        CalibrationFlag::kHoursBelowHalfEffort, CalibrationFlag::kShortHistory,
        CalibrationFlag::kPossiblyDormant, CalibrationFlag::kDormant}) {
    const v1::CalibrationFlag proto = CalibrationFlagToProto(flag);
    EXPECT_NE(proto, v1::CALIBRATION_FLAG_UNSPECIFIED);
    EXPECT_EQ(v1::CalibrationFlag_Name(proto),
              absl::StrCat("CALIBRATION_FLAG_", CalibrationFlagName(flag)));
    values.insert(proto);
  }
  EXPECT_EQ(values.size(), 6u);
  // Every value of the API's enum but UNSPECIFIED is one of the domain's.
  EXPECT_EQ(static_cast<size_t>(v1::CalibrationFlag_descriptor()->value_count()), values.size() + 1);
}

TEST(CalibrationConvertTest, TheResponsePortfolioConvertsBackToTheCalibratedOne) {
  v1::CalibratePortfolioRequest request = CalibrationRequest(SmallCase().history);
  CalibrationInput input;
  ASSERT_TRUE(CalibrationInputFromProto(request, Limits(), input).empty());
  const Calibration calibration = Calibrate(input.history, input.base_or_null());
  const v1::CalibratePortfolioResponse response = CalibrationToProto(calibration, input);

  Violations conversion;
  const Portfolio back = PortfolioFromProto(response.portfolio(), conversion);
  ASSERT_TRUE(conversion.empty()) << ViolationsMessage(conversion);
  // Every field the domain holds survives the trip through the API.
  testing_support::ExpectSamePortfolio(back, calibration.portfolio);
  for (size_t i = 0; i < back.partners.size(); ++i) {
    EXPECT_EQ(response.portfolio().partners(static_cast<int>(i)).name(),
              absl::StrCat("Partner ", back.partners[i].id));
  }
  EXPECT_TRUE(ValidatePortfolio(back, Limits()).empty());
}

TEST(CalibrationConvertTest, PartnersAndDiagnosticsCarryEveryEstimate) {
  v1::CalibratePortfolioRequest request = CalibrationRequest(SmallCase().history);
  CalibrationInput input;
  ASSERT_TRUE(CalibrationInputFromProto(request, Limits(), input).empty());
  const Calibration calibration = Calibrate(input.history, nullptr);
  const v1::CalibratePortfolioResponse response = CalibrationToProto(calibration, input);
  ASSERT_EQ(response.partners_size(), static_cast<int>(calibration.partners.size()));
  for (size_t i = 0; i < calibration.partners.size(); ++i) {
    const PartnerCalibration& pc = calibration.partners[i];
    const v1::PartnerCalibration& proto = response.partners(static_cast<int>(i));
    EXPECT_EQ(proto.partner_id(), pc.partner_id);
    EXPECT_EQ(proto.baseline_revenue().value(), pc.baseline_revenue.value);
    EXPECT_EQ(proto.baseline_revenue().std_error(), pc.baseline_revenue.std_error);
    EXPECT_EQ(proto.growth_rate().std_error(), pc.growth_rate.std_error);
    EXPECT_EQ(proto.volatility().value(), pc.volatility.value);
    EXPECT_EQ(proto.max_lift().value(), pc.max_lift.value);
    EXPECT_EQ(proto.max_lift().std_error(), pc.max_lift.std_error);
    EXPECT_EQ(proto.market_correlation().value(), pc.market_correlation.value);
    EXPECT_EQ(proto.lift_shrinkage(), pc.lift_shrinkage);
    EXPECT_EQ(proto.growth_shrinkage(), pc.growth_shrinkage);
    EXPECT_EQ(proto.self_sufficiency(), pc.self_sufficiency);
    EXPECT_EQ(proto.recent_hours(), pc.recent_hours);
    EXPECT_EQ(proto.tier(), TierToProto(pc.tier));
    EXPECT_TRUE(proto.tier_from_hours());  // no base
    EXPECT_EQ(proto.active_periods(), pc.active_periods);
    EXPECT_EQ(proto.dormant_since(), pc.dormant_since);
    ASSERT_EQ(proto.flags_size(), static_cast<int>(pc.flags.size()));
    for (size_t k = 0; k < pc.flags.size(); ++k) {
      EXPECT_EQ(proto.flags(static_cast<int>(k)), CalibrationFlagToProto(pc.flags[k]));
    }
  }
  const CalibrationDiagnostics& d = calibration.diagnostics;
  const v1::CalibrationDiagnostics& proto = response.diagnostics();
  EXPECT_EQ(proto.partners(), 12);
  EXPECT_EQ(proto.periods(), 18);
  EXPECT_EQ(proto.first_period(), "2024-01");
  EXPECT_EQ(proto.last_period(), "2025-06");
  EXPECT_EQ(proto.partners_with_hours_variation(), d.partners_with_hours_variation);
  EXPECT_EQ(proto.half_effort_hours().value(), d.half_effort_hours.value);
  EXPECT_EQ(proto.half_effort_identified(), d.half_effort_identified);
  EXPECT_EQ(proto.pooled_max_lift().std_error(), d.pooled_max_lift.std_error);
  EXPECT_EQ(proto.churn_rate().value(), d.churn_rate.value);
  EXPECT_EQ(proto.dormancy_transitions(), d.dormancy_transitions);
  EXPECT_EQ(proto.periods_at_risk(), d.periods_at_risk);
  EXPECT_EQ(proto.residual_scale(), d.residual_scale);
  EXPECT_EQ(proto.segment_correlation(), d.segment_correlation);
  EXPECT_EQ(proto.retention_hours(), d.retention_hours);
}

TEST(CalibrationConvertTest, NamesComeFromTheRowsElseFromTheBase) {
  v1::CalibratePortfolioRequest request = CalibrationRequest(SmallCase().history);
  for (v1::HistoryRow& row : *request.mutable_rows()) {
    if (row.partner_id() == "P2") row.clear_name();
  }
  v1::Portfolio* base = request.mutable_portfolio();
  base->set_quota(1e6);
  base->set_periods(6);
  for (const char* id : {"P2", "P5"}) {
    v1::Partner* p = base->add_partners();
    p->set_id(id);
    p->set_name(absl::StrCat("Base ", id));
    p->set_tier(v1::TIER_MAINTAIN);
  }
  CalibrationInput input;
  ASSERT_TRUE(CalibrationInputFromProto(request, Limits(), input).empty());
  const v1::CalibratePortfolioResponse response =
      CalibrationToProto(Calibrate(input.history, input.base_or_null()), input);
  for (const v1::PartnerCalibration& p : response.partners()) {
    if (p.partner_id() == "P2") {
      EXPECT_EQ(p.name(), "Base P2");
      EXPECT_FALSE(p.tier_from_hours());
      EXPECT_EQ(p.tier(), v1::TIER_MAINTAIN);
    }
    if (p.partner_id() == "P5") {
      EXPECT_EQ(p.name(), "Partner P5");
    }
  }
  EXPECT_EQ(response.portfolio().periods(), 6);
}

}  // namespace
}  // namespace attain
