#include "clients/cli/portfolio_input.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/csv.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "proto/support/enum_names.h"
#include "proto/support/json_io.h"

namespace attain::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string LowercaseExtension(const std::string& path) {
  return absl::AsciiStrToLower(std::filesystem::path(path).extension().string());
}

// The partner field a CSV column sets: the fields from Partner down to a scalar.
struct CsvColumn {
  std::string header;
  std::vector<const FieldDescriptor*> path;
};

const FieldDescriptor* FindField(const Descriptor& message, absl::string_view name) {
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor* field = message.field(i);
    if (field->name() == name || field->json_name() == name) return field;
  }
  return nullptr;
}

std::string FieldNames(const Descriptor& message) {
  std::vector<std::string> names;
  for (int i = 0; i < message.field_count(); ++i) names.push_back(message.field(i)->name());
  return absl::StrJoin(names, ", ");
}

// Every column a partners CSV may have, by proto name: "tier", "response.max_lift", ...
void ColumnNames(const Descriptor& message, const std::string& prefix,
                 std::vector<std::string>& out) {
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor* field = message.field(i);
    if (field->is_repeated()) continue;
    const std::string name = absl::StrCat(prefix, field->name());
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      ColumnNames(*field->message_type(), name + ".", out);
    } else {
      out.push_back(name);
    }
  }
}

// Levenshtein distance, for suggestions among a few dozen short names.
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The columns a header that names no field may have meant: those it names the last part
// of ("max_lift" -> "response.max_lift"), else those within two edits of it (ignoring
// case, "_" and "-"); "" when none.
std::string SuggestColumns(absl::string_view header) {
  std::vector<std::string> names;
  ColumnNames(*v1::Partner::descriptor(), "", names);
  const auto plain = [](absl::string_view text) {
    std::string out;
    for (const char c : text) {
      if (c != '_' && c != '-') out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
    return out;
  };
  std::vector<std::string> found;
  for (const std::string& name : names) {
    const size_t dot = name.rfind('.');
    if (dot != std::string::npos && plain(name.substr(dot + 1)) == plain(header)) {
      found.push_back(name);
    }
  }
  if (found.empty()) {
    size_t best = 3;
    for (const std::string& name : names) {
      const size_t distance = EditDistance(plain(header), plain(name));
      if (distance < best) found.clear();
      if (distance <= std::min<size_t>(best, 2)) {
        best = distance;
        found.push_back(name);
      }
    }
  }
  if (found.empty()) return "";
  return absl::StrCat("; did you mean \"", absl::StrJoin(found, "\" or \""), "\"?");
}

// `line`: the header's line, after any comment lines.
absl::StatusOr<CsvColumn> ResolveColumn(absl::string_view header, size_t index,
                                        absl::string_view source, int line) {
  auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(source, ":", line, ": column ", index + 1,
                                                   " \"", header, "\": ", why));
  };
  if (header.empty()) return error("empty column name");
  CsvColumn column;
  column.header = std::string(header);
  const Descriptor* message = v1::Partner::descriptor();
  const std::vector<absl::string_view> parts = absl::StrSplit(header, '.');
  for (size_t k = 0; k < parts.size(); ++k) {
    const FieldDescriptor* field = FindField(*message, parts[k]);
    if (field == nullptr) {
      return error(absl::StrCat("no field \"", parts[k], "\" in ", message->full_name(),
                                SuggestColumns(header), " (fields: ", FieldNames(*message),
                                ")"));
    }
    if (field->is_repeated()) return error("repeated and map fields cannot be CSV columns");
    column.path.push_back(field);
    const bool last = k + 1 == parts.size();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (last) {
        return error(absl::StrCat("\"", parts[k], "\" is a message; name one of its fields, e.g. ",
                                  parts[k], ".", field->message_type()->field(0)->name()));
      }
      message = field->message_type();
    } else if (!last) {
      return error(absl::StrCat("\"", parts[k], "\" has no fields"));
    }
  }
  return column;
}

// Sets `column`'s field of `partner` from the text of a non-empty cell.
absl::Status SetCell(const CsvColumn& column, const std::string& text, v1::Partner& partner) {
  Message* target = &partner;
  for (size_t k = 0; k + 1 < column.path.size(); ++k) {
    target = target->GetReflection()->MutableMessage(target, column.path[k]);
  }
  const FieldDescriptor* field = column.path.back();
  const Reflection* reflection = target->GetReflection();
  auto expected = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("expected ", what, ", got \"", text, "\""));
  };
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(target, field, text);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double value = 0;
      if (!absl::SimpleAtod(text, &value)) return expected("a number");
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        reflection->SetDouble(target, field, value);
      } else {
        reflection->SetFloat(target, field, static_cast<float>(value));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) return expected("a whole number");
      reflection->SetInt32(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) return expected("a whole number");
      reflection->SetInt64(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) return expected("a whole number >= 0");
      reflection->SetUInt32(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) return expected("a whole number >= 0");
      reflection->SetUInt64(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool value = false;
      if (!absl::SimpleAtob(text, &value)) return expected("true or false");
      reflection->SetBool(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumValueDescriptor* value = FindEnumValue(*field->enum_type(), text);
      if (value == nullptr) {
        return expected(EnumChoices(*field->enum_type()));
      }
      reflection->SetEnum(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;  // ResolveColumn admits scalars only
  }
  return absl::InternalError("unsupported field type");
}

}  // namespace

absl::StatusOr<std::vector<v1::Partner>> ParsePartnersCsv(absl::string_view text,
                                                          absl::string_view source_name,
                                                          CsvPortfolioMap* csv) {
  absl::StatusOr<std::vector<CsvRecord>> records = SplitCsv(text, source_name);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_name, ": empty; expected a header line naming partner fields"));
  }
  const CsvRecord& header = records->front();
  std::vector<CsvColumn> columns;
  for (size_t c = 0; c < header.cells.size(); ++c) {
    absl::StatusOr<CsvColumn> column =
        ResolveColumn(header.cells[c], c, source_name, header.line);
    if (!column.ok()) return column.status();
    for (const CsvColumn& earlier : columns) {
      if (earlier.path == column->path) {
        return absl::InvalidArgumentError(
            absl::StrCat(source_name, ":", header.line, ": columns \"", earlier.header,
                         "\" and \"", column->header, "\" set the same field"));
      }
    }
    columns.push_back(*std::move(column));
  }

  std::vector<v1::Partner> partners;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    if (record.cells.size() != columns.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_name, ":", record.line, ": ", record.cells.size(),
                       " cells, but the header has ", columns.size(), " columns"));
    }
    v1::Partner partner;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (record.cells[c].empty()) continue;  // unset: the service applies the default
      if (absl::Status status = SetCell(columns[c], record.cells[c], partner); !status.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(source_name, ":", record.line,
                                                       ": column \"", columns[c].header,
                                                       "\": ", status.message()));
      }
    }
    partners.push_back(std::move(partner));
    if (csv != nullptr) csv->partner_lines.push_back(record.line);
  }
  if (csv != nullptr) {
    csv->path = std::string(source_name);
    for (size_t c = 0; c < columns.size(); ++c) {
      std::vector<std::string> names;
      for (const FieldDescriptor* field : columns[c].path) names.push_back(field->name());
      const std::string field = absl::StrJoin(names, ".");
      csv->columns[field] = c + 1;
      csv->headers[field] = columns[c].header;
    }
  }
  return partners;
}

std::string LocateCsvField(const std::string& field, const CsvPortfolioMap& csv) {
  absl::string_view rest = field;
  size_t index = 0;
  if (!absl::ConsumePrefix(&rest, "portfolio.partners[")) return field;
  const size_t close = rest.find(']');
  if (close == absl::string_view::npos || !absl::SimpleAtoi(rest.substr(0, close), &index) ||
      index >= csv.partner_lines.size()) {
    return field;
  }
  rest.remove_prefix(close + 1);
  std::string located = absl::StrCat(csv.path, ":", csv.partner_lines[index]);
  if (!absl::ConsumePrefix(&rest, ".")) return located;
  const auto column = csv.columns.find(std::string(rest));
  if (column == csv.columns.end()) return absl::StrCat(located, ": ", rest);
  return absl::StrCat(located, ": column ", column->second, " \"",
                      csv.headers.at(column->first), "\"");
}

absl::StatusOr<v1::Portfolio> ReadPortfolioSettings(const std::string& path) {
  absl::StatusOr<v1::Portfolio> settings = ReadPortfolioJson(path);
  if (!settings.ok()) return settings.status();
  if (settings->partners_size() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": a portfolio settings file lists no partners (they come from the CSV); "
              "remove \"partners\""));
  }
  return settings;
}

void ApplyOverrides(const PortfolioOverrides& overrides, v1::Portfolio& portfolio) {
  if (overrides.quota) portfolio.set_quota(*overrides.quota);
  if (overrides.periods) portfolio.set_periods(*overrides.periods);
  if (overrides.capacity_hours) portfolio.set_capacity_hours(*overrides.capacity_hours);
  if (overrides.currency) portfolio.set_currency(*overrides.currency);
  if (overrides.segment_correlation) {
    portfolio.set_segment_correlation(*overrides.segment_correlation);
  }
}

absl::StatusOr<v1::Portfolio> ReadPortfolio(const PortfolioSource& source,
                                            CsvPortfolioMap* csv) {
  const std::string extension = LowercaseExtension(source.path);
  v1::Portfolio portfolio;
  if (extension == ".json") {
    if (!source.settings_path.empty()) {
      return absl::InvalidArgumentError(
          "--portfolio-json is for CSV portfolios; a JSON portfolio carries its own settings "
          "(flags such as --quota still apply)");
    }
    absl::StatusOr<v1::Portfolio> read = ReadPortfolioJson(source.path);
    if (!read.ok()) return read.status();
    portfolio = *std::move(read);
  } else if (extension == ".csv") {
    if (!source.settings_path.empty()) {
      absl::StatusOr<v1::Portfolio> settings = ReadPortfolioSettings(source.settings_path);
      if (!settings.ok()) return settings.status();
      portfolio = *std::move(settings);
    }
    absl::StatusOr<std::string> text = ReadTextFile(source.path);
    if (!text.ok()) return text.status();
    absl::StatusOr<std::vector<v1::Partner>> partners =
        ParsePartnersCsv(*text, source.path, csv);
    if (!partners.ok()) return partners.status();
    for (v1::Partner& partner : *partners) *portfolio.add_partners() = std::move(partner);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        source.path, ": a portfolio file must end in .json (attain.v1.Portfolio) or .csv "
                     "(one partner per row)"));
  }
  ApplyOverrides(source.overrides, portfolio);
  return portfolio;
}

absl::StatusOr<v1::Plan> ReadPlan(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  v1::Plan plan;
  if (const absl::Status status = ParseJsonMessage(*text, plan); !status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not an attain.v1.Plan in JSON: ", status.message()));
  }
  if (plan.name().empty()) plan.set_name(std::filesystem::path(path).stem().string());
  return plan;
}

bool IsBadInput(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kNotFound;
}

}  // namespace attain::cli
