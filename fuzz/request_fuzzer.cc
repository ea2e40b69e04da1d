// Any bytes as the request of any PlannerService method: the first byte picks the
// method, the rest is the serialized request. The call goes through the whole service
// (wire limits, parsing, conversion, validation, admission, a tiny run, conversion back)
// of an in-process attaind, and its answer must keep fuzz_support.h's invariants.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& service = attain::fuzz::PlannerDescriptor();
  const std::string method = service.method(data[0] % service.method_count())->name();
  attain::fuzz::CallAndCheck(method, std::string(reinterpret_cast<const char*>(data) + 1,
                                                 size - 1));
  return 0;
}
