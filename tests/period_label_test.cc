#include "simulator/period_label.h"

#include "gtest/gtest.h"

namespace attain {
namespace {

TEST(PeriodLabelTest, ReadsNumbersMonthsAndDates) {
  ASSERT_TRUE(ParsePeriodLabel("7"));
  EXPECT_EQ(ParsePeriodLabel("7")->kind, PeriodLabel::Kind::kNumber);
  EXPECT_EQ(ParsePeriodLabel("7")->ordinal, 7);
  EXPECT_EQ(ParsePeriodLabel("-2")->ordinal, -2);
  const auto month = ParsePeriodLabel("2025-07");
  ASSERT_TRUE(month);
  EXPECT_EQ(month->kind, PeriodLabel::Kind::kMonth);
  EXPECT_EQ(ParsePeriodLabel("2025-07-31")->ordinal, month->ordinal);
  EXPECT_EQ(ParsePeriodLabel("2026-01")->ordinal, ParsePeriodLabel("2025-12")->ordinal + 1);
  EXPECT_TRUE(ParsePeriodLabel("2024-02-29"));  // a leap day
}

TEST(PeriodLabelTest, RefusesWhatIsNoPeriod) {
  for (const char* text : {"", "July", "2025-7", "2025-13", "2025-00", "2023-02-29",
                           "2025-07-32", "2025/07", "7.5", "+7", "2025-07-01T00:00"}) {
    EXPECT_FALSE(ParsePeriodLabel(text)) << text;
  }
}

TEST(PeriodLabelTest, NamesPeriodsBack) {
  EXPECT_EQ(PeriodLabelText(*ParsePeriodLabel("12")), "12");
  EXPECT_EQ(PeriodLabelText(*ParsePeriodLabel("2025-07-15")), "2025-07");
  EXPECT_EQ(PeriodLabelText({PeriodLabel::Kind::kMonth, 2025 * 12}), "2025-01");
}

}  // namespace
}  // namespace attain
