"""What attain-plan writes: summary.csv, team.json and the report's data, from the team
run (SimulateTeamResponse) and each manager's comparison of their own plan with their
recommended one (ComparePlansResponse)."""
import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

from google.protobuf import json_format

from attain_plan.inputs import TeamInput

SUMMARY_COLUMNS = [
    "manager_id", "risk_rank", "p_attain", "p_attain_low", "p_attain_high",
    "expected_revenue", "unassisted_expected_revenue", "quota", "expected_shortfall",
    "hours_used", "capacity_hours", "plan_found", "tier_changes",
    "team_p_attain_gain", "team_p_attain_gain_low", "team_p_attain_gain_high",
    "revenue_gain", "revenue_gain_low", "revenue_gain_high",
    "p_attain_gain", "p_attain_gain_low", "p_attain_gain_high",
]


@dataclass
class Results:
    """Everything one run of attain-plan learned."""
    team_input: TeamInput
    team: object                  # attain.v1.SimulateTeamResponse
    comparisons: Dict[str, object]  # manager id: ComparePlansResponse, own plan vs recommended
    coaching: bool                # coaching gains were asked for
    generated_by: str
    generated_at: str             # ISO 8601, UTC


def _p(value: float) -> float:
    """A probability or a difference of them, to 6 decimals: finer is sampling noise."""
    return round(value, 6)


def _amount(value: float) -> float:
    """Money or hours, to the cent."""
    return round(value, 2)


def _coached(results: Results, member) -> bool:
    return results.coaching and member.coaching_gain.plan_found


def summary_rows(results: Results) -> List[dict]:
    """One row per manager, most at risk first (risk rank 1). Gain columns are empty
    without coaching gains, or when no plan fits the manager's hours (plan_found false)."""
    rows = []
    for member in sorted(results.team.members, key=lambda m: m.risk_rank):
        row = dict.fromkeys(SUMMARY_COLUMNS, "")
        row.update({
            "manager_id": member.channel_manager_id,
            "risk_rank": member.risk_rank,
            "p_attain": _p(member.attainment_probability),
            "p_attain_low": _p(member.attainment_interval.low),
            "p_attain_high": _p(member.attainment_interval.high),
            "expected_revenue": _amount(member.expected_revenue),
            "unassisted_expected_revenue": _amount(member.unassisted_expected_revenue),
            "quota": _amount(member.quota),
            "expected_shortfall": _amount(member.expected_shortfall),
            "hours_used": _amount(member.hours_used),
            "capacity_hours": _amount(member.capacity_hours),
        })
        if results.coaching:
            row["plan_found"] = "true" if member.coaching_gain.plan_found else "false"
        if _coached(results, member):
            gain = member.coaching_gain
            own = results.comparisons[member.channel_manager_id].differences[0]
            row.update({
                "tier_changes": gain.tier_changes,
                "team_p_attain_gain": _p(gain.team_attainment_gain),
                "team_p_attain_gain_low": _p(gain.team_attainment_gain_interval.low),
                "team_p_attain_gain_high": _p(gain.team_attainment_gain_interval.high),
                "revenue_gain": _amount(gain.revenue_gain),
                "revenue_gain_low": _amount(gain.revenue_gain_interval.low),
                "revenue_gain_high": _amount(gain.revenue_gain_interval.high),
                "p_attain_gain": _p(own.attainment_probability_difference),
                "p_attain_gain_low": _p(own.attainment_probability_difference_interval.low),
                "p_attain_gain_high": _p(own.attainment_probability_difference_interval.high),
            })
        rows.append(row)
    return rows


def summary_csv(rows: List[dict]) -> str:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue()


def report_data(results: Results) -> dict:
    """The team report's data (clients/report/README.md)."""
    team, outcome = results.team_input.team, results.team.team
    managers = []
    for member in sorted(results.team.members, key=lambda m: m.risk_rank):
        manager = {
            "id": member.channel_manager_id,
            "pAttain": member.attainment_probability,
            "pAttainLow": member.attainment_interval.low,
            "pAttainHigh": member.attainment_interval.high,
            "expectedRevenue": member.expected_revenue,
            "quota": member.quota,
            "expectedShortfall": member.expected_shortfall,
            "riskRank": member.risk_rank,
        }
        if _coached(results, member):
            manager.update({"gainPAttain": member.coaching_gain.team_attainment_gain,
                            "gainRevenue": member.coaching_gain.revenue_gain,
                            "tierChanges": member.coaching_gain.tier_changes})
        managers.append(manager)
    return {
        "kind": "team",
        "title": team.name or "Team",
        "currency": outcome.currency,
        "seed": str(outcome.seed),  # a uint64 does not fit a JavaScript number
        "paths": outcome.paths,
        "quota": team.quota,
        "generatedBy": results.generated_by,
        "generatedAt": results.generated_at,
        "expectedMembersAtQuota": results.team.expected_members_at_quota,
        "teamPAttain": outcome.attainment_probability,
        "managers": managers,
        "membersAtQuota": [{"count": count, "probability": probability} for count, probability
                           in enumerate(results.team.members_at_quota_probability)],
    }


def team_document(results: Results, source: Path) -> dict:
    """team.json: the responses in protobuf JSON, and what they came from."""
    team, outcome = results.team_input.team, results.team.team
    return {
        "generatedBy": results.generated_by,
        "generatedAt": results.generated_at,
        "input": {"path": str(source),
                  "files": [{"path": f.path, "sha256": f.sha256}
                            for f in results.team_input.files]},
        "team": {"name": team.name, "quota": team.quota, "members": len(team.members)},
        "seed": str(outcome.seed),
        "paths": outcome.paths,
        "coachingPaths": results.team.coaching_paths,
        "result": json_format.MessageToDict(results.team),
        # Each manager's own plan (first) and recommended plan on the manager's own
        # portfolio: the gain in their own P(attain).
        "comparisons": {manager_id: json_format.MessageToDict(response)
                        for manager_id, response in sorted(results.comparisons.items())},
    }


def write_file(path: Path, text: str) -> None:
    """All or nothing: a reader never sees half a file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def write_all(out: Path, results: Results, source: Path, page: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_file(out / "summary.csv", summary_csv(summary_rows(results)))
    write_file(out / "team.json", json.dumps(team_document(results, source), indent=2) + "\n")
    write_file(out / "report.html", page)
