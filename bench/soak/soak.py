#!/usr/bin/python3
"""Soak and faults on purpose against real attaind processes, over loopback, bounded in time.

    /usr/bin/python3 bench/soak/soak.py [--build build] [--minutes 10] [--callers 8]
        [--out DIR] [--only soak|faults|FAULT,...]

soak: CALLERS threads call every RPC of attain.v1.PlannerService, picked at random, back to
back for MINUTES; about 20% are cancelled at a random time and about 10% get a deadline
shorter than the call takes. Reports codes by RPC, p50/p99 of the calls that finished OK,
attaind's RSS every 10 s and its growth after the first minute, calls that never came
back, and codes outside OK, CANCELLED, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED.

faults, each on a fresh attaind: SIGTERM under load; a peer killed during a spread-out run;
slow clients that never read their streams; idle connections; messages just under the size
limit; the memory budget exhausted by concurrent large requests (and attaind's peak RSS
against max-in-flight x memory budget + base).

Every call that finishes OK, under load or fault, is compared byte for byte with the same
request answered by a quiet attaind: results depend on the request and its seed only.
The report (markdown) goes to stdout and DIR/soak.md, the figures to DIR/soak.json;
attaind's logs to DIR. Exit 1 if any check fails.
"""
import argparse
import json
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent import futures
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ALLOWED = {"OK", "CANCELLED", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED"}
LONG_DEADLINE_S = 120  # a call that has not come back by then is stuck


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--callers", type=int, default=8)
    parser.add_argument("--out", default=None, help="default: BUILD/soak")
    parser.add_argument("--only", default="soak,faults",
                        help="soak, faults, or a comma-separated list of fault names")
    return parser.parse_args()


ARGS = parse_args()
BUILD = Path(ARGS.build).resolve()
OUT = Path(ARGS.out or BUILD / "soak").resolve()
sys.path.insert(0, str(BUILD / "python"))

import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from attain.v1 import calibration_pb2, coaching_pb2, planner_service_pb2 as service  # noqa: E402
from attain.v1 import planner_service_pb2_grpc, portfolio_pb2, sensitivity_pb2  # noqa: E402
from attain.v1 import simulation_pb2, team_pb2  # noqa: E402


# ---------------------------------------------------------------- attaind processes

class Attaind:
    """An attaind process on 127.0.0.1 with ports of its choosing; its log in OUT."""

    def __init__(self, name, *flags):
        self.log_path = OUT / f"{name}.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [str(BUILD / "service" / "attaind"), "--listen=127.0.0.1:0",
                 "--metrics-listen=127.0.0.1:0", "--drain-delay=0", *flags],
                stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 60
        while True:
            found = re.search(r"grpc_port=(\d+).*metrics_port=(\d+)", self.log_path.read_text())
            if found:
                self.port, self.metrics_port = int(found.group(1)), int(found.group(2))
                break
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"attaind did not start: see {self.log_path}")
            time.sleep(0.05)
        self.address = f"127.0.0.1:{self.port}"

    def status_kib(self, field):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def rss_mib(self):
        return self.status_kib("VmRSS") / 1024

    def peak_rss_mib(self):
        return self.status_kib("VmHWM") / 1024

    def gauge(self, name):
        text = urllib.request.urlopen(
            f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=10).read().decode()
        found = re.search(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M)
        return float(found.group(1)) if found else None

    def idle_within(self, seconds):
        """True once no simulation runs or waits, within `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if (self.gauge("attain_simulations_in_flight") == 0 and
                    self.gauge("attain_simulations_queued") == 0):
                return True
            time.sleep(0.2)
        return False

    def stop(self, sig=signal.SIGTERM, timeout=120):
        """Sends `sig` and returns the exit code (None if it had to be killed)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def stub(self, **options):
        channel = grpc.insecure_channel(self.address, options=list(options.items()))
        return planner_service_pb2_grpc.PlannerServiceStub(channel), channel


# ---------------------------------------------------------------- requests

def load_json(path, message):
    # The examples write enum values without their prefix, as attain reads them.
    text = re.sub(r'"(MONTH|QUARTER)"', r'"PERIOD_LENGTH_\1"', path.read_text())
    return json_format.Parse(text, message)


def history_rows(limit=None):
    lines = [line.split(",") for line in (EXAMPLES / "history.csv").read_text().splitlines()
             if line and not line.startswith("#")]
    header, rows = lines[0], lines[1:limit]
    column = {name: header.index(name) for name in ("partner_id", "period", "revenue", "hours")}
    return [calibration_pb2.HistoryRow(partner_id=r[column["partner_id"]],
                                       period=r[column["period"]],
                                       revenue=float(r[column["revenue"]]),
                                       hours=float(r[column["hours"]])) for r in rows]


class Kind:
    """One RPC with its requests (one per seed); streaming RPCs answer with events whose
    last carries the result."""

    def __init__(self, method, streaming, make, weight=1.0):
        self.method, self.streaming, self.make, self.weight = method, streaming, make, weight
        self.requests = {}
        self.quiet = {}  # seed -> the quiet run's result, serialized
        self.quiet_seconds = 1.0


def kinds():
    portfolio = load_json(EXAMPLES / "portfolio.json", portfolio_pb2.Portfolio())
    plan = load_json(EXAMPLES / "plan-invest-cobalt.json", portfolio_pb2.Plan())
    team = load_json(EXAMPLES / "team.json", team_pb2.Team())
    rows = history_rows()

    def options(seed):
        return simulation_pb2.SimulationOptions(paths=4000, seed=seed)

    return [
        Kind("Simulate", False, lambda s: service.SimulateRequest(
            portfolio=portfolio, plan=plan, options=options(s)), 2),
        Kind("SimulateStream", True, lambda s: service.SimulateStreamRequest(
            portfolio=portfolio, options=options(s))),
        Kind("ComparePlans", False, lambda s: service.ComparePlansRequest(
            portfolio=portfolio, plans=[portfolio_pb2.Plan(name="current"), plan],
            options=options(s)), 2),
        Kind("RecommendTiers", False, lambda s: service.RecommendTiersRequest(
            portfolio=portfolio, options=options(s))),
        Kind("RecommendTiersStream", True, lambda s: service.RecommendTiersStreamRequest(
            portfolio=portfolio, options=options(s))),
        Kind("CalibratePortfolio", False, lambda s: calibration_pb2.CalibratePortfolioRequest(
            rows=rows)),
        Kind("AnalyzeSensitivity", False, lambda s: sensitivity_pb2.AnalyzeSensitivityRequest(
            portfolio=portfolio, plan=plan, options=simulation_pb2.SimulationOptions(
                paths=2000, seed=s))),
        Kind("CoachPlan", False, lambda s: coaching_pb2.CoachPlanRequest(
            portfolio=portfolio, plan=plan, options=options(s))),
        Kind("CreateExercise", False, lambda s: coaching_pb2.CreateExerciseRequest(
            difficulty=1 + s % 5, seed=s)),
        Kind("SubmitExercise", False, None),  # made from CreateExercise's answers
        Kind("SimulateTeam", False, lambda s: team_pb2.SimulateTeamRequest(
            team=team, options=options(s), coaching_paths=1000)),
        Kind("SimulateTeamStream", True, lambda s: service.SimulateTeamStreamRequest(
            team=team, options=options(s), coaching_paths=1000)),
    ]


SEEDS = (11, 12, 13, 14)


def without_timings(message):
    """`message` with its wall-clock fields (doubles named *_seconds, such as a search's
    search_seconds) cleared, everywhere in it: all the rest depends on the request only."""
    for field, value in message.ListFields():
        if field.type == field.TYPE_DOUBLE and field.name.endswith("_seconds"):
            message.ClearField(field.name)
        elif field.type == field.TYPE_MESSAGE:
            if field.label != field.LABEL_REPEATED:
                without_timings(value)
            elif field.message_type.GetOptions().map_entry:
                if field.message_type.fields_by_name["value"].type == field.TYPE_MESSAGE:
                    for item in value.values():
                        without_timings(item)
            else:
                for item in value:
                    without_timings(item)
    return message


def result_of(kind, answer):
    """The serialized result of a unary answer or of a stream's events (its last),
    without its timings."""
    if kind.streaming:
        answer = list(answer)[-1].result
    return without_timings(answer).SerializeToString(deterministic=True)


def quiet_runs(table):
    """Each request answered by a quiet attaind, one call at a time."""
    server = Attaind("quiet")
    stub, channel = server.stub()
    try:
        for kind in table:
            if kind.make is None:
                continue
            for seed in SEEDS:
                kind.requests[seed] = kind.make(seed)
                started = time.monotonic()
                answer = getattr(stub, kind.method)(kind.requests[seed], timeout=LONG_DEADLINE_S)
                kind.quiet[seed] = result_of(kind, answer)
                kind.quiet_seconds = time.monotonic() - started
        created = next(k for k in table if k.method == "CreateExercise")
        submit = next(k for k in table if k.method == "SubmitExercise")
        for seed in SEEDS:
            exercise = coaching_pb2.CreateExerciseResponse.FromString(created.quiet[seed])
            first = exercise.exercise.portfolio.partners[0].id
            submit.requests[seed] = coaching_pb2.SubmitExerciseRequest(
                exercise_id=exercise.exercise.id,
                plan=portfolio_pb2.Plan(tiers={first: portfolio_pb2.TIER_INVEST}))
            started = time.monotonic()
            submit.quiet[seed] = result_of(submit, stub.SubmitExercise(
                submit.requests[seed], timeout=LONG_DEADLINE_S))
            submit.quiet_seconds = time.monotonic() - started
    finally:
        channel.close()
        server.stop()
    return {k.method: round(k.quiet_seconds * 1000, 1) for k in table}


# ---------------------------------------------------------------- calls

class Tally:
    """Outcomes of calls, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.codes = {}        # method -> code -> count
        self.ok_ms = {}        # method -> latencies of OK calls
        self.all_ms = {}       # method -> latencies of every call
        self.mismatches = []   # (method, seed) whose OK result differs from the quiet run's
        self.stuck = 0
        self.unexpected = []   # (method, code, details) outside ALLOWED
        self.spans = []        # (start, end, code, details) of every call, monotonic seconds

    def add(self, kind, seed, code, ms, result, long_deadline, details=""):
        with self.lock:
            now = time.monotonic()
            self.spans.append((now - ms / 1000, now, code, details[:100]))
            self.codes.setdefault(kind.method, {}).setdefault(code, 0)
            self.codes[kind.method][code] += 1
            self.all_ms.setdefault(kind.method, []).append(ms)
            if code == "OK":
                self.ok_ms.setdefault(kind.method, []).append(ms)
                if result != kind.quiet[seed]:
                    self.mismatches.append((kind.method, seed))
            if code == "DEADLINE_EXCEEDED" and long_deadline:
                self.stuck += 1

    def unexpected_code(self, kind, code, details):
        with self.lock:
            self.unexpected.append((kind.method, code, details[:200]))

    def total(self):
        return sum(sum(c.values()) for c in self.codes.values())


def call(stub, kind, seed, tally, rng, cancel_share=0.2, short_share=0.1, allowed=ALLOWED):
    """One call of `kind`: cancelled at a random time, or with a short deadline, or
    neither; its outcome goes to `tally`."""
    draw = rng.random()
    cancel_after = None
    timeout = LONG_DEADLINE_S
    if draw < cancel_share:
        cancel_after = rng.uniform(0, 1.5 * kind.quiet_seconds)
    elif draw < cancel_share + short_share:
        timeout = rng.uniform(0.2, 1.0) * kind.quiet_seconds
    method = getattr(stub, kind.method)
    started = time.monotonic()
    result, code, details = None, "OK", ""
    timer = None
    try:
        if kind.streaming:
            answer = method(kind.requests[seed], timeout=timeout)
            if cancel_after is not None:
                timer = threading.Timer(cancel_after, answer.cancel)
                timer.start()
            result = result_of(kind, answer)
        else:
            answer = method.future(kind.requests[seed], timeout=timeout)
            if cancel_after is not None:
                timer = threading.Timer(cancel_after, answer.cancel)
                timer.start()
            result = result_of(kind, answer.result())
    except grpc.FutureCancelledError:
        code = "CANCELLED"
    except grpc.RpcError as error:
        code, details = error.code().name, error.details() or ""
    finally:
        if timer is not None:
            timer.cancel()
    ms = (time.monotonic() - started) * 1000
    tally.add(kind, seed, code, ms, result, timeout == LONG_DEADLINE_S, details)
    if code not in allowed:
        tally.unexpected_code(kind, code, details)
    return code


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def load(server, table, callers, seconds, tally, rng_seed, cancel_share=0.2, short_share=0.1,
         allowed=ALLOWED, stop=None):
    """CALLERS threads calling random kinds back to back for `seconds` (or until `stop`
    is set), each on a channel of its own."""
    weights = [k.weight for k in table]
    end = time.monotonic() + seconds
    stop = stop or threading.Event()

    def caller(index):
        rng = random.Random(rng_seed * 1000 + index)
        stub, channel = server.stub()
        try:
            while time.monotonic() < end and not stop.is_set():
                kind = rng.choices(table, weights)[0]
                if call(stub, kind, rng.choice(SEEDS), tally, rng, cancel_share, short_share,
                        allowed) == "UNAVAILABLE":
                    break  # the server has gone
        finally:
            channel.close()

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(callers)]
    for thread in threads:
        thread.start()
    return threads


# ---------------------------------------------------------------- the soak

def soak(table, report):
    server = Attaind("soak")
    tally = Tally()
    seconds = ARGS.minutes * 60
    rss = []  # (seconds since start, MiB)
    started = time.monotonic()
    threads = load(server, table, ARGS.callers, seconds, tally, rng_seed=1)
    next_sample = started
    while any(t.is_alive() for t in threads):
        if time.monotonic() >= next_sample:
            rss.append((round(time.monotonic() - started), round(server.rss_mib(), 1)))
            next_sample += 10
        time.sleep(0.25)
    idle = server.idle_within(30)
    code = server.stop()
    first = [m for s, m in rss if 60 <= s < 120] or [m for s, m in rss[:6]]
    last = [m for s, m in rss if s >= seconds - 60] or [m for s, m in rss[-6:]]
    growth = statistics.mean(last) / statistics.mean(first) - 1
    by_method = {
        method: {"codes": tally.codes[method],
                 "ok_p50_ms": percentile(tally.ok_ms.get(method, []), 0.5),
                 "ok_p99_ms": percentile(tally.ok_ms.get(method, []), 0.99),
                 "all_p50_ms": percentile(tally.all_ms[method], 0.5),
                 "all_p99_ms": percentile(tally.all_ms[method], 0.99)}
        for method in sorted(tally.codes)}
    checks = {
        "no stuck calls": tally.stuck == 0,
        "only OK, CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED": not tally.unexpected,
        "every OK result equals the quiet run's": not tally.mismatches,
        "nothing runs or waits 30 s after the load": idle,
        "attaind exits 0 on SIGTERM": code == 0,
    }
    if ARGS.minutes >= 3:  # a shorter soak is all warm-up
        checks["rss growth after the first minute < 5%"] = growth < 0.05
    report["soak"] = {
        "minutes": ARGS.minutes, "callers": ARGS.callers, "calls": tally.total(),
        "by_method": by_method, "rss_mib_every_10s": rss,
        "rss_second_minute_mean_mib": round(statistics.mean(first), 1),
        "rss_last_minute_mean_mib": round(statistics.mean(last), 1),
        "rss_growth": round(growth, 4),
        "unexpected": tally.unexpected[:20], "mismatches": tally.mismatches[:20],
        "stuck": tally.stuck, "checks": checks}
    return checks


# ---------------------------------------------------------------- faults

def fault_sigterm(table):
    """SIGTERM after 5 s of load: calls in flight finish or end with a clean status, new
    ones are refused (UNAVAILABLE), and attaind exits 0."""
    server = Attaind("fault-sigterm", "--grace-period=30")
    tally = Tally()
    allowed = ALLOWED | {"UNAVAILABLE"}
    threads = load(server, table, ARGS.callers, 15, tally, rng_seed=2, cancel_share=0,
                   short_share=0, allowed=allowed)
    time.sleep(5)
    before = tally.total()
    signalled = time.monotonic()
    code = server.stop(timeout=90)
    exit_seconds = time.monotonic() - signalled
    for thread in threads:
        thread.join()
    in_flight = {}
    for start, end, outcome, details in tally.spans:
        if start < signalled < end:
            key = outcome if outcome == "OK" else f"{outcome}: {details}"
            in_flight[key] = in_flight.get(key, 0) + 1
    return {
        "what": f"{ARGS.callers} callers; SIGTERM after {before} calls; grace period 30 s; "
                "a caller stops at its first UNAVAILABLE",
        "codes": merged_codes(tally), "in_flight_at_sigterm": in_flight, "exit_code": code,
        "seconds_to_exit": round(exit_seconds, 2),
        "checks": {"attaind exits 0": code == 0,
                   # A call the server received after the signal is refused, retryably.
                   "calls in flight at SIGTERM finish OK or are refused cleanly": set(
                       in_flight) <= {"OK", "UNAVAILABLE: server is shutting down"},
                   "codes are OK, UNAVAILABLE or clean refusals": not tally.unexpected,
                   "every OK result equals the quiet run's": not tally.mismatches}}


def merged_codes(tally):
    merged = {}
    for codes in tally.codes.values():
        for code, count in codes.items():
            merged[code] = merged.get(code, 0) + count
    return merged


def fault_peer_killed(table):
    """Three replicas; the asking one spreads a large Simulate over the other two; one
    peer is killed (SIGKILL) while the run is under way."""
    peers = [Attaind(f"fault-peer-{i}") for i in range(2)]
    asking = Attaind("fault-peer-asking", f"--peers={peers[0].address},{peers[1].address}",
                     "--scale-out-min-work=1")
    portfolio = load_json(ROOT / "bench" / "workloads" / "w1-200x12.json",
                          portfolio_pb2.Portfolio())
    request = service.SimulateRequest(
        portfolio=portfolio, options=simulation_pb2.SimulationOptions(paths=400_000, seed=5))
    quiet = Attaind("fault-peer-quiet")
    stub, channel = quiet.stub()
    started = time.monotonic()
    expected = stub.Simulate(request, timeout=600).SerializeToString(deterministic=True)
    quiet_seconds = time.monotonic() - started
    channel.close()
    quiet.stop()
    stub, channel = asking.stub()
    asked = time.monotonic()
    answer = stub.Simulate.future(request, timeout=600)
    # Kill the peer once it has been given a range and is simulating it.
    deadline = time.monotonic() + 60
    while (peers[0].gauge("attain_simulations_in_flight") or 0) < 1:
        if time.monotonic() > deadline or answer.done():
            break
        time.sleep(0.05)
    killed_at = time.monotonic() - asked
    peers[0].process.kill()
    code, same = "OK", False
    try:
        same = answer.result().SerializeToString(deterministic=True) == expected
    except grpc.RpcError as error:
        code = error.code().name
    channel.close()
    codes = [asking.stop(), peers[1].stop()]
    peers[0].process.wait()
    return {
        "what": "w1-200x12, 400,000 paths, spread over 2 peers; peer 1 killed with SIGKILL "
                "once it was simulating",
        "code": code, "result_equals_quiet_run": same,
        "quiet_run_seconds": round(quiet_seconds, 2), "killed_after_seconds": round(killed_at, 2),
        "checks": {"the call succeeds": code == "OK",
                   "its result equals the quiet run's": same,
                   "the others exit 0": codes == [0, 0]}}


def plain_calls(server, table, method, count, rng_seed):
    """`count` calls of `method` one after another, neither cancelled nor short of time;
    their tally."""
    tally = Tally()
    kind = next(k for k in table if k.method == method)
    stub, channel = server.stub()
    rng = random.Random(rng_seed)
    for _ in range(count):
        call(stub, kind, rng.choice(SEEDS), tally, rng, 0, 0)
    channel.close()
    return tally


def fault_slow_readers(table):
    """Clients start more streams than attaind runs at once and never read them; other
    callers must still be served, and the streams end at their deadline."""
    server = Attaind("fault-slow-readers", "--max-in-flight=2", "--max-queue=4")
    kind = next(k for k in table if k.method == "SimulateTeamStream")
    stub, channel = server.stub()
    streams = [stub.SimulateTeamStream(kind.requests[SEEDS[0]], timeout=20) for _ in range(6)]
    time.sleep(2)
    rss_with_streams = server.rss_mib()
    tally = plain_calls(server, table, "Simulate", 20, rng_seed=3)
    codes = merged_codes(tally)
    time.sleep(20)
    ended = []
    for stream in streams:
        ended.append(stream.code().name if stream.done() else "still open")
    channel.close()
    idle = server.idle_within(10)
    code = server.stop()
    return {
        "what": "6 SimulateTeamStream calls never read (deadline 20 s) on max-in-flight 2, "
                "max-queue 4; meanwhile 20 Simulate calls",
        "other_calls": codes, "unread_streams_after_deadline": ended,
        "rss_mib_with_unread_streams": round(rss_with_streams, 1),
        "checks": {"the other calls all succeed": codes == {"OK": 20},
                   "their results equal the quiet run's": not tally.mismatches,
                   "unread streams end": "still open" not in ended,
                   "nothing runs or waits after": idle, "attaind exits 0": code == 0}}


def fault_idle_connections(table):
    """2,000 connections opened and left idle: their memory, and service meanwhile."""
    server = Attaind("fault-idle")
    before = server.rss_mib()
    channels = []
    for _ in range(2000):
        channel = grpc.insecure_channel(server.address,
                                        options=[("grpc.use_local_subchannel_pool", 1)])
        grpc.channel_ready_future(channel).result(timeout=30)
        channels.append(channel)
    time.sleep(5)
    with_idle = server.rss_mib()
    tally = plain_calls(server, table, "Simulate", 10, rng_seed=4)
    for idle in channels:
        idle.close()
    time.sleep(2)
    after_close = server.rss_mib()
    code = server.stop()
    codes = merged_codes(tally)
    return {
        "what": "2,000 client connections opened, left idle, then closed",
        "rss_mib_before": round(before, 1), "rss_mib_with_idle": round(with_idle, 1),
        "kib_per_idle_connection": round((with_idle - before) * 1024 / 2000, 1),
        "rss_mib_after_close": round(after_close, 1), "calls_meanwhile": codes,
        "checks": {"calls meanwhile succeed": codes == {"OK": 10},
                   "their results equal the quiet run's": not tally.mismatches,
                   "attaind exits 0": code == 0}}


def big_history(limit_bytes):
    """The largest CalibratePortfolio request under `limit_bytes` within every other
    limit: whole copies of the example history (every partner in every period), each
    copy's partners with ids of their own, long ones, and 240,000 rows at most."""
    rows = history_rows()
    pad = "x" * 200

    def copy(index):
        return [calibration_pb2.HistoryRow(partner_id=f"{row.partner_id}-{index:05d}-{pad}",
                                           period=row.period, revenue=row.revenue,
                                           hours=row.hours) for row in rows]

    copy_bytes = calibration_pb2.CalibratePortfolioRequest(rows=copy(0)).ByteSize()
    copies = min(240_000 // len(rows), (limit_bytes - 1024) // copy_bytes)
    request = calibration_pb2.CalibratePortfolioRequest()
    for index in range(copies):
        request.rows.extend(copy(index))
    return request


def fault_size_limit(table):
    """Requests just under and just over the message limit (4 MiB here, so that a
    request under it fits the calibration row limit): a valid one, one over the row
    limit, and one over the message limit."""
    limit = 4 << 20
    server = Attaind("fault-size", "--max-message-mib=4")
    stub, channel = server.stub(**{"grpc.max_send_message_length": 1 << 30,
                                   "grpc.max_receive_message_length": 1 << 30})
    outcomes = {}
    valid = big_history(limit)
    # Empty rows, 2 bytes each on the wire and a message object each if parsed.
    too_many = calibration_pb2.CalibratePortfolioRequest(
        rows=[calibration_pb2.HistoryRow()] * 300_000)
    over = calibration_pb2.CalibratePortfolioRequest(rows=list(valid.rows) * 2)
    for name, request in (("valid, just under", valid), ("300,000 rows", too_many),
                          ("over the limit", over)):
        try:
            stub.CalibratePortfolio(request, timeout=300)
            outcomes[name] = {"bytes": request.ByteSize(), "code": "OK"}
        except grpc.RpcError as error:
            outcomes[name] = {"bytes": request.ByteSize(), "code": error.code().name,
                              "details": (error.details() or "")[:160]}
    channel.close()
    peak = server.peak_rss_mib()
    code = server.stop()
    return {
        "what": "CalibratePortfolio at a 4 MiB message limit", "outcomes": outcomes,
        "peak_rss_mib": round(peak, 1),
        "checks": {"just under the limit: answered": outcomes["valid, just under"]["code"] in
                   ("OK", "INVALID_ARGUMENT"),
                   "too many rows: INVALID_ARGUMENT": outcomes["300,000 rows"]["code"] ==
                   "INVALID_ARGUMENT",
                   "over the limit: RESOURCE_EXHAUSTED": outcomes["over the limit"]["code"] ==
                   "RESOURCE_EXHAUSTED",
                   "attaind exits 0": code == 0}}


def concurrently(server, request, method, count, **options):
    """`count` calls of `method` with `request` at once, each on a channel of its own;
    their codes counted, and their results."""
    def one(_):
        stub, channel = server.stub(**options)
        try:
            return "OK", getattr(stub, method)(request, timeout=600)
        except grpc.RpcError as error:
            return error.code().name, None
        finally:
            channel.close()

    with futures.ThreadPoolExecutor(count) as pool:
        outcomes = list(pool.map(one, range(count)))
    codes = {}
    for code, _ in outcomes:
        codes[code] = codes.get(code, 0) + 1
    return codes, [answer for code, answer in outcomes if code == "OK"]


def fault_memory_budget(table):
    """The memory budget exhausted by concurrent large requests: attaind's peak RSS
    against max-in-flight x memory budget + its RSS at rest (the documented bound). Runs
    whose memory is mostly per path, then requests that are mostly bytes."""
    budget_mib, in_flight, queue = 256, 2, 4
    server = Attaind("fault-memory-runs", f"--memory-budget-mib={budget_mib}",
                     f"--max-in-flight={in_flight}", f"--max-queue={queue}")
    base = server.rss_mib()
    # The example's 8 partners and 4 periods: memory mostly per path, so that the paths
    # exhaust the budget before the time does.
    portfolio = load_json(EXAMPLES / "portfolio.json", portfolio_pb2.Portfolio())
    stub, channel = server.stub()
    # The most paths one run's budget admits, to within 1/16 (RESOURCE_EXHAUSTED above).
    low, high = 1000, 10_000_000
    while high - low > high // 16:
        paths = (low + high) // 2
        request = service.SimulateRequest(
            portfolio=portfolio, options=simulation_pb2.SimulationOptions(paths=paths, seed=9))
        try:
            stub.Simulate(request, timeout=0.5)
            low = paths
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                high = paths
            else:
                low = paths
    channel.close()
    server.idle_within(60)
    request = service.SimulateRequest(
        portfolio=portfolio, options=simulation_pb2.SimulationOptions(paths=low, seed=9))
    quiet = Attaind("fault-memory-quiet")
    expected = concurrently(quiet, request, "Simulate", 1)[1][0]
    quiet.stop()
    run_codes, answers = concurrently(server, request, "Simulate", 12)
    same = all(a.SerializeToString(deterministic=True) ==
               expected.SerializeToString(deterministic=True) for a in answers)
    runs_peak = server.peak_rss_mib()
    runs_exit = server.stop()
    runs_bound = in_flight * budget_mib + base

    # Requests of nearly the 64 MiB message limit, at the default settings.
    server = Attaind("fault-memory-requests")
    base_requests = server.rss_mib()
    history = big_history(64 << 20)
    request_codes, _ = concurrently(server, history, "CalibratePortfolio", 16,
                                    **{"grpc.max_send_message_length": 1 << 30,
                                       "grpc.max_receive_message_length": 1 << 30})
    requests_peak = server.peak_rss_mib()
    server.idle_within(60)
    requests_after = server.rss_mib()
    requests_exit = server.stop()
    requests_bound = 4 * 512 + base_requests
    return {
        "what": f"(1) 12 Simulate of the example portfolio at {low:,} paths (the most a "
                f"{budget_mib} MiB budget admits) at once; max-in-flight {in_flight}, max-queue "
                f"{queue}. (2) 16 CalibratePortfolio of {history.ByteSize() / 2**20:.1f} MiB "
                f"({len(history.rows):,} rows) at once, default settings (4 x 512 MiB)",
        "runs": {"codes": run_codes, "base_rss_mib": round(base, 1),
                 "peak_rss_mib": round(runs_peak, 1), "bound_mib": round(runs_bound, 1)},
        "requests": {"codes": request_codes, "base_rss_mib": round(base_requests, 1),
                     "peak_rss_mib": round(requests_peak, 1),
                     "bound_mib": round(requests_bound, 1),
                     "rss_mib_after": round(requests_after, 1)},
        "checks": {"runs: only OK and RESOURCE_EXHAUSTED":
                   set(run_codes) <= {"OK", "RESOURCE_EXHAUSTED"} and "OK" in run_codes,
                   "runs: results equal the quiet run's": same,
                   "runs: peak RSS within in-flight x budget + base": runs_peak <= runs_bound,
                   "requests: only OK and RESOURCE_EXHAUSTED":
                   set(request_codes) <= {"OK", "RESOURCE_EXHAUSTED"} and "OK" in request_codes,
                   "requests: peak RSS within in-flight x budget + base":
                   requests_peak <= requests_bound,
                   "attaind exits 0": runs_exit == 0 and requests_exit == 0}}


FAULTS = {"sigterm": fault_sigterm, "peer-killed": fault_peer_killed,
          "slow-readers": fault_slow_readers, "idle-connections": fault_idle_connections,
          "size-limit": fault_size_limit, "memory-budget": fault_memory_budget}


# ---------------------------------------------------------------- report

def markdown(report):
    lines = [f"# attaind soak and faults ({report['date']})", ""]
    failed = []
    if "soak" in report:
        s = report["soak"]
        lines += [f"## Soak: {s['callers']} callers, {s['minutes']} min, {s['calls']:,} calls",
                  "", "| RPC | codes | OK p50 ms | OK p99 ms | all p50 ms | all p99 ms |",
                  "|---|---|---|---|---|---|"]
        for method, m in s["by_method"].items():
            codes = ", ".join(f"{c} {n}" for c, n in sorted(m["codes"].items()))
            lines.append(f"| {method} | {codes} | {m['ok_p50_ms']} | {m['ok_p99_ms']} | "
                         f"{m['all_p50_ms']} | {m['all_p99_ms']} |")
        lines += ["", f"RSS every 10 s (MiB): {', '.join(str(m) for _, m in s['rss_mib_every_10s'])}",
                  "", f"RSS mean, second minute {s['rss_second_minute_mean_mib']} MiB; last "
                  f"minute {s['rss_last_minute_mean_mib']} MiB; growth {s['rss_growth']:+.2%}.",
                  ""]
        failed += [f"soak: {c}" for c, ok in s["checks"].items() if not ok]
    for name, outcome in report.get("faults", {}).items():
        lines += [f"## Fault: {name}", "", "```", json.dumps(
            {k: v for k, v in outcome.items() if k != "checks"}, indent=1), "```", ""]
        failed += [f"{name}: {c}" for c, ok in outcome["checks"].items() if not ok]
    lines += ["## Checks", ""] + ([f"- FAILED: {f}" for f in failed] or ["- all passed"])
    return "\n".join(lines) + "\n", failed


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    only = set(ARGS.only.split(","))
    if "faults" in only:
        only |= set(FAULTS)
    report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    table = kinds()
    report["quiet_ms"] = quiet_runs(table)
    if "soak" in only:
        soak(table, report)
    report["faults"] = {}
    for name, fault in FAULTS.items():
        if name in only:
            print(f"fault: {name}", file=sys.stderr, flush=True)
            report["faults"][name] = fault(table)
    text, failed = markdown(report)
    (OUT / "soak.json").write_text(json.dumps(report, indent=1))
    (OUT / "soak.md").write_text(text)
    print(text)
    sys.exit(1 if failed else 0)


main()
