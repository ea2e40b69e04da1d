// Coaching in words (coaching.proto): the score, each partner's feedback, the portfolio's
// findings and the moves, each one sentence with the model's numbers behind it, written
// as text.h writes money and percentages. The service fills the responses' messages
// with these; the CLI prints them.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_PROTO_SUPPORT_COACHING_TEXT_H_
#define ATTAIN_PROTO_SUPPORT_COACHING_TEXT_H_

#include <string>
#include <vector>

#include "attain/v1/coaching.pb.h"

namespace attain {

// "P(attain)", "expected revenue", "10th-percentile revenue".
std::string ObjectiveWord(v1::Objective objective);
// A value of the objective: "41.3%" for P(attain), money otherwise.
std::string FormatObjective(v1::Objective objective, double value);
// A change of it with its interval: "+8.2 pts [6.9, 9.5]" or "+12,000 [9,000, 15,000]".
std::string FormatObjectiveEffect(v1::Objective objective, double effect,
                                  const v1::Interval& interval);

// REQUIRES: the response's outcomes, gains and score are set.
std::string ScoreText(const v1::CoachPlanResponse& response);
// `periods`: the portfolio's horizon.
std::string PartnerFeedbackText(const v1::PartnerFeedback& feedback, v1::Objective objective,
                                int periods);
std::string MoveText(const v1::CoachingMove& move, v1::Objective objective);
// The findings on hours, capacity and concentration, in that order. `partners`: how many.
std::vector<std::string> PortfolioFeedbackTexts(const v1::PortfolioFeedback& feedback,
                                                int partners);

}  // namespace attain

#endif  // ATTAIN_PROTO_SUPPORT_COACHING_TEXT_H_
