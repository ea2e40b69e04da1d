#include "clients/cli/command_line.h"

#include <map>
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

TEST(CliCommandLineTest, Help) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"help"}, {"simulate", "-h"},
        {"compare", "p.json", "--help"}}) {
    const absl::StatusOr<CommandLine> line = Parse(args);
    ASSERT_TRUE(line.ok());
    EXPECT_EQ(line->command, Command::kHelp);
  }
  EXPECT_THAT(UsageText(), HasSubstr("attain simulate PORTFOLIO"));
  EXPECT_THAT(UsageText(), HasSubstr("ATTAIN_SERVER"));
}

TEST(CliCommandLineTest, Errors) {
  EXPECT_THAT(ErrorOf({}), HasSubstr("missing command"));
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

}  // namespace
}  // namespace attain::cli
