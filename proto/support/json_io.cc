#include "proto/support/json_io.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace attain {

absl::StatusOr<v1::Portfolio> ReadPortfolioJson(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path, ": no such file"));
  }
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << file.rdbuf();
  v1::Portfolio portfolio;
  const auto status = google::protobuf::util::JsonStringToMessage(text.str(), &portfolio);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not an attain.v1.Portfolio in JSON: ", status.message().as_string()));
  }
  return portfolio;
}

}  // namespace attain
