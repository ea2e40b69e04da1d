#include "clients/cli/command_line.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clients/cli/init_template.h"

namespace attain::cli {
namespace {

absl::Status FlagError(absl::string_view flag, absl::string_view expected, absl::string_view got) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": expected ", expected, ", got \"", got, "\""));
}

// A finite number; `positive` additionally requires > 0.
absl::StatusOr<double> ParseNumber(absl::string_view flag, const std::string& text,
                                   bool positive) {
  double value = 0;
  if (!absl::SimpleAtod(text, &value) || !std::isfinite(value) || (positive && value <= 0)) {
    return FlagError(flag, positive ? "a number > 0" : "a number", text);
  }
  return value;
}

absl::StatusOr<uint64_t> ParseCount(absl::string_view flag, const std::string& text,
                                    uint64_t minimum) {
  uint64_t value = 0;
  // SimpleAtoi accepts a sign; a count never has one, and "-1" must not wrap around.
  if (text.empty() || text[0] == '-' || text[0] == '+' || !absl::SimpleAtoi(text, &value) ||
      value < minimum) {
    return FlagError(flag, absl::StrCat("a whole number >= ", minimum), text);
  }
  return value;
}

struct Flag {
  const char* name;
  bool takes_value;
  std::function<absl::Status(const std::string& value, CommandLine& line)> set;
};

template <class T>
absl::Status Assign(absl::StatusOr<T> parsed, T& out) {
  if (!parsed.ok()) return parsed.status();
  out = *parsed;
  return absl::OkStatus();
}

const std::vector<Flag>& Flags() {
  static const std::vector<Flag> flags = {
      {"server", true,
       [](const std::string& v, CommandLine& line) {
         if (v.empty()) return FlagError("server", "host:port", v);
         line.server = v;
         return absl::OkStatus();
       }},
      {"deadline", true,
       [](const std::string& v, CommandLine& line) {
         return Assign(ParseNumber("deadline", v, /*positive=*/true), line.deadline_seconds);
       }},
      {"service", true,
       [](const std::string& v, CommandLine& line) {
         line.health_service = v;
         line.health_service_given = true;
         return absl::OkStatus();
       }},
      {"tls-ca", true,
       [](const std::string& v, CommandLine& line) {
         line.security.tls_ca_path = v;
         return absl::OkStatus();
       }},
      {"tls-cert", true,
       [](const std::string& v, CommandLine& line) {
         line.security.tls_cert_path = v;
         return absl::OkStatus();
       }},
      {"tls-key", true,
       [](const std::string& v, CommandLine& line) {
         line.security.tls_key_path = v;
         return absl::OkStatus();
       }},
      {"token-file", true,
       [](const std::string& v, CommandLine& line) {
         line.security.token_path = v;
         return absl::OkStatus();
       }},
      {"json", false,
       [](const std::string&, CommandLine& line) {
         line.json = true;
         return absl::OkStatus();
       }},
      {"plan", true,
       [](const std::string& v, CommandLine& line) {
         if (!line.plan_paths.empty()) {
           return absl::InvalidArgumentError(
               "--plan: simulate and report take one plan; to weigh several, use attain "
               "compare");
         }
         line.plan_paths.push_back(v);
         return absl::OkStatus();
       }},
      {"paths", true,
       [](const std::string& v, CommandLine& line) {
         absl::StatusOr<uint64_t> paths = ParseCount("paths", v, 1);
         if (paths.ok()) line.options.set_paths(*paths);
         return paths.status();
       }},
      {"seed", true,
       [](const std::string& v, CommandLine& line) {
         absl::StatusOr<uint64_t> seed = ParseCount("seed", v, 0);
         if (seed.ok()) line.options.set_seed(*seed);
         return seed.status();
       }},
      {"precision", true,
       [](const std::string& v, CommandLine& line) {
         absl::StatusOr<double> half_width = ParseNumber("precision", v, /*positive=*/true);
         if (half_width.ok() && *half_width >= 0.5) {
           return FlagError("precision", "a half-width of P(attain) below 0.5, e.g. 0.005", v);
         }
         if (half_width.ok()) line.options.set_target_ci_half_width(*half_width);
         return half_width.status();
       }},
      {"antithetic", false,
       [](const std::string&, CommandLine& line) {
         line.options.set_antithetic(true);
         return absl::OkStatus();
       }},
      {"estimator", true,
       [](const std::string& v, CommandLine& line) {
         if (v == "conditional") {
           line.options.set_attainment_estimator(v1::ATTAINMENT_ESTIMATOR_CONDITIONAL);
         } else if (v == "count") {
           line.options.set_attainment_estimator(v1::ATTAINMENT_ESTIMATOR_PATH_COUNT);
         } else {
           return FlagError("estimator", "conditional or count", v);
         }
         return absl::OkStatus();
       }},
      {"parameter-uncertainty", false,
       [](const std::string&, CommandLine& line) {
         line.options.set_parameter_uncertainty(true);
         return absl::OkStatus();
       }},
      {"objective", true,
       [](const std::string& v, CommandLine& line) {
         if (v == "attainment") {
           line.objective = v1::OBJECTIVE_ATTAINMENT_PROBABILITY;
         } else if (v == "revenue") {
           line.objective = v1::OBJECTIVE_EXPECTED_REVENUE;
         } else if (v == "downside") {
           line.objective = v1::OBJECTIVE_DOWNSIDE_REVENUE;
         } else {
           return FlagError("objective", "attainment, revenue or downside", v);
         }
         return absl::OkStatus();
       }},
      {"max-changes", true,
       [](const std::string& v, CommandLine& line) {
         absl::StatusOr<uint64_t> changes = ParseCount("max-changes", v, 0);
         if (changes.ok() &&
             *changes > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
           return FlagError("max-changes", "a number of tier changes", v);
         }
         if (changes.ok()) line.max_changes = static_cast<int32_t>(*changes);
         return changes.status();
       }},
      {"lock", true,
       [](const std::string& v, CommandLine& line) {
         if (v.empty()) return FlagError("lock", "a partner id", v);
         line.locked_partner_ids.push_back(v);
         return absl::OkStatus();
       }},
      {"portfolio", true,
       [](const std::string& v, CommandLine& line) {
         if (v.empty()) return FlagError("portfolio", "a base portfolio (.json)", v);
         line.base_portfolio_path = v;
         return absl::OkStatus();
       }},
      {"out", true,
       [](const std::string& v, CommandLine& line) {
         // What it must name (a .json file, a directory) depends on the command: checked
         // once the command is known (CheckOut).
         if (v.empty()) return FlagError("out", "a file or directory name", v);
         line.out_path = v;
         return absl::OkStatus();
       }},
      {"csv", true,
       [](const std::string& v, CommandLine& line) {
         if (!absl::EndsWithIgnoreCase(v, ".csv") || v.size() == 4) {
           return FlagError("csv", "a file name ending in .csv", v);
         }
         line.csv_path = v;
         return absl::OkStatus();
       }},
      {"difficulty", true,
       [](const std::string& v, CommandLine& line) {
         const absl::StatusOr<uint64_t> difficulty =
             ParseCount("difficulty", v, kMinExerciseDifficulty);
         if (!difficulty.ok() || *difficulty > static_cast<uint64_t>(kMaxExerciseDifficulty)) {
           return FlagError("difficulty",
                            absl::StrCat("a whole number from ", kMinExerciseDifficulty,
                                         " (easiest) to ", kMaxExerciseDifficulty, " (hardest)"),
                            v);
         }
         line.difficulty = static_cast<int32_t>(*difficulty);
         return absl::OkStatus();
       }},
      {"partners", true,
       [](const std::string& v, CommandLine& line) {
         int64_t partners = 0;
         if (!absl::SimpleAtoi(v, &partners)) {
           return FlagError("partners", "a whole number of partners", v);
         }
         if (absl::Status in_range = CheckInitPartners(partners); !in_range.ok()) {
           return in_range;
         }
         line.init_partners = static_cast<int32_t>(partners);
         return absl::OkStatus();
       }},
      {"no-tier-check", false,
       [](const std::string&, CommandLine& line) {
         line.check_tiers = false;
         return absl::OkStatus();
       }},
      {"no-coaching", false,
       [](const std::string&, CommandLine& line) {
         line.coaching_gains = false;
         return absl::OkStatus();
       }},
      {"coaching-paths", true,
       [](const std::string& v, CommandLine& line) {
         return Assign(ParseCount("coaching-paths", v, 1), line.coaching_paths.emplace());
       }},
      {"portfolio-json", true,
       [](const std::string& v, CommandLine& line) {
         line.portfolio.settings_path = v;
         return absl::OkStatus();
       }},
      {"quota", true,
       [](const std::string& v, CommandLine& line) {
         absl::StatusOr<double> quota = ParseNumber("quota", v, /*positive=*/false);
         if (quota.ok()) line.portfolio.overrides.quota = *quota;
         return quota.status();
       }},
      {"periods", true,
       [](const std::string& v, CommandLine& line) {
         absl::StatusOr<uint64_t> periods = ParseCount("periods", v, 1);
         if (periods.ok() && *periods > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
           return FlagError("periods", "a number of periods (1 to 60)", v);
         }
         if (periods.ok()) line.portfolio.overrides.periods = static_cast<int32_t>(*periods);
         return periods.status();
       }},
      {"capacity-hours", true,
       [](const std::string& v, CommandLine& line) {
         absl::StatusOr<double> hours = ParseNumber("capacity-hours", v, /*positive=*/false);
         if (hours.ok()) line.portfolio.overrides.capacity_hours = *hours;
         return hours.status();
       }},
      {"currency", true,
       [](const std::string& v, CommandLine& line) {
         line.portfolio.overrides.currency = v;
         return absl::OkStatus();
       }},
      {"segment-correlation", true,
       [](const std::string& v, CommandLine& line) {
         absl::StatusOr<double> rho = ParseNumber("segment-correlation", v, /*positive=*/false);
         if (rho.ok()) line.portfolio.overrides.segment_correlation = *rho;
         return rho.status();
       }},
  };
  return flags;
}

// The first of --plan, the flags of `simulation` (the simulation flags the command does
// not take), --portfolio-json and the portfolio settings that the line gives, as the
// subject of "... do(es) not apply"; nullptr when it gives none.
const char* PlanPortfolioOrSimulationFlags(const CommandLine& line,
                                           const v1::SimulationOptions& simulation,
                                           const char* simulation_flags) {
  const PortfolioOverrides& o = line.portfolio.overrides;
  return !line.plan_paths.empty()                ? "--plan does"
         : simulation.ByteSizeLong() > 0         ? simulation_flags
         : !line.portfolio.settings_path.empty() ? "--portfolio-json does"
         : o.quota || o.periods || o.capacity_hours || o.currency || o.segment_correlation
             ? "the portfolio settings (--quota, --periods, ...) do"
             : nullptr;
}

// calibrate reads a history and a base portfolio and simulates nothing: the flags of
// simulations and of CSV portfolios would be silently ignored.
absl::Status CheckCalibrateFlags(const CommandLine& line) {
  const char* flags = PlanPortfolioOrSimulationFlags(
      line, line.options, "the simulation flags (--paths, --seed, ...) do");
  if (flags == nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "calibrate: ", flags,
      " not apply (calibrate simulates nothing: give quota, periods and capacity in the base "
      "portfolio, --portfolio BASE.json, and simulate the --out file)"));
}

// An exercise brings its own portfolio, and is graded on paths seeded from its id: the
// flags of plans, portfolios and simulations (but exercise new's --seed, which chooses the
// exercise) would be silently ignored. Call before the PLAN argument is in plan_paths.
absl::Status CheckExerciseFlags(const CommandLine& line, absl::string_view name) {
  const bool create = line.command == Command::kExerciseNew;
  v1::SimulationOptions simulation = line.options;
  if (create) simulation.clear_seed();
  const char* flags = PlanPortfolioOrSimulationFlags(
      line, simulation,
      create ? "the simulation flags (--paths, --precision, ...) do"
             : "the simulation flags (--paths, --seed, ...) do");
  if (flags == nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      name, ": ", flags, " not apply (",
      create ? "an exercise brings its portfolio and history: --difficulty and --seed choose it"
             : "the plan is the PLAN argument, scored on the exercise's own portfolio and "
               "paths seeded from its id",
      ")"));
}

// --out names a .json file for calibrate and recommend and a directory for init and
// exercise new; the other commands write nothing.
absl::Status CheckOut(const CommandLine& line, absl::string_view name) {
  if (line.out_path.empty() || line.command == Command::kExerciseNew ||
      line.command == Command::kInit) {
    return absl::OkStatus();
  }
  if (line.command == Command::kReport) {
    if (absl::EndsWithIgnoreCase(line.out_path, ".html") ||
        absl::EndsWithIgnoreCase(line.out_path, ".htm")) {
      return absl::OkStatus();
    }
    return FlagError("out", "a file name ending in .html (the report's page)", line.out_path);
  }
  if (line.command != Command::kCalibrate && line.command != Command::kRecommend) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--out: only for attain init, calibrate, recommend, report and exercise new, not ",
        name));
  }
  if (!absl::EndsWithIgnoreCase(line.out_path, ".json")) {
    return FlagError("out",
                     line.command == Command::kCalibrate
                         ? "a file name ending in .json (attain simulate reads it)"
                         : "a file name ending in .json (attain coach and attain exercise "
                           "submit read it)",
                     line.out_path);
  }
  return absl::OkStatus();
}

const Flag* FindFlag(absl::string_view name) {
  for (const Flag& flag : Flags()) {
    if (name == flag.name) return &flag;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args,
    const std::function<const char*(const char*)>& getenv) {
  CommandLine line;
  if (const char* server = getenv(kServerEnvironmentVariable); server != nullptr && *server) {
    line.server = server;
  }
  if (const char* token = getenv(kTokenEnvironmentVariable); token != nullptr) {
    line.security.token = token;
  }
  std::vector<std::string> positional;
  bool deadline_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      line.command = Command::kHelp;
      return line;
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      positional.push_back(arg);
      continue;
    }
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const Flag* flag = FindFlag(name);
    if (flag == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name, " (see attain --help)"));
    }
    std::string value;
    if (!flag->takes_value) {
      if (equals != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
      }
    } else if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    }
    if (absl::Status status = flag->set(value, line); !status.ok()) return status;
    if (name == "deadline") deadline_given = true;
  }

  if (positional.empty()) {
    return absl::InvalidArgumentError(
        "missing command: simulate, compare, recommend, report, calibrate, sensitivity, "
        "coach, exercise or team; or init, to start a portfolio (see attain --help)");
  }
  const std::string& command = positional[0];
  // The command as messages name it: "exercise new" rather than "exercise".
  std::string name = command;
  if (command == "help") {
    line.command = Command::kHelp;
  } else if (command == "simulate") {
    line.command = Command::kSimulate;
    if (positional.size() != 2) {
      return absl::InvalidArgumentError(
          positional.size() < 2
              ? "simulate: missing PORTFOLIO (a .json or .csv file)"
              : absl::StrCat("simulate: unexpected argument \"", positional[2],
                             "\" (give a plan with --plan, or use attain compare)"));
    }
    line.portfolio.path = positional[1];
  } else if (command == "compare") {
    line.command = Command::kCompare;
    if (!line.plan_paths.empty()) {
      return absl::InvalidArgumentError(
          "compare: give plans as arguments after PORTFOLIO, not with --plan");
    }
    if (positional.size() < 3) {
      return absl::InvalidArgumentError(
          "compare: expected PORTFOLIO and at least one PLAN (compared with the current tiers)");
    }
    line.portfolio.path = positional[1];
    line.plan_paths.assign(positional.begin() + 2, positional.end());
  } else if (command == "recommend") {
    line.command = Command::kRecommend;
    if (positional.size() != 2) {
      return absl::InvalidArgumentError(
          positional.size() < 2
              ? "recommend: missing PORTFOLIO (a .json or .csv file)"
              : absl::StrCat("recommend: unexpected argument \"", positional[2],
                             "\" (recommend takes one PORTFOLIO; keep a partner's tier with "
                             "--lock)"));
    }
    line.portfolio.path = positional[1];
    // A recommendation starts from the portfolio's tiers and runs --paths paths on each of
    // its two samples; these would be silently ignored or skew the validation.
    if (!line.plan_paths.empty()) {
      return absl::InvalidArgumentError(
          "recommend: --plan does not apply (the recommendation starts from the portfolio's "
          "current tiers)");
    }
    if (line.options.target_ci_half_width() > 0) {
      return absl::InvalidArgumentError(
          "recommend: --precision does not apply (set the sample size with --paths)");
    }
    if (line.options.antithetic()) {
      return absl::InvalidArgumentError("recommend: --antithetic does not apply");
    }
    if (line.options.attainment_estimator() != v1::ATTAINMENT_ESTIMATOR_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          "recommend: --estimator does not apply (its validation always counts paths)");
    }
  } else if (command == "report") {
    line.command = Command::kReport;
    if (positional.size() != 2) {
      return absl::InvalidArgumentError(
          positional.size() < 2
              ? "report: missing PORTFOLIO (a .json or .csv file)"
              : absl::StrCat("report: unexpected argument \"", positional[2],
                             "\" (give the plan to report on with --plan)"));
    }
    line.portfolio.path = positional[1];
    if (line.out_path.empty()) {
      return absl::InvalidArgumentError("report: missing --out REPORT.html");
    }
    // The page is a recommendation's: these would be silently ignored, as by recommend.
    const char* flags = line.options.target_ci_half_width() > 0 ? "--precision does"
                        : line.options.antithetic()               ? "--antithetic does"
                        : line.options.attainment_estimator() !=
                                v1::ATTAINMENT_ESTIMATOR_UNSPECIFIED
                            ? "--estimator does"
                        : line.json ? "--json does"
                                    : nullptr;
    if (flags != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "report: ", flags,
          " not apply (the report draws a recommendation; set its sample with --paths)"));
    }
  } else if (command == "calibrate") {
    line.command = Command::kCalibrate;
    if (positional.size() != 2) {
      return absl::InvalidArgumentError(
          positional.size() < 2
              ? "calibrate: missing HISTORY (a .csv file: partner_id,period,revenue,hours)"
              : absl::StrCat("calibrate: unexpected argument \"", positional[2],
                             "\" (give the base portfolio with --portfolio)"));
    }
    line.history_path = positional[1];
    if (absl::Status status = CheckCalibrateFlags(line); !status.ok()) return status;
  } else if (command == "sensitivity") {
    line.command = Command::kSensitivity;
    if (positional.size() != 2) {
      return absl::InvalidArgumentError(
          positional.size() < 2 ? "sensitivity: missing PORTFOLIO (a .json or .csv file)"
                                : absl::StrCat("sensitivity: unexpected argument \"",
                                               positional[2], "\" (give a plan with --plan)"));
    }
    line.portfolio.path = positional[1];
    if (line.options.target_ci_half_width() > 0) {
      return absl::InvalidArgumentError(
          "sensitivity: --precision does not apply (every end runs the same --paths paths)");
    }
  } else if (command == "coach") {
    line.command = Command::kCoach;
    if (positional.size() != 3) {
      return absl::InvalidArgumentError(
          positional.size() < 3
              ? "coach: expected PORTFOLIO and PLAN (the plan to score, attain.v1.Plan JSON)"
              : absl::StrCat("coach: unexpected argument \"", positional[3],
                             "\" (coach scores one PLAN)"));
    }
    // The best plan is searched on one sample of --paths paths and the plans scored on
    // another, as a recommendation is: what recommend refuses does not apply here either
    // (the server refuses it too; refusing here says so before any call).
    if (!line.plan_paths.empty()) {
      return absl::InvalidArgumentError(
          "coach: give the plan as the argument after PORTFOLIO, not with --plan");
    }
    if (line.options.target_ci_half_width() > 0) {
      return absl::InvalidArgumentError(
          "coach: --precision does not apply (set the sample size with --paths)");
    }
    if (line.options.antithetic()) {
      return absl::InvalidArgumentError("coach: --antithetic does not apply");
    }
    if (line.options.attainment_estimator() != v1::ATTAINMENT_ESTIMATOR_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          "coach: --estimator does not apply (its validation always counts paths)");
    }
    line.portfolio.path = positional[1];
    line.plan_paths.push_back(positional[2]);
  } else if (command == "exercise") {
    const std::string subcommand = positional.size() > 1 ? positional[1] : "";
    name = absl::StrCat(command, " ", subcommand);
    if (subcommand == "new") {
      line.command = Command::kExerciseNew;
      if (positional.size() > 2) {
        return absl::InvalidArgumentError(
            absl::StrCat("exercise new: unexpected argument \"", positional[2],
                         "\" (give the directory with --out)"));
      }
      if (line.out_path.empty()) {
        return absl::InvalidArgumentError(
            "exercise new: missing --out DIR (the directory for the exercise's portfolio.json "
            "and history.csv)");
      }
    } else if (subcommand == "submit") {
      line.command = Command::kExerciseSubmit;
      if (positional.size() != 4) {
        return absl::InvalidArgumentError(
            positional.size() < 4
                ? "exercise submit: expected ID and PLAN (the exercise's id, as exercise new "
                  "printed it, and your plan, attain.v1.Plan JSON)"
                : absl::StrCat("exercise submit: unexpected argument \"", positional[4], "\""));
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "exercise: expected new or submit",
          subcommand.empty() ? "" : absl::StrCat(", got \"", subcommand, "\""),
          " (attain exercise new --out DIR; attain exercise submit ID PLAN.json)"));
    }
    if (absl::Status status = CheckExerciseFlags(line, name); !status.ok()) return status;
    if (line.command == Command::kExerciseSubmit) {
      line.exercise_id = positional[2];
      line.plan_paths.push_back(positional[3]);
    }
  } else if (command == "team") {
    line.command = Command::kTeam;
    if (positional.size() != 2) {
      return absl::InvalidArgumentError(
          positional.size() < 2
              ? "team: missing TEAM (a .json file: attain.v1.Team, its members' portfolios "
                "and plans)"
              : absl::StrCat("team: unexpected argument \"", positional[2],
                             "\" (team takes one TEAM file; members' plans go in its plans)"));
    }
    line.team_path = positional[1];
    const char* flags = PlanPortfolioOrSimulationFlags(line, v1::SimulationOptions(), "");
    if (flags != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "team: ", flags,
          " not apply (the members' portfolios and plans are in the TEAM file)"));
    }
    if (!line.coaching_gains && line.coaching_paths) {
      return absl::InvalidArgumentError(
          "team: --coaching-paths does not apply with --no-coaching");
    }
  } else if (command == "health") {
    line.command = Command::kHealth;
    if (positional.size() > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("health: unexpected argument \"", positional[1], "\""));
    }
    const char* flags = PlanPortfolioOrSimulationFlags(
        line, line.options, "the simulation flags (--paths, --seed, ...) do");
    if (flags == nullptr && line.json) flags = "--json does";
    if (flags != nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("health: ", flags, " not apply (health asks the server one question)"));
    }
  } else if (command == "init") {
    line.command = Command::kInit;
    if (positional.size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "init: unexpected argument \"", positional[1], "\" (give the directory with --out)"));
    }
    if (line.out_path.empty()) {
      return absl::InvalidArgumentError(
          "init: missing --out DIR (the directory for partners.csv, portfolio-meta.json and "
          "README.md)");
    }
    // init writes files and calls nothing: these would be silently ignored.
    const char* flags = PlanPortfolioOrSimulationFlags(
        line, line.options, "the simulation flags (--paths, --seed, ...) do");
    if (flags == nullptr && line.json) flags = "--json does";
    if (flags != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "init: ", flags,
          " not apply (init writes a template to fill in; edit portfolio-meta.json, then "
          "simulate it)"));
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown command \"", command,
        "\": expected simulate, compare, recommend, report, calibrate, sensitivity, coach, "
        "exercise, team, health or init"));
  }
  if (line.command == Command::kHelp) return line;
  if (line.health_service_given && line.command != Command::kHealth) {
    return absl::InvalidArgumentError(absl::StrCat("--service: only for attain health, not ", name));
  }
  if (line.command != Command::kTeam && (!line.coaching_gains || line.coaching_paths)) {
    return absl::InvalidArgumentError(absl::StrCat(
        line.coaching_gains ? "--coaching-paths" : "--no-coaching", ": only for attain team, not ",
        name));
  }
  if (!line.check_tiers && line.command != Command::kSensitivity) {
    return absl::InvalidArgumentError(
        absl::StrCat("--no-tier-check: only for attain sensitivity, not ", name));
  }
  if (line.command != Command::kCalibrate && !line.base_portfolio_path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--portfolio: only for attain calibrate, not ", name,
                     " (the settings of a CSV portfolio: --portfolio-json)"));
  }
  if (absl::Status status = CheckOut(line, name); !status.ok()) return status;
  if (line.objective != v1::OBJECTIVE_UNSPECIFIED && line.command != Command::kRecommend &&
      line.command != Command::kReport && line.command != Command::kCoach) {
    return absl::InvalidArgumentError(
        absl::StrCat("--objective: only for attain recommend, report and coach, not ", name));
  }
  if (line.command != Command::kRecommend && line.command != Command::kReport) {
    const char* recommend_only = !line.locked_partner_ids.empty() ? "--lock"
                                 : line.max_changes.has_value()   ? "--max-changes"
                                                                  : nullptr;
    if (recommend_only != nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(recommend_only, ": only for attain recommend and report, not ", name));
    }
  }
  if (!line.csv_path.empty() && line.command != Command::kSimulate &&
      line.command != Command::kCompare && line.command != Command::kRecommend) {
    return absl::InvalidArgumentError(
        absl::StrCat("--csv: only for attain simulate, compare and recommend, not ", name));
  }
  if (line.init_partners.has_value() && line.command != Command::kInit) {
    return absl::InvalidArgumentError(
        absl::StrCat("--partners: only for attain init, not ", name));
  }
  if (line.difficulty.has_value() && line.command != Command::kExerciseNew) {
    return absl::InvalidArgumentError(
        absl::StrCat("--difficulty: only for attain exercise new, not ", name));
  }
  if (!deadline_given) {
    // The commands that search for the best plan take seconds to minutes on a large
    // portfolio.
    const bool searches = line.command == Command::kRecommend ||
                          line.command == Command::kReport ||
                          line.command == Command::kSensitivity ||
                          line.command == Command::kCoach ||
                          line.command == Command::kExerciseSubmit ||
                          (line.command == Command::kTeam && line.coaching_gains);
    line.deadline_seconds = searches ? kDefaultRecommendDeadlineSeconds : kDefaultDeadlineSeconds;
  }
  return line;
}

std::string UsageText() {
  return absl::StrCat(
      "attain: what your partner portfolio will bring in, and what your hours change.\n"
      "\n"
      "Usage:\n"
      "  attain init --out DIR [--partners N]\n"
      "      New here? A portfolio to fill in, by quarter over a year: DIR/partners.csv (N\n"
      "      placeholder partners, default ", kDefaultInitPartners, ", ", kMinInitPartners, " to ",
      kMaxInitPartners, "; its # lines give each column's unit and\n"
      "      default), DIR/portfolio-meta.json (quota, horizon, capacity, tier hours) and\n"
      "      DIR/README.md. It simulates as it is. Replaces no file; needs no server.\n"
      "  attain simulate PORTFOLIO [--plan PLAN] [options]\n"
      "      P(attain), expected revenue, percentiles and each partner's uplift for one plan\n"
      "      (default: every partner keeps its current tier).\n"
      "  attain compare PORTFOLIO PLAN... [options]\n"
      "      The current tiers and each PLAN on the same random numbers, with each plan's\n"
      "      paired difference to the current tiers.\n"
      "  attain recommend PORTFOLIO [--objective O] [--max-changes K] [--lock ID]...\n"
      "                   [--out PLAN.json] [options]\n"
      "      The best tier for every partner within the capacity hours: the plan found on one\n"
      "      sample of --paths paths, checked against the current tiers on an independent\n"
      "      sample, with each change's effect and the reason for it. --out writes the plan\n"
      "      (for attain coach and attain exercise submit).\n"
      "  attain report PORTFOLIO [--plan PLAN] --out REPORT.html [recommend's options]\n"
      "      One self-contained HTML page with charts (it works offline): the plan's revenue\n"
      "      distribution against quota, each partner's revenue whether you show up or not,\n"
      "      P(on track) per period, and the recommended changes with their effects and\n"
      "      reasons (a recommendation starting from PLAN, default the current tiers).\n"
      "  attain calibrate HISTORY.csv [--portfolio BASE.json] [--out FILE.json] [--json]\n"
      "      Partner models estimated from a CRM history of revenue and hours: each partner's\n"
      "      baseline, growth, lift and churn with standard errors, ranked by how much it sells\n"
      "      with no hours at all, what the estimates rest on, and a portfolio to simulate.\n"
      "  attain sensitivity PORTFOLIO [--plan PLAN] [--no-tier-check] [options]\n"
      "      What if the assumptions are wrong: P(attain) and expected revenue of the plan with\n"
      "      each assumption (lift, hours to half effect, churn, volatility, growth, market\n"
      "      correlation; the top partners' baselines) at the low and high end of its range, on\n"
      "      the same paths, ranked by swing (a tornado), and the partners whose recommended\n"
      "      tier changes at an end (--no-tier-check skips those searches).\n"
      "  attain coach PORTFOLIO PLAN [--objective O] [options]\n"
      "      Your own plan scored 0 to 100: the share it captures of what the best plan found\n"
      "      gains over the floor (every partner OPPORTUNISTIC), all three on one validation\n"
      "      sample, with an interval; each partner's feedback (ALIGNED, OVER_INVESTED,\n"
      "      UNDER_INVESTED, RETENTION_RISK), the portfolio's hours, capacity and\n"
      "      concentration, and the top three moves toward the best plan.\n"
      "  attain exercise new --out DIR [--difficulty N] [--seed S] [--json]\n"
      "      A training exercise: writes DIR/portfolio.json (partners, quota, capacity; the\n"
      "      true parameters hidden) and DIR/history.csv (its CRM history), and prints its ID,\n"
      "      the briefing and the next steps. The same --difficulty and --seed give the same\n"
      "      exercise, byte for byte.\n"
      "  attain exercise submit ID PLAN [--json]\n"
      "      Your plan for exercise ID scored as attain coach scores it, against the true\n"
      "      parameters, then the truth revealed: each partner's kind and true parameters\n"
      "      beside what calibrating its history estimates.\n"
      "  attain team TEAM [--no-coaching] [--coaching-paths N] [options]\n"
      "      A team of managers on one shared market (TEAM: attain.v1.Team JSON, its members'\n"
      "      portfolios and plans, e.g. examples/team.json): P(the team reaches its number),\n"
      "      each manager's P(attain), shortfall and risk rank, how many managers reach their\n"
      "      own quota, and per manager the gain in the team's P(attain) from that manager's\n"
      "      recommended tiers (a tier search per manager on --coaching-paths paths, default\n"
      "      4000; --no-coaching skips them).\n"
      "  attain health [--service NAME]\n"
      "      The server's health (gRPC health service): \"\" (default) says it is alive,\n"
      "      readiness that it takes calls (NOT_SERVING while it drains). Exits 0 when\n"
      "      SERVING, 3 otherwise. Needs no token.\n"
      "\n"
      "PORTFOLIO is attain.v1.Portfolio in protobuf JSON (*.json) or partners in CSV (*.csv):\n"
      "one partner per row, the header naming fields as in the JSON (baseline_revenue or\n"
      "baselineRevenue; nested: response.max_lift; enums by name: TIER_INVEST). An empty cell\n"
      "leaves the field at its default; lines starting with # are notes, skipped. PLAN is\n"
      "attain.v1.Plan in protobuf JSON, e.g.\n"
      "  {\"name\": \"invest in cobalt\", \"tiers\": {\"cobalt\": \"TIER_INVEST\"}}\n"
      "\n"
      "Simulation:\n"
      "  --paths N             paths to simulate (server default 10000); with --precision,\n"
      "                        the minimum; for recommend and coach, the paths of each sample\n"
      "  --seed S              seed; the same request and seed give the same result (for\n"
      "                        recommend and coach, the search's; the validation's is derived)\n"
      "  --precision H         run until the 95% interval of P(attain) is within +-H (0.005)\n"
      "                        (not for recommend or coach)\n"
      "  --antithetic          antithetic variates (pairs of mirrored paths; not for recommend\n"
      "                        or coach)\n"
      "  --estimator E         how P(attain) is estimated: conditional (conditional Monte\n"
      "                        Carlo, the default with --precision: the same interval on far\n"
      "                        fewer paths, each dearer) or count (the share of paths at\n"
      "                        quota, the default otherwise)\n"
      "  --parameter-uncertainty\n"
      "                        draw each partner's baseline, growth, lift and churn per path\n"
      "                        from its standard errors (the portfolio's errors, as calibrate\n"
      "                        writes them): P(attain) then carries what the data does not\n"
      "                        pin down; no effect on partners without errors\n"
      "\n"
      "Recommendation (recommend and report; --objective also coach):\n"
      "  --objective O         what to maximize: attainment (P(attain), the default), revenue\n"
      "                        (expected revenue) or downside (the 10th percentile of revenue)\n"
      "  --max-changes K       at most K tier changes from the current tiers (default: any)\n"
      "  --lock ID             keep partner ID at its current tier; repeat for several\n"
      "  --out PLAN.json       write the recommended plan (only when the call succeeds)\n"
      "\n"
      "Exercises (exercise new; exercise submit takes no flags but --json and connection):\n"
      "  --difficulty N        1 (a clear portfolio, a long history) to 5 (noise, lumpy deals,\n"
      "                        a short history, tight capacity, misleading current tiers);\n"
      "                        default 1\n"
      "  --seed S              which exercise of that difficulty (default: drawn)\n"
      "  --out DIR             where to write portfolio.json and history.csv (created if\n"
      "                        missing). Files there that hold the same exercise are kept;\n"
      "                        if either holds anything else, nothing is written (exit 2)\n"
      "\n"
      "Calibration (calibrate only):\n"
      "  HISTORY.csv           one row per partner and period, header partner_id,period,revenue,\n"
      "                        hours (optional name, segment; other columns are ignored); period\n"
      "                        1, 2, ... or a month 2025-07 or a date 2025-07-01, consecutive\n"
      "  --portfolio BASE.json quota, horizon, capacity, tier policy and current tiers to keep\n"
      "                        (without: tiers read from the recent hours, a horizon of up to 12\n"
      "                        periods, the quota the current tiers are expected to bring)\n"
      "  --out FILE.json       write the calibrated portfolio, for attain simulate FILE.json\n"
      "                        (only when calibration succeeds)\n"
      "\n"
      "Portfolio settings (override the file's; for CSV also --portfolio-json):\n"
      "  --portfolio-json FILE attain.v1.Portfolio JSON without partners: quota, periods, ...\n"
      "  --quota Q  --periods T  --capacity-hours H  --currency CODE  --segment-correlation R\n"
      "\n"
      "Results for spreadsheets (simulate, compare, recommend):\n"
      "  --csv FILE.csv        each plan's partners, a row per plan and partner, with names;\n"
      "                        and each plan's figures in FILE-plans.csv beside it\n"
      "\n"
      "Connection and output:\n"
      "  --server HOST:PORT    attaind's address (env ", kServerEnvironmentVariable,
      ", default ", kDefaultServer, ")\n"
      "  --tls-ca FILE         speak TLS, checking the server's certificate against these PEM\n"
      "                        CA certificates (without it, with --tls-cert: the system's)\n"
      "  --tls-cert FILE, --tls-key FILE\n"
      "                        PEM client certificate and key, for servers that require one\n"
      "  --token-file FILE     bearer token sent with every call (env ", kTokenEnvironmentVariable,
      "\n                        holds the token itself)\n"
      "  --deadline SECONDS    give up after this long (default ", kDefaultDeadlineSeconds,
      ";\n                        recommend, sensitivity, coach, exercise submit and team ",
      kDefaultRecommendDeadlineSeconds, ")\n"
      "  --json                print the response as protobuf JSON\n"
      "  --help                this text\n"
      "\n"
      "On a terminal (and without --json), simulate draws a progress bar, recommend its\n"
      "phase (sampling, searching, validating) and team its managers' searches, then its\n"
      "run, on stderr for runs longer than ~0.25 s.\n"
      "\n"
      "Exit codes: 0 ok; 2 bad input (file, flag, or rejected by the server, e.g. a mistyped\n"
      "exercise ID; for recommend also when no plan can satisfy the request, e.g. the locked\n"
      "partners alone need more than the capacity hours or fitting the hours needs more than\n"
      "--max-changes changes);\n"
      "3 server unavailable (also a failed TLS handshake); 4 deadline exceeded;\n"
      "5 authentication failed (a missing or wrong token or client certificate); 1 any other\n"
      "error.\n");
}

}  // namespace attain::cli
