// Numbers and reasons in words, the one place they are written: the service's reason
// texts and the attain CLI's reports both use it.
//
// Money is written in whole currency units with thousands separators ("4,512,300"), so
// figures are exact to the unit and line up; probabilities in percent with one decimal.
// Pure functions; thread-safe.
#ifndef ATTAIN_PROTO_SUPPORT_TEXT_H_
#define ATTAIN_PROTO_SUPPORT_TEXT_H_

#include <string>

#include "attain/v1/planner_service.pb.h"

namespace attain {

// "4,512,300", "-12,000", "n/a" when not finite; with `signed_plus` positive amounts get
// a "+".
std::string FormatMoney(double amount, bool signed_plus = false);

// 0.6342 -> "63.4%".
std::string FormatPercent(double probability);

// "INVEST" for TIER_INVEST.
std::string TierWord(v1::Tier tier);

// A tier change's reason in one sentence with the model's numbers behind it, from its
// code and facts: e.g. "each extra hour per period adds about 2,150 of revenue (the
// model expects +137,600 over the horizon)". `periods` is the portfolio's horizon.
std::string ChangeReasonText(const v1::TierChange& change, int periods);

// The same for a partner that keeps its tier: e.g. "it sells 96.1% as much with no hours
// at all".
std::string KeptReasonText(const v1::PartnerAdvice& advice);

// A sanity warning in one sentence from its code and figures, e.g. "expected revenue
// with no hours at all is 18,300,000 over the horizon, 4.4x the quota of 4,200,000: ...".
// `period` names one period ("month", "quarter").
std::string WarningText(const v1::Warning& warning, const std::string& period);

// "month" or "quarter" (PERIOD_LENGTH_UNSPECIFIED is a month).
std::string PeriodWord(v1::PeriodLength length);

}  // namespace attain

#endif  // ATTAIN_PROTO_SUPPORT_TEXT_H_
