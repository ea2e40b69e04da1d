// Sizes of a serialized request, checked against the server's limits before it is
// parsed. Parsing costs far more memory than the bytes on the wire (an empty partner is
// 2 bytes on the wire and a message object of about a hundred bytes in memory), so a
// 64 MiB request of empty partners would take gigabytes before any count could be
// checked. Here the count of every repeated field and the length of every string are
// read from the wire format with the message's descriptor: memory O(nesting depth), one
// pass over the bytes, and nothing is allocated per element.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_WIRE_LIMITS_H_
#define ATTAIN_SERVICE_WIRE_LIMITS_H_

#include <cstddef>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/zero_copy_stream.h"
#include "simulator/team.h"
#include "simulator/validation.h"

namespace attain {

struct WireLimits {
  // Most elements of each repeated field (map fields count entries), by the field's full
  // name, e.g. "attain.v1.Portfolio.partners". Repeated fields not listed get
  // `default_max_count`.
  std::map<std::string, size_t> max_count;
  size_t default_max_count = 0;
  // Most elements of a repeated field over the whole request, by full name: a team's
  // partners over all its members.
  std::map<std::string, size_t> max_total;
  // Longest string or bytes field (map keys included).
  size_t max_string_bytes = kMaxNameBytes;
};

// Most rows of a CalibratePortfolio history: 10,000 partners (the default partner limit)
// over two years of months, or 2,000 over ten. At the limit, with 25-byte names, about 17
// MiB on the wire (inside the 64 MiB message limit) and about 140 MB of server memory
// while the parsed request becomes a history (each row is a message with four strings),
// measured; calibration.proto documents it.
inline constexpr size_t kMaxHistoryRows = 240'000;

// The limits of every request of attain.v1.PlannerService: partners, plans, plan
// entries, locked ids and seasonality by `limits`; a team's members and plans by
// `team.max_members`; history rows by kMaxHistoryRows; names by kMaxNameBytes.
WireLimits ServiceWireLimits(const Limits& limits, const TeamLimits& team = {});

// ServiceWireLimits, and for SimulateTeam requests partners and plan entries over all
// members by `team.max_partners`.
WireLimits TeamWireLimits(const Limits& limits, const TeamLimits& team = {});

// The fields of one serialized `type` over `limits`. The scan stops at the first one,
// e.g. "portfolio.partners": "has 4000000 entries, the limit is 10000", or
// "plans[1].name": "is 9000 bytes long, the limit is 256". INVALID_ARGUMENT when the
// bytes are not a serialized message (a truncated or malformed field).
absl::StatusOr<Violations> CheckWireLimits(google::protobuf::io::ZeroCopyInputStream& input,
                                           const google::protobuf::Descriptor& type,
                                           const WireLimits& limits);

}  // namespace attain

#endif  // ATTAIN_SERVICE_WIRE_LIMITS_H_
