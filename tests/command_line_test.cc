#include "clients/cli/command_line.h"

#include <map>
#include <utility>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace attain::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::StatusOr<CommandLine> Parse(const std::vector<std::string>& args,
                                  std::map<std::string, std::string> environment = {}) {
  return ParseCommandLine(args, [environment](const char* name) -> const char* {
    const auto it = environment.find(name);
    return it == environment.end() ? nullptr : it->second.c_str();
  });
}

std::string ErrorOf(const std::vector<std::string>& args) {
  const absl::StatusOr<CommandLine> line = Parse(args);
  EXPECT_FALSE(line.ok());
  EXPECT_EQ(line.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(line.status().message());
}

TEST(CliCommandLineTest, SimulateWithDefaults) {
  const absl::StatusOr<CommandLine> line = Parse({"simulate", "p.json"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kSimulate);
  EXPECT_EQ(line->portfolio.path, "p.json");
  EXPECT_TRUE(line->plan_paths.empty());
  EXPECT_EQ(line->server, "localhost:50051");
  EXPECT_EQ(line->deadline_seconds, 60);
  EXPECT_FALSE(line->json);
  EXPECT_FALSE(line->options.has_paths());  // the server's default applies
  EXPECT_FALSE(line->options.has_seed());
}

TEST(CliCommandLineTest, CsvResultsForSimulateCompareAndRecommend) {
  for (const char* command : {"simulate", "recommend"}) {
    const absl::StatusOr<CommandLine> line = Parse({command, "p.json", "--csv", "out.csv"});
    ASSERT_TRUE(line.ok()) << line.status();
    EXPECT_EQ(line->csv_path, "out.csv");
  }
  EXPECT_TRUE(Parse({"compare", "p.json", "a.json", "--csv=r.CSV"}).ok());
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--csv", "out.json"}),
              HasSubstr("--csv: expected a file name ending in .csv"));
  EXPECT_THAT(ErrorOf({"coach", "p.json", "plan.json", "--csv", "out.csv"}),
              HasSubstr("--csv: only for attain simulate, compare and recommend, not coach"));
}

TEST(CliCommandLineTest, SimulationFlagsBothSpellings) {
  const absl::StatusOr<CommandLine> line =
      Parse({"simulate", "--paths=2000", "p.csv", "--seed", "42", "--precision", "0.005",
             "--antithetic", "--plan", "plan.json", "--json", "--deadline=2.5"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->options.paths(), 2000u);  // the minimum under a precision target
  EXPECT_EQ(line->options.seed(), 42u);
  EXPECT_EQ(line->options.target_ci_half_width(), 0.005);
  EXPECT_TRUE(line->options.antithetic());
  EXPECT_THAT(line->plan_paths, ElementsAre("plan.json"));
  EXPECT_TRUE(line->json);
  EXPECT_EQ(line->deadline_seconds, 2.5);
}

TEST(CliCommandLineTest, ParameterUncertaintyIsASimulationFlagOfEveryCommand) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"simulate", "p.json", "--parameter-uncertainty"},
        std::vector<std::string>{"compare", "p.json", "a.json", "--parameter-uncertainty"},
        std::vector<std::string>{"recommend", "p.json", "--parameter-uncertainty"}}) {
    const absl::StatusOr<CommandLine> line = Parse(args);
    ASSERT_TRUE(line.ok()) << args[0] << ": " << line.status();
    EXPECT_TRUE(line->options.parameter_uncertainty()) << args[0];
  }
  const absl::StatusOr<CommandLine> plain = Parse({"simulate", "p.json"});
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->options.parameter_uncertainty());
}

TEST(CliCommandLineTest, EstimatorIsConditionalOrCountAndNotForRecommendOrCoach) {
  const absl::StatusOr<CommandLine> conditional =
      Parse({"simulate", "p.json", "--estimator", "conditional"});
  ASSERT_TRUE(conditional.ok()) << conditional.status();
  EXPECT_EQ(conditional->options.attainment_estimator(), v1::ATTAINMENT_ESTIMATOR_CONDITIONAL);
  const absl::StatusOr<CommandLine> counted =
      Parse({"compare", "p.json", "a.json", "--estimator=count"});
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_EQ(counted->options.attainment_estimator(), v1::ATTAINMENT_ESTIMATOR_PATH_COUNT);
  const absl::StatusOr<CommandLine> unset = Parse({"simulate", "p.json"});
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(unset->options.attainment_estimator(), v1::ATTAINMENT_ESTIMATOR_UNSPECIFIED);
  const absl::StatusOr<CommandLine> unknown = Parse({"simulate", "p.json", "--estimator=fast"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("--estimator"), absl::string_view::npos)
      << unknown.status();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"recommend", "p.json", "--estimator=count"},
        std::vector<std::string>{"coach", "p.json", "plan.json", "--estimator=conditional"}}) {
    const absl::StatusOr<CommandLine> refused = Parse(args);
    ASSERT_FALSE(refused.ok()) << args[0];
    EXPECT_NE(refused.status().message().find("--estimator does not apply"),
              absl::string_view::npos)
        << refused.status();
  }
}

TEST(CliCommandLineTest, PortfolioSettingsFlags) {
  const absl::StatusOr<CommandLine> line =
      Parse({"simulate", "p.csv", "--portfolio-json", "meta.json", "--quota", "4.2e6",
             "--periods", "4", "--capacity-hours", "60", "--currency", "EUR",
             "--segment-correlation", "0.15"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->portfolio.settings_path, "meta.json");
  EXPECT_EQ(line->portfolio.overrides.quota, 4.2e6);
  EXPECT_EQ(line->portfolio.overrides.periods, 4);
  EXPECT_EQ(line->portfolio.overrides.capacity_hours, 60);
  EXPECT_EQ(line->portfolio.overrides.currency, "EUR");
  EXPECT_EQ(line->portfolio.overrides.segment_correlation, 0.15);
}

TEST(CliCommandLineTest, ServerFromEnvironmentThenFlag) {
  absl::StatusOr<CommandLine> line =
      Parse({"simulate", "p.json"}, {{"ATTAIN_SERVER", "planner:443"}});
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->server, "planner:443");
  line = Parse({"simulate", "p.json", "--server", "other:1"}, {{"ATTAIN_SERVER", "planner:443"}});
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->server, "other:1");
}

TEST(CliCommandLineTest, CompareTakesPlansInOrder) {
  const absl::StatusOr<CommandLine> line =
      Parse({"compare", "p.json", "a.json", "b.json", "--paths", "100"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kCompare);
  EXPECT_EQ(line->portfolio.path, "p.json");
  EXPECT_THAT(line->plan_paths, ElementsAre("a.json", "b.json"));
  EXPECT_EQ(line->options.paths(), 100u);
}

TEST(CliCommandLineTest, TeamTakesATeamFileAndCoachingFlags) {
  const absl::StatusOr<CommandLine> line =
      Parse({"team", "t.json", "--paths", "5000", "--coaching-paths=2000", "--antithetic"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kTeam);
  EXPECT_EQ(line->team_path, "t.json");
  EXPECT_TRUE(line->coaching_gains);
  EXPECT_EQ(line->coaching_paths, 2000u);
  EXPECT_EQ(line->options.paths(), 5000u);
  EXPECT_TRUE(line->options.antithetic());
  EXPECT_EQ(line->deadline_seconds, 300);  // it searches every manager's tiers
  const absl::StatusOr<CommandLine> plain = Parse({"team", "t.json", "--no-coaching"});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->coaching_gains);
  EXPECT_EQ(plain->deadline_seconds, 60);

  EXPECT_THAT(ErrorOf({"team"}), HasSubstr("team: missing TEAM"));
  EXPECT_THAT(ErrorOf({"team", "a.json", "b.json"}), HasSubstr("unexpected argument \"b.json\""));
  EXPECT_THAT(ErrorOf({"team", "t.json", "--plan", "p.json"}), HasSubstr("--plan does not apply"));
  EXPECT_THAT(ErrorOf({"team", "t.json", "--quota", "5"}), HasSubstr("portfolio settings"));
  EXPECT_THAT(ErrorOf({"team", "t.json", "--no-coaching", "--coaching-paths", "9"}),
              HasSubstr("--coaching-paths does not apply with --no-coaching"));
  EXPECT_THAT(ErrorOf({"team", "t.json", "--coaching-paths", "0"}),
              HasSubstr("--coaching-paths: expected a whole number >= 1"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--no-coaching"}),
              HasSubstr("--no-coaching: only for attain team, not simulate"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--coaching-paths", "9"}),
              HasSubstr("--coaching-paths: only for attain team, not recommend"));
  EXPECT_THAT(ErrorOf({"team", "t.json", "--csv", "r.csv"}), HasSubstr("--csv: only for"));
}

TEST(CliCommandLineTest, RecommendWithDefaults) {
  const absl::StatusOr<CommandLine> line = Parse({"recommend", "p.json"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kRecommend);
  EXPECT_EQ(line->portfolio.path, "p.json");
  EXPECT_EQ(line->objective, v1::OBJECTIVE_UNSPECIFIED);  // the server's default, P(attain)
  EXPECT_TRUE(line->locked_partner_ids.empty());
  EXPECT_FALSE(line->max_changes.has_value());
  EXPECT_FALSE(line->options.has_paths());
  EXPECT_FALSE(line->options.has_seed());
  EXPECT_EQ(line->deadline_seconds, kDefaultRecommendDeadlineSeconds);
  EXPECT_EQ(line->deadline_seconds, 300);
  EXPECT_FALSE(line->json);
}

TEST(CliCommandLineTest, RecommendFlags) {
  const absl::StatusOr<CommandLine> line =
      Parse({"recommend", "--objective", "revenue", "p.csv", "--max-changes=3", "--lock",
             "acme", "--lock=brightline", "--paths", "2000", "--seed", "3", "--json",
             "--portfolio-json", "meta.json", "--capacity-hours", "10", "--deadline", "30"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kRecommend);
  EXPECT_EQ(line->portfolio.path, "p.csv");
  EXPECT_EQ(line->objective, v1::OBJECTIVE_EXPECTED_REVENUE);
  EXPECT_THAT(line->locked_partner_ids, ElementsAre("acme", "brightline"));
  ASSERT_TRUE(line->max_changes.has_value());
  EXPECT_EQ(*line->max_changes, 3);
  EXPECT_EQ(line->options.paths(), 2000u);
  EXPECT_EQ(line->options.seed(), 3u);
  EXPECT_TRUE(line->json);
  EXPECT_EQ(line->portfolio.settings_path, "meta.json");
  EXPECT_EQ(line->portfolio.overrides.capacity_hours, 10);
  EXPECT_EQ(line->deadline_seconds, 30);  // an explicit deadline wins over the longer default
}

TEST(CliCommandLineTest, RecommendObjectives) {
  const std::pair<const char*, v1::Objective> cases[] = {
      {"attainment", v1::OBJECTIVE_ATTAINMENT_PROBABILITY},
      {"revenue", v1::OBJECTIVE_EXPECTED_REVENUE},
      {"downside", v1::OBJECTIVE_DOWNSIDE_REVENUE}};
  for (const auto& [name, objective] : cases) {
    const absl::StatusOr<CommandLine> line = Parse({"recommend", "p.json", "--objective", name});
    ASSERT_TRUE(line.ok()) << name << ": " << line.status();
    EXPECT_EQ(line->objective, objective) << name;
  }
}

TEST(CliCommandLineTest, MaxChangesZeroIsAllowed) {
  const absl::StatusOr<CommandLine> line = Parse({"recommend", "p.json", "--max-changes", "0"});
  ASSERT_TRUE(line.ok()) << line.status();
  ASSERT_TRUE(line->max_changes.has_value());
  EXPECT_EQ(*line->max_changes, 0);
}

TEST(CliCommandLineTest, RecommendErrors) {
  EXPECT_THAT(ErrorOf({"recommend"}), HasSubstr("recommend: missing PORTFOLIO"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "acme"}), HasSubstr("unexpected argument \"acme\""));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--objective", "profit"}),
              HasSubstr("--objective: expected attainment, revenue or downside"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--objective"}), HasSubstr("needs a value"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--max-changes", "-1"}), HasSubstr("--max-changes"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--max-changes", "1.5"}), HasSubstr("--max-changes"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--max-changes", "9999999999"}),
              HasSubstr("--max-changes"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--lock="}),
              HasSubstr("--lock: expected a partner id"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--plan", "a.json"}),
              HasSubstr("recommend: --plan does not apply"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--precision", "0.005"}),
              HasSubstr("recommend: --precision does not apply"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--antithetic"}),
              HasSubstr("recommend: --antithetic does not apply"));
}

TEST(CliCommandLineTest, RecommendFlagsOnlyForRecommend) {
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--objective", "revenue"}),
              HasSubstr("--objective: only for attain recommend, report and coach, not simulate"));
  EXPECT_THAT(ErrorOf({"compare", "p.json", "a.json", "--lock", "acme"}),
              HasSubstr("--lock: only for attain recommend and report, not compare"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--max-changes", "2"}),
              HasSubstr("--max-changes: only for attain recommend"));
}

TEST(CliCommandLineTest, Help) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"help"}, {"simulate", "-h"},
        {"compare", "p.json", "--help"}, {"recommend", "p.json", "--lock", "a", "-h"}}) {
    const absl::StatusOr<CommandLine> line = Parse(args);
    ASSERT_TRUE(line.ok());
    EXPECT_EQ(line->command, Command::kHelp);
  }
  EXPECT_THAT(UsageText(), HasSubstr("attain simulate PORTFOLIO"));
  EXPECT_THAT(UsageText(), HasSubstr("ATTAIN_SERVER"));
  EXPECT_THAT(UsageText(), HasSubstr("attain recommend PORTFOLIO"));
  for (const char* flag : {"--objective", "--max-changes", "--lock"}) {
    EXPECT_THAT(UsageText(), HasSubstr(flag));
  }
  EXPECT_THAT(UsageText(), HasSubstr("(default 60;\n                        recommend, "
                                     "sensitivity, coach, exercise submit and team 300)"));
  EXPECT_THAT(UsageText(), HasSubstr("attain team TEAM [--no-coaching] [--coaching-paths N]"));
  EXPECT_THAT(UsageText(), HasSubstr("attain coach PORTFOLIO PLAN"));
  EXPECT_THAT(UsageText(), HasSubstr("attain exercise new --out DIR [--difficulty N] [--seed S]"));
  EXPECT_THAT(UsageText(), HasSubstr("attain exercise submit ID PLAN"));
  EXPECT_THAT(UsageText(), HasSubstr("--out PLAN.json"));
  // A recommendation nothing can satisfy is the user's input to change: exit 2.
  EXPECT_THAT(UsageText(), HasSubstr("also when no plan can satisfy the request"));
}

TEST(CliCommandLineTest, Errors) {
  EXPECT_THAT(ErrorOf({}), HasSubstr("missing command: simulate, compare, recommend, "
                                     "report, calibrate, sensitivity, coach, exercise or team"));
  EXPECT_THAT(ErrorOf({"run", "p.json"}), HasSubstr("unknown command \"run\""));
  EXPECT_THAT(ErrorOf({"simulate"}), HasSubstr("missing PORTFOLIO"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "plan.json"}), HasSubstr("--plan"));
  EXPECT_THAT(ErrorOf({"compare", "p.json"}), HasSubstr("at least one PLAN"));
  EXPECT_THAT(ErrorOf({"compare", "p.json", "a.json", "--plan", "b.json"}),
              HasSubstr("not with --plan"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--plan", "a", "--plan", "b"}),
              HasSubstr("one plan"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--frobnicate"}), HasSubstr("unknown flag --frobnicate"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--paths"}), HasSubstr("--paths needs a value"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--paths", "0"}), HasSubstr("--paths"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--paths", "-5"}), HasSubstr("--paths"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--paths", "1e4"}), HasSubstr("--paths"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--seed", "x"}), HasSubstr("--seed"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--deadline", "0"}), HasSubstr("--deadline"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--precision", "0.7"}), HasSubstr("--precision"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--quota", "nan"}), HasSubstr("--quota"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--periods", "2.5"}), HasSubstr("--periods"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--json=yes"}), HasSubstr("takes no value"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--server="}), HasSubstr("--server"));
}

TEST(CliCommandLineTest, SensitivityTakesAPortfolioAPlanAndTheTierCheckSwitch) {
  const absl::StatusOr<CommandLine> line =
      Parse({"sensitivity", "p.json", "--plan", "plan.json", "--paths", "2000", "--seed", "7",
             "--no-tier-check", "--json"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kSensitivity);
  EXPECT_EQ(line->portfolio.path, "p.json");
  EXPECT_THAT(line->plan_paths, ElementsAre("plan.json"));
  EXPECT_EQ(line->options.paths(), 2000u);
  EXPECT_EQ(line->options.seed(), 7u);
  EXPECT_FALSE(line->check_tiers);
  EXPECT_TRUE(line->json);
  EXPECT_EQ(line->deadline_seconds, kDefaultRecommendDeadlineSeconds) << "several runs";
  const absl::StatusOr<CommandLine> plain = Parse({"sensitivity", "p.json"});
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->check_tiers);

  EXPECT_THAT(ErrorOf({"sensitivity"}), HasSubstr("sensitivity: missing PORTFOLIO"));
  EXPECT_THAT(ErrorOf({"sensitivity", "p.json", "plan.json"}), HasSubstr("--plan"));
  EXPECT_THAT(ErrorOf({"sensitivity", "p.json", "--precision", "0.01"}),
              HasSubstr("--precision does not apply"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--no-tier-check"}),
              HasSubstr("--no-tier-check: only for attain sensitivity"));
  EXPECT_THAT(ErrorOf({"sensitivity", "p.json", "--lock", "acme"}),
              HasSubstr("--lock: only for attain recommend"));
  EXPECT_THAT(UsageText(), HasSubstr("attain sensitivity PORTFOLIO"));
}

TEST(CliCommandLineTest, CalibrateTakesAHistoryABaseAndAnOutput) {
  const absl::StatusOr<CommandLine> line = Parse(
      {"calibrate", "history.csv", "--portfolio", "base.json", "--out=calibrated.json", "--json"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kCalibrate);
  EXPECT_EQ(line->history_path, "history.csv");
  EXPECT_EQ(line->base_portfolio_path, "base.json");
  EXPECT_EQ(line->out_path, "calibrated.json");
  EXPECT_TRUE(line->json);
  EXPECT_TRUE(Parse({"calibrate", "history.csv"}).ok());
}

TEST(CliCommandLineTest, CalibrateRefusesWhatDoesNotApply) {
  EXPECT_THAT(ErrorOf({"calibrate"}), HasSubstr("calibrate: missing HISTORY"));
  EXPECT_THAT(ErrorOf({"calibrate", "a.csv", "b.csv"}), HasSubstr("unexpected argument \"b.csv\""));
  EXPECT_THAT(ErrorOf({"calibrate", "a.csv", "--paths", "100"}),
              HasSubstr("calibrate: the simulation flags (--paths, --seed, ...) do not apply"));
  EXPECT_THAT(ErrorOf({"calibrate", "a.csv", "--quota", "100"}),
              HasSubstr("calibrate: the portfolio settings"));
  EXPECT_THAT(ErrorOf({"calibrate", "a.csv", "--plan", "p.json"}), HasSubstr("--plan does not apply"));
  EXPECT_THAT(ErrorOf({"calibrate", "a.csv", "--lock", "x"}),
              HasSubstr("--lock: only for attain recommend and report, not calibrate"));
  EXPECT_THAT(ErrorOf({"calibrate", "a.csv", "--out", "portfolio.csv"}),
              HasSubstr("--out: expected a file name ending in .json"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--out", "x.json"}),
              HasSubstr("--out: only for attain init, calibrate, recommend, report and exercise "
                        "new, not "
                        "simulate"));
  EXPECT_THAT(ErrorOf({"simulate", "p.csv", "--portfolio", "x.json"}),
              HasSubstr("--portfolio: only for attain calibrate"));
}

TEST(CliCommandLineTest, RecommendWritesThePlanToAJsonFile) {
  const absl::StatusOr<CommandLine> line = Parse({"recommend", "p.json", "--out", "plan.json"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->out_path, "plan.json");
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--out", "plan.txt"}),
              HasSubstr("--out: expected a file name ending in .json (attain coach and attain "
                        "exercise submit read it)"));
  EXPECT_THAT(ErrorOf({"recommend", "p.json", "--out="}), HasSubstr("--out: expected a file"));
}

TEST(CliCommandLineTest, ReportTakesAPortfolioAPlanAnHtmlFileAndRecommendsFlags) {
  const absl::StatusOr<CommandLine> line =
      Parse({"report", "p.csv", "--plan", "mine.json", "--out", "r.html", "--lock", "acme",
             "--objective", "revenue", "--paths", "3000"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kReport);
  EXPECT_EQ(line->portfolio.path, "p.csv");
  EXPECT_THAT(line->plan_paths, ElementsAre("mine.json"));
  EXPECT_EQ(line->out_path, "r.html");
  EXPECT_THAT(line->locked_partner_ids, ElementsAre("acme"));
  EXPECT_EQ(line->objective, v1::OBJECTIVE_EXPECTED_REVENUE);
  EXPECT_EQ(line->options.paths(), 3000u);
  EXPECT_EQ(line->deadline_seconds, kDefaultRecommendDeadlineSeconds);  // it searches
}

TEST(CliCommandLineTest, ReportRefusesWhatDoesNotApply) {
  EXPECT_THAT(ErrorOf({"report", "p.json"}), HasSubstr("report: missing --out REPORT.html"));
  EXPECT_THAT(ErrorOf({"report", "--out", "r.html"}), HasSubstr("report: missing PORTFOLIO"));
  EXPECT_THAT(ErrorOf({"report", "p.json", "--out", "r.json"}),
              HasSubstr("a file name ending in .html"));
  EXPECT_THAT(ErrorOf({"report", "p.json", "extra", "--out", "r.html"}),
              HasSubstr("unexpected argument \"extra\""));
  EXPECT_THAT(ErrorOf({"report", "p.json", "--out", "r.html", "--json"}),
              HasSubstr("report: --json does not apply"));
  EXPECT_THAT(ErrorOf({"report", "p.json", "--out", "r.html", "--precision", "0.01"}),
              HasSubstr("report: --precision does not apply"));
  EXPECT_THAT(ErrorOf({"report", "p.json", "--out", "r.html", "--plan", "a.json", "--plan",
                       "b.json"}),
              HasSubstr("--plan: simulate and report take one plan"));
}

TEST(CliCommandLineTest, CoachTakesAPortfolioAPlanAndTheObjective) {
  const absl::StatusOr<CommandLine> line =
      Parse({"coach", "p.csv", "mine.json", "--objective", "downside", "--paths", "2000",
             "--seed", "3", "--portfolio-json", "meta.json", "--parameter-uncertainty", "--json"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kCoach);
  EXPECT_EQ(line->portfolio.path, "p.csv");
  EXPECT_EQ(line->portfolio.settings_path, "meta.json");
  EXPECT_THAT(line->plan_paths, ElementsAre("mine.json"));
  EXPECT_EQ(line->objective, v1::OBJECTIVE_DOWNSIDE_REVENUE);
  EXPECT_EQ(line->options.paths(), 2000u);
  EXPECT_EQ(line->options.seed(), 3u);
  EXPECT_TRUE(line->options.parameter_uncertainty());
  EXPECT_TRUE(line->json);
  EXPECT_EQ(line->deadline_seconds, kDefaultRecommendDeadlineSeconds) << "it searches plans";
}

TEST(CliCommandLineTest, CoachRefusesWhatDoesNotApply) {
  EXPECT_THAT(ErrorOf({"coach", "p.json"}), HasSubstr("coach: expected PORTFOLIO and PLAN"));
  EXPECT_THAT(ErrorOf({"coach", "p.json", "a.json", "b.json"}),
              HasSubstr("coach: unexpected argument \"b.json\" (coach scores one PLAN)"));
  EXPECT_THAT(ErrorOf({"coach", "p.json", "a.json", "--plan", "b.json"}),
              HasSubstr("coach: give the plan as the argument after PORTFOLIO, not with --plan"));
  EXPECT_THAT(ErrorOf({"coach", "p.json", "a.json", "--precision", "0.01"}),
              HasSubstr("coach: --precision does not apply"));
  EXPECT_THAT(ErrorOf({"coach", "p.json", "a.json", "--antithetic"}),
              HasSubstr("coach: --antithetic does not apply"));
  EXPECT_THAT(ErrorOf({"coach", "p.json", "a.json", "--lock", "acme"}),
              HasSubstr("--lock: only for attain recommend and report, not coach"));
  EXPECT_THAT(ErrorOf({"coach", "p.json", "a.json", "--max-changes", "1"}),
              HasSubstr("--max-changes: only for attain recommend and report, not coach"));
  EXPECT_THAT(ErrorOf({"coach", "p.json", "a.json", "--out", "x.json"}),
              HasSubstr("--out: only for attain init, calibrate, recommend, report and exercise "
                        "new, not coach"));
  EXPECT_THAT(ErrorOf({"coach", "p.json", "a.json", "--difficulty", "2"}),
              HasSubstr("--difficulty: only for attain exercise new, not coach"));
}

TEST(CliCommandLineTest, ExerciseNewTakesADifficultyASeedAndADirectory) {
  const absl::StatusOr<CommandLine> line =
      Parse({"exercise", "new", "--difficulty", "3", "--seed=42", "--out", "ex/one", "--json"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kExerciseNew);
  EXPECT_EQ(line->difficulty, 3);
  EXPECT_EQ(line->options.seed(), 42u);
  EXPECT_EQ(line->out_path, "ex/one");  // a directory: no .json needed
  EXPECT_TRUE(line->json);
  EXPECT_EQ(line->deadline_seconds, kDefaultDeadlineSeconds) << "no simulation";

  const absl::StatusOr<CommandLine> plain = Parse({"exercise", "new", "--out", "ex"});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->difficulty.has_value());  // the server's default
  EXPECT_FALSE(plain->options.has_seed());      // drawn by the server
}

TEST(CliCommandLineTest, ExerciseNewRefusesAnOutOfRangeDifficultyAndWhatDoesNotApply) {
  for (const char* difficulty : {"0", "6", "-1", "2.5", "hard"}) {
    EXPECT_THAT(ErrorOf({"exercise", "new", "--out", "ex", "--difficulty", difficulty}),
                HasSubstr("--difficulty: expected a whole number from 1 (easiest) to 5 "
                          "(hardest)"))
        << difficulty;
  }
  EXPECT_THAT(ErrorOf({"exercise", "new"}), HasSubstr("exercise new: missing --out DIR"));
  EXPECT_THAT(ErrorOf({"exercise", "new", "ex", "--out", "ex"}),
              HasSubstr("exercise new: unexpected argument \"ex\""));
  EXPECT_THAT(ErrorOf({"exercise", "new", "--out", "ex", "--paths", "100"}),
              HasSubstr("exercise new: the simulation flags (--paths, --precision, ...) do not "
                        "apply (an exercise brings its portfolio and history"));
  EXPECT_THAT(ErrorOf({"exercise", "new", "--out", "ex", "--quota", "100"}),
              HasSubstr("exercise new: the portfolio settings (--quota, --periods, ...) do not "
                        "apply"));
  EXPECT_THAT(ErrorOf({"exercise", "new", "--out", "ex", "--plan", "a.json"}),
              HasSubstr("exercise new: --plan does not apply"));
  EXPECT_THAT(ErrorOf({"exercise", "new", "--out", "ex", "--objective", "revenue"}),
              HasSubstr("--objective: only for attain recommend, report and coach, not exercise "
                        "new"));
}

TEST(CliCommandLineTest, ExerciseSubmitTakesAnIdAndAPlan) {
  const absl::StatusOr<CommandLine> line =
      Parse({"exercise", "submit", "2-3-k5gq2x-e7", "mine.json", "--json"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kExerciseSubmit);
  EXPECT_EQ(line->exercise_id, "2-3-k5gq2x-e7");
  EXPECT_THAT(line->plan_paths, ElementsAre("mine.json"));
  EXPECT_TRUE(line->json);
  EXPECT_EQ(line->deadline_seconds, kDefaultRecommendDeadlineSeconds) << "it searches plans";

  EXPECT_THAT(ErrorOf({"exercise", "submit", "2-3-k5gq2x-e7"}),
              HasSubstr("exercise submit: expected ID and PLAN"));
  EXPECT_THAT(ErrorOf({"exercise", "submit", "2-3-k5gq2x-e7", "a.json", "b.json"}),
              HasSubstr("exercise submit: unexpected argument \"b.json\""));
  EXPECT_THAT(ErrorOf({"exercise", "submit", "2-3-k5gq2x-e7", "a.json", "--seed", "1"}),
              HasSubstr("exercise submit: the simulation flags (--paths, --seed, ...) do not "
                        "apply"));
  EXPECT_THAT(ErrorOf({"exercise", "submit", "2-3-k5gq2x-e7", "a.json", "--difficulty", "2"}),
              HasSubstr("--difficulty: only for attain exercise new, not exercise submit"));
  EXPECT_THAT(ErrorOf({"exercise", "submit", "2-3-k5gq2x-e7", "a.json", "--out", "x.json"}),
              HasSubstr("--out: only for attain init, calibrate, recommend, report and exercise "
                        "new, not "
                        "exercise submit"));
}

TEST(CliCommandLineTest, ExerciseNeedsNewOrSubmit) {
  EXPECT_THAT(ErrorOf({"exercise"}), HasSubstr("exercise: expected new or submit (attain"));
  EXPECT_THAT(ErrorOf({"exercise", "start", "--out", "ex"}),
              HasSubstr("exercise: expected new or submit, got \"start\""));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--difficulty", "2"}),
              HasSubstr("--difficulty: only for attain exercise new, not simulate"));
}


TEST(CliCommandLineTest, InitTakesADirectoryAndAPartnerCount) {
  absl::StatusOr<CommandLine> line = Parse({"init", "--out", "mine", "--partners", "30"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, Command::kInit);
  EXPECT_EQ(line->out_path, "mine");
  EXPECT_EQ(line->init_partners, 30);
  line = Parse({"init", "--out=mine"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_FALSE(line->init_partners.has_value());
  EXPECT_THAT(ErrorOf({"init"}), HasSubstr("init: missing --out DIR"));
  EXPECT_THAT(ErrorOf({"init", "--out", "d", "--partners", "0"}), HasSubstr("--partners"));
  EXPECT_THAT(ErrorOf({"init", "--out", "d", "--partners", "many"}),
              HasSubstr("a whole number of partners"));
  EXPECT_THAT(ErrorOf({"simulate", "p.json", "--partners", "5"}),
              HasSubstr("--partners: only for attain init, not simulate"));
}

}  // namespace
}  // namespace attain::cli
