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

// INVALID_ARGUMENT naming the problem when the JSON does not parse; NOT_FOUND when the
// file cannot be read.
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
