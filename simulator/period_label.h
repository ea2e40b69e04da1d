// A history's period labels: a whole number ("7"), an ISO month ("2025-07") or an ISO
// date ("2025-07-01", which counts as its month). The one grammar of them, for the
// calibration (history.h) and for clients that check a CSV before sending it.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_PERIOD_LABEL_H_
#define ATTAIN_SIMULATOR_PERIOD_LABEL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace attain {

// A label read: a whole number, or a month as year * 12 + (month - 1); consecutive
// periods of one kind have consecutive ordinals.
struct PeriodLabel {
  enum class Kind { kNumber, kMonth };
  Kind kind = Kind::kNumber;
  int64_t ordinal = 0;
};

// The label, or nullopt when it is none of the three forms (or no real date).
std::optional<PeriodLabel> ParsePeriodLabel(absl::string_view text);

// "7" or "2025-07": how a period is named back to the user.
std::string PeriodLabelText(const PeriodLabel& label);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PERIOD_LABEL_H_
