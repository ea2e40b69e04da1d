"""Fixtures: the API stubs (generated into a temporary folder unless ATTAIN_PYTHON_STUBS
names them) and real attaind processes (ATTAIND_PATH, default <repo>/build)."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
REPO = PACKAGE.parents[1]
EXAMPLES = REPO / "examples"
sys.path.insert(0, str(PACKAGE))


@pytest.fixture(scope="session", autouse=True)
def python_stubs(tmp_path_factory):
    if not os.environ.get("ATTAIN_PYTHON_STUBS"):
        folder = tmp_path_factory.mktemp("stubs")
        subprocess.run(["bash", str(PACKAGE / "generate_stubs.sh"), str(folder)], check=True)
        os.environ["ATTAIN_PYTHON_STUBS"] = str(folder)
    return os.environ["ATTAIN_PYTHON_STUBS"]


class Attaind:
    """attaind on a port of its choosing; its log (stderr) in a file."""

    def __init__(self, log_path: Path):
        binary = os.environ.get("ATTAIND_PATH", str(REPO / "build" / "service" / "attaind"))
        if not Path(binary).is_file():
            pytest.fail(f"no attaind at {binary}: build it, or set ATTAIND_PATH")
        self.log_path = log_path
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(
                [binary, "--listen=127.0.0.1:0", "--metrics-listen=", "--drain-delay=0"],
                stdout=subprocess.DEVNULL, stderr=log)
        give_up = time.monotonic() + 10
        while time.monotonic() < give_up:
            port = re.search(r"attaind listening grpc_port=(\d+)", self.log())
            if port:
                self.address = f"127.0.0.1:{port.group(1)}"
                return
            if self.process.poll() is not None:
                pytest.fail("attaind exited early:\n" + self.log())
            time.sleep(0.02)
        pytest.fail("attaind did not report its port:\n" + self.log())

    def log(self) -> str:
        return self.log_path.read_text()

    def calls(self, method: str) -> int:
        return len(re.findall(rf"rpc method={method} ", self.log()))

    def stop(self):
        self.process.terminate()
        assert self.process.wait(timeout=30) == 0, self.log()


@pytest.fixture(scope="session")
def attaind(tmp_path_factory):
    server = Attaind(tmp_path_factory.mktemp("attaind") / "attaind.log")
    yield server
    server.stop()


@pytest.fixture
def second_attaind(tmp_path):
    server = Attaind(tmp_path / "second.log")
    yield server
    server.stop()


def run_plan(*args, env=None, timeout=120):
    """attain-plan as a user runs it: the script, on /usr/bin/python3."""
    return subprocess.run(["/usr/bin/python3", str(PACKAGE / "attain-plan"), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
