// `attain init`: the files a new user fills in to describe a portfolio, for a quarterly
// plan (a horizon of four quarters):
//   - partners.csv: a header naming the partner columns the CLI reads, a placeholder row
//     per partner (partner-01, "Partner 1", MAINTAIN, a placeholder baseline, every other
//     cell empty so the model's default applies), and comment lines ('#') above them that
//     give each column's unit, what an empty cell means and the tier names;
//   - portfolio-meta.json: the portfolio's settings without partners (quota, horizon,
//     period length, capacity, tier hours) as attain.v1.Portfolio JSON, with placeholder
//     values consistent with the rows;
//   - README.md: the unit of every setting, why the placeholders are what they are, and
//     the command to run next.
// The files are accepted as they are by
//   attain simulate DIR/partners.csv --portfolio-json DIR/portfolio-meta.json
// so a new user can simulate before changing anything, then replace the placeholders.
//
// Errors: INVALID_ARGUMENT (bad input, IsBadInput: the CLI exits 2) for a partner count
// outside kMinInitPartners..kMaxInitPartners, a directory that is a file, or any of the
// three files already existing (named; nothing is written); UNKNOWN when the directory
// or a file cannot be written. Pure functions apart from WriteInitFiles; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_INIT_TEMPLATE_H_
#define ATTAIN_CLIENTS_CLI_INIT_TEMPLATE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "attain/v1/portfolio.pb.h"

namespace attain::cli {

inline constexpr int kMinInitPartners = 1;
inline constexpr int kMaxInitPartners = 10000;  // the server's default --max-partners
inline constexpr int kDefaultInitPartners = 12;

// The template's placeholders: a baseline per partner and quarter, and the quarters of
// the horizon. The quota is kInitPeriods x kInitBaseline per partner and the capacity
// kInitCapacityPerPartner hours per quarter per partner (README.md says why).
inline constexpr double kInitBaseline = 50000;
inline constexpr int kInitPeriods = 4;
inline constexpr double kInitCapacityPerPartner = 30;

// OK for kMinInitPartners <= partners <= kMaxInitPartners; else INVALID_ARGUMENT naming
// --partners and the range.
absl::Status CheckInitPartners(int64_t partners);

// Where attain init writes in `directory`.
struct InitFiles {
  std::string partners_csv;    // directory/partners.csv
  std::string portfolio_json;  // directory/portfolio-meta.json
  std::string readme;          // directory/README.md
};
InitFiles InitFilesIn(const std::string& directory);

// The files' contents, for `partners` partners (REQUIRES CheckInitPartners(partners).ok()).
// The portfolio's settings as a message and as the JSON text written (which parses to
// that message). `directory` is the directory as the user wrote it, for the commands
// the README shows.
std::string PartnersCsvTemplate(int partners);
v1::Portfolio PortfolioSettingsTemplate(int partners);
std::string PortfolioSettingsJson(int partners);
std::string InitReadme(const std::string& directory, int partners);

// What attain init prints once the files are written: what they are and what to do next.
std::string InitSummary(const std::string& directory, int partners);

// Writes the three files to InitFilesIn(directory), creating the directory (and its
// parents) if missing. Never replaces a file: if any of the three exists, nothing is
// written. Other files in the directory are left alone.
absl::Status WriteInitFiles(const std::string& directory, int partners);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_INIT_TEMPLATE_H_
