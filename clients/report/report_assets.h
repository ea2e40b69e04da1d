// The shared HTML report's parts (template.html, report.css, report.js and Apache
// ECharts' minified build) and the page made of them. attain report and attain-plan
// (clients/python) fill the same template, so both draw with the same renderer.
//
// Thread-safe: the assets are read-only data built into the binary.
#ifndef ATTAIN_CLIENTS_REPORT_REPORT_ASSETS_H_
#define ATTAIN_CLIENTS_REPORT_REPORT_ASSETS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace attain::report {

struct ReportAssets {
  absl::string_view html_template;  // holds the four markers AssembleReport fills
  absl::string_view css;
  absl::string_view echarts_js;
  absl::string_view render_js;
};

// The files as they were at build time.
const ReportAssets& EmbeddedReportAssets();

// One self-contained page: the template with the CSS, the scripts and `data_json` (the
// report's figures as clients/report/README.md describes them) inlined. Every "<" of the
// data is written as \u003c, so no value can end its <script> element.
//
// Errors: INTERNAL when the template lacks a marker or a script or style holds "</"
// followed by the name of the element it is inlined into.
absl::StatusOr<std::string> AssembleReport(const ReportAssets& assets,
                                           absl::string_view data_json);

}  // namespace attain::report

#endif  // ATTAIN_CLIENTS_REPORT_REPORT_ASSETS_H_
