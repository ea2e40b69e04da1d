// Numbers and reasons in words (proto/support/text.h): money and percentages, tier words,
// and the reason sentences for every reason code, with the numbers they must carry.
#include "proto/support/text.h"

#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// ---------------------------------------------------------------------------------------
// Money and percentages (moved from report_test.cc).

TEST(FormatMoneyTest, GroupsThousandsAndRoundsToUnits) {
  EXPECT_EQ(FormatMoney(0), "0");
  EXPECT_EQ(FormatMoney(999), "999");
  EXPECT_EQ(FormatMoney(1000), "1,000");
  EXPECT_EQ(FormatMoney(4'512'300.4), "4,512,300");
  EXPECT_EQ(FormatMoney(4'512'300.5), "4,512,301");
  EXPECT_EQ(FormatMoney(-12'000), "-12,000");
  EXPECT_EQ(FormatMoney(-0.4), "0");
  EXPECT_EQ(FormatMoney(1e12), "1,000,000,000,000");
  EXPECT_EQ(FormatMoney(45'000, /*signed_plus=*/true), "+45,000");
  EXPECT_EQ(FormatMoney(-45'000, /*signed_plus=*/true), "-45,000");
  EXPECT_EQ(FormatMoney(std::numeric_limits<double>::quiet_NaN()), "n/a");
}

TEST(FormatPercentTest, OneDecimal) {
  EXPECT_EQ(FormatPercent(0.6342), "63.4%");
  EXPECT_EQ(FormatPercent(1), "100.0%");
  EXPECT_EQ(FormatPercent(0), "0.0%");
}

// ---------------------------------------------------------------------------------------
// Money and percentages, further cases.

TEST(FormatMoneyTest, GroupsEveryThreeDigitsAtTheBoundaries) {
  EXPECT_EQ(FormatMoney(999'999), "999,999");
  EXPECT_EQ(FormatMoney(1'000'000), "1,000,000");
  EXPECT_EQ(FormatMoney(100'000), "100,000");
  EXPECT_EQ(FormatMoney(10'000), "10,000");
  EXPECT_EQ(FormatMoney(-1'234'567), "-1,234,567");
  EXPECT_EQ(FormatMoney(999.5), "1,000");
}

TEST(FormatMoneyTest, ZeroAndAmountsRoundingToZeroAreNeverSigned) {
  EXPECT_EQ(FormatMoney(0, /*signed_plus=*/true), "0");
  EXPECT_EQ(FormatMoney(0.4, /*signed_plus=*/true), "0");
  EXPECT_EQ(FormatMoney(-0.0), "0");
  EXPECT_EQ(FormatMoney(-0.4, /*signed_plus=*/true), "0");
  EXPECT_EQ(FormatMoney(0.6, /*signed_plus=*/true), "+1");
  EXPECT_EQ(FormatMoney(-0.6), "-1");
}

TEST(FormatMoneyTest, InfinitiesAreNotAvailable) {
  EXPECT_EQ(FormatMoney(std::numeric_limits<double>::infinity()), "n/a");
  EXPECT_EQ(FormatMoney(-std::numeric_limits<double>::infinity(), /*signed_plus=*/true), "n/a");
}

TEST(FormatPercentTest, RoundsToOneDecimal) {
  EXPECT_EQ(FormatPercent(0.961), "96.1%");
  EXPECT_EQ(FormatPercent(0.0449), "4.5%");
  EXPECT_EQ(FormatPercent(0.12345), "12.3%");
  EXPECT_EQ(FormatPercent(-0.057), "-5.7%");
}

// ---------------------------------------------------------------------------------------
// Tier words.

TEST(TierWordTest, IsTheTierNameWithoutItsPrefix) {
  EXPECT_EQ(TierWord(v1::TIER_INVEST), "INVEST");
  EXPECT_EQ(TierWord(v1::TIER_MAINTAIN), "MAINTAIN");
  EXPECT_EQ(TierWord(v1::TIER_OPPORTUNISTIC), "OPPORTUNISTIC");
  EXPECT_EQ(TierWord(v1::TIER_UNSPECIFIED), "UNSPECIFIED");
}

// ---------------------------------------------------------------------------------------
// Reasons for a change.

v1::ReasonFacts Facts(v1::Tier compared_tier, double expected, double compared_expected,
                      double unassisted, double dormancy, double compared_dormancy,
                      double hours, double compared_hours) {
  v1::ReasonFacts facts;
  facts.set_compared_tier(compared_tier);
  facts.set_expected_revenue(expected);
  facts.set_compared_expected_revenue(compared_expected);
  facts.set_unassisted_expected_revenue(unassisted);
  facts.set_dormancy_probability(dormancy);
  facts.set_compared_dormancy_probability(compared_dormancy);
  facts.set_hours(hours);
  facts.set_compared_hours(compared_hours);
  return facts;
}

v1::TierChange Change(v1::Tier from, v1::Tier to, v1::ReasonCode code,
                      const v1::ReasonFacts& facts) {
  v1::TierChange change;
  change.set_partner_id("cobalt");
  change.set_from_tier(from);
  change.set_to_tier(to);
  change.set_hours_change(facts.hours() - facts.compared_hours());
  change.set_reason_code(code);
  *change.mutable_facts() = facts;
  return change;
}

TEST(ChangeReasonTextTest, HighLiftPerHourReadsAsTheHeadersExample) {
  // +137,600 over 4 periods for 16 more hours per period: 137,600 / (16 x 4) = 2,150.
  const v1::TierChange change =
      Change(v1::TIER_OPPORTUNISTIC, v1::TIER_INVEST, v1::REASON_CODE_HIGH_LIFT_PER_HOUR,
             Facts(v1::TIER_OPPORTUNISTIC, 437'600, 300'000, 280'000, 0.01, 0.02, 17, 1));
  EXPECT_EQ(ChangeReasonText(change, /*periods=*/4),
            "each extra hour per period adds about 2,150 of revenue (the model expects "
            "+137,600 over the horizon)");
}

TEST(ChangeReasonTextTest, HighLiftPerHourDividesTheGainByTheAddedHoursOverTheHorizon) {
  // (250,000 - 180,000) / ((16 - 6) x 12) = 583.3.
  const v1::TierChange change =
      Change(v1::TIER_MAINTAIN, v1::TIER_INVEST, v1::REASON_CODE_HIGH_LIFT_PER_HOUR,
             Facts(v1::TIER_MAINTAIN, 250'000, 180'000, 150'000, 0.05, 0.06, 16, 6));
  const std::string text = ChangeReasonText(change, /*periods=*/12);
  EXPECT_THAT(text, HasSubstr("adds about 583 of revenue"));
  EXPECT_THAT(text, HasSubstr("+70,000"));
  // The horizon matters: over 3 periods the same gain is 2,333 per hour.
  EXPECT_THAT(ChangeReasonText(change, /*periods=*/3), HasSubstr("adds about 2,333 of revenue"));
}

TEST(ChangeReasonTextTest, DormancyRiskGivesBothProbabilitiesWithTheirTiersAndTheGain) {
  const v1::TierChange change =
      Change(v1::TIER_OPPORTUNISTIC, v1::TIER_MAINTAIN, v1::REASON_CODE_DORMANCY_RISK,
             Facts(v1::TIER_OPPORTUNISTIC, 391'227, 310'616, 300'000, 0.0781, 0.1684, 6, 1));
  const std::string text = ChangeReasonText(change, /*periods=*/4);
  EXPECT_THAT(text, HasSubstr("at OPPORTUNISTIC it has a 16.8% chance of going dormant"));
  EXPECT_THAT(text, HasSubstr("at MAINTAIN 7.8%"));
  EXPECT_THAT(text, HasSubstr("+80,611"));  // 391,227 - 310,616
  EXPECT_LT(text.find("16.8%"), text.find("7.8%")) << "the tier it leaves comes first";
}

TEST(ChangeReasonTextTest, SelfSufficientGivesTheUnassistedShareOfTheTierItLeaves) {
  // 97,100 unassisted of 100,000 at INVEST = 97.1% (of the 98,000 at MAINTAIN it would be
  // 99.1%); 16 - 6 = 10 hours freed.
  v1::TierChange change =
      Change(v1::TIER_INVEST, v1::TIER_MAINTAIN, v1::REASON_CODE_SELF_SUFFICIENT,
             Facts(v1::TIER_INVEST, 98'000, 100'000, 97'100, 0.01, 0.005, 6, 16));
  change.set_freed_hours_used(true);
  const std::string text = ChangeReasonText(change, /*periods=*/4);
  EXPECT_THAT(text, HasSubstr("97.1% as much with no hours at all as at INVEST"));
  EXPECT_THAT(text, HasSubstr("frees 10 hours per period for partners with more leverage"));
  EXPECT_THAT(text, Not(HasSubstr("99.1%")));
}

TEST(ChangeReasonTextTest, FreesHoursGivesTheHoursFreedAndTheRevenueLost) {
  v1::TierChange change =
      Change(v1::TIER_MAINTAIN, v1::TIER_OPPORTUNISTIC, v1::REASON_CODE_FREES_HOURS,
             Facts(v1::TIER_MAINTAIN, 91'547, 100'000, 80'000, 0.04, 0.02, 1, 6.5));
  change.set_freed_hours_used(true);
  const std::string text = ChangeReasonText(change, /*periods=*/4);
  EXPECT_THAT(text, HasSubstr("frees 5.5 hours per period"));
  EXPECT_THAT(text, HasSubstr("loses about 8,453 of expected revenue"));  // 100,000 - 91,547
  EXPECT_THAT(text, Not(HasSubstr("-8,453")));
}

// Where freed hours go, said only as the change's flags say: to fit the capacity, to
// another change, or nowhere.
TEST(ChangeReasonTextTest, FreedHoursAreSaidToGoWhereTheyGo) {
  v1::TierChange change =
      Change(v1::TIER_MAINTAIN, v1::TIER_OPPORTUNISTIC, v1::REASON_CODE_FITS_CAPACITY,
             Facts(v1::TIER_MAINTAIN, 91'547, 100'000, 80'000, 0.04, 0.02, 1, 6.5));
  change.set_needed_to_fit(true);
  std::string text = ChangeReasonText(change, /*periods=*/4);
  EXPECT_THAT(text, HasSubstr("gives up 5.5 hours per period that the current tiers need to "
                              "fit the capacity (it loses about 8,453"));
  EXPECT_THAT(text, Not(HasSubstr("frees")));
  change.set_needed_to_fit(false);
  change.set_reason_code(v1::REASON_CODE_HOURS_LEFT_UNUSED);
  text = ChangeReasonText(change, /*periods=*/4);
  EXPECT_THAT(text, HasSubstr("gives up 5.5 hours per period that no other change uses: they "
                              "are left unused"));
  EXPECT_THAT(text, Not(HasSubstr("frees")));
  change.set_reason_code(v1::REASON_CODE_SELF_SUFFICIENT);
  EXPECT_THAT(ChangeReasonText(change, 4), HasSubstr("; gives up 5.5 hours per period that no "
                                                     "other change uses"));
}

TEST(ChangeReasonTextTest, CodesThatAreNotReasonsForAChangeHaveNoSentence) {
  const v1::ReasonFacts facts =
      Facts(v1::TIER_MAINTAIN, 100'000, 90'000, 80'000, 0.01, 0.02, 16, 6);
  for (const v1::ReasonCode code :
       {v1::REASON_CODE_UNSPECIFIED, v1::REASON_CODE_LOCKED, v1::REASON_CODE_CHANGE_LIMIT,
        v1::REASON_CODE_BEST_AS_IS}) {
    EXPECT_EQ(ChangeReasonText(Change(v1::TIER_MAINTAIN, v1::TIER_INVEST, code, facts), 4), "")
        << v1::ReasonCode_Name(code);
  }
}

// ---------------------------------------------------------------------------------------
// Reasons for a tier kept.

v1::PartnerAdvice Advice(v1::Tier tier, v1::ReasonCode code, const v1::ReasonFacts& facts) {
  v1::PartnerAdvice advice;
  advice.set_partner_id("acme");
  advice.set_tier(tier);
  advice.set_reason_code(code);
  *advice.mutable_facts() = facts;
  return advice;
}

TEST(KeptReasonTextTest, SelfSufficientReadsAsTheHeadersExample) {
  // 96,100 unassisted of 100,000 at its tier: 96.1%.
  const v1::PartnerAdvice advice =
      Advice(v1::TIER_OPPORTUNISTIC, v1::REASON_CODE_SELF_SUFFICIENT,
             Facts(v1::TIER_OPPORTUNISTIC, 100'000, 100'000, 96'100, 0.02, 0.02, 1, 1));
  EXPECT_EQ(KeptReasonText(advice), "it sells 96.1% as much with no hours at all");
}

TEST(KeptReasonTextTest, DormancyRiskGivesTheProbabilityWithOpportunisticAttentionAndAtItsTier) {
  const v1::PartnerAdvice advice =
      Advice(v1::TIER_MAINTAIN, v1::REASON_CODE_DORMANCY_RISK,
             Facts(v1::TIER_OPPORTUNISTIC, 391'227, 310'616, 300'000, 0.0781, 0.1972, 6, 1));
  const std::string text = KeptReasonText(advice);
  EXPECT_THAT(text, HasSubstr("opportunistic attention it has a 19.7% chance of going dormant"));
  EXPECT_THAT(text, HasSubstr("at MAINTAIN 7.8%"));
}

TEST(KeptReasonTextTest, LockedSaysTheRequestLockedIt) {
  const v1::PartnerAdvice advice =
      Advice(v1::TIER_INVEST, v1::REASON_CODE_LOCKED,
             Facts(v1::TIER_INVEST, 100'000, 100'000, 80'000, 0.01, 0.01, 16, 16));
  EXPECT_EQ(KeptReasonText(advice), "locked by the request");
}

TEST(KeptReasonTextTest, ChangeLimitGivesTheSpentBudget) {
  v1::ReasonFacts facts = Facts(v1::TIER_INVEST, 100'000, 100'000, 80'000, 0.01, 0.01, 16, 16);
  facts.set_max_changes(3);
  const std::string text =
      KeptReasonText(Advice(v1::TIER_INVEST, v1::REASON_CODE_CHANGE_LIMIT, facts));
  EXPECT_THAT(text, HasSubstr("the 3 allowed changes are used"));
  EXPECT_THAT(text, HasSubstr("another tier would do better"));
}

TEST(KeptReasonTextTest, BestAsIsNamesTheTier) {
  for (const v1::Tier tier : {v1::TIER_INVEST, v1::TIER_MAINTAIN, v1::TIER_OPPORTUNISTIC}) {
    const v1::PartnerAdvice advice =
        Advice(tier, v1::REASON_CODE_BEST_AS_IS,
               Facts(tier, 100'000, 100'000, 80'000, 0.01, 0.01, 6, 6));
    EXPECT_EQ(KeptReasonText(advice),
              absl::StrCat("no other tier does better within the hours (", TierWord(tier), ")"));
  }
}

TEST(KeptReasonTextTest, CodesThatAreNotReasonsToKeepATierHaveNoSentence) {
  const v1::ReasonFacts facts =
      Facts(v1::TIER_INVEST, 100'000, 100'000, 80'000, 0.01, 0.01, 16, 16);
  for (const v1::ReasonCode code : {v1::REASON_CODE_UNSPECIFIED,
                                    v1::REASON_CODE_HIGH_LIFT_PER_HOUR,
                                    v1::REASON_CODE_FREES_HOURS}) {
    EXPECT_EQ(KeptReasonText(Advice(v1::TIER_INVEST, code, facts)), "")
        << v1::ReasonCode_Name(code);
  }
}

}  // namespace
}  // namespace attain
