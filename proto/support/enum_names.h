// Enum values as people write them: "MAINTAIN", "maintain" and "TIER_MAINTAIN" all name
// attain.v1.TIER_MAINTAIN. Every enum of the API prefixes its values with its name in
// upper snake case (buf's rule), and its zero value ends in _UNSPECIFIED: that one means
// "not set" and is never named here.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_PROTO_SUPPORT_ENUM_NAMES_H_
#define ATTAIN_PROTO_SUPPORT_ENUM_NAMES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace attain {

// The value of `type` that `text` names, with or without the type's prefix, in any case;
// null when none does, or when it names the zero value.
const google::protobuf::EnumValueDescriptor* FindEnumValue(
    const google::protobuf::EnumDescriptor& type, absl::string_view text);

// The values a user may write, for messages: "INVEST, MAINTAIN or OPPORTUNISTIC (any
// case, with or without TIER_)".
std::string EnumChoices(const google::protobuf::EnumDescriptor& type);

}  // namespace attain

#endif  // ATTAIN_PROTO_SUPPORT_ENUM_NAMES_H_
