"""attain-plan TEAM_DIR_OR_JSON --quota Q --out DIR: a sales leader's view of a team.

Over one channel (round_robin over every replica a dns:/// name resolves to):
1. SimulateTeamStream, once: the team on one shared market, each manager's P(attain),
   revenue, shortfall and risk rank, how many managers make quota, and per manager the
   coaching gain: their recommended tiers' effect on the team's P(attain) and on their
   revenue. Its progress drives the progress bar.
2. ComparePlans, once per manager with a recommended plan, --concurrency at a time: the
   manager's own plan against the recommended one on their own portfolio and quota,
   paired path by path, for the gain in their own P(attain), which the team run lacks.
DIR/summary.csv, team.json and report.html are written once every call has answered.
"""
import argparse
import concurrent.futures
import datetime
import math
import os
import sys
from pathlib import Path
from typing import Dict, List, Optional

from attain_client import (EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, AttainError, BadSettings,
                           Connection, PlannerClient, StubsMissing, TeamProgress)
from attain_client import stubs
from attain_plan import VERSION
from attain_plan.errors import BadInput, bounded
from attain_plan.inputs import TeamInput, read_team
from attain_plan.outputs import Results, report_data, summary_rows, write_all
from attain_plan.progress import ProgressBar
from attain_plan.report import ReportAssetsMissing, render

_SHOWN_WARNINGS = 10
_HINTS = {
    "UNAVAILABLE": " (is attaind running there? set --address or ATTAIN_ADDRESS)",
    "DEADLINE_EXCEEDED": " (raise --deadline, or lower --paths or --coaching-paths)",
    "UNAUTHENTICATED": " (give its token with --token-file or ATTAIN_TOKEN, and its client "
                       "certificate with --tls-cert and --tls-key)",
}
_HINTS["PERMISSION_DENIED"] = _HINTS["UNAUTHENTICATED"]


def _positive_number(text: str) -> float:
    value = float(text)
    if not (math.isfinite(value) and value > 0):
        raise ValueError
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError
    return value


def _seed(text: str) -> int:
    value = int(text)
    if not 0 <= value < 2 ** 64:
        raise ValueError
    return value


# argparse names the flag and the bad value from the function's __name__.
_positive_number.__name__ = "positive number"
_count.__name__ = "whole number >= 1"
_seed.__name__ = "seed (0 to 2^64-1)"


def parse_arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="attain-plan",
        description="A team's chance of making its number, who is at risk, and what each "
                    "manager's recommended tiers would gain; writes DIR/summary.csv, "
                    "DIR/team.json and DIR/report.html.",
        epilog="Exit codes: 0 ok; 2 bad input (a file, a flag, or a request the server "
               "rejects); 3 server unavailable (also a failed TLS handshake); 4 deadline "
               "exceeded; 5 token or certificate refused; 1 any other error.")
    parser.add_argument("team", type=Path, metavar="TEAM_DIR_OR_JSON",
                        help="a folder of managers' portfolios, one file each (.json, or .csv "
                             "with its settings in NAME.meta.json), or an attain.v1.Team .json")
    parser.add_argument("--quota", type=_positive_number,
                        help="the team's number over the horizon (default: the team file's)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="folder to write summary.csv, team.json and report.html into")
    parser.add_argument("--paths", type=_count,
                        help="paths of the team run and of each comparison (default 10000)")
    parser.add_argument("--coaching-paths", type=_count,
                        help="paths of each manager's tier search (default 4000)")
    parser.add_argument("--no-coaching", action="store_true",
                        help="skip the tier searches and the gains")
    parser.add_argument("--seed", type=_seed,
                        help="seed of every call (default: the server draws one; team.json "
                             "records it)")
    parser.add_argument("--concurrency", type=_count, default=4,
                        help="per-manager calls at once (default 4)")
    parser.add_argument("--address", default=os.environ.get("ATTAIN_ADDRESS", "localhost:50051"),
                        help="attaind: HOST:PORT, dns:///NAME:PORT for every replica behind a "
                             "name, or ipv4:A:P,B:Q (default $ATTAIN_ADDRESS, else "
                             "localhost:50051)")
    parser.add_argument("--deadline", type=_positive_number, default=300.0, metavar="SECONDS",
                        help="seconds each call may take (default 300)")
    parser.add_argument("--tls-ca", type=Path, metavar="FILE",
                        help="speak TLS, checking the server's certificate against these PEM "
                             "CAs (without it, with --tls-cert: the system's)")
    parser.add_argument("--tls-cert", type=Path, metavar="FILE",
                        help="PEM client certificate, for servers that require one (mTLS)")
    parser.add_argument("--tls-key", type=Path, metavar="FILE", help="its PEM key")
    parser.add_argument("--token-file", type=Path, metavar="FILE",
                        help="bearer token sent with every call (default: $ATTAIN_TOKEN)")
    parser.add_argument("--version", action="version", version=f"attain-plan {VERSION}")
    return parser.parse_args(argv)


def _team_request(api, team_input: TeamInput, arguments):
    options = api.simulation.SimulationOptions()
    if arguments.paths is not None:
        options.paths = arguments.paths
    if arguments.seed is not None:
        options.seed = arguments.seed
    request = api.planner_service.SimulateTeamStreamRequest(
        team=team_input.team, options=options, skip_coaching_gains=arguments.no_coaching)
    if arguments.coaching_paths is not None:
        request.coaching_paths = arguments.coaching_paths
    return request


def _comparison_requests(api, team, team_result) -> Dict[str, object]:
    """Per manager with a recommended plan: their own plan (the team's plan for them, else
    their current tiers) and the recommended one, on the team run's paths and seed."""
    outcome = team_result.team
    options = api.simulation.SimulationOptions(paths=outcome.paths, seed=outcome.seed)
    requests = {}
    for portfolio, member in zip(team.members, team_result.members):
        if not member.coaching_gain.plan_found:
            continue
        own = api.portfolio.Plan(name="current tiers")
        if portfolio.channel_manager_id in team.plans:
            own.CopyFrom(team.plans[portfolio.channel_manager_id])
        recommended = api.portfolio.Plan()
        recommended.CopyFrom(member.coaching_gain.recommended_plan)
        recommended.name = recommended.name or "recommended"
        requests[member.channel_manager_id] = api.planner_service.ComparePlansRequest(
            portfolio=portfolio, plans=[own, recommended], options=options)
    return requests


def _compare_all(client: PlannerClient, requests: Dict[str, object], concurrency: int,
                 progress: ProgressBar) -> Dict[str, object]:
    responses = {}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=concurrency)
    try:
        futures = {pool.submit(client.compare_plans, request): manager_id
                   for manager_id, request in requests.items()}
        for future in concurrent.futures.as_completed(futures):
            responses[futures[future]] = future.result()
            progress.show("comparing plans", len(responses), len(requests))
    finally:
        # On a failure, calls not yet started are dropped: the run fails anyway.
        pool.shutdown(wait=True, cancel_futures=True)
    return responses


def _print_summary(results: Results) -> None:
    team, outcome = results.team_input.team, results.team.team
    for warning in results.team.warnings[:_SHOWN_WARNINGS]:
        print(f"warning: {bounded(warning.message)}", file=sys.stderr)
    if len(results.team.warnings) > _SHOWN_WARNINGS:
        print(f"warning: ... and {len(results.team.warnings) - _SHOWN_WARNINGS} more "
              "(team.json has them all)", file=sys.stderr)
    print(f"{team.name or 'Team'}: P(team reaches {team.quota:,.0f} {outcome.currency}) "
          f"{100 * outcome.attainment_probability:.1f}%, "
          f"{results.team.expected_members_at_quota:.1f} of {len(team.members)} managers "
          f"expected at quota ({outcome.paths:,} paths, seed {outcome.seed})")
    for row in summary_rows(results):
        line = (f"  {row['risk_rank']:>3}  {row['manager_id']:<24} "
                f"P(attain) {100 * row['p_attain']:5.1f}%")
        if row["plan_found"] == "true":
            line += (f"  coached: team {100 * row['team_p_attain_gain']:+.1f} pts, "
                     f"own {100 * row['p_attain_gain']:+.1f} pts, "
                     f"{row['tier_changes']} tier changes")
        elif row["plan_found"] == "false":
            line += "  no plan fits the hours"
        print(line)


def call_attaind(api, team_input: TeamInput, connection: Connection,
                 arguments: argparse.Namespace) -> Results:
    progress = ProgressBar()

    def show_team(step: TeamProgress):
        label = ("searching managers' tiers" if step.phase == "searching"
                 else "simulating the team")
        progress.show(label, step.done, step.total)

    try:
        with PlannerClient(connection, arguments.deadline) as client:
            team_result = client.simulate_team(_team_request(api, team_input, arguments),
                                               show_team)
            comparisons = {}
            if not arguments.no_coaching:
                comparisons = _compare_all(
                    client, _comparison_requests(api, team_input.team, team_result),
                    arguments.concurrency, progress)
    finally:
        progress.close()
    return Results(team_input, team_result, comparisons, not arguments.no_coaching,
                   generated_by=f"attain-plan {VERSION}",
                   generated_at=datetime.datetime.now(datetime.timezone.utc)
                   .isoformat(timespec="seconds").replace("+00:00", "Z"))


def run(arguments: argparse.Namespace) -> int:
    api = stubs.load()
    team_input = read_team(arguments.team, arguments.quota, api)
    connection = Connection.from_flags(arguments.address, arguments.tls_ca, arguments.tls_cert,
                                       arguments.tls_key, arguments.token_file)
    try:
        results = call_attaind(api, team_input, connection, arguments)
    except AttainError as error:
        print(f"attain-plan: {arguments.address}: {error.describe(team_input.locate)}"
              f"{_HINTS.get(error.code, '')}", file=sys.stderr)
        return error.exit_code
    page = render(report_data(results))
    try:
        write_all(arguments.out, results, arguments.team, page)
    except OSError as error:
        print(f"attain-plan: cannot write into {arguments.out}: {error.strerror}",
              file=sys.stderr)
        return EXIT_FAILURE
    _print_summary(results)
    print(f"Wrote {arguments.out / 'summary.csv'}, team.json and report.html")
    return EXIT_OK


def main(argv: Optional[List[str]] = None) -> int:
    arguments = parse_arguments(argv)
    try:
        return run(arguments)
    except (BadInput, BadSettings) as error:
        print(f"attain-plan: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StubsMissing, ReportAssetsMissing) as error:
        print(f"attain-plan: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
