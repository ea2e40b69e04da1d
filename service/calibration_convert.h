// Conversion of CalibratePortfolio (attain/v1/calibration.proto) between the API and the
// domain: a request's rows into a History (simulator/history.h) and its base portfolio,
// checked against each other; a Calibration (simulator/calibration.h) back into the
// response. Field paths of violations are the request's ("rows[17].revenue",
// "portfolio.partners[3].id"). Nothing here logs or keeps the rows: they are customers'
// revenue.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_CALIBRATION_CONVERT_H_
#define ATTAIN_SERVICE_CALIBRATION_CONVERT_H_

#include <map>
#include <optional>
#include <string>

#include "attain/v1/calibration.pb.h"
#include "simulator/calibration.h"
#include "simulator/history.h"
#include "simulator/model.h"
#include "simulator/validation.h"

namespace attain {

// A CalibratePortfolio request in domain terms, ready for Calibrate.
struct CalibrationInput {
  History history;
  std::optional<Portfolio> base;  // the request's portfolio, if it has one
  // The base's partner names by id (the domain's Partner has none): the response names a
  // partner by them where its rows name it not.
  std::map<std::string, std::string> base_names;

  const Portfolio* base_or_null() const { return base ? &*base : nullptr; }
};

// Converts and checks `request`: its rows are built into a history (BuildHistory under
// `limits`), then its base portfolio, if any, is converted and checked against that
// history (ValidateCalibrationBase). The rows' strings are moved out of `request`, so
// that a large history is not held twice. Returns the violations, with the request's
// field paths; when there are any, `input` is unspecified. REQUIRES: the request's
// counts passed the wire limits (its rows are at most kMaxHistoryRows).
Violations CalibrationInputFromProto(v1::CalibratePortfolioRequest& request, const Limits& limits,
                                     CalibrationInput& input);

v1::CalibrationFlag CalibrationFlagToProto(CalibrationFlag flag);

// Every field of the portfolio set explicitly, so the JSON shows the values simulated;
// partner names from `names` by id ("" for the others).
v1::Portfolio PortfolioToProto(const Portfolio& portfolio,
                               const std::map<std::string, std::string>& names);

// The response: the calibrated portfolio (every field set, standard errors in
// Partner.errors, names from the history or the base), every partner's estimates and the
// diagnostics, with the first and last period labels of `input.history`.
v1::CalibratePortfolioResponse CalibrationToProto(const Calibration& calibration,
                                                  const CalibrationInput& input);

}  // namespace attain

#endif  // ATTAIN_SERVICE_CALIBRATION_CONVERT_H_
