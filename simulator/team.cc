#include "simulator/team.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <span>
#include <utility>

#include "absl/strings/str_cat.h"
#include "simulator/plan_state.h"
#include "simulator/random.h"

namespace attain {
namespace {

std::string MemberPath(size_t j) { return absl::StrCat("team.members[", j, "]"); }

std::string PlanPath(const std::string& id) {
  return absl::StrCat("team.plans[", QuoteForMessage(id), "]");
}

// What members share with members[0], since they share one market period by period.
// Seasonality is compared only where both portfolios are valid (it has a value per
// period).
void CheckSharedMarket(const Portfolio& first, const Portfolio& member, size_t j,
                       bool both_valid, Violations& violations) {
  const std::string path = MemberPath(j);
  const auto differs = [&](const char* field, const std::string& got, const std::string& want) {
    violations.Add(NestedField(path, field),
                   absl::StrCat("must equal members[0]'s ", want,
                                " (members share one market), got ", got));
  };
  if (member.periods != first.periods) {
    differs("periods", absl::StrCat(member.periods), absl::StrCat(first.periods));
    return;  // seasonality is compared period by period
  }
  if (member.period_length != first.period_length) {
    differs("period_length", PeriodLengthName(member.period_length),
            PeriodLengthName(first.period_length));
  }
  for (int t = 1; both_valid && t <= first.periods; ++t) {
    if (member.Seasonality(t) != first.Seasonality(t)) {
      differs("seasonality", absl::StrCat(member.Seasonality(t), " in period ", t),
              absl::StrCat(first.Seasonality(t)));
      break;
    }
  }
  if (member.segment_correlation != first.segment_correlation) {
    differs("segment_correlation", absl::StrCat(member.segment_correlation),
            absl::StrCat(first.segment_correlation));
  }
  if (member.currency != first.currency) {
    differs("currency", QuoteForMessage(member.currency), QuoteForMessage(first.currency));
  }
}

// Seeds member j's tier search: independent of the team run's blocks and of the other
// members' searches.
uint64_t MemberSearchSeed(uint64_t seed, size_t member) {
  return Mix64(BlockSeed(seed, member) ^ kTeamSearchSalt);
}

using SearchResult = absl::StatusOr<std::vector<Tier>>;

// A search's result that stands: tiers, or no plan fits the member's hours.
bool Settled(const SearchResult& result) {
  return result.ok() || result.status().code() == absl::StatusCode::kFailedPrecondition;
}

// Every member's tier search: on the calling thread one after another and, with an
// offload, up to its slots elsewhere at once. A search sent elsewhere that fails (or
// comes back with the wrong number of tiers) is run here.
class MemberSearches {
 public:
  MemberSearches(Engine& engine, const PreparedTeam& prepared, const TeamOptions& options,
                 uint64_t seed, SearchOffload* offload)
      : engine_(engine),
        members_(prepared.team.members),
        options_(options),
        seed_(seed),
        offload_(offload),
        results_(members_.size()) {}

  // Each member's result, in team order; the first other error stops every search.
  // `on_searched(n)` is called on this thread before each search here and as searches
  // elsewhere finish. Returns once no search it started is out.
  absl::StatusOr<std::vector<SearchResult>> Run(
      const RunControl& control, const std::function<void(size_t searched)>& on_searched) {
    RunControl here = control;
    here.offload = nullptr;  // the team run's ranges: not a search's
    std::unique_lock lock(mu_);
    if (offload_ != nullptr) {
      std::vector<size_t> started;
      while (out_ < offload_->slots() && next_ < members_.size()) started.push_back(Take());
      lock.unlock();
      for (const size_t member : started) StartElsewhere(member);
      lock.lock();
    }
    absl::Status stopped;
    while (stopped.ok()) {
      size_t member;
      if (!rerun_.empty()) {
        member = rerun_.back();
        rerun_.pop_back();
      } else if (next_ < members_.size()) {
        member = next_++;
      } else if (out_ > 0) {
        if (control.cancelled && control.cancelled()) {
          stopped = absl::CancelledError("cancelled");
          break;
        }
        const size_t searched = searched_;
        lock.unlock();
        if (on_searched) on_searched(searched);
        lock.lock();
        changed_.wait_for(lock, std::chrono::milliseconds(10));
        continue;
      } else {
        break;
      }
      const size_t searched = searched_;
      lock.unlock();
      if (on_searched) on_searched(searched);
      SearchResult result = SearchTiersChecked(
          engine_, members_[member], MemberSearchOptions(options_, seed_, member), here);
      lock.lock();
      if (Settled(result)) {
        results_[member] = std::move(result);
        ++searched_;
      } else {
        stopped = result.status();
      }
    }
    if (!stopped.ok()) {
      stopping_ = true;
      lock.unlock();
      if (offload_ != nullptr) offload_->CancelAll();
      lock.lock();
      changed_.wait(lock, [this] { return out_ == 0; });
      return stopped;
    }
    std::vector<SearchResult> results;
    for (std::optional<SearchResult>& result : results_) results.push_back(std::move(*result));
    return results;
  }

 private:
  // REQUIRES: mu_ held, a member not yet taken.
  size_t Take() {
    ++out_;
    return next_++;
  }

  void StartElsewhere(size_t member) {
    offload_->Start(member, seed_, [this, member](SearchResult result) {
      if (result.ok() && result->size() != members_[member].partners.size()) {
        result = absl::InternalError("a tier per partner expected");
      }
      std::optional<size_t> next;
      {
        std::lock_guard lock(mu_);
        if (Settled(result)) {
          results_[member] = std::move(result);
          ++searched_;
        } else if (!stopping_) {
          rerun_.push_back(member);
        }
        if (!stopping_ && next_ < members_.size()) {
          next = Take();
        }
        --out_;
        // Under the lock: Run may return, and this object go, once it is released.
        changed_.notify_all();
      }
      if (next) StartElsewhere(*next);
    });
  }

  Engine& engine_;
  const std::vector<Portfolio>& members_;
  const TeamOptions& options_;
  const uint64_t seed_;
  SearchOffload* const offload_;
  std::mutex mu_;
  std::condition_variable changed_;
  size_t next_ = 0;            // members from here on are not taken yet
  std::vector<size_t> rerun_;  // sent elsewhere and failed: searched here
  std::vector<std::optional<SearchResult>> results_;
  size_t searched_ = 0;
  int out_ = 0;  // searches started elsewhere and not done
  bool stopping_ = false;
};

// Appends `member`'s resolved plan to the team's.
void Append(const ResolvedPlan& member, ResolvedPlan& team) {
  team.tiers.insert(team.tiers.end(), member.tiers.begin(), member.tiers.end());
  team.hours.insert(team.hours.end(), member.hours.begin(), member.hours.end());
  team.hours_used += member.hours_used;
}

int TierChanges(const Portfolio& portfolio, const std::vector<Tier>& tiers) {
  int changes = 0;
  for (size_t i = 0; i < tiers.size(); ++i) changes += tiers[i] != portfolio.partners[i].tier;
  return changes;
}

// Risk ranks: 1 = the lowest P(attain), ties by the larger shortfall as a share of quota.
void RankRisk(std::vector<MemberOutcome>& members) {
  std::vector<size_t> order(members.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const MemberOutcome& x = members[a];
    const MemberOutcome& y = members[b];
    if (x.attainment_probability != y.attainment_probability) {
      return x.attainment_probability < y.attainment_probability;
    }
    return x.expected_shortfall / x.quota > y.expected_shortfall / y.quota;
  });
  for (size_t r = 0; r < order.size(); ++r) members[order[r]].risk_rank = static_cast<int>(r + 1);
}

}  // namespace

RecommendOptions MemberSearchOptions(const TeamOptions& options, uint64_t seed, size_t member) {
  RecommendOptions search;
  search.simulation.paths = options.coaching_paths;
  search.simulation.seed = MemberSearchSeed(seed, member);
  search.simulation.parameter_uncertainty = options.simulation.parameter_uncertainty;
  return search;
}

const Plan& MemberPlan(const Team& team, const Portfolio& member) {
  static const Plan* const kCurrentTiers = new Plan{"current tiers", {}, {}};
  const auto it = team.plans.find(member.channel_manager_id);
  return it == team.plans.end() ? *kCurrentTiers : it->second;
}

Violations ValidateTeam(const Engine& engine, const Team& team, const TeamOptions& options) {
  Violations violations;
  if (team.name.size() > kMaxNameBytes) {
    violations.Add("team.name", absl::StrCat("is ", team.name.size(),
                                             " bytes long, the limit is ", kMaxNameBytes));
  }
  if (!(team.quota > 0 && team.quota <= kMaxQuota)) {
    violations.Add("team.quota",
                   absl::StrCat("must be > 0 and at most ", kMaxQuota, ", got ", team.quota));
  }
  if (options.coaching_gains &&
      (options.coaching_paths < 1 || options.coaching_paths > engine.options().limits.max_paths)) {
    violations.Add("coaching_paths",
                   absl::StrCat("must be 1 to ", engine.options().limits.max_paths, ", got ",
                                options.coaching_paths));
  }
  const size_t members = team.members.size();
  if (members == 0 || members > options.limits.max_members) {
    violations.Add("team.members", absl::StrCat("must list 1 to ", options.limits.max_members,
                                                 " members, got ", members));
    return violations;
  }
  size_t partners = 0;
  for (const Portfolio& member : team.members) partners += member.partners.size();
  if (partners > options.limits.max_partners) {
    violations.Add("team.members",
                   absl::StrCat("hold ", partners, " partners in all, the limit is ",
                                options.limits.max_partners));
    return violations;
  }
  std::map<std::string_view, size_t> member_with_id;
  bool first_valid = true;
  for (size_t j = 0; j < members; ++j) {
    const Portfolio& member = team.members[j];
    const std::string path = MemberPath(j);
    const Plan& plan = MemberPlan(team, member);
    RunViolations run = ValidateRun(member, {&plan, 1}, options.simulation,
                                    engine.options().limits);
    if (j > 0) run.options = {};  // the same options: named once
    const bool valid = run.portfolio.empty();
    if (j == 0) first_valid = valid;
    violations.Append("", run.Under(path, "team.plans",
                                    [&](size_t) { return PlanPath(member.channel_manager_id); },
                                    "options"));
    if (member.channel_manager_id.empty()) {
      violations.Add(NestedField(path, "channel_manager_id"),
                     "must be set: a team names its members by it");
    } else if (const auto [it, inserted] = member_with_id.emplace(member.channel_manager_id, j);
               !inserted) {
      violations.Add(NestedField(path, "channel_manager_id"),
                     absl::StrCat("is also members[", it->second,
                                  "]'s; ids must be unique in a team: ",
                                  QuoteForMessage(member.channel_manager_id)));
    }
    if (j > 0) CheckSharedMarket(team.members[0], member, j, first_valid && valid, violations);
  }
  for (const auto& [id, plan] : team.plans) {
    if (!member_with_id.contains(id)) {
      violations.Add(PlanPath(id), "names no member's channel_manager_id");
    }
  }
  return violations;
}

PreparedTeam PrepareTeam(Team team, const TeamOptions& options) {
  PreparedTeam prepared;
  const Portfolio& first = team.members[0];
  Portfolio& combined = prepared.combined;
  combined.channel_manager_id = team.name;
  combined.period_length = first.period_length;
  combined.currency = first.currency;
  combined.quota = team.quota;
  combined.periods = first.periods;
  combined.tier_policy = first.tier_policy;
  combined.seasonality = first.seasonality;
  combined.segment_correlation = first.segment_correlation;
  MemberSplit& split = prepared.split;
  split.team_quota = team.quota;
  split.swaps = options.coaching_gains;
  for (const Portfolio& member : team.members) {
    combined.capacity_hours += member.capacity_hours;
    combined.partners.insert(combined.partners.end(), member.partners.begin(),
                             member.partners.end());
    split.partner_end.push_back(combined.partners.size());
    split.quota.push_back(member.quota);
    prepared.plans.push_back(ResolvePlan(member, MemberPlan(team, member)));
  }
  prepared.team = std::move(team);
  return prepared;
}

std::vector<ResolvedPlan> TeamRunPlans(const PreparedTeam& prepared,
                                       const std::vector<Plan>& recommended) {
  std::vector<ResolvedPlan> plans(recommended.empty() ? 1 : 2);
  plans[0].name = "members' plans";
  for (const ResolvedPlan& member : prepared.plans) Append(member, plans[0]);
  if (recommended.empty()) return plans;
  plans[1].name = "recommended plans";
  for (size_t j = 0; j < recommended.size(); ++j) {
    Append(ResolvePlan(prepared.team.members[j], recommended[j]), plans[1]);
  }
  return plans;
}

RunCost TeamCost(const Engine& engine, const PreparedTeam& prepared, const TeamOptions& options) {
  RunCost cost =
      engine.CompareCost(prepared.combined, options.coaching_gains ? 2 : 1, options.simulation);
  // Per member and plan the split keeps a few sums; per block in flight, as many again.
  cost.memory_bytes += prepared.split.members() * 8 * sizeof(UnitSums) *
                       (1 + kBlocksAheadPerWorker * static_cast<size_t>(engine.threads()));
  // The team itself, three times: its members, the combined portfolio, and the service's
  // request (kept for peers), each partner with room for its id's and segment's bytes.
  cost.memory_bytes += 3 * prepared.combined.partners.size() * (sizeof(Partner) + 128);
  if (!options.coaching_gains) return cost;
  size_t search_bytes = 0;
  for (size_t j = 0; j < prepared.team.members.size(); ++j) {
    const RunCost search = TierSearchCost(engine, prepared.team.members[j],
                                          MemberSearchOptions(options, 0, j));
    search_bytes = std::max(search_bytes, search.memory_bytes);
    cost.work += search.work;
  }
  cost.memory_bytes = std::max(cost.memory_bytes, search_bytes);
  return cost;
}

absl::StatusOr<TeamOutcome> SimulateTeamChecked(Engine& engine, const PreparedTeam& prepared,
                                                const TeamOptions& options,
                                                const RunControl& control,
                                                const TeamProgressCallback& on_progress,
                                                SearchOffload* searches) {
  const Team& team = prepared.team;
  const size_t members = team.members.size();
  SimulationOptions simulation = options.simulation;
  if (!simulation.seed) simulation.seed = DrawSeed();

  TeamProgress progress;
  progress.members = members;
  std::vector<std::optional<CoachingGain>> gains(members);
  std::vector<Plan> recommended;
  if (options.coaching_gains) {
    MemberSearches member_searches(engine, prepared, options, *simulation.seed, searches);
    absl::StatusOr<std::vector<SearchResult>> found =
        member_searches.Run(control, [&](size_t searched) {
          progress.members_searched = searched;
          if (on_progress) on_progress(progress);
        });
    if (!found.ok()) return found.status();
    progress.members_searched = members;
    for (size_t j = 0; j < members; ++j) {
      const Portfolio& member = team.members[j];
      const SearchResult& tiers = (*found)[j];
      CoachingGain& gain = gains[j].emplace();
      if (tiers.ok()) {
        gain.plan_found = true;
        gain.tier_changes = TierChanges(member, *tiers);
        gain.recommended_plan = PlanOf(member, *tiers, "recommended");
        recommended.push_back(gain.recommended_plan);
      } else {
        recommended.push_back(MemberPlan(team, member));  // no plan fits: it keeps its own
      }
    }
  }

  progress.phase = TeamProgress::Phase::kSimulating;
  progress.recommended_plans = &recommended;
  if (on_progress) on_progress(progress);
  RunControl run_control = control;
  if (on_progress) {
    run_control.on_progress = [&](const Progress& run) {
      progress.run = run;
      on_progress(progress);
    };
  }
  absl::StatusOr<Engine::RolledUp> run =
      engine.CompareRolledUp(prepared.combined, TeamRunPlans(prepared, recommended), simulation,
                             prepared.split, run_control);
  if (!run.ok()) return run.status();
  Comparison& comparison = run->comparison;
  const MemberSums& sums = run->members;

  TeamOutcome out;
  out.name = team.name;
  out.team = std::move(comparison.outcomes[0]);
  const uint64_t paths = out.team.paths;
  size_t first_partner = 0;
  for (size_t j = 0; j < members; ++j) {
    const Portfolio& member = team.members[j];
    MemberOutcome& m = out.members.emplace_back();
    m.channel_manager_id = member.channel_manager_id;
    m.quota = member.quota;
    m.attainment_probability = sums.attained[j].Mean();
    m.attainment_interval = WilsonInterval(sums.attained[j], paths);
    m.expected_revenue = sums.revenue[j].Mean();
    for (size_t i = first_partner; i < prepared.split.partner_end[j]; ++i) {
      m.unassisted_expected_revenue += out.team.partners[i].unassisted_expected_revenue;
    }
    first_partner = prepared.split.partner_end[j];
    m.expected_shortfall = sums.shortfall[j].Mean();
    m.hours_used = prepared.plans[j].hours_used;
    m.capacity_hours = member.capacity_hours;
    if (gains[j]) {
      CoachingGain& gain = *gains[j];
      if (gain.plan_found) {
        gain.team_attainment_gain = sums.swap_attainment_gain[j].Mean();
        gain.team_attainment_gain_interval = sums.swap_attainment_gain[j].NormalInterval();
        gain.revenue_gain = sums.swap_revenue_gain[j].Mean();
        gain.revenue_gain_interval = sums.swap_revenue_gain[j].NormalInterval();
      }
      m.coaching = std::move(gain);
    }
  }
  RankRisk(out.members);
  for (const uint64_t count : sums.paths_at_quota) {
    out.members_at_quota_probability.push_back(static_cast<double>(count) /
                                               static_cast<double>(paths));
  }
  out.expected_members_at_quota = sums.members_at_quota.Mean();
  out.expected_members_at_quota_interval = sums.members_at_quota.NormalInterval();
  out.team.partners.clear();
  if (options.coaching_gains) {
    out.all_recommended = std::move(comparison.outcomes[1]);
    out.all_recommended->partners.clear();
    out.all_recommended_difference = std::move(comparison.differences[0]);
    out.coaching_paths = options.coaching_paths;
  }
  return out;
}

absl::StatusOr<TeamOutcome> SimulateTeam(Engine& engine, Team team, const TeamOptions& options,
                                         const RunControl& control,
                                         const TeamProgressCallback& on_progress) {
  if (const Violations violations = ValidateTeam(engine, team, options); !violations.empty()) {
    return ViolationsToStatus(violations);
  }
  const PreparedTeam prepared = PrepareTeam(std::move(team), options);
  if (absl::Status memory = engine.CheckMemory(TeamCost(engine, prepared, options));
      !memory.ok()) {
    return memory;
  }
  return SimulateTeamChecked(engine, prepared, options, control, on_progress);
}

}  // namespace attain
