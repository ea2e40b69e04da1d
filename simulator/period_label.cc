#include "simulator/period_label.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace attain {
namespace {

bool IsDigits(absl::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<PeriodLabel> ParsePeriodLabel(absl::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t number = 0;
  if (absl::SimpleAtoi(text, &number) && IsDigits(text.substr(text[0] == '-' ? 1 : 0))) {
    return PeriodLabel{PeriodLabel::Kind::kNumber, number};
  }
  // YYYY-MM or YYYY-MM-DD.
  if ((text.size() != 7 && text.size() != 10) || text[4] != '-') return std::nullopt;
  int year = 0;
  int month = 0;
  if (!IsDigits(text.substr(0, 4)) || !IsDigits(text.substr(5, 2)) ||
      !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) || month < 1 || month > 12) {
    return std::nullopt;
  }
  if (text.size() == 10) {
    int day = 0;
    if (text[7] != '-' || !IsDigits(text.substr(8, 2)) ||
        !absl::SimpleAtoi(text.substr(8, 2), &day) || day < 1 ||
        day > DaysInMonth(year, month)) {
      return std::nullopt;
    }
  }
  return PeriodLabel{PeriodLabel::Kind::kMonth, int64_t{year} * 12 + (month - 1)};
}

std::string PeriodLabelText(const PeriodLabel& label) {
  if (label.kind == PeriodLabel::Kind::kNumber) return absl::StrCat(label.ordinal);
  return absl::StrFormat("%04d-%02d", label.ordinal / 12, label.ordinal % 12 + 1);
}

}  // namespace attain
