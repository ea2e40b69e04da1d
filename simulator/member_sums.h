// The sums a team run keeps of its members, beside its comparison's (run_sums.h). A
// team is simulated as one portfolio whose partners are the members' in member order
// (team.h); a MemberSplit says where each member's partners end. Per unit (a path, or an
// antithetic pair averaged), each member's horizon revenue is the sum of its partners',
// and from it: whether the member reaches its quota, its shortfall, how many members
// reach theirs, and, when the run's second plan is every member's recommended plan, the
// team's indicator with that one member moved to it (a swap, paired path by path).
//
// Plain value types; a sink is used by one thread.
#ifndef ATTAIN_SIMULATOR_MEMBER_SUMS_H_
#define ATTAIN_SIMULATOR_MEMBER_SUMS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "simulator/block_kernel.h"
#include "simulator/statistics.h"

namespace attain {

struct MemberSplit {
  std::vector<size_t> partner_end;  // member j holds partners [end[j - 1], end[j])
  std::vector<double> quota;        // per member
  double team_quota = 0;
  // Whether plan 1 of the run is every member's recommended plan, and swaps are summed.
  bool swaps = false;

  size_t members() const { return quota.size(); }
};

// Sums over units of plan 0 (the members' own plans), and of the swaps.
struct MemberSums {
  std::vector<UnitSums> revenue;    // per member
  std::vector<UnitSums> attained;   // per member: 1 at or above its quota
  std::vector<UnitSums> shortfall;  // per member: max(0, quota - revenue)
  std::vector<uint64_t> paths_at_quota;  // [k]: paths on which k members reach their quota
  UnitSums members_at_quota;
  // With swaps, per member: the team's indicator of reaching its quota with that member
  // on plan 1, minus with none; and the member's revenue on plan 1 minus plan 0.
  std::vector<UnitSums> swap_attainment_gain;
  std::vector<UnitSums> swap_revenue_gain;

  MemberSums() = default;
  explicit MemberSums(const MemberSplit& split);
  void Merge(const MemberSums& block);
};

// Adds each unit's member sums, then hands the unit on to `next`.
// REQUIRES: the units' scenarios are the run's plans (two with split.swaps), partners in
// the split's order; all outlive the sink.
class MemberSink final : public PathSink {
 public:
  MemberSink(const MemberSplit& split, MemberSums& sums, PathSink& next);

  void Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) override;

 private:
  // Each member's revenue on one path under one scenario, into `out`.
  void MemberTotals(const PathRevenue& revenue, std::vector<double>& out) const;

  const MemberSplit& split_;
  MemberSums& sums_;
  PathSink& next_;
  // Scratch, per member: revenue on the copy under plans 0 and 1; the unit's averages.
  std::vector<double> own_, moved_;
  std::vector<double> revenue_, attained_, shortfall_, attainment_gain_, revenue_gain_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_MEMBER_SUMS_H_
