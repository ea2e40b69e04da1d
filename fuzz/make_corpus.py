#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/) from the project's
examples and reference workloads. Run after a build:

    /usr/bin/python3 fuzz/make_corpus.py [BUILD_DIR]    # default build/

It uses the build's Python stubs (BUILD_DIR/python) to serialize requests, and its
attaind to make real exercise ids (CreateExercise). The corpora are checked in; libFuzzer
adds what it finds to a copy (scripts/fuzz.sh).
"""
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build"
CORPUS = ROOT / "fuzz" / "corpus"
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(BUILD / "python"))

from google.protobuf import json_format  # noqa: E402
from attain.v1 import planner_service_pb2 as service  # noqa: E402
from attain.v1 import calibration_pb2, coaching_pb2, sensitivity_pb2  # noqa: E402
from attain.v1 import portfolio_pb2, simulation_pb2, team_pb2  # noqa: E402
import grpc  # noqa: E402
from attain.v1 import planner_service_pb2_grpc  # noqa: E402

METHODS = [m.name for m in service.DESCRIPTOR.services_by_name["PlannerService"].methods]


def target(name):
    folder = CORPUS / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def copy(name, *files):
    folder = target(name)
    for path in files:
        shutil.copy(path, folder / path.name)
    return folder


def load_json(path, message):
    # The examples write enum values without their prefix, as attain reads them.
    text = re.sub(r'"(MONTH|QUARTER)"', r'"PERIOD_LENGTH_\1"', path.read_text())
    return json_format.Parse(text, message)


def requests(folder):
    portfolio = load_json(EXAMPLES / "portfolio.json", portfolio_pb2.Portfolio())
    plan = load_json(EXAMPLES / "plan-invest-cobalt.json", portfolio_pb2.Plan())
    team = load_json(EXAMPLES / "team.json", team_pb2.Team())
    options = simulation_pb2.SimulationOptions(paths=64, seed=1)
    history = [line.split(",") for line in (EXAMPLES / "history.csv").read_text().splitlines()
               if line and not line.startswith("#")]
    header, rows = history[0], history[1:40]
    calibration = calibration_pb2.CalibratePortfolioRequest(rows=[
        calibration_pb2.HistoryRow(partner_id=r[header.index("partner_id")],
                           period=r[header.index("period")],
                           revenue=float(r[header.index("revenue")]),
                           hours=float(r[header.index("hours")])) for r in rows])
    seeds = {
        "Simulate": service.SimulateRequest(portfolio=portfolio, plan=plan, options=options),
        "SimulateStream": service.SimulateStreamRequest(portfolio=portfolio, options=options),
        "ComparePlans": service.ComparePlansRequest(portfolio=portfolio, plans=[plan],
                                                    options=options),
        "RecommendTiers": service.RecommendTiersRequest(portfolio=portfolio, options=options),
        "RecommendTiersStream": service.RecommendTiersStreamRequest(portfolio=portfolio,
                                                                    options=options),
        "CalibratePortfolio": calibration,
        "AnalyzeSensitivity": sensitivity_pb2.AnalyzeSensitivityRequest(portfolio=portfolio,
                                                                options=options),
        "CoachPlan": coaching_pb2.CoachPlanRequest(portfolio=portfolio, plan=plan, options=options),
        "CreateExercise": coaching_pb2.CreateExerciseRequest(difficulty=2, seed=7),
        "SimulateTeam": team_pb2.SimulateTeamRequest(team=team, options=options,
                                                     coaching_paths=64),
        "SimulateTeamStream": service.SimulateTeamStreamRequest(team=team, options=options,
                                                                coaching_paths=64),
    }
    for method, request in seeds.items():
        (folder / method).write_bytes(bytes([METHODS.index(method)]) +
                                      request.SerializeToString())


def exercise_ids(folder):
    log_path = folder / "attaind.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen([str(BUILD / "service" / "attaind"), "--listen=127.0.0.1:0",
                                   "--metrics-listen=", "--drain-delay=0"],
                                  stdout=subprocess.DEVNULL, stderr=log)
    try:
        port = None
        while port is None:
            time.sleep(0.05)
            found = re.search(r"grpc_port=(\d+)", log_path.read_text())
            port = found and found.group(1)
        stub = planner_service_pb2_grpc.PlannerServiceStub(
            grpc.insecure_channel(f"127.0.0.1:{port}"))
        for difficulty, seed in ((1, 1), (3, 42), (5, 2 ** 63 + 5)):
            created = stub.CreateExercise(coaching_pb2.CreateExerciseRequest(
                difficulty=difficulty, seed=seed), timeout=30)
            (folder / f"difficulty-{difficulty}").write_text(created.exercise.id)
    finally:
        server.terminate()
        server.wait()
        log_path.unlink()


def main():
    copy("portfolio_json_fuzzer", EXAMPLES / "portfolio.json", EXAMPLES / "portfolio-meta.json",
         EXAMPLES / "guide" / "portfolio-meta.json", ROOT / "bench" / "workloads" / "w3-20x4.json")
    copy("plan_json_fuzzer", EXAMPLES / "plan-invest-cobalt.json",
         EXAMPLES / "guide" / "my-plan.json")
    (CORPUS / "plan_json_fuzzer" / "hours.json").write_text(
        '{"name": "hours", "tiers": {"acme": "INVEST"}, "hours": {"cobalt": 2.5}}\n')
    copy("portfolio_csv_fuzzer", EXAMPLES / "partners.csv")
    shutil.copy(EXAMPLES / "guide" / "partners.csv",
                CORPUS / "portfolio_csv_fuzzer" / "guide-partners.csv")
    history = target("history_csv_fuzzer")
    lines = (EXAMPLES / "history.csv").read_text().splitlines(keepends=True)
    (history / "history-head.csv").write_text("".join(lines[:60]))
    requests(target("request_fuzzer"))
    exercise_ids(target("exercise_id_fuzzer"))
    tokens = target("token_file_fuzzer")
    (tokens / "two-clients").write_text(
        "# name token\ncrm-plugin 0123456789abcdef0123456789abcdef\n"
        "planner s3cr3t-t0ken-for-the-planning-tool\n")
    (tokens / "blank-lines").write_text("\n\n  ci   aaaaaaaaaaaaaaaaaaaaaaaa  \n")
    for folder in sorted(CORPUS.iterdir()):
        print(f"{folder.name}: {len(list(folder.iterdir()))} seeds")


main()
