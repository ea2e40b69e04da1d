// examples/history.csv is generate_history's output (history_example.h): the example the
// README and the demo use is reproducible from examples/portfolio.json and the model.
#include "examples/history_example.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "proto/support/json_io.h"
#include "service/convert.h"
#include "tests/test_support.h"

namespace attain {
namespace {

const std::string kExamples = std::string(ATTAIN_SOURCE_DIR) + "/examples/";

TEST(HistoryExampleTest, TheCheckedInHistoryIsTheGeneratorsOutput) {
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(kExamples + "portfolio.json");
  ASSERT_TRUE(proto.ok()) << proto.status();
  Violations violations;
  const Portfolio base = PortfolioFromProto(*proto, violations);
  ASSERT_TRUE(violations.empty());
  std::vector<std::string> names;
  for (const v1::Partner& partner : proto->partners()) names.push_back(partner.name());
  const std::string generated = ExampleHistoryCsv(base, names);
  EXPECT_EQ(testing_support::ReadFile(kExamples + "history.csv"), generated)
      << "regenerate it: build/examples/generate_history examples/portfolio.json > "
         "examples/history.csv";
  // Two years of months for the portfolio's 8 partners and 4 more, plus the header.
  EXPECT_EQ(std::count(generated.begin(), generated.end(), '\n'), 1 + 24 * 12);
}

}  // namespace
}  // namespace attain
