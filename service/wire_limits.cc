#include "service/wire_limits.h"

#include <cstdint>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace attain {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

// The API nests four messages deep; anything deeper is not one of its messages.
constexpr int kMaxDepth = 16;

// Elements of a packed repeated scalar field of `length` bytes; -1 for varint types,
// which must be counted one by one.
int64_t PackedFixedCount(const FieldDescriptor& field, uint32_t length) {
  switch (field.type()) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
      return length / 8;
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
      return length / 4;
    default:
      return -1;
  }
}

class Scanner {
 public:
  enum class Result { kWithinLimits, kOverLimit, kMalformed };

  Scanner(CodedInputStream& input, const WireLimits& limits) : in_(input), limits_(limits) {}

  // Scans one message up to the current limit. On kOverLimit, over_limit() names the
  // field relative to this message.
  Result Message(const Descriptor& type, int depth);

  const FieldViolation& over_limit() const { return over_limit_; }

 private:
  size_t MaxCount(const FieldDescriptor& field) const {
    const auto it = limits_.max_count.find(field.full_name());
    return it == limits_.max_count.end() ? limits_.default_max_count : it->second;
  }
  Result LengthDelimited(const FieldDescriptor& field, size_t& count, int depth);
  Result Fail(std::string field, std::string description) {
    over_limit_ = {std::move(field), std::move(description)};
    return Result::kOverLimit;
  }
  // Prefixes the field found over its limit with `field` (and its element index).
  void Nest(const FieldDescriptor& field, size_t index) {
    over_limit_.field = field.is_repeated()
                            ? absl::StrCat(field.name(), "[", index, "].", over_limit_.field)
                            : absl::StrCat(field.name(), ".", over_limit_.field);
  }

  CodedInputStream& in_;
  const WireLimits& limits_;
  FieldViolation over_limit_;
  std::map<std::string, size_t> totals_;  // of the fields in limits_.max_total
};

Scanner::Result Scanner::Message(const Descriptor& type, int depth) {
  if (depth > kMaxDepth) return Result::kMalformed;
  absl::InlinedVector<size_t, 16> counts(static_cast<size_t>(type.field_count()), 0);
  while (true) {
    const uint32_t tag = in_.ReadTag();
    if (tag == 0) {
      if (!in_.ConsumedEntireMessage()) return Result::kMalformed;
      break;
    }
    const FieldDescriptor* field = type.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    if (field == nullptr) {  // unknown: kept as bytes by the parser, bounded by the size
      if (!WireFormatLite::SkipField(&in_, tag)) return Result::kMalformed;
      continue;
    }
    size_t& count = counts[static_cast<size_t>(field->index())];
    if (WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      const Result result = LengthDelimited(*field, count, depth);
      if (result != Result::kWithinLimits) return result;
      continue;
    }
    if (field->is_repeated()) ++count;
    if (!WireFormatLite::SkipField(&in_, tag)) return Result::kMalformed;
  }
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    const size_t count = counts[static_cast<size_t>(i)];
    if (field.is_repeated() && count > MaxCount(field)) {
      return Fail(field.name(), absl::StrCat("has ", count, " entries, the limit is ",
                                             MaxCount(field)));
    }
    if (count == 0) continue;
    if (const auto limit = limits_.max_total.find(field.full_name());
        limit != limits_.max_total.end()) {
      size_t& total = totals_[field.full_name()];
      total += count;
      if (total > limit->second) {
        return Fail(field.name(), absl::StrCat("brings the request's ", field.name(), " to ", total,
                                               ", the limit over the whole request is ",
                                               limit->second));
      }
    }
  }
  return Result::kWithinLimits;
}

Scanner::Result Scanner::LengthDelimited(const FieldDescriptor& field, size_t& count,
                                         int depth) {
  uint32_t length = 0;
  if (!in_.ReadVarint32(&length) || length > INT32_MAX) return Result::kMalformed;
  const size_t index = count;
  const bool counted = field.is_repeated();
  if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
    if (counted) ++count;
    // Past its limit a field is only counted: its elements are not worth a look.
    if (counted && count > MaxCount(field)) {
      return in_.Skip(static_cast<int>(length)) ? Result::kWithinLimits : Result::kMalformed;
    }
    const CodedInputStream::Limit limit = in_.PushLimit(static_cast<int>(length));
    const Result result = Message(*field.message_type(), depth + 1);
    if (result == Result::kOverLimit) Nest(field, index);
    if (result != Result::kWithinLimits) return result;
    in_.PopLimit(limit);
    return Result::kWithinLimits;
  }
  if (field.type() == FieldDescriptor::TYPE_STRING || field.type() == FieldDescriptor::TYPE_BYTES) {
    if (counted) ++count;
    if (length > limits_.max_string_bytes) {
      return Fail(counted ? absl::StrCat(field.name(), "[", index, "]") : field.name(),
                  absl::StrCat("is ", length, " bytes long, the limit is ",
                               limits_.max_string_bytes));
    }
  } else if (counted) {  // a packed repeated scalar
    const int64_t fixed = PackedFixedCount(field, length);
    if (fixed >= 0) {
      count += static_cast<size_t>(fixed);
    } else {
      const CodedInputStream::Limit limit = in_.PushLimit(static_cast<int>(length));
      uint64_t value = 0;
      while (in_.BytesUntilLimit() > 0) {
        if (!in_.ReadVarint64(&value)) return Result::kMalformed;
        ++count;
      }
      in_.PopLimit(limit);
      return Result::kWithinLimits;
    }
  }
  return in_.Skip(static_cast<int>(length)) ? Result::kWithinLimits : Result::kMalformed;
}

}  // namespace

WireLimits ServiceWireLimits(const Limits& limits, const TeamLimits& team) {
  WireLimits wire;
  wire.max_count = {
      {"attain.v1.Portfolio.partners", limits.max_partners},
      {"attain.v1.Portfolio.seasonality", static_cast<size_t>(limits.max_periods)},
      {"attain.v1.Plan.tiers", limits.max_partners},
      {"attain.v1.Plan.hours", limits.max_partners},
      {"attain.v1.ComparePlansRequest.plans", limits.max_plans},
      {"attain.v1.RecommendTiersRequest.locked_partner_ids", limits.max_partners},
      {"attain.v1.RecommendTiersStreamRequest.locked_partner_ids", limits.max_partners},
      {"attain.v1.CalibratePortfolioRequest.rows", kMaxHistoryRows},
      {"attain.v1.Team.members", team.max_members},
      {"attain.v1.Team.plans", team.max_members},
  };
  wire.default_max_count = limits.max_partners;
  wire.max_string_bytes = kMaxNameBytes;
  return wire;
}

WireLimits TeamWireLimits(const Limits& limits, const TeamLimits& team) {
  WireLimits wire = ServiceWireLimits(limits, team);
  wire.max_total = {{"attain.v1.Portfolio.partners", team.max_partners},
                    {"attain.v1.Plan.tiers", team.max_partners},
                    {"attain.v1.Plan.hours", team.max_partners}};
  return wire;
}

absl::StatusOr<Violations> CheckWireLimits(google::protobuf::io::ZeroCopyInputStream& input,
                                           const Descriptor& type, const WireLimits& limits) {
  CodedInputStream coded(&input);
  Scanner scanner(coded, limits);
  Violations violations;
  switch (scanner.Message(type, 0)) {
    case Scanner::Result::kWithinLimits:
      break;
    case Scanner::Result::kOverLimit:
      violations.Add(scanner.over_limit().field, scanner.over_limit().description);
      break;
    case Scanner::Result::kMalformed:
      return absl::InvalidArgumentError(absl::StrCat(
          "the request is not a serialized ", type.full_name(), " (malformed wire format)"));
  }
  return violations;
}

}  // namespace attain
