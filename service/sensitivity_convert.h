// Conversion of AnalyzeSensitivity (attain/v1/sensitivity.proto) between the API and the
// domain (simulator/sensitivity.h). Unset options take the documented defaults.
// Conversion reports only what the wire format can get wrong (unknown enum values in the
// portfolio or plan); every other rule is ValidateSensitivity's. Field paths are the
// request's ("portfolio.partners[3].tier").
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_SENSITIVITY_CONVERT_H_
#define ATTAIN_SERVICE_SENSITIVITY_CONVERT_H_

#include "attain/v1/sensitivity.pb.h"
#include "simulator/model.h"
#include "simulator/sensitivity.h"
#include "simulator/simulation_options.h"
#include "simulator/validation.h"

namespace attain {

// An AnalyzeSensitivity request in domain terms.
struct SensitivityInput {
  Portfolio portfolio;
  Plan plan;  // named "current tiers" when the request has none, "plan" when unnamed
  SimulationOptions options;
  SensitivityOptions sensitivity;
};

// Converts `request` into `input`; returns the conversion's violations.
Violations SensitivityInputFromProto(const v1::AnalyzeSensitivityRequest& request,
                                     SensitivityInput& input);

SensitivityOptions SensitivityOptionsFromProto(const v1::SensitivityOptions& proto);

// The response; `portfolio` is the analysed one (for the base outcome's currency and
// quota, and partner ids of the recommended plan).
v1::AnalyzeSensitivityResponse SensitivityToProto(const Sensitivity& sensitivity,
                                                  const Portfolio& portfolio);

}  // namespace attain

#endif  // ATTAIN_SERVICE_SENSITIVITY_CONVERT_H_
