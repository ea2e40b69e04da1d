#include "clients/report/report_assets.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

// The files are assembled into the binary's read-only data with .incbin (their paths
// come from CMake), rather than turned into C++ literals: ECharts alone is over 1 MB, and
// this keeps the build fast and the bytes exact. Each file gets a start and an end label.
#define ATTAIN_EMBED(symbol, path)                                   \
  asm(".section .rodata\n"                                           \
      ".balign 16\n"                                                 \
      ".globl " #symbol "\n" #symbol ":\n"                           \
      ".incbin \"" path "\"\n"                                       \
      ".globl " #symbol "_end\n" #symbol "_end:\n"                   \
      ".byte 0\n"                                                    \
      ".previous\n");                                                \
  extern "C" const char symbol[];                                    \
  extern "C" const char symbol##_end[]

ATTAIN_EMBED(attain_report_template, ATTAIN_REPORT_TEMPLATE_FILE);
ATTAIN_EMBED(attain_report_css, ATTAIN_REPORT_CSS_FILE);
ATTAIN_EMBED(attain_report_echarts, ATTAIN_REPORT_ECHARTS_FILE);
ATTAIN_EMBED(attain_report_render, ATTAIN_REPORT_RENDER_FILE);

namespace attain::report {
namespace {

absl::string_view Between(const char* begin, const char* end) {
  return absl::string_view(begin, static_cast<size_t>(end - begin));
}

// True when `text` holds "</" + `element`, in any case: inlined there, it would end the
// element early.
bool ClosesElement(absl::string_view text, absl::string_view element) {
  for (size_t at = text.find("</"); at != absl::string_view::npos;
       at = text.find("</", at + 2)) {
    if (absl::StartsWithIgnoreCase(text.substr(at + 2), element)) return true;
  }
  return false;
}

}  // namespace

const ReportAssets& EmbeddedReportAssets() {
  static const ReportAssets assets{
      Between(attain_report_template, attain_report_template_end),
      Between(attain_report_css, attain_report_css_end),
      Between(attain_report_echarts, attain_report_echarts_end),
      Between(attain_report_render, attain_report_render_end),
  };
  return assets;
}

absl::StatusOr<std::string> AssembleReport(const ReportAssets& assets,
                                           absl::string_view data_json) {
  const std::string escaped_data = absl::StrReplaceAll(data_json, {{"<", "\\u003c"}});
  struct Part {
    absl::string_view marker;
    absl::string_view text;
    absl::string_view element;
  };
  const std::array<Part, 4> parts = {{
      {"/*ATTAIN_CSS*/", assets.css, "style"},
      {"/*ATTAIN_DATA*/", escaped_data, "script"},
      {"/*ATTAIN_ECHARTS*/", assets.echarts_js, "script"},
      {"/*ATTAIN_RENDER*/", assets.render_js, "script"},
  }};
  // Markers in the order they appear, so that one pass copies the template between them
  // and inlined text is never searched for markers.
  std::array<std::pair<size_t, const Part*>, 4> at;
  size_t size = assets.html_template.size();
  for (size_t i = 0; i < parts.size(); ++i) {
    const size_t found = assets.html_template.find(parts[i].marker);
    if (found == absl::string_view::npos) {
      return absl::InternalError(
          absl::StrCat("report template: no marker ", parts[i].marker));
    }
    if (ClosesElement(parts[i].text, parts[i].element)) {
      return absl::InternalError(absl::StrCat("report: the text for ", parts[i].marker,
                                              " would close its <", parts[i].element, ">"));
    }
    at[i] = {found, &parts[i]};
    size += parts[i].text.size();
  }
  std::sort(at.begin(), at.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string page;
  page.reserve(size);
  size_t copied = 0;
  for (const auto& [position, part] : at) {
    absl::StrAppend(&page, assets.html_template.substr(copied, position - copied), part->text);
    copied = position + part->marker.size();
  }
  absl::StrAppend(&page, assets.html_template.substr(copied));
  return page;
}

}  // namespace attain::report
