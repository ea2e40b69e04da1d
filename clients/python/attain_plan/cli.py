"""attain-plan TEAM_DIR_OR_JSON --quota Q --out DIR: a sales leader's view of a team.

Calls, over one channel (round_robin over every replica a dns:/// name resolves to):
- SimulateTeamStream once: the team on one shared market (its P(attain) against the team
  quota, each manager's P(attain), revenue, shortfall and risk rank, and how many managers
  make quota), without the server's coaching searches;
- RecommendTiers once per manager, concurrently (--concurrency): the manager's own
  recommended plan (starting from the team file's plan for them, if any) and its gain in
  P(attain) against their own quota and in revenue, paired on the same paths.
Writes DIR/summary.csv, DIR/team.json and DIR/report.html once every call has answered.
"""
import argparse
import concurrent.futures
import csv
import datetime
import json
import os
import random
import sys
import threading
from pathlib import Path
from typing import Dict, List, Optional

from google.protobuf import json_format

from attain_plan import VERSION, inputs, report, stubs
from attain_plan.client import (EXIT_BAD_INPUT, EXIT_OK, AttainError, Connection,
                                PlannerClient, open_channel)

SUMMARY_COLUMNS = [
    "risk_rank", "manager_id", "p_attain", "p_attain_low", "p_attain_high",
    "expected_revenue", "unassisted_expected_revenue", "quota", "expected_shortfall",
    "plan_found", "tier_changes", "recommended_p_attain", "gain_p_attain", "gain_revenue",
]


def _arguments(argv):
    parser = argparse.ArgumentParser(
        prog="attain-plan",
        description="A team's chance of making its number, who is at risk, and what each "
                    "manager's recommended plan would gain; writes summary.csv, team.json "
                    "and report.html.")
    parser.add_argument("team", type=Path, metavar="TEAM_DIR_OR_JSON",
                        help="a folder of managers' portfolios (.json, or .csv with "
                             "NAME.meta.json), a Team JSON file, or one Portfolio JSON")
    parser.add_argument("--quota", type=float, help="the team's number (default: the team "
                        "file's quota)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--address", default=os.environ.get("ATTAIN_ADDRESS",
                                                            "localhost:50051"),
                        help="attaind: host:port, or dns:///name:port for every replica "
                             "(default $ATTAIN_ADDRESS, else localhost:50051)")
    parser.add_argument("--paths", type=int, help="paths of the team run (server default "
                        "10000)")
    parser.add_argument("--coaching-paths", type=int, default=4000,
                        help="paths of each manager's recommendation (default 4000)")
    parser.add_argument("--seed", type=int, help="seed of every call (default: drawn, and "
                        "written to team.json)")
    parser.add_argument("--concurrency", type=int, default=4,
                        help="calls at once (default 4)")
    parser.add_argument("--deadline", type=float, default=300, help="seconds per call")
    parser.add_argument("--tls-ca", type=Path)
    parser.add_argument("--tls-cert", type=Path)
    parser.add_argument("--tls-key", type=Path)
    parser.add_argument("--token-file", type=Path, help="bearer token file (default "
                        "$ATTAIN_TOKEN)")
    arguments = parser.parse_args(argv)
    if arguments.quota is not None and not arguments.quota > 0:
        parser.error("--quota: must be a positive number")
    for name in ("paths", "coaching_paths", "concurrency"):
        value = getattr(arguments, name)
        if value is not None and value < 1:
            parser.error(f"--{name.replace('_', '-')}: must be 1 or more")
    if arguments.seed is not None and not 0 <= arguments.seed < 2 ** 64:
        parser.error("--seed: must be between 0 and 2^64 - 1")
    if (arguments.tls_cert is None) != (arguments.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    return arguments


class Progress:
    """One bar on a terminal's stderr over every call: the team run's share of its paths
    and each manager's recommendation. Silent when stderr is not a terminal."""

    def __init__(self, managers: int, stream=sys.stderr):
        self._stream = stream
        self._shown = stream.isatty()
        self._lock = threading.Lock()
        self._team = 0.0
        self._done = 0
        self._total = managers

    def team(self, fraction: float):
        with self._lock:
            self._team = fraction
            self._draw()

    def manager_done(self):
        with self._lock:
            self._done += 1
            self._draw()

    def finish(self):
        if self._shown:
            self._stream.write("\n")

    def _draw(self):
        if not self._shown:
            return
        share = (self._team + self._done) / (1 + self._total)
        bar = "#" * int(30 * share)
        self._stream.write(f"\r[{bar:<30}] team run {100 * self._team:3.0f}%, "
                           f"recommendations {self._done}/{self._total}")
        self._stream.flush()


def _recommend_request(modules, member, plan, options):
    portfolio = modules.portfolio.Portfolio()
    portfolio.CopyFrom(member)
    if plan is not None:
        inputs.apply_plan(portfolio, plan)
    return modules.service.RecommendTiersRequest(portfolio=portfolio, options=options)


def run(arguments) -> int:
    team = inputs.read_team(arguments.team, arguments.quota)
    token = None
    if arguments.token_file is not None:
        try:
            token = arguments.token_file.read_text().strip()
        except OSError as error:
            raise inputs.BadInput(f"{arguments.token_file}: cannot read: {error.strerror}") \
                from None
    elif os.environ.get("ATTAIN_TOKEN"):
        token = os.environ["ATTAIN_TOKEN"]
    seed = arguments.seed if arguments.seed is not None else random.SystemRandom().getrandbits(63)

    channel = open_channel(Connection(arguments.address, arguments.tls_ca, arguments.tls_cert,
                                      arguments.tls_key, token))
    client = PlannerClient(channel, arguments.deadline)
    modules = client.messages
    team_options = modules.simulation.SimulationOptions(seed=seed)
    if arguments.paths is not None:
        team_options.paths = arguments.paths
    team_request = modules.team.SimulateTeamRequest(team=team, options=team_options,
                                                    skip_coaching_gains=True)
    search_options = modules.simulation.SimulationOptions(paths=arguments.coaching_paths,
                                                          seed=seed)
    requests = {m.channel_manager_id: _recommend_request(
        modules, m, team.plans.get(m.channel_manager_id), search_options)
        for m in team.members}

    progress = Progress(len(requests))
    recommendations: Dict[str, Optional[object]] = {}

    def recommend(manager_id):
        try:
            return client.recommend_tiers(requests[manager_id])
        except AttainError as error:
            if error.code == "FAILED_PRECONDITION":  # no plan fits this manager's hours
                return None
            raise
        finally:
            progress.manager_done()

    with concurrent.futures.ThreadPoolExecutor(arguments.concurrency) as pool:
        team_future = pool.submit(client.simulate_team, team_request, progress.team)
        futures = {pool.submit(recommend, manager_id): manager_id for manager_id in requests}
        try:
            team_result = team_future.result()
            for future in concurrent.futures.as_completed(futures):
                recommendations[futures[future]] = future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        finally:
            progress.finish()
    channel.close()

    rows = summary_rows(team_result, recommendations)
    write_outputs(arguments, team, team_result, recommendations, rows, seed)
    print(f"{team.name}: P(team attains {team.quota:,.0f}) "
          f"{100 * team_result.team.attainment_probability:.1f}%, expected managers at quota "
          f"{team_result.expected_members_at_quota:.1f} of {len(rows)} "
          f"(seed {seed}, {team_result.team.paths:,} paths)")
    for row in rows:
        gain = ("no plan fits" if row["plan_found"] == "false" else
                f"{100 * float(row['gain_p_attain']):+.1f} pp with its plan")
        print(f"  {row['risk_rank']:>3}  {row['manager_id']:<24} "
              f"P(attain) {100 * float(row['p_attain']):5.1f}%  {gain}")
    print(f"Wrote {arguments.out}/summary.csv, team.json and report.html")
    return EXIT_OK


def summary_rows(team_result, recommendations) -> List[dict]:
    """One row per manager, most at risk first (risk rank 1)."""
    rows = []
    for member in team_result.members:
        recommended = recommendations.get(member.channel_manager_id)
        row = {
            "risk_rank": member.risk_rank,
            "manager_id": member.channel_manager_id,
            "p_attain": member.attainment_probability,
            "p_attain_low": member.attainment_interval.low,
            "p_attain_high": member.attainment_interval.high,
            "expected_revenue": member.expected_revenue,
            "unassisted_expected_revenue": member.unassisted_expected_revenue,
            "quota": member.quota,
            "expected_shortfall": member.expected_shortfall,
            "plan_found": "true" if recommended is not None else "false",
            "tier_changes": "", "recommended_p_attain": "", "gain_p_attain": "",
            "gain_revenue": "",
        }
        if recommended is not None:
            row.update({
                "tier_changes": len(recommended.changes),
                "recommended_p_attain": recommended.recommended_outcome.attainment_probability,
                # Paired on the same paths: the plan's effect, not sampling noise.
                "gain_p_attain": recommended.difference.attainment_probability_difference,
                "gain_revenue": recommended.difference.expected_revenue_difference,
            })
        rows.append({key: str(value) for key, value in row.items()})
    rows.sort(key=lambda row: int(row["risk_rank"]))
    return rows


def report_data(team, team_result, rows, seed) -> dict:
    managers = []
    for row in rows:
        manager = {
            "id": row["manager_id"], "riskRank": int(row["risk_rank"]),
            "pAttain": float(row["p_attain"]), "pAttainLow": float(row["p_attain_low"]),
            "pAttainHigh": float(row["p_attain_high"]),
            "expectedRevenue": float(row["expected_revenue"]), "quota": float(row["quota"]),
            "expectedShortfall": float(row["expected_shortfall"]),
        }
        if row["plan_found"] == "true":
            manager.update({"gainPAttain": float(row["gain_p_attain"]),
                            "gainRevenue": float(row["gain_revenue"]),
                            "tierChanges": int(row["tier_changes"])})
        managers.append(manager)
    return {
        "kind": "team", "title": team.name or "Team", "currency": team_result.team.currency,
        "seed": str(seed), "paths": team_result.team.paths, "quota": team.quota,
        "generatedBy": f"attain-plan {VERSION}",
        "generatedAt": datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
        "expectedMembersAtQuota": team_result.expected_members_at_quota,
        "teamPAttain": team_result.team.attainment_probability,
        "managers": managers,
        "membersAtQuota": [{"count": count, "probability": probability} for count, probability
                           in enumerate(team_result.members_at_quota_probability)],
    }


def write_outputs(arguments, team, team_result, recommendations, rows, seed):
    out = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=SUMMARY_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    document = {
        "generatedBy": f"attain-plan {VERSION}",
        "input": str(arguments.team),
        "seed": str(seed),
        "coachingPaths": arguments.coaching_paths,
        "team": json_format.MessageToDict(team_result),
        "recommendations": {
            manager_id: (json_format.MessageToDict(response) if response is not None
                         else {"planFound": False})
            for manager_id, response in sorted(recommendations.items())},
    }
    (out / "team.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    (out / "report.html").write_text(report.assemble(report_data(team, team_result, rows,
                                                                 seed)), encoding="utf-8")


def main(argv) -> int:
    arguments = _arguments(argv)
    try:
        return run(arguments)
    except (inputs.BadInput, stubs.StubsMissing) as error:
        print(f"attain-plan: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except AttainError as error:
        print(f"attain-plan: {error}", file=sys.stderr)
        return error.exit_code
