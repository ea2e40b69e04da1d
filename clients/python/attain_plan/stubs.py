"""Finds and imports the generated API stubs (clients/python/generate_stubs.sh).

The stubs are generated at build time into <build>/python, never checked in: they
follow proto/ exactly. ATTAIN_PYTHON_STUBS names the folder; otherwise <repo>/build/python.
"""
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


class StubsMissing(RuntimeError):
    pass


def stubs_dir() -> Path:
    named = os.environ.get("ATTAIN_PYTHON_STUBS")
    return Path(named) if named else REPO_ROOT / "build" / "python"


def load():
    """Puts the stubs on sys.path (once) and returns the modules the tool uses."""
    folder = stubs_dir()
    if not (folder / "attain" / "v1" / "planner_service_pb2_grpc.py").is_file():
        raise StubsMissing(
            f"no API stubs in {folder}: build the project (scripts/setup.sh), or run "
            f"clients/python/generate_stubs.sh DIR and set ATTAIN_PYTHON_STUBS=DIR")
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    from attain.v1 import planner_service_pb2_grpc, portfolio_pb2, simulation_pb2, team_pb2
    from attain.v1 import planner_service_pb2
    from google.rpc import error_details_pb2, status_pb2
    return _Modules(planner_service_pb2, planner_service_pb2_grpc, portfolio_pb2,
                    simulation_pb2, team_pb2, status_pb2, error_details_pb2)


class _Modules:
    def __init__(self, service, service_grpc, portfolio, simulation, team, status, details):
        self.service = service
        self.service_grpc = service_grpc
        self.portfolio = portfolio
        self.simulation = simulation
        self.team = team
        self.status = status
        self.details = details
