// Exercise ids (simulator/exercise_id.h): an id that parses formats back to itself in
// its canonical spelling and parses again to the same exercise; the server answers
// SubmitExercise on any of them within the invariants.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"
#include "simulator/exercise_id.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view id(reinterpret_cast<const char*>(data), size);
  const auto key = attain::ParseExerciseId(id);
  if (!key.ok()) {
    attain::fuzz::CheckRefusal(key.status());
    return 0;
  }
  const std::string canonical = attain::FormatExerciseId(*key);
  const auto again = attain::ParseExerciseId(canonical);
  if (!again.ok() || attain::FormatExerciseId(*again) != canonical) {
    attain::fuzz::Fail(absl::StrCat("exercise id does not round-trip: ", canonical));
  }
  attain::v1::SubmitExerciseRequest request;
  request.set_exercise_id(std::string(id));
  *request.mutable_plan() = attain::v1::Plan();
  attain::fuzz::CallAndCheck("SubmitExercise", request.SerializeAsString());
  return 0;
}
