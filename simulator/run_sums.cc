#include "simulator/run_sums.h"

namespace attain {

PlanSums::PlanSums(size_t partners, size_t periods)
    : period_revenue(periods),
      on_track(periods),
      partner_revenue(partners),
      partner_uplift(partners),
      partner_dormant(partners) {}

void PlanSums::Merge(const PlanSums& block) {
  revenue.insert(revenue.end(), block.revenue.begin(), block.revenue.end());
  attainment.insert(attainment.end(), block.attainment.begin(), block.attainment.end());
  attainment_control.insert(attainment_control.end(), block.attainment_control.begin(),
                            block.attainment_control.end());
  for (size_t t = 0; t < period_revenue.size(); ++t) {
    period_revenue[t] += block.period_revenue[t];
    on_track[t] += block.on_track[t];
  }
  for (size_t i = 0; i < partner_revenue.size(); ++i) {
    partner_revenue[i] += block.partner_revenue[i];
    partner_uplift[i].Merge(block.partner_uplift[i]);
    partner_dormant[i] += block.partner_dormant[i];
  }
}

RunSums::RunSums(size_t plan_count, size_t partners, size_t periods)
    : plans(plan_count, PlanSums(partners, periods)), unassisted_partner_revenue(partners) {}

void RunSums::Merge(const RunSums& block) {
  paths += block.paths;
  for (size_t k = 0; k < plans.size(); ++k) plans[k].Merge(block.plans[k]);
  for (size_t i = 0; i < unassisted_partner_revenue.size(); ++i) {
    unassisted_partner_revenue[i] += block.unassisted_partner_revenue[i];
  }
  unassisted_revenue.insert(unassisted_revenue.end(), block.unassisted_revenue.begin(),
                            block.unassisted_revenue.end());
  unassisted_attainment.insert(unassisted_attainment.end(), block.unassisted_attainment.begin(),
                               block.unassisted_attainment.end());
  unassisted_attainment_control.insert(unassisted_attainment_control.end(),
                                       block.unassisted_attainment_control.begin(),
                                       block.unassisted_attainment_control.end());
  members.Merge(block.members);
}

void ComparisonSink::Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) {
  for (size_t c = 0; c < unit.size(); ++c) AddPath(first_path + c, unit[c]);
  // Antithetic pairs are averaged before they enter the uplift's variance.
  const size_t unassisted = sums_.plans.size();
  const size_t partners = sums_.unassisted_partner_revenue.size();
  for (size_t k = 0; k < sums_.plans.size(); ++k) {
    for (size_t i = 0; i < partners; ++i) {
      double uplift = 0;
      for (const std::vector<PathRevenue>& copy : unit) {
        uplift += copy[k].partner_revenue[i] - copy[unassisted].partner_revenue[i];
      }
      sums_.plans[k].partner_uplift[i].Add(uplift / static_cast<double>(unit.size()));
    }
  }
  sums_.paths += unit.size();
}

void ComparisonSink::AddPath(uint64_t path, const std::vector<PathRevenue>& revenue) {
  const PathRevenue& base = revenue[sums_.plans.size()];
  const size_t partners = sums_.unassisted_partner_revenue.size();
  for (size_t i = 0; i < partners; ++i) {
    sums_.unassisted_partner_revenue[i] += base.partner_revenue[i];
  }
  sums_.unassisted_revenue.push_back(base.total);
  sums_.unassisted_attainment.push_back(base.attainment);
  sums_.unassisted_attainment_control.push_back(base.attainment_control);
  for (size_t k = 0; k < sums_.plans.size(); ++k) {
    const PathRevenue& r = revenue[k];
    PlanSums& plan = sums_.plans[k];
    plan.revenue.push_back(r.total);
    plan.attainment.push_back(r.attainment);
    plan.attainment_control.push_back(r.attainment_control);
    double cumulative = 0;
    for (size_t t = 0; t < plan.period_revenue.size(); ++t) {
      plan.period_revenue[t] += r.period_revenue[t];
      cumulative += r.period_revenue[t];
      plan.on_track[t] += cumulative >= on_track_threshold_[t];
    }
    for (size_t i = 0; i < partners; ++i) {
      plan.partner_revenue[i] += r.partner_revenue[i];
      plan.partner_dormant[i] += r.dormant[i];
    }
    samples_.Record(k, path, r.partner_revenue);
  }
}

}  // namespace attain
