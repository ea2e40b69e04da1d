// A comparison block's output (RunSums, member sums included) as bytes, so that a block
// simulated by another replica merges into a run exactly as if simulated here: every
// double and count is copied bit for bit. The layout is the host's (little-endian x86-64
// on every replica of a deployment), with a header that names the format's version.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_BLOCK_CODEC_H_
#define ATTAIN_SIMULATOR_BLOCK_CODEC_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "simulator/member_sums.h"
#include "simulator/run_sums.h"

namespace attain {

// What a run's blocks hold: the decoder checks every count against it.
struct BlockShape {
  size_t plans = 0;
  size_t partners = 0;
  size_t periods = 0;
  const MemberSplit* split = nullptr;  // a team run's, else none
};

std::string EncodeBlock(const RunSums& block);

// INVALID_ARGUMENT (bytes of another shape or version, truncated, or more than one
// block's paths) or the block.
absl::StatusOr<std::unique_ptr<RunSums>> DecodeBlock(std::string_view bytes,
                                                     const BlockShape& shape);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_BLOCK_CODEC_H_
