#include "clients/cli/csv.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace attain::cli {

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path, ": no such file"));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

absl::StatusOr<std::vector<CsvRecord>> SplitCsv(absl::string_view text, absl::string_view source) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 BOM from spreadsheets
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string cell;
  bool cell_quoted = false;
  bool record_has_content = false;
  int line = 1;
  record.line = 1;

  auto end_cell = [&] {
    record.cells.push_back(cell_quoted ? cell : std::string(absl::StripAsciiWhitespace(cell)));
    if (!cell.empty() || cell_quoted) record_has_content = true;
    cell.clear();
    cell_quoted = false;
  };
  auto end_record = [&] {
    end_cell();
    // Rows without any value (blank lines, ",,," from spreadsheets) are not partners.
    if (record_has_content) records.push_back(std::move(record));
    record = CsvRecord();
    record.line = line;
    record_has_content = false;
  };

  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '#' && record.cells.empty() && cell.empty() && !cell_quoted) {
      // A comment line (attain init's templates explain their columns in them): '#' first
      // on a line that is not inside a quoted cell. Skipped to its line break, which is
      // counted as any other, so later lines keep their numbers. A cell that must start
      // with '#' in the first column is quoted ("#1 Reseller").
      while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
      continue;
    }
    if (c == '"' && absl::StripAsciiWhitespace(cell).empty() && !cell_quoted) {
      // A quoted cell: runs to the matching quote, across commas and line breaks.
      const int start_line = line;
      cell.clear();
      cell_quoted = true;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            cell.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        cell.push_back(text[i++]);
      }
      if (!closed) {
        return absl::InvalidArgumentError(absl::StrCat(
            source, ":", start_line, ": a quoted cell (column ", record.cells.size() + 1,
            ") has no closing quote"));
      }
      // Only spaces may follow the closing quote before the cell ends.
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return absl::InvalidArgumentError(absl::StrCat(
            source, ":", line, ": unexpected text after the closing quote of column ",
            record.cells.size() + 1, " (write a quote inside a quoted cell as \"\")"));
      }
      continue;
    }
    if (c == ',') {
      end_cell();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_record();
    } else {
      cell.push_back(c);
    }
    ++i;
  }
  end_record();
  return records;
}

}  // namespace attain::cli
