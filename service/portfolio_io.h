// Reading portfolios from protobuf JSON files (the attain.v1.Portfolio JSON mapping).
//
// Thread-safe.
#ifndef ATTAIN_SERVICE_PORTFOLIO_IO_H_
#define ATTAIN_SERVICE_PORTFOLIO_IO_H_

#include <string>

#include "absl/status/statusor.h"
#include "attain/v1/portfolio.pb.h"

namespace attain {

// INVALID_ARGUMENT naming the problem when the JSON does not parse; NOT_FOUND when the
// file cannot be read.
absl::StatusOr<v1::Portfolio> ReadPortfolioJson(const std::string& path);

}  // namespace attain

#endif  // ATTAIN_SERVICE_PORTFOLIO_IO_H_
