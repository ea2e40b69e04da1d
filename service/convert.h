// Conversion between the API's protobuf messages (attain.v1) and the simulator's domain
// types. Unset optional fields take the documented defaults. Conversion reports what only
// the wire format can get wrong (missing or unknown enum values); every other rule is the
// domain's (simulator/validation.h). Field paths are relative to the converted message.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_CONVERT_H_
#define ATTAIN_SERVICE_CONVERT_H_

#include <span>
#include <vector>

#include "attain/v1/portfolio.pb.h"
#include "attain/v1/planner_service.pb.h"
#include "attain/v1/simulation.pb.h"
#include "simulator/model.h"
#include "simulator/recommendation.h"
#include "simulator/outcome.h"
#include "simulator/simulation_options.h"
#include "simulator/validation.h"

namespace attain {

Portfolio PortfolioFromProto(const v1::Portfolio& proto,
                             Violations& violations);
Plan PlanFromProto(const v1::Plan& proto, Violations& violations);
// Unknown enum values are violations under "options." (e.g. options.attainment_estimator).
SimulationOptions OptionsFromProto(const v1::SimulationOptions& proto, Violations& violations);
// A partner's standard errors (Partner.errors), both ways; unset fields are 0.
ParameterErrors ParameterErrorsFromProto(const v1::ParameterErrors& proto);
v1::ParameterErrors ParameterErrorsToProto(const ParameterErrors& errors);

v1::Tier TierToProto(Tier tier);
bool TierFromProto(v1::Tier proto, Tier& tier);  // false for TIER_UNSPECIFIED and unknown
v1::Plan PlanToProto(const Plan& plan);  // name and tiers (no hours)
v1::PlanDifference PlanDifferenceToProto(const PlanDifference& difference);
v1::PeriodLength PeriodLengthToProto(PeriodLength length);
v1::Interval IntervalToProto(const Interval& interval);

// An objective; unknown values are a violation of "objective". Unset is P(attain).
Objective ObjectiveFromProto(v1::Objective proto, Violations& violations);
v1::Objective ObjectiveToProto(Objective objective);
v1::ReasonCode ReasonCodeToProto(ReasonCode code);
v1::ReasonFacts ReasonFactsToProto(const ReasonFacts& facts);

// Objective, locks and change budget of a request; simulation options as
// OptionsFromProto. Violations (unknown enum values) relative to the request.
RecommendOptions RecommendOptionsFromProto(const v1::RecommendTiersRequest& proto,
                                           Violations& violations);
v1::RecommendTiersResponse RecommendationToProto(const Recommendation& recommendation,
                                                 const Portfolio& portfolio);
v1::PlanOutcome PlanOutcomeToProto(const PlanOutcome& outcome, const Portfolio& portfolio);
// The sanity warnings (simulator/sanity.h) of the portfolio and plans, each with its text.
// REQUIRES: they validate.
void AddWarnings(const Portfolio& portfolio, std::span<const Plan> plans,
                 google::protobuf::RepeatedPtrField<v1::Warning>& out);
v1::ComparePlansResponse ComparisonToProto(const Comparison& comparison, const Portfolio& portfolio);

}  // namespace attain

#endif  // ATTAIN_SERVICE_CONVERT_H_
