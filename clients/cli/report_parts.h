// Pieces every attain CLI report shares: partner names beside ids, the horizon in the
// portfolio's period length, and the server's sanity warnings.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_REPORT_PARTS_H_
#define ATTAIN_CLIENTS_CLI_REPORT_PARTS_H_

#include <map>
#include <string>

#include "attain/v1/portfolio.pb.h"
#include "attain/v1/simulation.pb.h"
#include "clients/cli/text_table.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace attain::cli {

// Partner names by id, from the portfolio the request sent (responses carry ids only).
using PartnerNames = std::map<std::string, std::string, std::less<>>;
PartnerNames NamesOf(const v1::Portfolio& portfolio);

// Partner tables show a "name" column only when some partner has one.
bool AnyName(const PartnerNames& names);
// A partner's name for a table cell: "" when unknown, at most kNameColumnWidth columns
// (longer names end in "..."; UTF-8 is cut between characters).
inline constexpr size_t kNameColumnWidth = 24;
std::string NameCell(const PartnerNames& names, const std::string& partner_id);

// "acme (Acme Systems)", or the id alone when it has no name; the name as NameCell.
std::string PartnerWithName(const std::string& partner_id, const PartnerNames& names);

// "4 quarters", "1 month", "12 months" (PERIOD_LENGTH_UNSPECIFIED is a month).
std::string PeriodsPhrase(int periods, v1::PeriodLength length);

// "  WARNING: <message>\n" per warning, word-wrapped at kMinWrapWidth; "" when none.
// Warnings of `skipped` are left out (a report that says the same in its own words).
std::string WarningLines(const google::protobuf::RepeatedPtrField<v1::Warning>& warnings,
                         v1::WarningCode skipped = v1::WARNING_CODE_UNSPECIFIED);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_REPORT_PARTS_H_
