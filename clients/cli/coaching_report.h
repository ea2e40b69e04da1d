// The attain CLI's readable report of a coaching: attain coach, and the first part of
// attain exercise submit.
//
// The sentences are the server's (score_message, each partner's and move's message, the
// portfolio's messages); figures as proto/support/text.h and coaching_text.h write them.
// Pure functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_COACHING_REPORT_H_
#define ATTAIN_CLIENTS_CLI_COACHING_REPORT_H_

#include <string>

#include "attain/v1/coaching.pb.h"
#include "clients/cli/report_parts.h"

namespace attain::cli {

// In order: the headline (horizon in the portfolio's period length) and the server's
// warnings; the plan's score with its 95% interval and how it was reached, and the score
// in a sentence; a warning when the plan needs more hours than the capacity; the plan,
// the best plan found and the floor on the validation sample (P(attain), expected and
// 10th-percentile revenue, hours) with the gains over the floor on the objective; the
// partners (with `names` beside ids), those whose tier differs from the best plan's first
// (largest effect of moving to it first), each with its feedback code (OVER_INVESTED,
// ...) and its sentence under it; the portfolio's findings; the top moves toward the best
// plan; the best plan by tier; the paths and seeds. Ends in "\n".
std::string CoachingReport(const v1::CoachPlanResponse& response, const PartnerNames& names);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_COACHING_REPORT_H_
