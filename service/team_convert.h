// Conversion of SimulateTeam (attain/v1/team.proto) between the API and the domain
// (simulator/team.h). Unset options take the documented defaults. Conversion reports
// only what the wire format can get wrong (unknown enum values); every other rule is
// ValidateTeam's. Field paths are the request's ("team.members[2].partners[5].tier").
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_TEAM_CONVERT_H_
#define ATTAIN_SERVICE_TEAM_CONVERT_H_

#include "attain/v1/planner_service.pb.h"
#include "attain/v1/team.pb.h"
#include "simulator/team.h"
#include "simulator/validation.h"

namespace attain {

// A SimulateTeam request in domain terms.
struct TeamInput {
  Team team;
  TeamOptions options;
};

// Converts a request (unary or streaming: the same fields) into `input`; returns the
// conversion's violations.
Violations TeamInputFromProto(const v1::SimulateTeamRequest& request, TeamInput& input);
Violations TeamInputFromProto(const v1::SimulateTeamStreamRequest& request, TeamInput& input);

// The response, with each member's sanity warnings under "team.members[j].".
v1::SimulateTeamResponse TeamOutcomeToProto(const TeamOutcome& outcome,
                                            const PreparedTeam& prepared);

}  // namespace attain

#endif  // ATTAIN_SERVICE_TEAM_CONVERT_H_
