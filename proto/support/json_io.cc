#include "proto/support/json_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "proto/support/enum_names.h"

namespace attain {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Value;

// The field `key` names, by JSON name (lowerCamelCase) or proto name, as the parser reads it.
const FieldDescriptor* FieldNamed(const Descriptor& type, const std::string& key) {
  for (int i = 0; i < type.field_count(); ++i) {
    if (type.field(i)->json_name() == key) return type.field(i);
  }
  return type.FindFieldByName(key);
}

// Rewrites the enum values of a JSON document, read as a google.protobuf.Value against
// the message type it holds, to their full names (FindEnumValue); what does not name a
// value is listed in `errors` with its path. Anything else is left to the parser.
class EnumNameFixer {
 public:
  void Message(const Descriptor& type, Value& value, const std::string& path) {
    if (!value.has_struct_value()) return;
    for (auto& [key, field_value] : *value.mutable_struct_value()->mutable_fields()) {
      const FieldDescriptor* field = FieldNamed(type, key);
      if (field == nullptr) continue;
      const std::string field_path = path.empty() ? key : absl::StrCat(path, ".", key);
      if (field->is_map()) {
        if (!field_value.has_struct_value()) continue;
        const FieldDescriptor* mapped = field->message_type()->map_value();
        for (auto& [map_key, item] : *field_value.mutable_struct_value()->mutable_fields()) {
          Single(*mapped, item, absl::StrCat(field_path, "[\"", map_key, "\"]"));
        }
      } else if (field->is_repeated()) {
        if (!field_value.has_list_value()) continue;
        auto& items = *field_value.mutable_list_value()->mutable_values();
        for (int i = 0; i < items.size(); ++i) {
          Single(*field, items[i], absl::StrCat(field_path, "[", i, "]"));
        }
      } else {
        Single(*field, field_value, field_path);
      }
    }
  }

  bool changed() const { return changed_; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  void Single(const FieldDescriptor& field, Value& value, const std::string& path) {
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Message(*field.message_type(), value, path);
      return;
    }
    if (field.cpp_type() != FieldDescriptor::CPPTYPE_ENUM || !value.has_string_value()) return;
    const auto* found = FindEnumValue(*field.enum_type(), value.string_value());
    if (found == nullptr) {
      errors_.push_back(absl::StrCat(path, ": \"", value.string_value().substr(0, 64),
                                     "\" is not a value of ", field.enum_type()->name(), ": use ",
                                     EnumChoices(*field.enum_type())));
      return;
    }
    if (found->name() != value.string_value()) {
      value.set_string_value(found->name());
      changed_ = true;
    }
  }

  bool changed_ = false;
  std::vector<std::string> errors_;
};

}  // namespace

absl::Status ParseJsonMessage(const std::string& json, google::protobuf::Message& message) {
  Value document;
  if (const auto status = google::protobuf::util::JsonStringToMessage(json, &document);
      !status.ok()) {
    return absl::InvalidArgumentError(status.message().as_string());
  }
  EnumNameFixer fixer;
  fixer.Message(*message.GetDescriptor(), document, "");
  if (!fixer.errors().empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(fixer.errors(), "; "));
  }
  std::string canonical;
  if (fixer.changed()) {
    if (const auto status = google::protobuf::util::MessageToJsonString(document, &canonical);
        !status.ok()) {
      return absl::InvalidArgumentError(status.message().as_string());
    }
  }
  const auto status =
      google::protobuf::util::JsonStringToMessage(fixer.changed() ? canonical : json, &message);
  if (!status.ok()) return absl::InvalidArgumentError(status.message().as_string());
  return absl::OkStatus();
}

absl::Status ReadJsonMessage(const std::string& path, google::protobuf::Message& message) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path, ": no such file"));
  }
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << file.rdbuf();
  if (const absl::Status status = ParseJsonMessage(text.str(), message); !status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not an ",
                                                   message.GetDescriptor()->full_name(),
                                                   " in JSON: ", status.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Portfolio> ReadPortfolioJson(const std::string& path) {
  v1::Portfolio portfolio;
  if (absl::Status status = ReadJsonMessage(path, portfolio); !status.ok()) return status;
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
