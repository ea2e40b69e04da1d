// Conversion of CoachPlan (attain/v1/coaching.proto) between the API and the domain
// (simulator/coaching.h). Unset options take the documented defaults. Conversion reports
// only what the wire format can get wrong (unknown enum values); every other rule is
// ValidateCoaching's. Field paths are the request's ("plan.tiers[\"P7\"]").
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_COACHING_CONVERT_H_
#define ATTAIN_SERVICE_COACHING_CONVERT_H_

#include "attain/v1/coaching.pb.h"
#include "simulator/coaching.h"
#include "simulator/model.h"
#include "simulator/validation.h"

namespace attain {

// A CoachPlan request in domain terms.
struct CoachingInput {
  Portfolio portfolio;
  Plan plan;
  CoachOptions options;
};

// Converts `request` into `input`; returns the conversion's violations.
Violations CoachingInputFromProto(const v1::CoachPlanRequest& request, CoachingInput& input);

// The response, sentences included; `portfolio` is the coached one.
v1::CoachPlanResponse CoachingToProto(const Coaching& coaching, const Portfolio& portfolio);

}  // namespace attain

#endif  // ATTAIN_SERVICE_COACHING_CONVERT_H_
