// attain report: a portfolio's figures as the shared HTML report draws them
// (clients/report): the plan's revenue distribution against quota, each partner's revenue
// whether the manager shows up or not, P(on track) per period, and the recommended tier
// changes with their effects and reasons.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_HTML_REPORT_H_
#define ATTAIN_CLIENTS_CLI_HTML_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "attain/v1/planner_service.pb.h"
#include "attain/v1/portfolio.pb.h"

namespace attain::cli {

// Sets the plan's tiers and hours on the portfolio's partners (a plan's hours override
// the tier's, as when the server simulates a plan), so that a recommendation starts from
// the plan. Errors: INVALID_ARGUMENT naming the entry ("tiers[\"x\"]") whose partner the
// portfolio lacks, or whose hours are negative or not finite.
absl::Status ApplyPlan(const v1::Plan& plan, v1::Portfolio& portfolio);

// What the page says about itself.
struct ReportHeading {
  std::string title;         // e.g. the channel manager's id
  std::string subtitle;      // e.g. which plan, over which horizon
  std::string generated_by;  // e.g. "attain report"
  std::string generated_at;  // e.g. "2026-11-28 21:30 UTC"
};

// The report's data (kind "portfolio", clients/report/README.md) as JSON: the current
// outcome of `response` (the plan the request started from, on the validation sample; the
// seed shown is the request's), its recommended plan's
// P(attain) and revenue, and its changes; partner names from the request's portfolio.
// Errors: INTERNAL if a figure is not finite (the server sends none such).
absl::StatusOr<std::string> PortfolioReportJson(const v1::RecommendTiersRequest& request,
                                                const v1::RecommendTiersResponse& response,
                                                const ReportHeading& heading);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_HTML_REPORT_H_
