#include "proto/support/enum_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace attain {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;

// "TIER_" for attain.v1.Tier: its zero value's name without "UNSPECIFIED".
absl::string_view Prefix(const EnumDescriptor& type) {
  const EnumValueDescriptor* zero = type.FindValueByNumber(0);
  if (zero == nullptr) return "";
  absl::string_view name = zero->name();
  return absl::ConsumeSuffix(&name, "UNSPECIFIED") ? name : "";
}

}  // namespace

const EnumValueDescriptor* FindEnumValue(const EnumDescriptor& type, absl::string_view text) {
  const std::string upper = absl::AsciiStrToUpper(text);
  const EnumValueDescriptor* value = type.FindValueByName(upper);
  if (value == nullptr && !absl::StartsWith(upper, Prefix(type))) {
    value = type.FindValueByName(absl::StrCat(Prefix(type), upper));
  }
  return value != nullptr && value->number() != 0 ? value : nullptr;
}

std::string EnumChoices(const EnumDescriptor& type) {
  std::vector<std::string> names;
  for (int i = 0; i < type.value_count(); ++i) {
    if (type.value(i)->number() == 0) continue;
    names.emplace_back(absl::StripPrefix(type.value(i)->name(), Prefix(type)));
  }
  if (names.empty()) return "";
  std::string choices = names.back();
  if (names.size() >= 2) {
    names.pop_back();
    choices = absl::StrCat(absl::StrJoin(names, ", "), " or ", choices);
  }
  return absl::StrCat(choices, " (any case, with or without ", Prefix(type), ")");
}

}  // namespace attain
