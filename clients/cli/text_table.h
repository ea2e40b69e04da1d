// Plain-text layout for the attain CLI's reports: columns padded to their widest cell,
// notes under rows and paragraphs word-wrapped, widths counted as a terminal shows UTF-8.
//
// Value types and pure functions; thread-compatible.
#ifndef ATTAIN_CLIENTS_CLI_TEXT_TABLE_H_
#define ATTAIN_CLIENTS_CLI_TEXT_TABLE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace attain::cli {

// Characters as a terminal shows them: UTF-8 continuation bytes take no column.
size_t DisplayWidth(absl::string_view text);

// Notes under table rows wrap at the table's width, or at this many columns if it is narrower.
inline constexpr size_t kMinWrapWidth = 80;

// `text` word-wrapped to `width` columns, each line after `prefix` and ending in "\n". A
// word longer than a line stays whole.
std::string Wrap(absl::string_view text, absl::string_view prefix, size_t width);

// Columns padded to their widest cell, two spaces apart.
class TextTable {
 public:
  enum class Align { kLeft, kRight };

  void AddColumn(std::string header, Align align);

  // `note`, if any, goes on its own line(s) under the row, indented and word-wrapped.
  void AddRow(std::vector<std::string> cells, std::string note = "");

  // The header and the rows, each line after `indent` and ending in "\n".
  std::string Render(absl::string_view indent) const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> aligns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> notes_;
};

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_TEXT_TABLE_H_
