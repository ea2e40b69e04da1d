#include "clients/cli/history_input.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "clients/cli/csv.h"
#include "clients/cli/rpc_errors.h"
#include "proto/support/json_io.h"
#include "simulator/period_label.h"

namespace attain::cli {
namespace {

enum class Column { kPartnerId, kPeriod, kRevenue, kHours, kName, kSegment };

struct ColumnSpec {
  Column column;
  const char* name;
  bool required;
};

constexpr ColumnSpec kColumns[] = {
    {Column::kPartnerId, "partner_id", true}, {Column::kPeriod, "period", true},
    {Column::kRevenue, "revenue", true},      {Column::kHours, "hours", true},
    {Column::kName, "name", false},           {Column::kSegment, "segment", false},
};
constexpr size_t kColumnCount = std::size(kColumns);

constexpr char kExpectedColumns[] =
    "partner_id, period, revenue and hours (optional: name, segment)";

// Bytes of a cell quoted in a message; longer ones are cut.
constexpr size_t kMaxQuotedBytes = 40;

std::string Quote(absl::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return absl::StrCat("\"", text, "\"");
  return absl::StrCat("\"", text.substr(0, kMaxQuotedBytes), "...\"");
}

// "Partner ID", "partnerId", "partner_id" -> "partnerid".
std::string NormalizedHeader(absl::string_view header) {
  std::string normalized;
  for (const char c : header) {
    if (c != ' ' && c != '_' && c != '-') normalized += absl::ascii_tolower(c);
  }
  return normalized;
}

// The errors of one file: the first kMaxListedErrors in full, the rest counted.
class ErrorList {
 public:
  explicit ErrorList(absl::string_view source) : source_(source) {}

  void Add(int line, absl::string_view column, absl::string_view what) {
    Push(absl::StrCat(source_, " line ", line, ", column ", column, ": ", what));
  }
  void AddLine(int line, absl::string_view what) {
    Push(absl::StrCat(source_, " line ", line, ": ", what));
  }

  bool empty() const { return total_ == 0; }

  absl::Status ToStatus() const {
    std::string text = absl::StrJoin(listed_, "\n");
    if (total_ > listed_.size()) absl::StrAppend(&text, "\n... and ", total_ - listed_.size(), " more");
    return absl::InvalidArgumentError(text);
  }

 private:
  void Push(std::string message) {
    if (listed_.size() < kMaxListedErrors) listed_.push_back(std::move(message));
    ++total_;
  }

  std::string source_;
  std::vector<std::string> listed_;
  size_t total_ = 0;
};

using Period = PeriodLabel;

// The label of `ordinal` in the history's kind of period.
std::string PeriodText(Period::Kind kind, int64_t ordinal) { return PeriodLabelText({kind, ordinal}); }

// Reads a revenue or hours cell into `value`; otherwise says what is wrong with it.
std::optional<std::string> NumberProblem(const std::string& text, double& value) {
  if (text.empty()) return "is empty (write 0 for none)";
  if (!absl::SimpleAtod(text, &value)) return absl::StrCat(Quote(text), " is not a number");
  if (!std::isfinite(value)) return absl::StrCat(Quote(text), " is not a finite number");
  if (value < 0) return absl::StrCat(text, " is negative");
  return std::nullopt;
}

// The header's column of each ColumnSpec (-1: absent).
using ColumnIndex = std::array<int, kColumnCount>;

ColumnIndex ReadHeader(const CsvRecord& header, ErrorList& errors) {
  ColumnIndex index;
  index.fill(-1);
  for (size_t c = 0; c < header.cells.size(); ++c) {
    const std::string normalized = NormalizedHeader(header.cells[c]);
    for (size_t k = 0; k < kColumnCount; ++k) {
      if (normalized != NormalizedHeader(kColumns[k].name)) continue;
      if (index[k] >= 0) {
        errors.Add(header.line, kColumns[k].name,
                   absl::StrCat("appears twice in the header (columns ", index[k] + 1, " and ",
                                c + 1, ")"));
      } else {
        index[k] = static_cast<int>(c);
      }
    }
  }
  for (size_t k = 0; k < kColumnCount; ++k) {
    if (kColumns[k].required && index[k] < 0) {
      errors.Add(header.line, kColumns[k].name,
                 absl::StrCat("missing from the header; the columns are ", kExpectedColumns));
    }
  }
  return index;
}

// One data record as a row; its period read into `period`.
v1::HistoryRow ReadRow(const CsvRecord& record, const ColumnIndex& index, ErrorList& errors,
                       std::optional<Period>& period) {
  auto cell = [&](Column column) -> const std::string* {
    const int c = index[static_cast<size_t>(column)];
    return c < 0 ? nullptr : &record.cells[static_cast<size_t>(c)];
  };
  v1::HistoryRow row;
  row.set_partner_id(*cell(Column::kPartnerId));
  if (row.partner_id().empty()) errors.Add(record.line, "partner_id", "is empty");
  row.set_period(*cell(Column::kPeriod));
  period = ParsePeriodLabel(row.period());
  if (!period) {
    errors.Add(record.line, "period",
               absl::StrCat(row.period().empty() ? "empty" : Quote(row.period()),
                            " is not a period: expected a whole number (1, 2, ...), a month "
                            "(2025-07) or a date (2025-07-01)"));
  }
  double value = 0;
  if (const auto problem = NumberProblem(*cell(Column::kRevenue), value)) {
    errors.Add(record.line, "revenue", *problem);
  }
  row.set_revenue(value);
  value = 0;
  if (const auto problem = NumberProblem(*cell(Column::kHours), value)) {
    errors.Add(record.line, "hours", *problem);
  }
  row.set_hours(value);
  if (const std::string* name = cell(Column::kName)) row.set_name(*name);
  if (const std::string* segment = cell(Column::kSegment)) row.set_segment(*segment);
  return row;
}

// Periods of one kind, one row per partner and period, consecutive, every partner in
// every period.
void CheckPeriods(const ParsedHistory& parsed, const std::vector<Period>& periods,
                  ErrorList& errors) {
  const Period::Kind kind = periods.front().kind;
  for (size_t k = 0; k < periods.size(); ++k) {
    if (periods[k].kind == kind) continue;
    errors.Add(parsed.lines[k], "period",
               absl::StrCat(Quote(parsed.rows[k].period()), " is ",
                            periods[k].kind == Period::Kind::kMonth ? "a month" : "a number",
                            ", but line ", parsed.lines[0], " labels its period ",
                            kind == Period::Kind::kMonth ? "by month" : "by number",
                            ": label every period the same way"));
    return;
  }
  std::map<std::pair<std::string, int64_t>, size_t> seen;  // (partner, period) -> row
  std::map<int64_t, size_t> first_row_of_period;
  std::map<std::string, std::pair<size_t, std::set<int64_t>>> partners;  // first row, periods
  for (size_t k = 0; k < periods.size(); ++k) {
    const std::string& id = parsed.rows[k].partner_id();
    const int64_t ordinal = periods[k].ordinal;
    const auto [it, added] = seen.emplace(std::make_pair(id, ordinal), k);
    if (!added) {
      errors.Add(parsed.lines[k], "period",
                 absl::StrCat("repeats period ", PeriodText(kind, ordinal), " of partner ",
                              Quote(id), " (line ", parsed.lines[it->second], ")"));
    }
    first_row_of_period.emplace(ordinal, k);
    partners.emplace(id, std::make_pair(k, std::set<int64_t>())).first->second.second.insert(ordinal);
  }
  if (!errors.empty()) return;
  for (auto it = first_row_of_period.begin(); std::next(it) != first_row_of_period.end(); ++it) {
    const auto next = std::next(it);
    if (next->first == it->first + 1) continue;
    const std::string missing =
        next->first == it->first + 2
            ? absl::StrCat(PeriodText(kind, it->first + 1), " is missing")
            : absl::StrCat(PeriodText(kind, it->first + 1), " to ",
                           PeriodText(kind, next->first - 1), " are missing");
    errors.Add(parsed.lines[next->second], "period",
               absl::StrCat("periods are not consecutive: ", missing, " (the rows jump from ",
                            PeriodText(kind, it->first), " to ", PeriodText(kind, next->first),
                            ")"));
  }
  if (!errors.empty()) return;
  // In the order of each partner's first row.
  std::map<size_t, const std::string*> by_first_row;
  for (const auto& [id, partner] : partners) by_first_row.emplace(partner.first, &id);
  for (const auto& [first, id] : by_first_row) {
    const std::set<int64_t>& has = partners.at(*id).second;
    if (has.size() == first_row_of_period.size()) continue;
    std::vector<std::string> missing;
    for (const auto& [ordinal, row] : first_row_of_period) {
      if (!has.contains(ordinal)) missing.push_back(PeriodText(kind, ordinal));
    }
    const size_t shown = std::min<size_t>(missing.size(), 3);
    errors.Add(parsed.lines[first], "partner_id",
               absl::StrCat("partner ", Quote(*id), " has no row for ",
                            missing.size() == 1 ? "period " : "periods ",
                            absl::StrJoin(missing.begin(), missing.begin() + static_cast<long>(shown), ", "),
                            missing.size() > shown ? absl::StrCat(" and ", missing.size() - shown, " more")
                                                   : "",
                            " (every partner needs a row for every period; write 0 for none)"));
  }
}

std::string LowercaseExtension(const std::string& path) {
  return absl::AsciiStrToLower(std::filesystem::path(path).extension().string());
}

// "[17]" at the start of `text` -> 17, the rest of `text` after it in `rest`.
std::optional<size_t> LeadingIndex(absl::string_view text, absl::string_view& rest) {
  if (!absl::ConsumePrefix(&text, "[")) return std::nullopt;
  const size_t close = text.find(']');
  size_t index = 0;
  if (close == absl::string_view::npos || !absl::SimpleAtoi(text.substr(0, close), &index)) {
    return std::nullopt;
  }
  rest = text.substr(close + 1);
  return index;
}

}  // namespace

absl::StatusOr<ParsedHistory> ParseHistoryCsv(absl::string_view text,
                                              absl::string_view source_name) {
  absl::StatusOr<std::vector<CsvRecord>> records = SplitCsv(text, source_name);
  if (!records.ok()) return records.status();
  ErrorList errors(source_name);
  if (records->empty()) {
    errors.AddLine(1, absl::StrCat("the file is empty; expected a header naming the columns ",
                                   kExpectedColumns, ", then one row per partner and period"));
    return errors.ToStatus();
  }
  const CsvRecord& header = records->front();
  const ColumnIndex index = ReadHeader(header, errors);
  if (!errors.empty()) return errors.ToStatus();
  if (records->size() == 1) {
    errors.AddLine(header.line, "only a header, no rows: expected one row per partner and period");
    return errors.ToStatus();
  }
  ParsedHistory parsed;
  std::vector<Period> periods;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    if (record.cells.size() != header.cells.size()) {
      errors.AddLine(record.line, absl::StrCat(record.cells.size(), " cells, but the header has ",
                                               header.cells.size(), " columns"));
      continue;
    }
    std::optional<Period> period;
    parsed.rows.push_back(ReadRow(record, index, errors, period));
    parsed.lines.push_back(record.line);
    periods.push_back(period.value_or(Period()));
  }
  if (!errors.empty()) return errors.ToStatus();
  CheckPeriods(parsed, periods, errors);
  if (!errors.empty()) return errors.ToStatus();
  return parsed;
}

absl::StatusOr<HistoryInput> ReadHistoryInput(const std::string& history_path,
                                              const std::string& base_path) {
  absl::StatusOr<std::string> text = ReadTextFile(history_path);
  if (!text.ok()) return text.status();
  absl::StatusOr<ParsedHistory> parsed = ParseHistoryCsv(*text, history_path);
  if (!parsed.ok()) return parsed.status();
  HistoryInput input;
  input.history_path = history_path;
  input.base_path = base_path;
  input.row_lines = std::move(parsed->lines);
  std::set<std::string> ids;
  for (v1::HistoryRow& row : parsed->rows) {
    ids.insert(row.partner_id());
    *input.request.add_rows() = std::move(row);
  }
  if (base_path.empty()) return input;
  if (LowercaseExtension(base_path) != ".json") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--portfolio ", base_path, ": the base portfolio must be attain.v1.Portfolio JSON (*.json)"));
  }
  absl::StatusOr<v1::Portfolio> base = ReadPortfolioJson(base_path);
  if (!base.ok()) return base.status();
  std::vector<std::string> missing;
  for (int i = 0; i < base->partners_size(); ++i) {
    if (ids.contains(base->partners(i).id())) continue;
    missing.push_back(absl::StrCat(base_path, " partners[", i, "].id: partner ",
                                   Quote(base->partners(i).id()), " has no rows in ",
                                   history_path));
  }
  if (!missing.empty()) {
    const size_t total = missing.size();
    if (total > kMaxListedErrors) missing.resize(kMaxListedErrors);
    std::string message = absl::StrJoin(missing, "\n");
    if (total > missing.size()) absl::StrAppend(&message, "\n... and ", total - missing.size(), " more");
    return absl::InvalidArgumentError(message);
  }
  *input.request.mutable_portfolio() = *std::move(base);
  return input;
}

std::string LocateRequestField(const std::string& field, const HistoryInput& input) {
  absl::string_view rest = field;
  if (absl::ConsumePrefix(&rest, "rows")) {
    if (rest.empty()) return absl::StrCat(input.history_path, " rows");
    absl::string_view column;
    const std::optional<size_t> index = LeadingIndex(rest, column);
    if (!index || *index >= input.row_lines.size()) return field;
    std::string located = absl::StrCat(input.history_path, " line ", input.row_lines[*index]);
    if (absl::ConsumePrefix(&column, ".")) absl::StrAppend(&located, ", column ", column);
    return located;
  }
  if (!input.base_path.empty() && absl::ConsumePrefix(&rest, "portfolio")) {
    if (rest.empty()) return input.base_path;
    if (absl::ConsumePrefix(&rest, ".")) return absl::StrCat(input.base_path, " ", rest);
  }
  return field;
}

std::string DescribeCalibrationError(const grpc::Status& status, const HistoryInput& input,
                                     absl::string_view server, double deadline_seconds) {
  const auto violations = FieldViolations(status);
  if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT || violations.empty()) {
    return DescribeRpcError(status, server, deadline_seconds);
  }
  std::string text = "the server rejected the history:";
  for (const auto& [field, description] : violations) {
    absl::StrAppend(&text, "\n  ", LocateRequestField(field, input), ": ", description);
  }
  if (const size_t total = ViolationsTotal(status); total > violations.size()) {
    absl::StrAppend(&text, "\n  ... and ", total - violations.size(), " more");
  }
  return text;
}

}  // namespace attain::cli
