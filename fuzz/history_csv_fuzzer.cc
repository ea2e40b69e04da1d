// A CRM history CSV as attain calibrate reads it (clients/cli/history_input.h), then
// calibrated by an in-process attaind.
#include <cstddef>
#include <cstdint>

#include "clients/cli/history_input.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto history = attain::cli::ParseHistoryCsv(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv");
  if (!history.ok()) {
    attain::fuzz::CheckRefusal(history.status());
    return 0;
  }
  if (history->lines.size() != history->rows.size()) {
    attain::fuzz::Fail("a history row without its CSV line");
  }
  attain::v1::CalibratePortfolioRequest request;
  for (attain::v1::HistoryRow& row : history->rows) *request.add_rows() = std::move(row);
  attain::fuzz::CallAndCheck("CalibratePortfolio", request.SerializeAsString());
  return 0;
}
