#include "simulator/history.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "simulator/deal_stream.h"
#include "simulator/path_generator.h"
#include "simulator/period_label.h"
#include "simulator/random.h"

namespace attain {
namespace {

// Checks each row's fields; returns its period, if it reads.
std::optional<PeriodLabel> CheckRow(const HistoryRow& row, size_t k, Violations& violations) {
  const std::string at = absl::StrCat("rows[", k, "].");
  if (row.partner_id.empty()) violations.Add(at + "partner_id", "must not be empty");
  const std::pair<const char*, const std::string*> names[] = {
      {"partner_id", &row.partner_id}, {"segment", &row.segment}, {"name", &row.name}};
  for (const auto& [field, text] : names) {
    if (text->size() > kMaxNameBytes) {
      violations.Add(at + field, absl::StrCat("is ", text->size(),
                                              " bytes long, the limit is ", kMaxNameBytes));
    }
  }
  if (!std::isfinite(row.revenue) || row.revenue < 0 || row.revenue > kMaxBaselineRevenue) {
    violations.Add(at + "revenue", absl::StrCat("must be a number in [0, ", kMaxBaselineRevenue,
                                                "], got ", row.revenue));
  }
  if (!std::isfinite(row.hours) || row.hours < 0 || row.hours > kMaxHours) {
    violations.Add(at + "hours",
                   absl::StrCat("must be a number in [0, ", kMaxHours, "], got ", row.hours));
  }
  std::optional<PeriodLabel> label = ParsePeriodLabel(row.period);
  if (!label) {
    violations.Add(at + "period",
                   absl::StrCat("is not a period: expected a whole number, a month (2025-07) "
                                "or a date (2025-07-01), got ",
                                QuoteForMessage(row.period)));
  }
  return label;
}

// The distinct periods of `labels`, sorted, when they are of one kind and consecutive.
std::vector<PeriodLabel> Periods(const std::vector<std::optional<PeriodLabel>>& labels,
                                 Violations& violations) {
  std::map<int64_t, PeriodLabel> distinct;
  std::optional<PeriodLabel::Kind> kind;
  for (size_t k = 0; k < labels.size(); ++k) {
    if (!labels[k]) continue;
    if (kind && *kind != labels[k]->kind) {
      violations.Add(absl::StrCat("rows[", k, "].period"),
                     "mixes month and number periods: label every period the same way");
      return {};
    }
    kind = labels[k]->kind;
    distinct.emplace(labels[k]->ordinal, *labels[k]);
  }
  std::vector<PeriodLabel> periods;
  for (const auto& [ordinal, label] : distinct) {
    if (!periods.empty() && ordinal != periods.back().ordinal + 1) {
      PeriodLabel missing = periods.back();
      ++missing.ordinal;
      violations.Add("rows", absl::StrCat("periods are not consecutive: ", PeriodLabelText(missing),
                                          " is missing"));
      return {};
    }
    periods.push_back(label);
  }
  if (periods.size() > static_cast<size_t>(kMaxHistoryPeriods)) {
    violations.Add("rows", absl::StrCat("span ", periods.size(), " periods, the limit is ",
                                        kMaxHistoryPeriods));
    return {};
  }
  return periods;
}

}  // namespace

BuiltHistory BuildHistory(const std::vector<HistoryRow>& rows, const Limits& limits) {
  BuiltHistory built;
  Violations& violations = built.violations;
  if (rows.empty()) {
    violations.Add("rows", "must list at least one row");
    return built;
  }
  std::vector<std::optional<PeriodLabel>> labels;
  for (size_t k = 0; k < rows.size(); ++k) labels.push_back(CheckRow(rows[k], k, violations));
  const std::vector<PeriodLabel> periods = Periods(labels, violations);
  if (!violations.empty()) return built;
  History& history = built.history;
  history.periods = static_cast<int>(periods.size());
  for (const PeriodLabel& p : periods) history.period_labels.push_back(PeriodLabelText(p));
  const int64_t first = periods.front().ordinal;
  std::map<std::string, size_t> index;
  std::vector<std::vector<size_t>> row_of;  // [partner][t]: row + 1, 0 = none yet
  std::vector<size_t> name_period;          // [partner]: the latest period with a name
  for (size_t k = 0; k < rows.size(); ++k) {
    const HistoryRow& row = rows[k];
    auto [it, added] = index.emplace(row.partner_id, history.partners.size());
    if (added) {
      if (history.partners.size() >= limits.max_partners) {
        violations.Add("rows", absl::StrCat("name more than ", limits.max_partners,
                                            " partners, the limit"));
        return built;
      }
      history.partners.push_back({row.partner_id, row.name, row.segment,
                                  std::vector<double>(periods.size()),
                                  std::vector<double>(periods.size())});
      row_of.emplace_back(periods.size(), 0);
      name_period.push_back(0);
    }
    PartnerHistory& partner = history.partners[it->second];
    const size_t t = static_cast<size_t>(labels[k]->ordinal - first);
    if (size_t& seen = row_of[it->second][t]; seen != 0) {
      violations.Add(absl::StrCat("rows[", k, "].period"),
                     absl::StrCat("repeats period ", history.period_labels[t], " of partner ",
                                  QuoteForMessage(row.partner_id), " (rows[", seen - 1, "])"));
      continue;
    } else {
      seen = k + 1;
    }
    if (!row.segment.empty() && !partner.segment.empty() && row.segment != partner.segment) {
      violations.Add(absl::StrCat("rows[", k, "].segment"),
                     absl::StrCat("differs from the segment of partner ",
                                  QuoteForMessage(row.partner_id), "'s earlier rows"));
    }
    if (partner.segment.empty()) partner.segment = row.segment;
    // The name of the latest period: a partner renamed in the CRM has its current name.
    if (!row.name.empty() && (partner.name.empty() || t >= name_period[it->second])) {
      partner.name = row.name;
      name_period[it->second] = t;
    }
    partner.revenue[t] = row.revenue;
    partner.hours[t] = row.hours;
  }
  for (size_t i = 0; i < history.partners.size(); ++i) {
    for (size_t t = 0; t < periods.size(); ++t) {
      if (row_of[i][t] != 0) continue;
      violations.Add("rows", absl::StrCat("partner ", QuoteForMessage(history.partners[i].id),
                                          " has no row for period ", history.period_labels[t]));
    }
  }
  // In order of id, so that the order of the rows never matters.
  std::sort(history.partners.begin(), history.partners.end(),
            [](const PartnerHistory& a, const PartnerHistory& b) { return a.id < b.id; });
  return built;
}

Portfolio HistoryModel(const Portfolio& forecast, const std::vector<std::vector<double>>& hours) {
  Portfolio model = forecast;
  model.periods = static_cast<int>(hours.front().size());
  model.seasonality.clear();
  for (size_t i = 0; i < model.partners.size(); ++i) {
    Partner& p = model.partners[i];
    for (const double h : hours[i]) {
      p.baseline_revenue /= 1 + p.growth_rate + p.growth_boost * h / (h + p.half_effort_hours);
    }
  }
  return model;
}

History SimulateHistory(const Portfolio& portfolio,
                        const std::vector<std::vector<double>>& hours, uint64_t seed) {
  const PathGenerator generator(portfolio);
  PathDraws draws;
  generator.Prepare(draws);
  BlockEngine engine(BlockSeed(seed, 0));
  generator.Generate(engine, draws);
  const size_t periods = static_cast<size_t>(portfolio.periods);
  History history;
  history.periods = portfolio.periods;
  for (int t = 1; t <= portfolio.periods; ++t) history.period_labels.push_back(absl::StrCat(t));
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    PartnerHistory partner{p.id, "", p.segment, std::vector<double>(periods), hours[i]};
    double growth = 1;    // prod_{s<t} (1 + g + gamma f(h_s))
    double survival = 1;  // prod_{s<=t} (1 - q_s)
    const double log_sd = std::sqrt(std::log1p(p.deal_size_cv * p.deal_size_cv));
    for (size_t t = 0; t < periods; ++t) {
      const double h = hours[i][t];
      const double f = h / (h + p.half_effort_hours);
      survival *= 1 - p.churn_rate * p.retention_hours / (p.retention_hours + h);
      const double mean = p.baseline_revenue * growth *
                          portfolio.Seasonality(static_cast<int>(t) + 1) * (1 + p.max_lift * f);
      growth *= 1 + p.growth_rate + p.growth_boost * f;
      if (!(draws.dormancy_uniform[i] < survival)) continue;  // dormant: no revenue
      const double shock = draws.shock[i * periods + t];
      if (p.revenue_model == RevenueModel::kLognormal) {
        partner.revenue[t] = mean * shock;
        continue;
      }
      // Deals: the arrivals of a unit-rate Poisson process up to lambda, as the engine.
      const double lambda = mean / p.mean_deal_size * shock;
      DealStream deals(
          draws.deal_seed[static_cast<size_t>(generator.deals_index()[i]) * periods + t], log_sd);
      while (deals.arrival() <= lambda) partner.revenue[t] += p.mean_deal_size * deals.Take();
    }
    history.partners.push_back(std::move(partner));
  }
  return history;
}

}  // namespace attain
