"""Fixtures: the API stubs (generated into a temporary folder unless ATTAIN_PYTHON_STUBS
names them) and real attaind processes ($ATTAIND_PATH, else <repo>/build). Without attaind the tests that need it fail: they are never skipped."""
import os
import re
import subprocess
import sys
import time
import urllib.request
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


def attaind_path() -> Path:
    if os.environ.get("ATTAIND_PATH"):
        return Path(os.environ["ATTAIND_PATH"])
    return REPO / "build" / "service" / "attaind"


class Attaind:
    """attaind on ports of its choosing, its log (stderr) in a file."""

    def __init__(self, log_path: Path, *flags: str):
        binary = attaind_path()
        if not binary.is_file():
            pytest.fail(f"no attaind at {binary}: build it, or set ATTAIND_PATH")
        self.log_path = log_path
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(
                [str(binary), "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                 "--drain-delay=0", *flags], stdout=subprocess.DEVNULL, stderr=log)
        give_up = time.monotonic() + 10
        while time.monotonic() < give_up:
            ports = re.search(r"attaind listening grpc_port=(\d+) .*metrics_port=(\d+)",
                              self.log())
            if ports:
                self.address = f"127.0.0.1:{ports.group(1)}"
                self.metrics_url = f"http://127.0.0.1:{ports.group(2)}/metrics"
                return
            if self.process.poll() is not None:
                pytest.fail("attaind exited early:\n" + self.log())
            time.sleep(0.02)
        self.process.kill()
        pytest.fail("attaind did not report its ports:\n" + self.log())

    def log(self) -> str:
        return self.log_path.read_text()

    def calls(self, method: str) -> int:
        """Calls of `method` this replica has answered, by any status (its metrics)."""
        with urllib.request.urlopen(self.metrics_url, timeout=5) as response:
            metrics = response.read().decode()
        return sum(int(float(count)) for count in re.findall(
            rf'^attain_rpc_handled_total{{[^}}]*method="{method}"[^}}]*}} (\S+)$', metrics,
            re.MULTILINE))

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


def run_plan(*args, env=None, timeout=120, module=False):
    """attain-plan as a user runs it: the script (or python3 -m attain_plan) on
    /usr/bin/python3."""
    command = ["-m", "attain_plan"] if module else [str(PACKAGE / "attain-plan")]
    return subprocess.run(["/usr/bin/python3", *command, *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=PACKAGE,
                          env={**os.environ, **(env or {})})
