#include "simulator/member_sums.h"

#include <algorithm>

namespace attain {

MemberSums::MemberSums(const MemberSplit& split)
    : revenue(split.members()),
      attained(split.members()),
      shortfall(split.members()),
      paths_at_quota(split.members() + 1),
      swap_attainment_gain(split.swaps ? split.members() : 0),
      swap_revenue_gain(split.swaps ? split.members() : 0) {}

void MemberSums::Merge(const MemberSums& block) {
  for (size_t j = 0; j < revenue.size(); ++j) {
    revenue[j].Merge(block.revenue[j]);
    attained[j].Merge(block.attained[j]);
    shortfall[j].Merge(block.shortfall[j]);
  }
  for (size_t k = 0; k < paths_at_quota.size(); ++k) paths_at_quota[k] += block.paths_at_quota[k];
  members_at_quota.Merge(block.members_at_quota);
  for (size_t j = 0; j < swap_attainment_gain.size(); ++j) {
    swap_attainment_gain[j].Merge(block.swap_attainment_gain[j]);
    swap_revenue_gain[j].Merge(block.swap_revenue_gain[j]);
  }
}

MemberSink::MemberSink(const MemberSplit& split, MemberSums& sums, PathSink& next)
    : split_(split),
      sums_(sums),
      next_(next),
      own_(split.members()),
      moved_(split.members()),
      revenue_(split.members()),
      attained_(split.members()),
      shortfall_(split.members()),
      attainment_gain_(split.members()),
      revenue_gain_(split.members()) {}

void MemberSink::MemberTotals(const PathRevenue& revenue, std::vector<double>& out) const {
  size_t i = 0;
  for (size_t j = 0; j < split_.members(); ++j) {
    double total = 0;
    for (; i < split_.partner_end[j]; ++i) total += revenue.partner_revenue[i];
    out[j] = total;
  }
}

void MemberSink::Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) {
  const size_t members = split_.members();
  const double weight = 1.0 / static_cast<double>(unit.size());
  for (std::vector<double>* v :
       {&revenue_, &attained_, &shortfall_, &attainment_gain_, &revenue_gain_}) {
    std::fill(v->begin(), v->end(), 0.0);
  }
  double at_quota_mean = 0;
  for (const std::vector<PathRevenue>& copy : unit) {
    MemberTotals(copy[0], own_);
    size_t at_quota = 0;
    for (size_t j = 0; j < members; ++j) {
      const bool hit = own_[j] >= split_.quota[j];
      at_quota += hit;
      revenue_[j] += weight * own_[j];
      attained_[j] += weight * hit;
      shortfall_[j] += weight * std::max(0.0, split_.quota[j] - own_[j]);
    }
    ++sums_.paths_at_quota[at_quota];
    at_quota_mean += weight * static_cast<double>(at_quota);
    if (!split_.swaps) continue;
    MemberTotals(copy[1], moved_);
    const double team = copy[0].total;
    const double team_hit = team >= split_.team_quota;
    for (size_t j = 0; j < members; ++j) {
      const double swapped_hit = team - own_[j] + moved_[j] >= split_.team_quota;
      attainment_gain_[j] += weight * (swapped_hit - team_hit);
      revenue_gain_[j] += weight * (moved_[j] - own_[j]);
    }
  }
  for (size_t j = 0; j < members; ++j) {
    sums_.revenue[j].Add(revenue_[j]);
    sums_.attained[j].Add(attained_[j]);
    sums_.shortfall[j].Add(shortfall_[j]);
  }
  sums_.members_at_quota.Add(at_quota_mean);
  if (split_.swaps) {
    for (size_t j = 0; j < members; ++j) {
      sums_.swap_attainment_gain[j].Add(attainment_gain_[j]);
      sums_.swap_revenue_gain[j].Add(revenue_gain_[j]);
    }
  }
  next_.Add(first_path, unit);
}

}  // namespace attain
