// Reading and writing API messages as protobuf JSON files (the attain.v1 JSON mapping),
// for the CLI, the tests and the benchmarks.
//
// Thread-safe.
#ifndef ATTAIN_PROTO_SUPPORT_JSON_IO_H_
#define ATTAIN_PROTO_SUPPORT_JSON_IO_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "attain/v1/portfolio.pb.h"

namespace attain {

// Parses protobuf JSON into `message`, accepting enum values as people write them
// (enum_names.h: "maintain" for TIER_MAINTAIN). INVALID_ARGUMENT naming the problem: the
// parser's message, or each enum value that names none with its path and the values
// there are ("plans[0].tiers[\"acme\"]: \"MAINTAINED\" is not a value of Tier: use
// INVEST, MAINTAIN or OPPORTUNISTIC"). A document whose enum names had to be rewritten
// is parsed from google.protobuf.Value, which holds numbers as doubles: a 64-bit integer
// beyond 2^53 must then be quoted, as proto3 JSON writes it.
absl::Status ParseJsonMessage(const std::string& json, google::protobuf::Message& message);

// ParseJsonMessage of a file. INVALID_ARGUMENT naming the file, the message type and the
// problem when the JSON does not parse; NOT_FOUND when the file cannot be read.
absl::Status ReadJsonMessage(const std::string& path, google::protobuf::Message& message);

// ReadJsonMessage of a portfolio.
absl::StatusOr<v1::Portfolio> ReadPortfolioJson(const std::string& path);

// Writes `text` to `path`, all or nothing: to a temporary file beside it, then renamed
// over it. NOT_FOUND when the directory does not exist; UNKNOWN when the file cannot be
// written.
absl::Status WriteTextFile(const std::string& path, absl::string_view text);

// Writes `message` as protobuf JSON (indented, lowerCamelCase names) to `path`, as
// WriteTextFile does.
absl::Status WriteMessageJson(const google::protobuf::Message& message, const std::string& path);

// WriteMessageJson of a portfolio: the form ReadPortfolioJson reads.
absl::Status WritePortfolioJson(const v1::Portfolio& portfolio, const std::string& path);

}  // namespace attain

#endif  // ATTAIN_PROTO_SUPPORT_JSON_IO_H_
