// The readable report of attain team: the team's chances against its number, each
// manager at risk first, how many managers reach their own quota, and where coaching
// pays the team most.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_TEAM_REPORT_H_
#define ATTAIN_CLIENTS_CLI_TEAM_REPORT_H_

#include <string>

#include "attain/v1/planner_service.pb.h"

namespace attain::cli {

std::string TeamReport(const v1::SimulateTeamRequest& request,
                       const v1::SimulateTeamResponse& response);

// One line of a SimulateTeamStream's progress, at most `width` columns: the member
// searches, then the team run's paths and P(attain) so far.
std::string TeamProgressLine(const v1::TeamProgress& progress, int width);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_TEAM_REPORT_H_
