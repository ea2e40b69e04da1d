// The attain CLI's command line: the command, its files, simulation options and how to
// reach the server. Flags take "--name=value" or "--name value" and may appear anywhere
// after the command. Parsing does not read files; portfolio_input.h does.
//
// Errors: INVALID_ARGUMENT naming the flag or argument (the CLI exits 2 on it). Pure
// functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_COMMAND_LINE_H_
#define ATTAIN_CLIENTS_CLI_COMMAND_LINE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "attain/v1/planner_service.pb.h"
#include "attain/v1/simulation.pb.h"
#include "clients/cli/connection.h"
#include "clients/cli/portfolio_input.h"
#include "simulator/exercise_id.h"

namespace attain::cli {

inline constexpr char kDefaultServer[] = "localhost:50051";
inline constexpr char kServerEnvironmentVariable[] = "ATTAIN_SERVER";
// Without --deadline. A recommendation (or a sensitivity analysis, which runs several) on
// a large portfolio takes seconds to minutes.
inline constexpr double kDefaultDeadlineSeconds = 60;
inline constexpr double kDefaultRecommendDeadlineSeconds = 300;

enum class Command {
  kHelp,      // print UsageText() and exit 0
  kSimulate,  // Simulate (or SimulateStream with a progress bar) one plan
  kCompare,   // ComparePlans: the current tiers, then each plan file
  kRecommend,  // RecommendTiers: the best tier per partner within the hours
  kCalibrate,  // CalibratePortfolio: a portfolio estimated from a CRM history
  kSensitivity,  // AnalyzeSensitivity: a tornado of the assumptions
  kCoach,  // CoachPlan: the manager's own plan scored against the best plan found
  kExerciseNew,  // CreateExercise: a training exercise's portfolio and history, to files
  kExerciseSubmit,  // SubmitExercise: a trainee's plan graded, the true parameters revealed
  kInit,  // no call: a portfolio template to fill in, written to --out DIR (init_template.h)
  kTeam,  // SimulateTeam: managers on one market, their risk and coaching gains
  kHealth,  // grpc.health.v1.Health/Check of --service: is the server up (and ready)?
  kReport,  // RecommendTiers from the portfolio (or --plan), drawn as one HTML page (--out)
};

struct CommandLine {
  Command command = Command::kHelp;
  PortfolioSource portfolio;
  // simulate and report: at most one (--plan); compare: one or more, in order; coach and exercise
  // submit: exactly one (the PLAN argument).
  std::vector<std::string> plan_paths;
  // Only the fields the flags set; the server applies its defaults to the rest.
  v1::SimulationOptions options;
  // recommend and report (--objective, --lock, --max-changes) and coach (--objective);
  // other commands reject them. OBJECTIVE_UNSPECIFIED: the server's default, P(attain).
  v1::Objective objective = v1::OBJECTIVE_UNSPECIFIED;
  std::vector<std::string> locked_partner_ids;
  std::optional<int32_t> max_changes;
  // host:port of attaind: --server, else $ATTAIN_SERVER, else kDefaultServer.
  std::string server = kDefaultServer;
  // --tls-ca, --tls-cert, --tls-key, --token-file, and $ATTAIN_TOKEN.
  SecurityFlags security;
  // health only: the health service's name, "" (liveness) unless --service.
  std::string health_service;
  bool health_service_given = false;
  // --deadline, else kDefaultRecommendDeadlineSeconds for the commands that search plans
  // (recommend, report, sensitivity, coach, exercise submit) and kDefaultDeadlineSeconds for the
  // others.
  double deadline_seconds = kDefaultDeadlineSeconds;
  // calibrate only: HISTORY.csv and the base portfolio (--portfolio, attain.v1.Portfolio
  // JSON); "" when not given.
  std::string history_path;
  std::string base_portfolio_path;
  // --out, "" when not given: where calibrate writes the calibrated portfolio and
  // recommend the recommended plan (a *.json file), report its page (a *.html file,
  // required there), and the directory exercise new writes the exercise's files to
  // (required there).
  std::string out_path;
  // simulate, compare and recommend (--csv FILE.csv): the per-partner results of each
  // plan for spreadsheets, and the per-plan results beside it (output_files.h); "" when
  // not given.
  std::string csv_path;
  // exercise new only (--difficulty, kMinExerciseDifficulty..kMaxExerciseDifficulty):
  // unset, the server's default (1). The seed is options.seed (--seed).
  std::optional<int32_t> difficulty;
  // exercise submit only: the ID argument, as given (the server checks it).
  std::string exercise_id;
  // init only (--partners, kMinInitPartners..kMaxInitPartners): unset, kDefaultInitPartners.
  // The directory is out_path (--out, required there).
  std::optional<int32_t> init_partners;
  // sensitivity only: false with --no-tier-check (no recommendation runs at the ends).
  bool check_tiers = true;
  // team only: TEAM.json (attain.v1.Team); false with --no-coaching (no tier search per
  // manager); --coaching-paths, unset for the server's default.
  std::string team_path;
  bool coaching_gains = true;
  std::optional<uint64_t> coaching_paths;
  // Print the response as protobuf JSON instead of the readable report.
  bool json = false;
};

// Parses `args` (argv without the program name). `getenv` is injectable for tests.
absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args,
    const std::function<const char*(const char*)>& getenv);

// The --help text.
std::string UsageText();

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_COMMAND_LINE_H_
