// The attain CLI's readable report of a calibration (attain calibrate).
//
// Money as proto/support/text.h writes it; estimates as "value +-standard error".
// Pure functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_CALIBRATION_REPORT_H_
#define ATTAIN_CLIENTS_CLI_CALIBRATION_REPORT_H_

#include <string>

#include "attain/v1/calibration.pb.h"

namespace attain::cli {

// What was calibrated (partners, periods); the partners ranked by self-sufficiency, most
// self-sufficient first, dormant partners last (id, name, self-sufficiency, baseline and
// lift with standard errors, shrinkage, tier and whether it was read from the hours,
// flags); what the estimates rest on (hours variation, shared h50, pooled lift and
// growth, churn and its transitions, residual scale, dormant partners left out); a
// caution that the manager chose the hours, so lift may be biased upward, and how to
// check it; the calibrated portfolio in one line. Ends in "\n".
std::string CalibrationReport(const v1::CalibratePortfolioResponse& response);

// An estimate of money, "120,000 +-8,000", and of a proportion in percent, "+35.0%
// +-10.0%" (signed_plus) or "35.0% +-10.0%": as the report writes them.
std::string MoneyEstimate(const v1::Estimate& estimate);
std::string PercentEstimate(const v1::Estimate& estimate, bool signed_plus);

// "no hours variation" for CALIBRATION_FLAG_NO_HOURS_VARIATION.
std::string CalibrationFlagWords(v1::CalibrationFlag flag);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_CALIBRATION_REPORT_H_
