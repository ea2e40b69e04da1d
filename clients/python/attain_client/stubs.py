"""Finds and imports the API's generated stubs (clients/python/generate_stubs.sh).

The stubs are generated at build time into <build>/python and never checked in, so they
always match proto/. They are looked for in $ATTAIN_PYTHON_STUBS, else <repo>/build/python.
"""
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import List, Optional

REPO_ROOT = Path(__file__).resolve().parents[3]
_MARKER = Path("attain") / "v1" / "planner_service_pb2_grpc.py"
_loaded: Optional[SimpleNamespace] = None


class StubsMissing(RuntimeError):
    pass


def candidate_dirs() -> List[Path]:
    named = os.environ.get("ATTAIN_PYTHON_STUBS")
    if named:
        return [Path(named)]
    return [REPO_ROOT / "build" / "python"]


def load() -> SimpleNamespace:
    """The stub modules the clients use, importing them on first use."""
    global _loaded
    if _loaded is not None:
        return _loaded
    candidates = candidate_dirs()
    found = next((d for d in candidates if (d / _MARKER).is_file()), None)
    if found is None:
        raise StubsMissing(
            "no API stubs in " + " or ".join(str(d) for d in candidates) +
            ": build the project, or run clients/python/generate_stubs.sh DIR and set "
            "ATTAIN_PYTHON_STUBS=DIR")
    if str(found) not in sys.path:
        sys.path.insert(0, str(found))
    from attain.v1 import (planner_service_pb2, planner_service_pb2_grpc, portfolio_pb2,
                           simulation_pb2, team_pb2)
    from google.rpc import error_details_pb2, status_pb2
    _loaded = SimpleNamespace(
        planner_service=planner_service_pb2, planner_service_grpc=planner_service_pb2_grpc,
        portfolio=portfolio_pb2, simulation=simulation_pb2, team=team_pb2,
        status=status_pb2, error_details=error_details_pb2)
    return _loaded
