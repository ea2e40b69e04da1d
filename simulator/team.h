// Team roll-up: how likely a team of channel managers is to make its number, who is at
// risk, and where coaching pays most.
//
// Managers share one market: a downturn hits all of them at once, so the team is
// simulated as one portfolio whose partners are the members', in member order. The
// market factor and the segment factors (by segment name) are shared by every member on
// a path; each partner keeps its own draws, even when two managers list the same id. The
// team's outcome is then a comparison's plan outcome (Engine::CompareRolledUp) and each
// member's figures come from its own partners' revenue on the same paths
// (member_sums.h). With coaching gains, each member's tiers are searched as
// RecommendTiers searches them, on the member's own portfolio and quota, and the run's
// second plan puts every member on its recommended tiers: member j's gain is the team's
// P(attain) with j alone moved to its recommendation, minus without, paired path by path.
//
// Members' searches may also run elsewhere at the same time (SearchOffload, attaind
// --peers): each is seeded from (seed, member), so its tiers, and the outcome, are the
// same wherever it ran.
//
// Thread-safe as the engine is; one call runs on its calling thread.
#ifndef ATTAIN_SIMULATOR_TEAM_H_
#define ATTAIN_SIMULATOR_TEAM_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "simulator/engine.h"
#include "simulator/member_sums.h"
#include "simulator/model.h"
#include "simulator/outcome.h"
#include "simulator/recommendation.h"
#include "simulator/validation.h"

namespace attain {

struct Team {
  std::string name;
  double quota = 0;  // the team's number over the horizon: its members' revenue summed
  // Each member's portfolio, with its channel_manager_id (unique in the team) and quota.
  std::vector<Portfolio> members;
  // Plans by channel_manager_id; a member without one keeps its current tiers.
  std::map<std::string, Plan> plans;
};

// A team run's size limits, beside the engine's per-portfolio Limits (each member is
// held to those).
struct TeamLimits {
  size_t max_members = 500;
  // Partners over all members: 200 managers of 500 partners. The memory budget usually
  // binds first (Engine::CheckMemory of TeamCost).
  size_t max_partners = 100'000;
};

struct TeamOptions {
  // The team run's paths, seed, antithetic pairs, estimator and precision target. The
  // seed (drawn when unset) also seeds every member's tier search.
  SimulationOptions simulation;
  // Search each member's tiers and report the coaching gains (MemberOutcome::coaching).
  bool coaching_gains = true;
  // Paths of each member's tier search: a search per member is most of a large team's
  // work, and a gain is measured on the team run's paths, not these.
  uint64_t coaching_paths = 4'000;
  TeamLimits limits;
};

// What one member's recommended tiers are worth to the team.
struct CoachingGain {
  // False when no plan fits the member's hours (even all OPPORTUNISTIC is over them):
  // there is no recommendation, and the gains are 0.
  bool plan_found = false;
  Plan recommended_plan;  // lists every partner of the member
  int tier_changes = 0;   // partners whose recommended tier is not their current one
  // Team P(attain) with this member alone on its recommended plan, minus with every
  // member on its own plan, paired path by path (counted paths, whatever the team's
  // estimator), with its 95% interval.
  double team_attainment_gain = 0;
  Interval team_attainment_gain_interval;
  // The member's expected revenue on its recommended plan minus on its own.
  double revenue_gain = 0;
  Interval revenue_gain_interval;
};

struct MemberOutcome {
  std::string channel_manager_id;
  double quota = 0;
  double attainment_probability = 0;  // counted paths
  Interval attainment_interval;       // Wilson
  double expected_revenue = 0;
  // Whether the manager shows up or not: the member's partners with no hours.
  double unassisted_expected_revenue = 0;
  double expected_shortfall = 0;  // E[max(0, quota - revenue)]
  // 1 = most at risk: by P(attain) ascending, then by expected shortfall as a share of
  // quota descending, then by member order.
  int risk_rank = 0;
  double hours_used = 0;
  double capacity_hours = 0;
  std::optional<CoachingGain> coaching;  // with TeamOptions::coaching_gains
};

struct TeamOutcome {
  std::string name;
  // The team as one portfolio under every member's own plan: P(attain) of the summed
  // revenue against the team quota, its interval and estimator, the revenue's
  // distribution and percentiles, on-track periods, paths and seed. Its per-partner
  // list is left empty: members' partners are for Simulate of each member.
  PlanOutcome team;
  std::vector<MemberOutcome> members;  // team order
  // P(k members reach their own quota), k = 0 .. members, and the expected k.
  std::vector<double> members_at_quota_probability;
  double expected_members_at_quota = 0;
  Interval expected_members_at_quota_interval;
  // With coaching gains: the team with every member on its recommended plan, and that
  // minus the team on its own plans (PlanDifference, paired).
  std::optional<PlanOutcome> all_recommended;
  std::optional<PlanDifference> all_recommended_difference;
  uint64_t coaching_paths = 0;  // of each member's search; 0 without coaching gains
};

// Member `member`'s tier search in a team run with `seed` (the run's, set): its coaching
// paths, a seed of its own, and the run's parameter uncertainty.
RecommendOptions MemberSearchOptions(const TeamOptions& options, uint64_t seed, size_t member);

// Member's plan in `team`: its own, or one named "current tiers" that keeps every tier.
const Plan& MemberPlan(const Team& team, const Portfolio& member);

// A validated team, laid out for its run: the members' partners as one portfolio.
struct PreparedTeam {
  Team team;
  Portfolio combined;               // quota = the team's; capacity the members' summed
  MemberSplit split;                // swaps set with coaching gains
  std::vector<ResolvedPlan> plans;  // per member, its own plan resolved
};

// Every violation of `team` and `options`, with paths from the request: "team.quota",
// "team.members[2].partners[5].volatility", "team.members[3].periods" (members must
// share periods, period length, seasonality, segment correlation and currency with
// members[0]), "team.plans[\"m7\"].tiers[\"P3\"]", "options.paths", "coaching_paths".
Violations ValidateTeam(const Engine& engine, const Team& team, const TeamOptions& options);

// REQUIRES: ValidateTeam is empty.
PreparedTeam PrepareTeam(Team team, const TeamOptions& options);

// The plans of the team run: every member on its own plan, then, with `recommended` (one
// plan per member, in team order), every member on that one. What a peer replica that
// runs the team's blocks rebuilds from the plans the searches found.
// REQUIRES: `recommended` is empty or has a valid plan for every member.
std::vector<ResolvedPlan> TeamRunPlans(const PreparedTeam& prepared,
                                       const std::vector<Plan>& recommended);

// The team run's memory (the larger of the run and one member's search: they run one
// after another) and work (the run and every search).
RunCost TeamCost(const Engine& engine, const PreparedTeam& prepared, const TeamOptions& options);

struct TeamProgress {
  enum class Phase { kSearching, kSimulating };
  Phase phase = Phase::kSearching;
  size_t members_searched = 0;  // of members
  size_t members = 0;
  Progress run;  // the team run's, while simulating
  // While simulating with coaching gains: each member's recommended plan (its own when
  // none fits), in team order, as TeamRunPlans takes them.
  const std::vector<Plan>* recommended_plans = nullptr;
};
using TeamProgressCallback = std::function<void(const TeamProgress&)>;

// Where a team run may send members' tier searches while it searches others itself.
class SearchOffload {
 public:
  virtual ~SearchOffload() = default;
  // Searches it can run at once.
  virtual int slots() const = 0;
  // Runs member `member`'s search (MemberSearchOptions with the run's `seed`) elsewhere,
  // then calls `done` once, from any thread, with its tiers (one per partner of the
  // member) or its error: FAILED_PRECONDITION when no plan fits; after any other error
  // the run searches the member itself.
  virtual void Start(size_t member, uint64_t seed,
                     std::function<void(absl::StatusOr<std::vector<Tier>>)> done) = 0;
  // Ends every search started soon (each still calls done).
  virtual void CancelAll() = 0;
};

// The team's outcome. Errors: CANCELLED. `on_progress` is called on the calling thread;
// control.on_progress is not; control.on_paths is, for every search and run done
// here. With `searches`, up to its slots members are searched there while this thread
// searches the others, and the call returns only once every search it started is done.
// REQUIRES: `prepared` came from PrepareTeam with the same options; TeamCost is within
// the engine's memory budget; `searches` outlives the call.
absl::StatusOr<TeamOutcome> SimulateTeamChecked(Engine& engine, const PreparedTeam& prepared,
                                                const TeamOptions& options,
                                                const RunControl& control = {},
                                                const TeamProgressCallback& on_progress = {},
                                                SearchOffload* searches = nullptr);

// ValidateTeam, PrepareTeam, the memory check and SimulateTeamChecked. Errors also
// INVALID_ARGUMENT naming the field, RESOURCE_EXHAUSTED over the memory budget.
absl::StatusOr<TeamOutcome> SimulateTeam(Engine& engine, Team team, const TeamOptions& options,
                                         const RunControl& control = {},
                                         const TeamProgressCallback& on_progress = {});

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_TEAM_H_
