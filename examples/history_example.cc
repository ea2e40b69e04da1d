#include "examples/history_example.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "simulator/history.h"
#include "simulator/random.h"

namespace attain {
namespace {

// Hours a manager logged for one partner: runs of (months, hours per month), 24 months
// in all. `flat` partners are logged at a fixed monthly figure (a retainer); the others'
// entries wobble by up to kHoursJitter around the plan, in half hours.
struct LoggedHours {
  std::vector<std::pair<int, double>> runs;
  bool flat = false;
};

constexpr double kHoursJitter = 1.0;
// Salt of the jitter's stream, apart from the model's draws (any constant would do).
constexpr uint64_t kJitterSalt = 0x686f757273;  // "hours"

// The manager's two years: a campaign here, a quiet quarter there, brightline pushed
// hard twice. delta and fathom are logged flat, so their lift cannot be told
// from the data (calibrate flags them); the last quarter matches the portfolio's tiers.
const std::map<std::string, LoggedHours>& ExampleHours() {
  static const std::map<std::string, LoggedHours> hours = {
      {"acme", {{{6, 6}, {3, 12}, {4, 2}, {5, 6}, {3, 12}, {3, 6}}}},
      {"brightline", {{{6, 8}, {5, 18}, {4, 6}, {6, 20}, {3, 16}}}},
      {"cobalt", {{{5, 1}, {3, 8}, {6, 0}, {4, 4}, {3, 0}, {3, 1}}}},
      {"delta", {{{24, 6}}, /*flat=*/true}},
      {"evergreen", {{{4, 2}, {6, 0}, {4, 8}, {7, 1}, {3, 1}}}},
      {"fathom", {{{24, 16}}, /*flat=*/true}},
      {"granite", {{{3, 0}, {5, 6}, {4, 1}, {3, 10}, {6, 2}, {3, 1}}}},
      {"harbor", {{{4, 4}, {4, 12}, {5, 6}, {4, 1}, {4, 10}, {3, 6}}}},
      {"ironwood", {{{6, 3}, {6, 1}, {4, 8}, {5, 0}, {3, 1}}}},
      {"juniper", {{{3, 8}, {6, 1}, {6, 6}, {6, 0}, {3, 1.5}}}},
      {"keystone", {{{8, 1}, {4, 8}, {4, 2}, {5, 6}, {3, 1}}}},
      {"lumen", {{{5, 2}, {5, 0}, {4, 8}, {7, 2}, {3, 1.5}}}},
  };
  return hours;
}

struct ExtraPartner {
  Partner partner;
  std::string name;
};

// Smaller partners the portfolio does not list: calibrate reads their tiers from their
// recent hours (about an hour or two a month: OPPORTUNISTIC).
std::vector<ExtraPartner> ExtraPartners() {
  auto make = [](const char* id, const char* segment, double baseline, double growth,
                 double volatility, double lift, double half_effort, double churn) {
    Partner p;
    p.id = id;
    p.segment = segment;
    p.baseline_revenue = baseline;
    p.growth_rate = growth;
    p.volatility = volatility;
    p.max_lift = lift;
    p.half_effort_hours = half_effort;
    p.ramp_periods = 0;
    p.churn_rate = churn;
    return p;
  };
  return {
      {make("ironwood", "smb", 28'000, 0.0, 0.3, 0.5, 5, 0.03), "Ironwood Technologies"},
      {make("juniper", "mid-market", 42'000, 0.01, 0.25, 0.7, 6, 0.02), "Juniper Data"},
      {make("keystone", "enterprise", 35'000, 0.005, 0.2, 0.4, 8, 0.01), "Keystone Integrators"},
      {make("lumen", "", 22'000, 0.02, 0.35, 0.6, 6, 0.04), "Lumen Works"},
  };
}

// A CSV cell: quoted when it holds a comma, a quote or a line break.
std::string CsvCell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

double Uniform(SplitMix64& stream) { return static_cast<double>(stream() >> 11) * 0x1.0p-53; }

std::vector<double> HoursOf(const std::string& id, const Portfolio& portfolio, Tier tier,
                            SplitMix64& jitter) {
  const auto it = ExampleHours().find(id);
  // A partner the example does not know: its tier's hours throughout.
  const LoggedHours logged = it != ExampleHours().end()
                                 ? it->second
                                 : LoggedHours{{{kExampleMonths, portfolio.tier_policy.HoursFor(tier)}},
                                               /*flat=*/true};
  std::vector<double> hours;
  for (const auto& [months, level] : logged.runs) {
    for (int m = 0; m < months; ++m) {
      double h = level;
      if (!logged.flat && level > 0) {
        h = std::max(0.0, std::round(2 * (level + kHoursJitter * (2 * Uniform(jitter) - 1))) / 2);
      }
      hours.push_back(h);
    }
  }
  hours.resize(kExampleMonths, hours.empty() ? 0 : hours.back());
  return hours;
}

}  // namespace

std::string ExampleHistoryCsv(const Portfolio& base, const std::vector<std::string>& names,
                              uint64_t seed) {
  // The base's partners and the extra ones, without growth boost (which calibration does
  // not estimate: docs/model.md), over a history that ends the month before the base's
  // horizon (HistoryModel).
  Portfolio forecast = base;
  std::vector<std::string> all_names = names;
  for (ExtraPartner& extra : ExtraPartners()) {
    forecast.partners.push_back(std::move(extra.partner));
    all_names.push_back(std::move(extra.name));
  }
  SplitMix64 jitter(seed ^ kJitterSalt);
  std::vector<std::vector<double>> hours;
  for (Partner& p : forecast.partners) {
    p.growth_boost = 0;
    hours.push_back(HoursOf(p.id, forecast, p.tier, jitter));
  }
  const History history = SimulateHistory(HistoryModel(forecast, hours), hours, seed);

  std::string csv = "partner_id,name,segment,period,revenue,hours\n";
  for (int t = 0; t < kExampleMonths; ++t) {
    const std::string month =
        absl::StrFormat("%04d-%02d", kExampleFirstYear + t / 12, t % 12 + 1);
    for (size_t i = 0; i < history.partners.size(); ++i) {
      const PartnerHistory& partner = history.partners[i];
      absl::StrAppend(&csv, CsvCell(partner.id), ",", CsvCell(all_names[i]), ",",
                      CsvCell(partner.segment), ",", month, ",",
                      absl::StrFormat("%.2f", partner.revenue[static_cast<size_t>(t)]), ",",
                      absl::StrFormat("%.1f", partner.hours[static_cast<size_t>(t)]), "\n");
    }
  }
  return csv;
}

}  // namespace attain
