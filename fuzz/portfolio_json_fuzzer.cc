// Portfolio JSON as attain reads it (proto/support/json_io.h: enum values without their
// prefix, any case). A portfolio it accepts is simulated on a few paths by an in-process
// attaind; a refusal must say what is wrong, briefly.
#include <cstddef>
#include <cstdint>
#include <string>

#include "attain/v1/portfolio.pb.h"
#include "fuzz/fuzz_support.h"
#include "proto/support/json_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  attain::v1::Portfolio portfolio;
  const absl::Status parsed = attain::ParseJsonMessage(
      std::string(reinterpret_cast<const char*>(data), size), portfolio);
  if (!parsed.ok()) {
    attain::fuzz::CheckRefusal(parsed);
    return 0;
  }
  attain::v1::SimulateRequest request;
  *request.mutable_portfolio() = std::move(portfolio);
  request.mutable_options()->set_paths(64);
  request.mutable_options()->set_seed(1);
  attain::fuzz::CallAndCheck("Simulate", request.SerializeAsString());
  return 0;
}
