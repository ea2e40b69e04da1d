// A partners CSV as attain reads it (clients/cli/portfolio_input.h), with the example
// portfolio's settings, simulated on a few paths by an in-process attaind.
#include <cstddef>
#include <cstdint>

#include "clients/cli/portfolio_input.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  attain::cli::CsvPortfolioMap csv;
  auto partners = attain::cli::ParsePartnersCsv(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv", &csv);
  if (!partners.ok()) {
    attain::fuzz::CheckRefusal(partners.status());
    return 0;
  }
  if (csv.partner_lines.size() != partners->size()) {
    attain::fuzz::Fail("a partner without its CSV line");
  }
  attain::v1::SimulateRequest request;
  *request.mutable_portfolio() = attain::fuzz::ExamplePortfolio();
  request.mutable_portfolio()->clear_partners();
  for (attain::v1::Partner& partner : *partners) {
    *request.mutable_portfolio()->add_partners() = std::move(partner);
  }
  request.mutable_options()->set_paths(64);
  request.mutable_options()->set_seed(1);
  attain::fuzz::CallAndCheck("Simulate", request.SerializeAsString());
  return 0;
}
