#include "service/team_convert.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "service/convert.h"

namespace attain {
namespace {

template <class Request>
Violations FromProto(const Request& request, TeamInput& input) {
  Violations violations;
  const v1::Team& team = request.team();
  input.team.name = team.name();
  input.team.quota = team.quota();
  for (int j = 0; j < team.members_size(); ++j) {
    Violations member;
    input.team.members.push_back(PortfolioFromProto(team.members(j), member));
    violations.Append(absl::StrCat("team.members[", j, "]"), member);
  }
  for (const auto& [id, proto] : team.plans()) {
    Violations plan;
    input.team.plans.emplace(id, PlanFromProto(proto, plan));
    violations.Append(absl::StrCat("team.plans[", QuoteForMessage(id), "]"), plan);
  }
  input.options.simulation = OptionsFromProto(request.options(), violations);
  input.options.coaching_gains = !request.skip_coaching_gains();
  if (request.has_coaching_paths()) input.options.coaching_paths = request.coaching_paths();
  return violations;
}

v1::CoachingGain CoachingGainToProto(const CoachingGain& gain) {
  v1::CoachingGain proto;
  proto.set_plan_found(gain.plan_found);
  if (gain.plan_found) *proto.mutable_recommended_plan() = PlanToProto(gain.recommended_plan);
  proto.set_tier_changes(gain.tier_changes);
  proto.set_team_attainment_gain(gain.team_attainment_gain);
  *proto.mutable_team_attainment_gain_interval() =
      IntervalToProto(gain.team_attainment_gain_interval);
  proto.set_revenue_gain(gain.revenue_gain);
  *proto.mutable_revenue_gain_interval() = IntervalToProto(gain.revenue_gain_interval);
  return proto;
}

}  // namespace

Violations TeamInputFromProto(const v1::SimulateTeamRequest& request, TeamInput& input) {
  return FromProto(request, input);
}

Violations TeamInputFromProto(const v1::SimulateTeamStreamRequest& request, TeamInput& input) {
  return FromProto(request, input);
}

v1::SimulateTeamResponse TeamOutcomeToProto(const TeamOutcome& outcome,
                                            const PreparedTeam& prepared) {
  v1::SimulateTeamResponse proto;
  *proto.mutable_team() = PlanOutcomeToProto(outcome.team, prepared.combined);
  for (const MemberOutcome& m : outcome.members) {
    v1::MemberOutcome* member = proto.add_members();
    member->set_channel_manager_id(m.channel_manager_id);
    member->set_quota(m.quota);
    member->set_attainment_probability(m.attainment_probability);
    *member->mutable_attainment_interval() = IntervalToProto(m.attainment_interval);
    member->set_expected_revenue(m.expected_revenue);
    member->set_unassisted_expected_revenue(m.unassisted_expected_revenue);
    member->set_expected_shortfall(m.expected_shortfall);
    member->set_risk_rank(static_cast<uint32_t>(m.risk_rank));
    member->set_hours_used(m.hours_used);
    member->set_capacity_hours(m.capacity_hours);
    if (m.coaching) *member->mutable_coaching_gain() = CoachingGainToProto(*m.coaching);
  }
  proto.mutable_members_at_quota_probability()->Add(outcome.members_at_quota_probability.begin(),
                                                    outcome.members_at_quota_probability.end());
  proto.set_expected_members_at_quota(outcome.expected_members_at_quota);
  *proto.mutable_expected_members_at_quota_interval() =
      IntervalToProto(outcome.expected_members_at_quota_interval);
  if (outcome.all_recommended) {
    *proto.mutable_all_recommended() = PlanOutcomeToProto(*outcome.all_recommended,
                                                          prepared.combined);
    *proto.mutable_all_recommended_difference() =
        PlanDifferenceToProto(*outcome.all_recommended_difference);
  }
  proto.set_coaching_paths(outcome.coaching_paths);
  const Team& team = prepared.team;
  for (size_t j = 0; j < team.members.size(); ++j) {
    const Portfolio& member = team.members[j];
    google::protobuf::RepeatedPtrField<v1::Warning> warnings;
    AddWarnings(member, {&MemberPlan(team, member), 1}, warnings);
    for (v1::Warning& warning : warnings) {
      warning.set_field(absl::StrCat("team.members[", j, "].", warning.field()));
      warning.set_message(absl::StrCat(member.channel_manager_id, ": ", warning.message()));
      *proto.add_warnings() = std::move(warning);
    }
  }
  return proto;
}

}  // namespace attain
