#include "clients/cli/text_table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace attain::cli {

size_t DisplayWidth(absl::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Wrap(absl::string_view text, absl::string_view prefix, size_t width) {
  std::string wrapped;
  std::string line(prefix);
  size_t line_width = DisplayWidth(prefix);
  bool line_has_words = false;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    const size_t word_width = DisplayWidth(word);
    if (line_has_words && line_width + 1 + word_width > width) {
      absl::StrAppend(&wrapped, line, "\n");
      line.assign(prefix.data(), prefix.size());
      line_width = DisplayWidth(prefix);
      line_has_words = false;
    }
    if (line_has_words) {
      line += ' ';
      ++line_width;
    }
    absl::StrAppend(&line, word);
    line_width += word_width;
    line_has_words = true;
  }
  absl::StrAppend(&wrapped, absl::StripTrailingAsciiWhitespace(line), "\n");
  return wrapped;
}

void TextTable::AddColumn(std::string header, Align align) {
  headers_.push_back(std::move(header));
  aligns_.push_back(align);
}

void TextTable::AddRow(std::vector<std::string> cells, std::string note) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
  notes_.push_back(std::move(note));
}

std::string TextTable::Render(absl::string_view indent) const {
  std::vector<size_t> widths(headers_.size());
  for (size_t c = 0; c < headers_.size(); ++c) {
    widths[c] = DisplayWidth(headers_[c]);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string text;
  auto append_line = [&](const std::vector<std::string>& cells) {
    std::string line(indent);
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string padding(widths[c] - DisplayWidth(cells[c]), ' ');
      if (c > 0) line += "  ";
      line += aligns_[c] == Align::kRight ? padding + cells[c] : cells[c] + padding;
    }
    // Trailing spaces of a left-aligned last column are noise in files and diffs.
    absl::StrAppend(&text, absl::StripTrailingAsciiWhitespace(line), "\n");
  };
  append_line(headers_);
  size_t table_width = DisplayWidth(indent);
  for (size_t c = 0; c < widths.size(); ++c) table_width += widths[c] + (c > 0 ? 2 : 0);
  const size_t wrap_width = std::max(table_width, kMinWrapWidth);
  const std::string note_indent = absl::StrCat(indent, "    ");
  for (size_t r = 0; r < rows_.size(); ++r) {
    append_line(rows_[r]);
    if (!notes_[r].empty()) text += Wrap(notes_[r], note_indent, wrap_width);
  }
  return text;
}

}  // namespace attain::cli
