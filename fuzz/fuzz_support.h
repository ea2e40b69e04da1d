// What the fuzz targets share: an attaind in the fuzzing process with small limits (so
// that every accepted request is a tiny run), calls to it, and the invariants every
// answer must keep. A broken invariant prints what broke and aborts, so libFuzzer keeps
// the input as a crash and the corpus replay (replay_main.cc) fails.
//
// Invariants: an accepted request's answer holds only finite numbers, every probability
// lies in [0, 1] and every interval of one contains its estimate; a refusal is one of
// the codes a caller is told to expect, and INVALID_ARGUMENT names the fields at fault
// (google.rpc.BadRequest) unless the bytes were not the method's request at all.
//
// Thread-compatible: the targets call it from one thread.
#ifndef ATTAIN_FUZZ_FUZZ_SUPPORT_H_
#define ATTAIN_FUZZ_FUZZ_SUPPORT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace attain::fuzz {

// The in-process server's limits: a request beyond them is refused before it runs.
inline constexpr uint64_t kMaxPaths = 256;
inline constexpr uint64_t kMaxPartners = 64;
inline constexpr int kMaxPeriods = 24;
inline constexpr double kMaxWork = 4e6;  // partner-periods x paths

// Prints `what` (cut to 2 KB) and aborts.
[[noreturn]] void Fail(absl::string_view what);

// A stub of the in-process server, started on the first call.
v1::PlannerService::Stub& Planner();

// attain.v1.PlannerService's descriptor: its methods, in the order of the proto.
const google::protobuf::ServiceDescriptor& PlannerDescriptor();

// Sends `bytes` as the request of PlannerService method `method` ("Simulate") and, for
// the server-streaming methods, reads every message; `response` gets the unary answer or
// the stream's last message. Checks CheckAnswer on the result.
void CallAndCheck(absl::string_view method, const std::string& bytes);

// The invariants of a call's outcome: `response` is the answer when `status` is OK.
void CheckAnswer(const grpc::Status& status, const google::protobuf::Message* response);

// Every double in `message` (recursively) finite; every field named *probability* in
// [0, 1]; every attainment_interval (and *_interval of a probability) contains its
// estimate.
void CheckFigures(const google::protobuf::Message& message);

// A parser's refusal: a message that says something (not empty) and is bounded (4 KiB).
void CheckRefusal(const absl::Status& status);

// The example portfolio (examples/portfolio.json), built into the targets.
const v1::Portfolio& ExamplePortfolio();

}  // namespace attain::fuzz

#endif  // ATTAIN_FUZZ_FUZZ_SUPPORT_H_
