// The calibrate report: partners ranked by self-sufficiency with dormant ones last, the
// flags in words, what the estimates rest on, and the caution about chosen hours.
#include "clients/cli/calibration_report.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace attain::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::PartnerCalibration* AddPartner(v1::CalibratePortfolioResponse& response, const char* id,
                                   double self_sufficiency) {
  v1::PartnerCalibration* p = response.add_partners();
  p->set_partner_id(id);
  p->set_self_sufficiency(self_sufficiency);
  p->mutable_baseline_revenue()->set_value(120'000);
  p->mutable_baseline_revenue()->set_std_error(8'000);
  p->mutable_max_lift()->set_value(0.35);
  p->mutable_max_lift()->set_std_error(0.1);
  p->set_lift_shrinkage(0.4);
  p->set_tier(v1::TIER_MAINTAIN);
  return p;
}

v1::CalibratePortfolioResponse Response() {
  v1::CalibratePortfolioResponse response;
  v1::CalibrationDiagnostics* d = response.mutable_diagnostics();
  d->set_partners(3);
  d->set_periods(24);
  d->set_first_period("2024-01");
  d->set_last_period("2025-12");
  d->set_partners_fitted(3);
  d->set_partners_with_hours_variation(2);
  d->set_dormant_partners(1);
  d->set_response_identified(true);
  d->mutable_half_effort_hours()->set_value(7.5);
  d->mutable_half_effort_hours()->set_std_error(1.25);
  d->set_half_effort_identified(true);
  d->mutable_pooled_max_lift()->set_value(0.3);
  d->mutable_pooled_max_lift()->set_std_error(0.05);
  d->mutable_churn_rate()->set_value(0.012);
  d->mutable_churn_rate()->set_std_error(0.006);
  d->set_dormancy_transitions(1);
  d->set_periods_at_risk(70);
  d->set_retention_hours(4);
  AddPartner(response, "low", 0.62)->set_name("Low Co");
  v1::PartnerCalibration* flat = AddPartner(response, "high", 0.97);
  flat->add_flags(v1::CALIBRATION_FLAG_NO_HOURS_VARIATION);
  flat->set_tier_from_hours(true);
  flat->set_tier(v1::TIER_OPPORTUNISTIC);
  v1::PartnerCalibration* gone = AddPartner(response, "gone", 1);
  gone->set_dormant_since(22);
  gone->add_flags(v1::CALIBRATION_FLAG_DORMANT);
  response.mutable_portfolio()->set_quota(1'000'000);
  response.mutable_portfolio()->set_currency("EUR");
  response.mutable_portfolio()->set_periods(4);
  response.mutable_portfolio()->add_partners()->set_id("low");
  response.mutable_portfolio()->add_partners()->set_id("high");
  return response;
}

TEST(CalibrationReportTest, PartnersRankBySelfSufficiencyWithDormantOnesLast) {
  const std::string report = CalibrationReport(Response());
  const size_t high = report.find("\n  high ");
  const size_t low = report.find("\n  low ");
  const size_t gone = report.find("\n  gone ");
  ASSERT_NE(high, std::string::npos) << report;
  ASSERT_NE(low, std::string::npos) << report;
  ASSERT_NE(gone, std::string::npos) << report;
  EXPECT_LT(high, low);
  EXPECT_LT(low, gone);
  EXPECT_THAT(report, HasSubstr("97.0%"));
  EXPECT_THAT(report, HasSubstr("120,000 +-8,000"));
  EXPECT_THAT(report, HasSubstr("+35.0% +-10.0%"));
  EXPECT_THAT(report, HasSubstr("Low Co"));
  EXPECT_THAT(report, HasSubstr("OPPORTUNISTIC (from hours)"));
  EXPECT_THAT(report, HasSubstr("no hours variation"));
  EXPECT_THAT(report, HasSubstr("dormant since 2025-10 (left out)"));
}

TEST(CalibrationReportTest, SaysWhatTheEstimatesRestOn) {
  const std::string report = CalibrationReport(Response());
  EXPECT_THAT(report, HasSubstr("Calibrated 3 partners from 24 periods (2024-01 to 2025-12)"));
  EXPECT_THAT(report, HasSubstr("2 of 3 partners: their own lift is estimated"));
  EXPECT_THAT(report, HasSubstr("7.5 +-1.2 hours per period, shared by all partners; identified"));
  EXPECT_THAT(report, HasSubstr("+30.0% +-5.0% at saturating hours"));
  EXPECT_THAT(report, HasSubstr("1.2% +-0.6% per period for a neglected partner, from 1 "
                                "transition to"));
  EXPECT_THAT(report, HasSubstr("in 70 partner-periods at risk"));
  EXPECT_THAT(report, HasSubstr("Dormant, left out     1 (gone)"));
  EXPECT_THAT(report, HasSubstr("CRM hours are chosen by the manager"));
  EXPECT_THAT(report, HasSubstr("biased upward"));
  EXPECT_THAT(report, HasSubstr("2 partners, horizon 4 months, quota 1,000,000 EUR"));
}

TEST(CalibrationReportTest, AnUnidentifiedResponseIsSaidPlainly) {
  v1::CalibratePortfolioResponse response = Response();
  response.mutable_diagnostics()->set_response_identified(false);
  response.mutable_diagnostics()->set_half_effort_identified(false);
  const std::string report = CalibrationReport(response);
  EXPECT_THAT(report, HasSubstr("not identified: no partner's hours varied"));
  EXPECT_THAT(report, HasSubstr("shared by all partners; not identified"));
  EXPECT_THAT(report, HasSubstr("(the fit hardly changes with it): a weak guess"));
  EXPECT_THAT(report, Not(HasSubstr("at saturating hours; spread")));
}

TEST(CalibrationReportTest, FlagsInWords) {
  EXPECT_EQ(CalibrationFlagWords(v1::CALIBRATION_FLAG_HOURS_BELOW_HALF_EFFORT),
            "hours below half effort");
  EXPECT_EQ(CalibrationFlagWords(v1::CALIBRATION_FLAG_POSSIBLY_DORMANT), "possibly dormant");
}

}  // namespace
}  // namespace attain::cli
