#include "clients/cli/portfolio_input.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "google/protobuf/util/message_differencer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace attain::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Writes `text` to a fresh file named `name` in the test's temporary directory.
std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path =
      ::testing::TempDir() + "portfolio_input_test_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

PortfolioSource Source(const std::string& path, const std::string& settings_path = "") {
  PortfolioSource source;
  source.path = path;
  source.settings_path = settings_path;
  return source;
}

v1::Partner ParseOne(const std::string& csv) {
  const absl::StatusOr<std::vector<v1::Partner>> partners = ParsePartnersCsv(csv, "p.csv");
  EXPECT_TRUE(partners.ok()) << partners.status();
  if (!partners.ok() || partners->size() != 1) {
    ADD_FAILURE() << "expected one partner";
    return v1::Partner();
  }
  return partners->front();
}

absl::Status CsvError(const std::string& csv) {
  const absl::StatusOr<std::vector<v1::Partner>> partners = ParsePartnersCsv(csv, "p.csv");
  EXPECT_FALSE(partners.ok());
  EXPECT_TRUE(IsBadInput(partners.status())) << partners.status();
  return partners.status();
}

TEST(CliPartnersCsvTest, ProtoNamesNestedFieldsAndEnums) {
  const v1::Partner partner = ParseOne(
      "id,name,tier,baseline_revenue,volatility,segment,revenue_model,response.max_lift,"
      "response.ramp_periods,retention.churn_rate,deals.mean_deal_size,hours_override\n"
      "delta,Delta Cloud,TIER_MAINTAIN,150000,0.25,enterprise,REVENUE_MODEL_DEALS,0.4,3,0.05,"
      "50000,7.5\n");
  EXPECT_EQ(partner.id(), "delta");
  EXPECT_EQ(partner.name(), "Delta Cloud");
  EXPECT_EQ(partner.tier(), v1::TIER_MAINTAIN);
  EXPECT_EQ(partner.baseline_revenue(), 150000);
  EXPECT_EQ(partner.volatility(), 0.25);
  EXPECT_EQ(partner.segment(), "enterprise");
  EXPECT_EQ(partner.revenue_model(), v1::REVENUE_MODEL_DEALS);
  EXPECT_EQ(partner.response().max_lift(), 0.4);
  EXPECT_EQ(partner.response().ramp_periods(), 3);
  EXPECT_EQ(partner.retention().churn_rate(), 0.05);
  EXPECT_EQ(partner.deals().mean_deal_size(), 50000);
  EXPECT_EQ(partner.hours_override(), 7.5);
}

TEST(CliPartnersCsvTest, CamelCaseHeaders) {
  const v1::Partner partner = ParseOne(
      "id,baselineRevenue,growthRate,marketCorrelation,revenueModel,response.halfEffortHours,"
      "response.growthBoost,retention.retentionHours,deals.meanDealSize,deals.dealSizeCv,"
      "hoursOverride\n"
      "a,1000,0.02,0.1,REVENUE_MODEL_LOGNORMAL,5,0.03,2,900,0.7,3\n");
  EXPECT_EQ(partner.baseline_revenue(), 1000);
  EXPECT_EQ(partner.growth_rate(), 0.02);
  EXPECT_EQ(partner.market_correlation(), 0.1);
  EXPECT_EQ(partner.revenue_model(), v1::REVENUE_MODEL_LOGNORMAL);
  EXPECT_EQ(partner.response().half_effort_hours(), 5);
  EXPECT_EQ(partner.response().growth_boost(), 0.03);
  EXPECT_EQ(partner.retention().retention_hours(), 2);
  EXPECT_EQ(partner.deals().mean_deal_size(), 900);
  EXPECT_EQ(partner.deals().deal_size_cv(), 0.7);
  EXPECT_EQ(partner.hours_override(), 3);
}

TEST(CliPartnersCsvTest, EmptyCellLeavesFieldUnset) {
  const v1::Partner partner = ParseOne(
      "id,tier,baseline_revenue,volatility,growth_rate,response.max_lift,retention.churn_rate\n"
      "a,TIER_INVEST,100,,0,,\n");
  EXPECT_FALSE(partner.has_volatility());  // the service applies its default (0.25)
  EXPECT_TRUE(partner.has_growth_rate());  // an explicit 0 is not "unset"
  EXPECT_EQ(partner.growth_rate(), 0);
  EXPECT_FALSE(partner.has_response());
  EXPECT_FALSE(partner.has_retention());
}

TEST(CliPartnersCsvTest, ExplicitZeroOfOptionalNestedFieldIsSet) {
  const v1::Partner partner = ParseOne("id,retention.churn_rate\na,0\n");
  ASSERT_TRUE(partner.has_retention());
  EXPECT_TRUE(partner.retention().has_churn_rate());
}

TEST(CliPartnersCsvTest, QuotedCellsWithCommasQuotesAndLineBreaks) {
  const absl::StatusOr<std::vector<v1::Partner>> partners = ParsePartnersCsv(
      "id,name,baseline_revenue\n"
      "a,\"Acme, \"\"Systems\"\" Inc\",100\n"
      "b,\"Two\nLines\",200\n"
      "\"c\" , plain name ,300\n",
      "p.csv");
  ASSERT_TRUE(partners.ok()) << partners.status();
  ASSERT_EQ(partners->size(), 3u);
  EXPECT_EQ((*partners)[0].name(), "Acme, \"Systems\" Inc");
  EXPECT_EQ((*partners)[1].name(), "Two\nLines");
  EXPECT_EQ((*partners)[2].id(), "c");
  EXPECT_EQ((*partners)[2].name(), "plain name");  // unquoted cells are trimmed
  EXPECT_EQ((*partners)[2].baseline_revenue(), 300);
}

TEST(CliPartnersCsvTest, CrlfBomAndBlankRows) {
  const absl::StatusOr<std::vector<v1::Partner>> partners = ParsePartnersCsv(
      "\xEF\xBB\xBFid,baseline_revenue\r\na,1\r\n\r\n,\r\nb,2\r\n", "p.csv");
  ASSERT_TRUE(partners.ok()) << partners.status();
  ASSERT_EQ(partners->size(), 2u);
  EXPECT_EQ((*partners)[0].id(), "a");
  EXPECT_EQ((*partners)[1].baseline_revenue(), 2);
}

TEST(CliPartnersCsvTest, HeaderOnlyGivesNoPartners) {
  const absl::StatusOr<std::vector<v1::Partner>> partners = ParsePartnersCsv("id,tier\n", "p.csv");
  ASSERT_TRUE(partners.ok());
  EXPECT_TRUE(partners->empty());
}

TEST(CliPartnersCsvTest, BadCellNamesLineAndColumn) {
  const absl::Status status = CsvError(
      "id,tier,volatility\n"
      "a,TIER_INVEST,0.2\n"
      "b,TIER_INVEST,abc\n");
  EXPECT_THAT(status.message(), HasSubstr("p.csv:3"));
  EXPECT_THAT(status.message(), HasSubstr("column \"volatility\""));
  EXPECT_THAT(status.message(), HasSubstr("\"abc\""));
}

TEST(CliPartnersCsvTest, LineNumbersCountLinesInsideQuotedCells) {
  const absl::Status status = CsvError(
      "id,name,baseline_revenue\n"
      "a,\"first\nsecond\",1\n"
      "b,x,oops\n");
  EXPECT_THAT(status.message(), HasSubstr("p.csv:4: column \"baseline_revenue\""));
}

TEST(CliPartnersCsvTest, UnknownEnumValueListsTheNames) {
  const absl::Status status = CsvError("id,tier\na,GOLD\n");
  EXPECT_THAT(status.message(), HasSubstr("p.csv:2: column \"tier\""));
  EXPECT_THAT(status.message(),
              HasSubstr("INVEST, MAINTAIN or OPPORTUNISTIC (any case, with or without TIER_)"));
  // "Unset" is not a value a user sets.
  EXPECT_THAT(status.message(), Not(HasSubstr("UNSPECIFIED")));
  EXPECT_FALSE(CsvError("id,tier\na,TIER_UNSPECIFIED\n").ok());
}

TEST(CliPartnersCsvTest, EnumValuesWithOrWithoutPrefixInAnyCase) {
  const absl::StatusOr<std::vector<v1::Partner>> partners = ParsePartnersCsv(
      "id,tier,revenue_model\na,maintain,deals\nb,Invest,REVENUE_MODEL_LOGNORMAL\n"
      "c,tier_opportunistic,lognormal\n",
      "p.csv");
  ASSERT_TRUE(partners.ok()) << partners.status();
  EXPECT_EQ((*partners)[0].tier(), v1::TIER_MAINTAIN);
  EXPECT_EQ((*partners)[0].revenue_model(), v1::REVENUE_MODEL_DEALS);
  EXPECT_EQ((*partners)[1].tier(), v1::TIER_INVEST);
  EXPECT_EQ((*partners)[2].tier(), v1::TIER_OPPORTUNISTIC);
}

TEST(CliPartnersCsvTest, AnUnknownColumnSuggestsTheFieldItMeant) {
  // The name of a nested field without its message.
  EXPECT_THAT(CsvError("id,max_lift\na,1\n").message(),
              HasSubstr("did you mean \"response.max_lift\" or \"errors.max_lift\"?"));
  EXPECT_THAT(CsvError("id,churnRate\na,1\n").message(),
              HasSubstr("did you mean \"retention.churn_rate\""));
  // A typo, within two edits.
  EXPECT_THAT(CsvError("id,baseline_revenu\na,1\n").message(),
              HasSubstr("did you mean \"baseline_revenue\"?"));
  EXPECT_THAT(CsvError("id,colour\na,1\n").message(), Not(HasSubstr("did you mean")));
}

TEST(CliPartnersCsvTest, WholeNumberFieldRejectsFraction) {
  const absl::Status status = CsvError("id,response.ramp_periods\na,2.5\n");
  EXPECT_THAT(status.message(), HasSubstr("p.csv:2: column \"response.ramp_periods\""));
}

TEST(CliPartnersCsvTest, UnknownColumnNamesLineOneAndTheColumn) {
  const absl::Status status = CsvError("id,volatilty\na,1\n");
  EXPECT_THAT(status.message(), HasSubstr("p.csv:1: column 2 \"volatilty\""));
  EXPECT_THAT(status.message(), HasSubstr("volatility"));  // the list of fields helps
}

TEST(CliPartnersCsvTest, UnknownNestedColumn) {
  const absl::Status status = CsvError("id,response.max_lft\na,1\n");
  EXPECT_THAT(status.message(), HasSubstr("\"response.max_lft\""));
  EXPECT_THAT(status.message(), HasSubstr("max_lift"));
}

TEST(CliPartnersCsvTest, MessageColumnNeedsASubfield) {
  EXPECT_THAT(CsvError("id,response\na,1\n").message(), HasSubstr("is a message"));
  EXPECT_THAT(CsvError("id,volatility.x\na,1\n").message(), HasSubstr("has no fields"));
}

TEST(CliPartnersCsvTest, TwoColumnsForOneField) {
  EXPECT_THAT(CsvError("id,baseline_revenue,baselineRevenue\na,1,2\n").message(),
              HasSubstr("set the same field"));
}

TEST(CliPartnersCsvTest, WrongNumberOfCellsNamesTheLine) {
  const absl::Status status = CsvError("id,tier\na,TIER_INVEST\nb,TIER_INVEST,extra\n");
  EXPECT_THAT(status.message(), HasSubstr("p.csv:3: 3 cells, but the header has 2 columns"));
}

TEST(CliPartnersCsvTest, UnterminatedQuoteNamesItsLine) {
  EXPECT_THAT(CsvError("id,name\na,ok\nb,\"never closed\n").message(), HasSubstr("p.csv:3"));
}

TEST(CliPartnersCsvTest, TextAfterClosingQuote) {
  EXPECT_THAT(CsvError("id,name\na,\"x\"y\n").message(), HasSubstr("p.csv:2"));
}

TEST(CliPartnersCsvTest, EmptyFile) { EXPECT_THAT(CsvError("").message(), HasSubstr("empty")); }

TEST(CliPartnersCsvTest, CommentLinesAreSkippedAndLinesKeepTheirNumbers) {
  CsvPortfolioMap csv;
  const absl::StatusOr<std::vector<v1::Partner>> partners = ParsePartnersCsv(
      "# notes, with \"quotes\" and commas, as attain init writes them\n"
      "#\n"
      "id,name,baseline_revenue\n"
      "# between rows\n"
      "a,\"two\n# lines: inside a quoted cell, not a comment\",1\n"
      "\"#b\",quoted: a partner,2\n"
      "c,#not first on its line,3\n"
      "   # after spaces: a partner,x,4\n",
      "p.csv", &csv);
  ASSERT_TRUE(partners.ok()) << partners.status();
  ASSERT_EQ(partners->size(), 4u);
  EXPECT_EQ((*partners)[0].name(), "two\n# lines: inside a quoted cell, not a comment");
  EXPECT_EQ((*partners)[1].id(), "#b");
  EXPECT_EQ((*partners)[2].name(), "#not first on its line");
  EXPECT_EQ((*partners)[3].id(), "# after spaces: a partner");
  EXPECT_EQ(csv.partner_lines, (std::vector<int>{5, 7, 8, 9}));
}

TEST(CliPartnersCsvTest, ErrorsAfterCommentLinesNameTheFilesLines) {
  EXPECT_THAT(CsvError("# a note\r\n# another\r\nid,volatility\r\n# x\r\na,abc\r\n").message(),
              HasSubstr("p.csv:5: column \"volatility\""));
  // The header is not line 1 when notes precede it.
  EXPECT_THAT(CsvError("# a note\nid,volatilty\na,1\n").message(),
              HasSubstr("p.csv:2: column 2 \"volatilty\""));
  EXPECT_THAT(CsvError("# a note\nid,baseline_revenue,baselineRevenue\n").message(),
              HasSubstr("p.csv:2: columns \"baseline_revenue\" and \"baselineRevenue\""));
  // Only notes: no header.
  EXPECT_THAT(CsvError("# a note\n# another\n").message(), HasSubstr("empty"));
  // A BOM before a note still leaves it a note.
  EXPECT_THAT(CsvError("\xEF\xBB\xBF# a note\nid,tier\na,GOLD\n").message(),
              HasSubstr("p.csv:3: column \"tier\""));
}

TEST(CliPartnersCsvTest, ServerFieldsPointAtTheCsvCells) {
  CsvPortfolioMap csv;
  const absl::StatusOr<std::vector<v1::Partner>> partners = ParsePartnersCsv(
      "id,name,baselineRevenue\na,\"Acme\nInc.\",1\nb,Beta,2\n", "p.csv", &csv);
  ASSERT_TRUE(partners.ok()) << partners.status();
  EXPECT_EQ(csv.path, "p.csv");
  EXPECT_EQ(csv.partner_lines, (std::vector<int>{2, 4})) << "a quoted cell spans line 3";
  EXPECT_EQ(LocateCsvField("portfolio.partners[1].baseline_revenue", csv),
            "p.csv:4: column 3 \"baselineRevenue\"");
  EXPECT_EQ(LocateCsvField("portfolio.partners[0].response.max_lift", csv),
            "p.csv:2: response.max_lift");
  EXPECT_EQ(LocateCsvField("portfolio.partners[0]", csv), "p.csv:2");
  // Not a partner of the CSV: as it is.
  EXPECT_EQ(LocateCsvField("portfolio.quota", csv), "portfolio.quota");
  EXPECT_EQ(LocateCsvField("portfolio.partners[2].volatility", csv),
            "portfolio.partners[2].volatility");
  EXPECT_EQ(LocateCsvField("plan.tiers[\"a\"]", csv), "plan.tiers[\"a\"]");
}

TEST(CliReadPortfolioTest, JsonParseErrorNamesTheField) {
  const std::string path = WriteTempFile(
      "bad.json", R"({"quota": 1, "partners": [{"id": "a", "volatility": "high"}]})");
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(Source(path));
  ASSERT_FALSE(portfolio.ok());
  EXPECT_TRUE(IsBadInput(portfolio.status()));
  EXPECT_THAT(portfolio.status().message(), HasSubstr("partners[0].volatility"));
  EXPECT_THAT(portfolio.status().message(), HasSubstr(path));
}

TEST(CliReadPortfolioTest, JsonUnknownFieldIsAnError) {
  const std::string path = WriteTempFile("unknown.json", R"({"qouta": 1})");
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(Source(path));
  ASSERT_FALSE(portfolio.ok());
  EXPECT_THAT(portfolio.status().message(), HasSubstr("qouta"));
}

TEST(CliReadPortfolioTest, MissingFileIsBadInput) {
  for (const char* path : {"/nonexistent/p.json", "/nonexistent/p.csv"}) {
    const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(Source(path));
    ASSERT_FALSE(portfolio.ok());
    EXPECT_EQ(portfolio.status().code(), absl::StatusCode::kNotFound);
    EXPECT_TRUE(IsBadInput(portfolio.status()));
  }
}

TEST(CliReadPortfolioTest, OtherExtensionsAreRefused) {
  const absl::StatusOr<v1::Portfolio> portfolio =
      ReadPortfolio(Source(WriteTempFile("p.txt", "{}")));
  ASSERT_FALSE(portfolio.ok());
  EXPECT_THAT(portfolio.status().message(), HasSubstr(".json"));
}

TEST(CliReadPortfolioTest, CsvWithSettingsAndFlagsWhichWin) {
  PortfolioSource source;
  source.path = WriteTempFile("merge.csv", "id,tier,baseline_revenue\na,TIER_INVEST,100\n");
  source.settings_path = WriteTempFile(
      "settings.json",
      R"({"currency": "EUR", "quota": 1000, "periods": 4, "capacityHours": 30,
          "seasonality": [1, 1, 1, 2], "tierPolicy": {"investHours": 12}})");
  source.overrides.quota = 2500;
  source.overrides.capacity_hours = 40;
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(source);
  ASSERT_TRUE(portfolio.ok()) << portfolio.status();
  EXPECT_EQ(portfolio->quota(), 2500);           // flag
  EXPECT_EQ(portfolio->capacity_hours(), 40);    // flag
  EXPECT_EQ(portfolio->currency(), "EUR");       // settings
  EXPECT_EQ(portfolio->periods(), 4);            // settings
  EXPECT_EQ(portfolio->seasonality_size(), 4);   // settings
  EXPECT_EQ(portfolio->tier_policy().invest_hours(), 12);
  ASSERT_EQ(portfolio->partners_size(), 1);      // CSV
  EXPECT_EQ(portfolio->partners(0).id(), "a");
}

TEST(CliReadPortfolioTest, CsvWithFlagsOnly) {
  PortfolioSource source;
  source.path = WriteTempFile("flags.csv", "id,tier,baseline_revenue\na,TIER_INVEST,100\n");
  source.overrides.quota = 10;
  source.overrides.periods = 3;
  source.overrides.capacity_hours = 5;
  source.overrides.currency = "GBP";
  source.overrides.segment_correlation = 0.2;
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(source);
  ASSERT_TRUE(portfolio.ok()) << portfolio.status();
  EXPECT_EQ(portfolio->quota(), 10);
  EXPECT_EQ(portfolio->periods(), 3);
  EXPECT_EQ(portfolio->capacity_hours(), 5);
  EXPECT_EQ(portfolio->currency(), "GBP");
  EXPECT_EQ(portfolio->segment_correlation(), 0.2);
}

TEST(CliReadPortfolioTest, FlagsOverrideAJsonPortfolio) {
  PortfolioSource source;
  source.path = WriteTempFile("override.json", R"({"quota": 1, "periods": 2})");
  source.overrides.periods = 6;
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(source);
  ASSERT_TRUE(portfolio.ok()) << portfolio.status();
  EXPECT_EQ(portfolio->quota(), 1);
  EXPECT_EQ(portfolio->periods(), 6);
}

TEST(CliReadPortfolioTest, SettingsFileWithPartnersIsRefused) {
  PortfolioSource source;
  source.path = WriteTempFile("x.csv", "id\na\n");
  source.settings_path = WriteTempFile("with-partners.json", R"({"partners": [{"id": "a"}]})");
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(source);
  ASSERT_FALSE(portfolio.ok());
  EXPECT_TRUE(IsBadInput(portfolio.status()));
  EXPECT_THAT(portfolio.status().message(), HasSubstr("partners"));
}

TEST(CliReadPortfolioTest, SettingsFileIsForCsvOnly) {
  PortfolioSource source;
  source.path = WriteTempFile("y.json", "{}");
  source.settings_path = WriteTempFile("settings2.json", "{}");
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(source);
  ASSERT_FALSE(portfolio.ok());
  EXPECT_TRUE(IsBadInput(portfolio.status()));
}

TEST(CliReadPortfolioTest, CsvErrorNamesTheFile) {
  const std::string path = WriteTempFile("bad.csv", "id,tier\na,TIER_NOPE\n");
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(Source(path));
  ASSERT_FALSE(portfolio.ok());
  EXPECT_THAT(portfolio.status().message(), HasSubstr(path + ":2: column \"tier\""));
}

// The shipped CSV example and its settings are the JSON example, partner for partner.
TEST(CliReadPortfolioTest, ExampleCsvAndSettingsEqualExampleJson) {
  const std::string examples = std::string(ATTAIN_SOURCE_DIR) + "/examples/";
  const absl::StatusOr<v1::Portfolio> json = ReadPortfolio(Source(examples + "portfolio.json"));
  const absl::StatusOr<v1::Portfolio> csv = ReadPortfolio(
      Source(examples + "partners.csv", examples + "portfolio-meta.json"));
  ASSERT_TRUE(json.ok()) << json.status();
  ASSERT_TRUE(csv.ok()) << csv.status();
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(*json, *csv)) << differences;
}

TEST(CliReadPlanTest, ReadsTiersAndHours) {
  const absl::StatusOr<v1::Plan> plan = ReadPlan(WriteTempFile(
      "plan.json", R"({"name": "p", "tiers": {"a": "TIER_INVEST"}, "hours": {"b": 2.5}})"));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->name(), "p");
  EXPECT_EQ(plan->tiers().at("a"), v1::TIER_INVEST);
  EXPECT_EQ(plan->hours().at("b"), 2.5);
}

TEST(CliReadPlanTest, TierNamesAsPeopleWriteThem) {
  const absl::StatusOr<v1::Plan> plan = ReadPlan(WriteTempFile(
      "names.json", R"({"tiers": {"a": "MAINTAIN", "b": "invest", "c": "TIER_OPPORTUNISTIC"}})"));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->tiers().at("a"), v1::TIER_MAINTAIN);
  EXPECT_EQ(plan->tiers().at("b"), v1::TIER_INVEST);
  EXPECT_EQ(plan->tiers().at("c"), v1::TIER_OPPORTUNISTIC);

  const absl::StatusOr<v1::Plan> bad =
      ReadPlan(WriteTempFile("bad-tier.json", R"({"tiers": {"a": "MAINTAINED"}})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(IsBadInput(bad.status()));
  EXPECT_THAT(bad.status().message(),
              HasSubstr("tiers[\"a\"]: \"MAINTAINED\" is not a value of Tier: use INVEST, "
                        "MAINTAIN or OPPORTUNISTIC"));
}

TEST(CliReadPlanTest, UnnamedPlanIsNamedAfterItsFile) {
  const absl::StatusOr<v1::Plan> plan =
      ReadPlan(WriteTempFile("invest-more.json", R"({"tiers": {"a": "TIER_INVEST"}})"));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->name(), testing::EndsWith("invest-more"));
}

TEST(CliReadPlanTest, MalformedPlanIsBadInput) {
  const absl::StatusOr<v1::Plan> plan =
      ReadPlan(WriteTempFile("badplan.json", R"({"tiers": {"a": "TIER_GOLD"}})"));
  ASSERT_FALSE(plan.ok());
  EXPECT_TRUE(IsBadInput(plan.status()));
  EXPECT_THAT(plan.status().message(), HasSubstr("attain.v1.Plan"));
}

TEST(CliApplyOverridesTest, UnsetOverridesChangeNothing) {
  v1::Portfolio portfolio;
  portfolio.set_quota(7);
  portfolio.set_currency("USD");
  ApplyOverrides(PortfolioOverrides(), portfolio);
  EXPECT_EQ(portfolio.quota(), 7);
  EXPECT_EQ(portfolio.currency(), "USD");
}

}  // namespace
}  // namespace attain::cli
