// The attain CLI's readable report of a sensitivity analysis (attain sensitivity): a
// tornado.
//
// Money and probabilities as proto/support/text.h writes them; swings in percentage
// points. Pure functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_SENSITIVITY_REPORT_H_
#define ATTAIN_CLIENTS_CLI_SENSITIVITY_REPORT_H_

#include <string>

#include "attain/v1/sensitivity.pb.h"
#include "clients/cli/report_parts.h"

namespace attain::cli {

// The plan's base P(attain) with its Monte Carlo interval and expected revenue; the
// assumptions by swing (assumption, range and where it comes from, the parameter's
// values, P(attain) and expected revenue low -> high, the swing, whether the recommended
// tiers change), each tier change under its row; how the tier check ran; and a plain
// statement that the tornado's ranges are about the assumptions while the interval is
// about sampling only. Partners are named by id with `names` beside. Ends in "\n".
std::string SensitivityReport(const v1::AnalyzeSensitivityResponse& response,
                              const PartnerNames& names);

// "max_lift (all partners)", "baseline_revenue of acme (Acme Systems)".
std::string AssumptionLabel(const v1::AssumptionSensitivity& row, const PartnerNames& names);

// "x0.5 .. x1.5", "-0.01 .. +0.01 per period", "-1.645 .. +1.645 SE".
std::string RangeLabel(const v1::AssumptionSensitivity& row);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_SENSITIVITY_REPORT_H_
