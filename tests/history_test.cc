#include "simulator/history.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

HistoryRow Row(std::string partner, std::string period, double revenue = 100, double hours = 2) {
  return {std::move(partner), std::move(period), revenue, hours, "", ""};
}

// The first violation's field, or "" when the rows build.
std::string FirstError(const std::vector<HistoryRow>& rows, std::string* description = nullptr) {
  const BuiltHistory built = BuildHistory(rows, Limits{});
  if (built.violations.empty()) return "";
  if (description != nullptr) *description = built.violations[0].description;
  return built.violations[0].field;
}

TEST(HistoryTest, BuildsSeriesOverSortedPeriodsAndPartnersInOrderOfId) {
  const BuiltHistory built = BuildHistory(
      {Row("b", "2", 20, 1), Row("a", "1", 10, 0), Row("b", "1", 30, 4), Row("a", "2", 40, 8)},
      Limits{});
  ASSERT_TRUE(built.violations.empty());
  const History& h = built.history;
  EXPECT_EQ(h.periods, 2);
  EXPECT_EQ(h.period_labels, (std::vector<std::string>{"1", "2"}));
  ASSERT_EQ(h.partners.size(), 2u);
  EXPECT_EQ(h.partners[0].id, "a");
  EXPECT_EQ(h.partners[0].revenue, (std::vector<double>{10, 40}));
  EXPECT_EQ(h.partners[0].hours, (std::vector<double>{0, 8}));
  EXPECT_EQ(h.partners[1].revenue, (std::vector<double>{30, 20}));
}

TEST(HistoryTest, ReadsMonthsAndDatesAcrossAYearEnd) {
  const BuiltHistory built = BuildHistory(
      {Row("a", "2025-12-31"), Row("a", "2025-11"), Row("a", "2026-01-01")}, Limits{});
  ASSERT_TRUE(built.violations.empty());
  EXPECT_EQ(built.history.period_labels,
            (std::vector<std::string>{"2025-11", "2025-12", "2026-01"}));
}

TEST(HistoryTest, TheLatestNameWinsAndSegmentsMustAgree) {
  std::vector<HistoryRow> rows = {Row("a", "2"), Row("a", "1")};
  rows[0].name = "Acme Corp";
  rows[1].name = "Acme";
  rows[0].segment = rows[1].segment = "north";
  const BuiltHistory built = BuildHistory(rows, Limits{});
  ASSERT_TRUE(built.violations.empty());
  EXPECT_EQ(built.history.partners[0].name, "Acme Corp");
  EXPECT_EQ(built.history.partners[0].segment, "north");
  rows[1].segment = "south";
  EXPECT_EQ(FirstError(rows), "rows[1].segment");
}

TEST(HistoryTest, EveryBadRowIsNamedByRowAndColumn) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(FirstError({Row("a", "1"), Row("a", "2", -5)}), "rows[1].revenue");
  EXPECT_EQ(FirstError({Row("a", "1", nan)}), "rows[0].revenue");
  EXPECT_EQ(FirstError({Row("a", "1", 10, -1)}), "rows[0].hours");
  EXPECT_EQ(FirstError({Row("a", "1"), Row("a", "2", 10, inf)}), "rows[1].hours");
  EXPECT_EQ(FirstError({Row("", "1")}), "rows[0].partner_id");
  std::string description;
  EXPECT_EQ(FirstError({Row("a", "1"), Row("a", "July 2025")}, &description), "rows[1].period");
  EXPECT_NE(description.find("2025-07"), std::string::npos) << description;
  EXPECT_EQ(FirstError({Row("a", "2025-13")}), "rows[0].period");
  EXPECT_EQ(FirstError({Row("a", "2025-02-30")}), "rows[0].period");
  EXPECT_EQ(FirstError({Row("a", "1"), Row("a", "2025-01")}), "rows[1].period");
}

TEST(HistoryTest, DuplicatesGapsAndMissingRowsAreRefused) {
  std::string description;
  EXPECT_EQ(FirstError({Row("a", "1"), Row("a", "2"), Row("a", "2")}, &description),
            "rows[2].period");
  EXPECT_NE(description.find("rows[1]"), std::string::npos) << description;
  // The same month twice, once as a date.
  EXPECT_EQ(FirstError({Row("a", "2025-07"), Row("a", "2025-07-15")}), "rows[1].period");
  EXPECT_EQ(FirstError({Row("a", "1"), Row("a", "3")}, &description), "rows");
  EXPECT_NE(description.find("2 is missing"), std::string::npos) << description;
  EXPECT_EQ(FirstError({Row("a", "1"), Row("a", "2"), Row("b", "1")}, &description), "rows");
  EXPECT_NE(description.find("no row for period 2"), std::string::npos) << description;
  EXPECT_EQ(FirstError({}), "rows");
}

TEST(HistoryTest, LimitsOnPeriodsAndPartners) {
  std::vector<HistoryRow> rows;
  for (int t = 1; t <= kMaxHistoryPeriods + 1; ++t) rows.push_back(Row("a", std::to_string(t)));
  EXPECT_EQ(FirstError(rows), "rows");
  Limits limits;
  limits.max_partners = 2;
  EXPECT_FALSE(BuildHistory({Row("a", "1"), Row("b", "1"), Row("c", "1")}, limits).violations.empty());
  EXPECT_TRUE(BuildHistory({Row("a", "1"), Row("b", "1")}, limits).violations.empty());
}

// The simulated history follows the model: with no shocks, no churn and no growth the
// revenue is b (1 + L f(h_t)) in each period, and a dormant partner stays at 0.
TEST(HistoryTest, SimulatedHistoryUsesEachPeriodsOwnHours) {
  Portfolio portfolio;
  portfolio.periods = 4;
  Partner p;
  p.id = "a";
  p.baseline_revenue = 1000;
  p.volatility = 0;
  p.market_correlation = 0;
  p.growth_rate = 0;
  p.churn_rate = 0;
  p.max_lift = 1;
  p.half_effort_hours = 8;
  p.ramp_periods = 0;
  portfolio.partners = {p};
  const History h = SimulateHistory(portfolio, {{0, 8, 24, 0}}, 3);
  ASSERT_EQ(h.partners.size(), 1u);
  EXPECT_NEAR(h.partners[0].revenue[0], 1000, 1e-6);
  EXPECT_NEAR(h.partners[0].revenue[1], 1500, 1e-6);
  EXPECT_NEAR(h.partners[0].revenue[2], 1750, 1e-6);
  EXPECT_NEAR(h.partners[0].revenue[3], 1000, 1e-6);
  // Certain churn: dormant from period 1 on.
  portfolio.partners[0].churn_rate = 1;
  const History gone = SimulateHistory(portfolio, {{0, 0, 0, 0}}, 3);
  EXPECT_EQ(gone.partners[0].revenue, (std::vector<double>{0, 0, 0, 0}));
}

// The history model sets baselines back by each period's growth at its own hours, so
// that with no shocks the month after the history sells the forecast's baseline.
TEST(HistoryTest, AHistoryModelEndsWhereTheForecastStarts) {
  Portfolio forecast;
  forecast.periods = 12;
  forecast.seasonality.assign(12, 1.5);
  Partner p;
  p.id = "a";
  p.baseline_revenue = 1000;
  p.volatility = 0;
  p.growth_rate = 0.02;
  p.growth_boost = 0.04;
  p.half_effort_hours = 8;
  p.max_lift = 0;
  p.churn_rate = 0;
  forecast.partners = {p};
  const std::vector<std::vector<double>> hours = {{0, 8, 24, 8, 0}};
  const Portfolio model = HistoryModel(forecast, hours);
  EXPECT_EQ(model.periods, 5);
  EXPECT_TRUE(model.seasonality.empty());
  double growth = 1;
  for (const double h : hours[0]) growth *= 1 + 0.02 + 0.04 * h / (h + 8);
  EXPECT_NEAR(model.partners[0].baseline_revenue * growth, 1000, 1e-9);
  // The drawn history grows to it: its last period times that period's growth.
  const History h = SimulateHistory(model, hours, 1);
  EXPECT_NEAR(h.partners[0].revenue[4] * 1.02, 1000, 1e-9);
}

TEST(HistoryTest, SimulatedHistoriesAreReproducibleFromTheSeed) {
  const auto a = testing_support::MakeCalibrationCase(1, {.partners = 20, .periods = 12});
  const auto b = testing_support::MakeCalibrationCase(1, {.partners = 20, .periods = 12});
  const auto c = testing_support::MakeCalibrationCase(2, {.partners = 20, .periods = 12});
  EXPECT_EQ(a.history.partners[5].revenue, b.history.partners[5].revenue);
  EXPECT_NE(a.history.partners[5].revenue, c.history.partners[5].revenue);
}

}  // namespace
}  // namespace attain
