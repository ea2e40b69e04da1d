// A portfolio's history as a CRM exports it: per partner and period, the revenue and the
// channel manager's hours. Rows name periods by label (1, 2, ... or ISO months or dates);
// BuildHistory turns them into per-partner series over consecutive periods, checking
// every row. SimulateHistory draws a history from the model itself, with each period's
// own hours (docs/model.md, "Calibration"), for tests, benchmarks and the example.
//
// Plain value types; pure functions, thread-safe.
#ifndef ATTAIN_SIMULATOR_HISTORY_H_
#define ATTAIN_SIMULATOR_HISTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "simulator/model.h"
#include "simulator/validation.h"

namespace attain {

// One row of an export.
struct HistoryRow {
  std::string partner_id;
  std::string period;    // "7", "2025-07" or "2025-07-01" (a date counts as its month)
  double revenue = 0;    // >= 0
  double hours = 0;      // >= 0
  std::string segment;   // optional; a partner's rows agree
  std::string name;      // optional
};

struct PartnerHistory {
  std::string id;
  std::string name;
  std::string segment;
  std::vector<double> revenue;  // [t - 1], t = 1..periods
  std::vector<double> hours;
};

struct History {
  int periods = 0;
  std::vector<std::string> period_labels;  // [t - 1]: the label of period t
  std::vector<PartnerHistory> partners;    // BuildHistory: in order of id
};

// Most periods a history may span (20 years of months).
inline constexpr int kMaxHistoryPeriods = 240;

// The rows as a history, or the violations of its rows ("rows[17].revenue", "rows[3].period")
// and of the whole ("rows": a gap in the periods, no rows). Periods are the sorted distinct
// labels, which must all be integers or all months, and consecutive; every partner has a
// row for every period. A partner's name is that of its latest row with one. The result
// does not depend on the order of the rows.
struct BuiltHistory {
  History history;
  Violations violations;
};
BuiltHistory BuildHistory(const std::vector<HistoryRow>& rows, const Limits& limits);

// The model of a history of hours[i][t - 1] hours for partner i over hours[i].size()
// periods that ends the period before `forecast` starts: `forecast`'s settings and
// partners over that many periods, without seasonality (the history's common shocks stand
// in for it: docs/model.md, "Calibration"), each baseline set back by the partner's growth
// over the history, prod_t (1 + g + gamma f(h_t)), so that the period after the history
// expects `forecast`'s baseline. Draw its history with SimulateHistory and the same hours.
// REQUIRES: `forecast` validates; one row of hours per partner, all of one length within
// the limit of periods.
Portfolio HistoryModel(const Portfolio& forecast, const std::vector<std::vector<double>>& hours);

// A history of `hours[i][t - 1]` hours for partner i of `portfolio` over portfolio.periods
// periods, drawn from the model with each period's own hours and seeded with `seed`: the
// engine's path generator gives the shocks and dormancy uniforms of one path. Lift
// responds at once (no ramp); growth compounds at g + gamma f(h) of each period; the
// churn hazard of period t uses h_t, so survival to t is prod_{s<=t} (1 - q_s).
// REQUIRES: the portfolio validates; one row of portfolio.periods hours per partner.
History SimulateHistory(const Portfolio& portfolio,
                        const std::vector<std::vector<double>>& hours, uint64_t seed);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_HISTORY_H_
