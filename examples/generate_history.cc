// Writes the example CRM history (history_example.h) to stdout:
//
//   build/examples/generate_history examples/portfolio.json > examples/history.csv
//
// A second argument draws with another seed (the example's is kExampleHistorySeed).
// The history_example_test checks that examples/history.csv is this program's output.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "examples/history_example.h"
#include "proto/support/json_io.h"
#include "service/convert.h"

int main(int argc, char** argv) {
  uint64_t seed = attain::kExampleHistorySeed;
  if ((argc != 2 && argc != 3) || (argc == 3 && !absl::SimpleAtoi(argv[2], &seed))) {
    std::fprintf(stderr, "usage: generate_history PORTFOLIO.json [SEED] > history.csv\n");
    return 2;
  }
  const absl::StatusOr<attain::v1::Portfolio> proto = attain::ReadPortfolioJson(argv[1]);
  if (!proto.ok()) {
    std::fprintf(stderr, "generate_history: %s\n", std::string(proto.status().message()).c_str());
    return 2;
  }
  attain::Violations violations;
  const attain::Portfolio base = attain::PortfolioFromProto(*proto, violations);
  if (!violations.empty()) {
    std::fprintf(stderr, "generate_history: %s\n", attain::ViolationsMessage(violations).c_str());
    return 2;
  }
  std::vector<std::string> names;
  for (const attain::v1::Partner& partner : proto->partners()) names.push_back(partner.name());
  std::fputs(attain::ExampleHistoryCsv(base, names, seed).c_str(), stdout);
  return 0;
}
