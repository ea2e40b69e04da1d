#include "clients/report/report_assets.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace attain::report {
namespace {

using ::attain::testing_support::ReadFile;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSource = ATTAIN_SOURCE_DIR;

ReportAssets Tiny() {
  return ReportAssets{
      "<style>/*ATTAIN_CSS*/</style><script>/*ATTAIN_ECHARTS*/</script>"
      "<script>/*ATTAIN_RENDER*/</script><script type=\"application/json\">/*ATTAIN_DATA*/"
      "</script>",
      "body{}", "var echarts={};", "draw();"};
}

TEST(ReportAssetsTest, EmbeddedFilesAreTheSourceFilesByteForByte) {
  const ReportAssets& assets = EmbeddedReportAssets();
  EXPECT_EQ(assets.html_template, ReadFile(kSource + "/clients/report/template.html"));
  EXPECT_EQ(assets.css, ReadFile(kSource + "/clients/report/report.css"));
  EXPECT_EQ(assets.render_js, ReadFile(kSource + "/clients/report/report.js"));
  const std::string echarts = ReadFile(kSource + "/third_party/echarts/echarts.min.js");
  EXPECT_GT(echarts.size(), 500'000u);
  EXPECT_EQ(assets.echarts_js, echarts);
}

TEST(ReportAssetsTest, FillsEveryMarkerInPlace) {
  const auto page = AssembleReport(Tiny(), R"({"kind":"portfolio"})");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(*page,
            "<style>body{}</style><script>var echarts={};</script><script>draw();</script>"
            "<script type=\"application/json\">{\"kind\":\"portfolio\"}</script>");
}

TEST(ReportAssetsTest, DataCannotCloseItsScriptOrHoldMarkers) {
  const auto page =
      AssembleReport(Tiny(), R"({"name":"</script><script>alert(1)</script> /*ATTAIN_CSS*/"})");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(*page, HasSubstr(R"("\u003c/script>\u003cscript>alert(1)\u003c/script>)"));
  EXPECT_THAT(*page, HasSubstr("/*ATTAIN_CSS*/"));  // left as text: not searched again
  EXPECT_THAT(*page, Not(HasSubstr("<script>alert")));
}

TEST(ReportAssetsTest, EmbeddedPageHasNoMarkerLeftAndOneDataElement) {
  const auto page = AssembleReport(EmbeddedReportAssets(), R"({"kind":"team"})");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(*page, Not(HasSubstr("/*ATTAIN_")));
  EXPECT_THAT(*page, HasSubstr(R"(id="attain-report-data">{"kind":"team"}</script>)"));
  // Nothing is loaded from elsewhere (the browser test checks the scripts' requests).
  EXPECT_THAT(EmbeddedReportAssets().html_template, Not(HasSubstr("src=")));
  EXPECT_THAT(EmbeddedReportAssets().html_template, Not(HasSubstr("href=")));
}

TEST(ReportAssetsTest, MissingMarkerOrAScriptThatClosesItsElementIsInternal) {
  ReportAssets no_marker = Tiny();
  no_marker.html_template = "<html></html>";
  const auto missing = AssembleReport(no_marker, "{}");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(missing.status().message(), HasSubstr("/*ATTAIN_CSS*/"));

  ReportAssets closing = Tiny();
  closing.render_js = "document.write('</SCRIPT>')";
  const auto closed = AssembleReport(closing, "{}");
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(closed.status().message(), HasSubstr("/*ATTAIN_RENDER*/"));
}

}  // namespace
}  // namespace attain::report
