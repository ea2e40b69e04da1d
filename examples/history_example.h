// The example CRM history (examples/history.csv): two years of monthly revenue and hours
// for the partners of examples/portfolio.json and four more, drawn from the model itself
// (SimulateHistory), so that `attain calibrate examples/history.csv --portfolio
// examples/portfolio.json` recovers values near the portfolio's. generate_history.cc
// writes it; a test checks that the checked-in file is its output.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_EXAMPLES_HISTORY_EXAMPLE_H_
#define ATTAIN_EXAMPLES_HISTORY_EXAMPLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "simulator/model.h"

namespace attain {

// The history's first month and length: 2024-01 .. 2025-12.
inline constexpr int kExampleFirstYear = 2024;
inline constexpr int kExampleMonths = 24;
// The seed of the draw: picked among the first 40 for an example that reads well (two
// partners dormant, as the portfolio's churn rates make typical over two years, and
// estimates near the portfolio's values), not for being typical in every respect.
inline constexpr uint64_t kExampleHistorySeed = 9;

// The history as CSV (partner_id,name,segment,period,revenue,hours; by month, then
// partner): `base`'s partners with their parameters and names (`names`, by partner, in
// `base`'s order), their baselines set back so that the month after the history
// expects `base`'s baseline, plus four smaller partners that `base` does not list; the
// hours a manager might have logged (see history_example.cc). REQUIRES: `base` validates
// and lists the partners of examples/portfolio.json; names.size() == base.partners.size().
std::string ExampleHistoryCsv(const Portfolio& base, const std::vector<std::string>& names,
                              uint64_t seed = kExampleHistorySeed);

}  // namespace attain

#endif  // ATTAIN_EXAMPLES_HISTORY_EXAMPLE_H_
