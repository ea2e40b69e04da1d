// The attain CLI's readable output: reports of a simulation, a comparison and a tier
// recommendation, and the progress lines drawn while a simulation or a recommendation runs.
//
// Money and probabilities are written as proto/support/text.h writes them; differences
// of probabilities in percentage points.
// Pure functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_REPORT_H_
#define ATTAIN_CLIENTS_CLI_REPORT_H_

#include <string>

#include "attain/v1/planner_service.pb.h"
#include "attain/v1/simulation.pb.h"
#include "clients/cli/report_parts.h"
#include "proto/support/text.h"

namespace attain::cli {

// One plan: headline (horizon in the portfolio's period length) and the server's
// warnings, figures, on-track table and histogram, then partners by uplift per hour,
// descending, with `names` beside ids. Ends in "\n".
std::string SimulationReport(const v1::SimulateResponse& response, const PartnerNames& names);

// Every plan's P(attain) and expected revenue, then each plan's paired difference to the
// first. Ends in "\n".
std::string ComparisonReport(const v1::ComparePlansResponse& comparison);

// A tier recommendation: what was searched (objective, partners, paths, method, plans
// evaluated, seeds); the current and the recommended plan before and after on the
// validation sample, with their paired difference; the tier changes by effect on P(attain),
// then on expected revenue, each with its reason; the partners that keep their tier.
// When the current plan is over capacity, it says so and the changes split into those
// needed to fit the hours and those improving on the fitted plan, which the recommendation
// is then compared with. `request` supplies what the response does not repeat (objective,
// locks, max_changes, partner names).
// Ends in "\n".
std::string RecommendationReport(const v1::RecommendTiersRequest& request,
                                 const v1::RecommendTiersResponse& recommendation);

// One line (no line break) of at most about `width` characters:
// "[#######.......]  45%  450,000 / 1,000,000 paths  P(attain) 38.2%".
std::string ProgressLine(const v1::SimulationProgress& progress, int width);

// One line (no line break) of at most `width` characters (cut short if longer), the
// recommendation's phase in words: "sampling 12,000/20,000 paths", "searching: 41,200
// plans evaluated, best P(attain) 71.3%", "validating 5,000/20,000 paths". The best
// objective so far is a percentage for P(attain) and money (in `currency`, if any) for
// expected and downside revenue.
std::string RecommendationProgressLine(const v1::RecommendationProgress& progress,
                                       v1::Objective objective, const std::string& currency,
                                       int width);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_REPORT_H_
