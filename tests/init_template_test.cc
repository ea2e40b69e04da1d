// attain init's template: a partners CSV whose comment lines explain every column and
// which the CSV reader takes as it is, portfolio settings that parse to a quarterly plan,
// a README with the units and the next command, and files that are written only where
// nothing is.
#include "clients/cli/init_template.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/cli/portfolio_input.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "proto/support/json_io.h"
#include "tests/test_support.h"

namespace attain::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::ReadFile;
using testing_support::TempPath;

// A directory path under the test's temporary directory, removed if it exists.
std::string FreshDirectory(const std::string& name) {
  const std::string directory = TempPath(name);
  std::filesystem::remove_all(directory);
  return directory;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

std::vector<std::string> CommentLines(const std::string& text) {
  std::vector<std::string> comments;
  for (const std::string& line : Lines(text)) {
    if (absl::StartsWith(line, "#")) comments.push_back(line);
  }
  return comments;
}

// The first line that is not a comment.
std::string HeaderLine(const std::string& text) {
  for (const std::string& line : Lines(text)) {
    if (!absl::StartsWith(line, "#")) return line;
  }
  return "";
}

TEST(InitTemplateTest, PartnersTemplateReadsAsPlaceholderPartners) {
  const std::string csv = PartnersCsvTemplate(12);
  EXPECT_EQ(HeaderLine(csv),
            "id,name,tier,baseline_revenue,growth_rate,volatility,market_correlation,segment,"
            "revenue_model,response.max_lift,response.half_effort_hours,response.ramp_periods,"
            "response.growth_boost,retention.churn_rate,retention.retention_hours,"
            "deals.mean_deal_size,deals.deal_size_cv");

  CsvPortfolioMap map;
  const absl::StatusOr<std::vector<v1::Partner>> partners =
      ParsePartnersCsv(csv, "partners.csv", &map);
  ASSERT_TRUE(partners.ok()) << partners.status() << "\n" << csv;
  ASSERT_EQ(partners->size(), 12u);
  EXPECT_EQ((*partners)[0].id(), "partner-01");
  EXPECT_EQ((*partners)[0].name(), "Partner 1");
  EXPECT_EQ((*partners)[11].id(), "partner-12");
  EXPECT_EQ((*partners)[11].name(), "Partner 12");
  for (const v1::Partner& partner : *partners) {
    EXPECT_EQ(partner.tier(), v1::TIER_MAINTAIN) << partner.id();
    EXPECT_EQ(partner.baseline_revenue(), kInitBaseline) << partner.id();
    // Every other cell is empty: the service applies the model's defaults.
    EXPECT_FALSE(partner.has_volatility()) << partner.id();
    EXPECT_FALSE(partner.has_response()) << partner.id();
    EXPECT_FALSE(partner.has_retention()) << partner.id();
    EXPECT_FALSE(partner.has_deals()) << partner.id();
  }
  // Line numbers are the file's: the first partner follows the comments and the header.
  const size_t comments = CommentLines(csv).size();
  ASSERT_FALSE(map.partner_lines.empty());
  EXPECT_EQ(map.partner_lines.front(), static_cast<int>(comments) + 2);
}

TEST(InitTemplateTest, EveryColumnHasACommentWithItsUnitAndDefault) {
  const std::string csv = PartnersCsvTemplate(3);
  const std::vector<std::string> comments = CommentLines(csv);
  for (const absl::string_view column : absl::StrSplit(HeaderLine(csv), ',')) {
    bool explained = false;
    for (const std::string& comment : comments) {
      explained |= absl::StartsWith(comment, absl::StrCat("# ", column, ": "));
    }
    EXPECT_TRUE(explained) << "no comment line for " << column << "\n" << csv;
  }
  EXPECT_THAT(csv, HasSubstr("PER QUARTER"));
  // The defaults for a quarter, converted from the monthly ones.
  EXPECT_THAT(csv, HasSubstr("# tier: your current engagement: INVEST / MAINTAIN / "
                             "OPPORTUNISTIC (48 / 18 / 3 hours per quarter"));
  EXPECT_THAT(csv, HasSubstr("# baseline_revenue: USD per quarter"));
  EXPECT_THAT(csv, HasSubstr("# volatility: how much a quarter's revenue swings (lognormal "
                             "scale; 0.15 = about +-15%). Empty = 0.146.\n"));
  EXPECT_THAT(csv, HasSubstr("# response.max_lift: fraction of extra revenue"));
  EXPECT_THAT(csv, HasSubstr("(0.3 = 30% more). Empty = 0.3.\n"));
  EXPECT_THAT(csv, HasSubstr("# response.half_effort_hours: hours per quarter that give half "
                             "of max_lift. Empty = 24.\n"));
  EXPECT_THAT(csv, HasSubstr("# response.ramp_periods: quarters until"));
  EXPECT_THAT(csv, HasSubstr("0 = at once). Empty = 1.\n"));
  EXPECT_THAT(csv, HasSubstr("Empty = 0.0588 (0.02 a month).\n"));
  EXPECT_THAT(csv, HasSubstr("# retention.retention_hours: hours per quarter that halve that "
                             "probability. Empty = 12.\n"));
}

TEST(InitTemplateTest, CommentLinesStayOneSpreadsheetCell) {
  // Without commas and quotes, a spreadsheet shows a comment in one cell and saves it
  // back as it was: still starting with '#', still skipped.
  for (const std::string& comment : CommentLines(PartnersCsvTemplate(2))) {
    EXPECT_THAT(comment, Not(HasSubstr(","))) << comment;
    EXPECT_THAT(comment, Not(HasSubstr("\""))) << comment;
  }
}

TEST(InitTemplateTest, IdsArePaddedSoTheySortInRowOrder) {
  EXPECT_THAT(PartnersCsvTemplate(1), HasSubstr("\npartner-01,Partner 1,MAINTAIN,50000,"));
  const std::string many = PartnersCsvTemplate(150);
  EXPECT_THAT(many, HasSubstr("\npartner-001,Partner 1,"));
  EXPECT_THAT(many, HasSubstr("\npartner-150,Partner 150,"));
  const absl::StatusOr<std::vector<v1::Partner>> partners = ParsePartnersCsv(many, "p.csv");
  ASSERT_TRUE(partners.ok()) << partners.status();
  EXPECT_EQ(partners->size(), 150u);
}

TEST(InitTemplateTest, SettingsAreAQuarterlyPlanAndTheJsonSaysSo) {
  const v1::Portfolio settings = PortfolioSettingsTemplate(12);
  EXPECT_EQ(settings.currency(), "USD");
  EXPECT_EQ(settings.periods(), 4);
  EXPECT_EQ(settings.period_length(), v1::PERIOD_LENGTH_QUARTER);
  EXPECT_EQ(settings.quota(), 12 * 4 * kInitBaseline);
  EXPECT_EQ(settings.capacity_hours(), 12 * 30);
  EXPECT_EQ(settings.tier_policy().invest_hours(), 48);
  EXPECT_EQ(settings.tier_policy().maintain_hours(), 18);
  EXPECT_EQ(settings.tier_policy().opportunistic_hours(), 3);
  EXPECT_FALSE(settings.channel_manager_id().empty());
  EXPECT_EQ(settings.partners_size(), 0);

  const std::string json = PortfolioSettingsJson(12);
  v1::Portfolio parsed;
  ASSERT_TRUE(ParseJsonMessage(json, parsed).ok()) << json;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, settings)) << json;
  EXPECT_THAT(json, HasSubstr("\"periodLength\": \"QUARTER\""));
  // Large figures without exponents, as a person writes them.
  EXPECT_THAT(PortfolioSettingsJson(kMaxInitPartners), HasSubstr("\"quota\": 2000000000,"));
}

TEST(InitTemplateTest, ReadmeGivesTheUnitOfEverySettingAndTheNextCommand) {
  const std::string readme = InitReadme("q3", 12);
  for (const char* field :
       {"`channelManagerId`", "`currency`", "`quota`", "`periods`", "`periodLength`",
        "`capacityHours`", "`tierPolicy.investHours`", "`tierPolicy.maintainHours`",
        "`tierPolicy.opportunisticHours`"}) {
    EXPECT_THAT(readme, HasSubstr(absl::StrCat("| ", field, " | "))) << field;
  }
  EXPECT_THAT(readme, HasSubstr("| `quota` | USD over the whole horizon | 2400000 |"));
  EXPECT_THAT(readme, HasSubstr("| `capacityHours` | hours per quarter | 360 |"));
  EXPECT_THAT(readme, HasSubstr("| `tierPolicy.investHours` | hours per quarter, per partner | "
                                "48 | what an INVEST partner gets (16 a month) |"));
  EXPECT_THAT(readme, HasSubstr("churn 1 - (1 - c)^3 (0.02 -> 0.0588)"));
  // Why the capacity is what it is: all MAINTAIN uses 18 of 30 hours a partner.
  EXPECT_THAT(readme, HasSubstr("use 60% of it"));
  EXPECT_THAT(readme, HasSubstr("about 40% of the partners to INVEST"));
  EXPECT_THAT(readme, HasSubstr("attain simulate q3/partners.csv --portfolio-json "
                                "q3/portfolio-meta.json"));
}

TEST(InitTemplateTest, CommandsQuoteADirectoryTheShellWouldSplit) {
  EXPECT_THAT(InitSummary("my plans/2026", 2),
              HasSubstr("attain simulate 'my plans/2026/partners.csv' --portfolio-json "
                        "'my plans/2026/portfolio-meta.json'"));
  EXPECT_THAT(InitReadme("it's", 2), HasSubstr("attain simulate 'it'\\''s/partners.csv'"));
}

TEST(InitTemplateTest, SummaryNamesTheFilesAndTheNextCommand) {
  const std::string summary = InitSummary("q3", 5);
  EXPECT_THAT(summary, HasSubstr("for 5 partners"));
  EXPECT_THAT(summary, HasSubstr("q3/partners.csv"));
  EXPECT_THAT(summary, HasSubstr("q3/portfolio-meta.json"));
  EXPECT_THAT(summary, HasSubstr("q3/README.md"));
  EXPECT_THAT(summary,
              HasSubstr("attain simulate q3/partners.csv --portfolio-json q3/portfolio-meta.json"));
}

TEST(InitTemplateTest, WritesFilesThatReadBackAsAPortfolio) {
  const std::string directory = FreshDirectory("init/nested");  // parents created
  ASSERT_TRUE(WriteInitFiles(directory, 12).ok());
  const InitFiles files = InitFilesIn(directory);
  EXPECT_EQ(ReadFile(files.partners_csv), PartnersCsvTemplate(12));
  EXPECT_EQ(ReadFile(files.portfolio_json), PortfolioSettingsJson(12));
  EXPECT_EQ(ReadFile(files.readme), InitReadme(directory, 12));

  PortfolioSource source;
  source.path = files.partners_csv;
  source.settings_path = files.portfolio_json;
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(source);
  ASSERT_TRUE(portfolio.ok()) << portfolio.status();
  EXPECT_EQ(portfolio->partners_size(), 12);
  EXPECT_EQ(portfolio->period_length(), v1::PERIOD_LENGTH_QUARTER);
  EXPECT_EQ(portfolio->quota(), PortfolioSettingsTemplate(12).quota());
}

TEST(InitTemplateTest, RefusesToReplaceAnyFileAndThenWritesNothing) {
  for (const std::string name : {"partners.csv", "portfolio-meta.json", "README.md"}) {
    const std::string directory = FreshDirectory("init-existing");
    std::filesystem::create_directories(directory);
    const std::string mine = testing_support::WriteTempFile("init-existing/" + name, "mine\n");

    const absl::Status status = WriteInitFiles(directory, 4);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_TRUE(IsBadInput(status));
    EXPECT_THAT(status.message(), HasSubstr(absl::StrCat(mine, " already exists")));
    EXPECT_THAT(status.message(), HasSubstr("nothing was written"));
    EXPECT_EQ(ReadFile(mine), "mine\n") << "the user's file is untouched";
    // Only the user's file is there.
    std::vector<std::string> present;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
      present.push_back(entry.path().filename().string());
    }
    EXPECT_THAT(present, ElementsAre(name));
  }
}

TEST(InitTemplateTest, ADirectoryThatIsAFileIsRefused) {
  const std::string file = testing_support::WriteTempFile("init-a-file", "x");
  const absl::Status status = WriteInitFiles(file, 4);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("is not a directory"));
}

TEST(InitTemplateTest, PartnerCountsOutsideTheRangeAreRefusedBeforeAnythingIsWritten) {
  EXPECT_TRUE(CheckInitPartners(1).ok());
  EXPECT_TRUE(CheckInitPartners(10000).ok());
  for (const int partners : {0, -1, 10001}) {
    const std::string directory = FreshDirectory("init-bad-count");
    const absl::Status status = WriteInitFiles(directory, partners);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << partners;
    EXPECT_THAT(status.message(),
                HasSubstr(absl::StrCat("--partners: expected a whole number from 1 to 10000, "
                                       "got ", partners)));
    EXPECT_FALSE(std::filesystem::exists(directory)) << partners;
  }
}

}  // namespace
}  // namespace attain::cli
