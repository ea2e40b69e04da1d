// Plan JSON as attain reads it, simulated on the example portfolio by an in-process
// attaind (plans name partners that may not exist, hours that may be anything).
#include <cstddef>
#include <cstdint>
#include <string>

#include "attain/v1/portfolio.pb.h"
#include "fuzz/fuzz_support.h"
#include "proto/support/json_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  attain::v1::Plan plan;
  const absl::Status parsed =
      attain::ParseJsonMessage(std::string(reinterpret_cast<const char*>(data), size), plan);
  if (!parsed.ok()) {
    attain::fuzz::CheckRefusal(parsed);
    return 0;
  }
  attain::v1::ComparePlansRequest request;
  *request.mutable_portfolio() = attain::fuzz::ExamplePortfolio();
  request.add_plans()->set_name("current tiers");
  *request.add_plans() = std::move(plan);
  request.mutable_options()->set_paths(64);
  request.mutable_options()->set_seed(1);
  attain::fuzz::CallAndCheck("ComparePlans", request.SerializeAsString());
  return 0;
}
