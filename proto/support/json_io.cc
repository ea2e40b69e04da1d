#include "proto/support/json_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
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

absl::Status WriteTextFile(const std::string& path, absl::string_view text) {
  const std::filesystem::path target(path);
  std::error_code error;
  const std::filesystem::path directory =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(directory, error)) {
    return absl::NotFoundError(
        absl::StrCat("cannot write ", path, ": no such directory ", directory.string()));
  }
  // Beside the target, so that the rename stays within one file system.
  const std::string temporary = absl::StrCat(path, ".tmp", ::getpid());
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file.write(text.data(), static_cast<std::streamsize>(text.size()));
    file.close();
    if (!file) {
      const std::string reason = std::strerror(errno);
      std::remove(temporary.c_str());
      return absl::UnknownError(absl::StrCat("cannot write ", path, ": ", reason));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    return absl::UnknownError(absl::StrCat("cannot write ", path, ": ", reason));
  }
  return absl::OkStatus();
}

absl::Status WriteMessageJson(const google::protobuf::Message& message, const std::string& path) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  if (const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
      !status.ok()) {
    return absl::InternalError(absl::StrCat("cannot write the ",
                                            message.GetDescriptor()->name(), " as JSON: ",
                                            status.message().as_string()));
  }
  return WriteTextFile(path, json);
}

absl::Status WritePortfolioJson(const v1::Portfolio& portfolio, const std::string& path) {
  return WriteMessageJson(portfolio, path);
}

}  // namespace attain
