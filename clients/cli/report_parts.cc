#include "clients/cli/report_parts.h"

#include "absl/strings/str_cat.h"
#include "proto/support/text.h"

namespace attain::cli {

PartnerNames NamesOf(const v1::Portfolio& portfolio) {
  PartnerNames names;
  for (const v1::Partner& p : portfolio.partners()) {
    if (!p.name().empty()) names.emplace(p.id(), p.name());
  }
  return names;
}

bool AnyName(const PartnerNames& names) { return !names.empty(); }

std::string NameCell(const PartnerNames& names, const std::string& partner_id) {
  const auto it = names.find(partner_id);
  if (it == names.end()) return "";
  const std::string& name = it->second;
  if (DisplayWidth(name) <= kNameColumnWidth) return name;
  // Keep whole characters up to kNameColumnWidth - 3 columns, then "...".
  size_t end = 0;
  size_t columns = 0;
  while (end < name.size()) {
    size_t next = end + 1;
    while (next < name.size() && (static_cast<unsigned char>(name[next]) & 0xC0) == 0x80) ++next;
    if (++columns > kNameColumnWidth - 3) break;
    end = next;
  }
  return absl::StrCat(name.substr(0, end), "...");
}

std::string PartnerWithName(const std::string& partner_id, const PartnerNames& names) {
  const std::string name = NameCell(names, partner_id);
  return name.empty() ? partner_id : absl::StrCat(partner_id, " (", name, ")");
}

std::string PeriodsPhrase(int periods, v1::PeriodLength length) {
  return absl::StrCat(periods, " ", PeriodWord(length), periods == 1 ? "" : "s");
}

std::string WarningLines(const google::protobuf::RepeatedPtrField<v1::Warning>& warnings,
                         v1::WarningCode skipped) {
  std::string text;
  for (const v1::Warning& w : warnings) {
    if (w.code() == skipped && skipped != v1::WARNING_CODE_UNSPECIFIED) continue;
    text += Wrap(absl::StrCat("WARNING: ", w.message()), "  ", kMinWrapWidth);
  }
  return text;
}

}  // namespace attain::cli
