"""attain-plan end to end, run as a user runs it, against real attaind processes."""
import csv
import json
import socket
import subprocess
import time

import pytest

from attain_plan.outputs import SUMMARY_COLUMNS
from conftest import EXAMPLES, Attaind, run_plan

FAST = ["--paths", "2000", "--coaching-paths", "1000", "--seed", "7"]
TEAM_IDS = {"cm-example", "cm-new", "cm-north", "cm-south"}


def read_summary(folder):
    with open(folder / "summary.csv", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == SUMMARY_COLUMNS
        return list(reader)


def report_data(folder):
    page = (folder / "report.html").read_text()
    assert "/*ATTAIN_" not in page
    return json.loads(page.split('id="attain-report-data">')[1].split("</script>")[0])


def example_folder(folder, json_changes=None, csv_text=None):
    """The example portfolio twice: cm-json.json, and cm-csv.csv (its partners) with its
    settings in cm-csv.meta.json."""
    folder.mkdir()
    portfolio = json.loads((EXAMPLES / "portfolio.json").read_text())
    portfolio.update({"channelManagerId": "cm-json", **(json_changes or {})})
    (folder / "cm-json.json").write_text(json.dumps(portfolio))
    (folder / "cm-csv.csv").write_text(csv_text or (EXAMPLES / "partners.csv").read_text())
    settings = json.loads((EXAMPLES / "portfolio-meta.json").read_text())
    del settings["channelManagerId"]  # named after the file instead
    (folder / "cm-csv.meta.json").write_text(json.dumps(settings))
    return folder


def test_team_file(attaind, tmp_path):
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path, "--address", attaind.address,
                      *FAST)
    assert result.returncode == 0, result.stderr
    assert "Americas channel: P(team reaches 14,500,000 USD)" in result.stdout
    assert 'plan "invest in northwind" uses 53.0 hours' in result.stderr  # a server warning

    rows = read_summary(tmp_path)
    assert {row["manager_id"] for row in rows} == TEAM_IDS
    assert [int(row["risk_rank"]) for row in rows] == [1, 2, 3, 4]  # most at risk first
    # Risk rank orders by P(attain), lowest first.
    p_attain = [float(row["p_attain"]) for row in rows]
    assert p_attain == sorted(p_attain)
    for row in rows:
        number = {key: float(value) for key, value in row.items()
                  if key not in ("manager_id", "plan_found")}
        assert 0 <= number["p_attain_low"] <= number["p_attain"] <= number["p_attain_high"] <= 1
        assert number["expected_revenue"] > number["unassisted_expected_revenue"] > 0
        assert number["expected_shortfall"] >= 0 and number["quota"] > 0
        assert row["plan_found"] == "true" and number["tier_changes"] >= 0
        for gain in ("team_p_attain_gain", "revenue_gain", "p_attain_gain"):
            assert number[f"{gain}_low"] <= number[gain] <= number[f"{gain}_high"]
        assert -1 <= number["team_p_attain_gain"] <= 1 and -1 <= number["p_attain_gain"] <= 1

    document = json.loads((tmp_path / "team.json").read_text())
    assert document["seed"] == "7" and document["paths"] == 2000
    assert document["coachingPaths"] == 1000
    assert document["input"]["files"][0]["path"].endswith("examples/team.json")
    assert len(document["input"]["files"][0]["sha256"]) == 64
    members = {m["channelManagerId"]: m for m in document["result"]["members"]}
    assert set(members) == set(document["comparisons"]) == TEAM_IDS
    for row in rows:
        member = members[row["manager_id"]]
        assert member["riskRank"] == int(row["risk_rank"])
        assert member["coachingGain"]["tierChanges"] == int(row["tier_changes"])
        own_gain = document["comparisons"][row["manager_id"]]["differences"][0]
        assert round(own_gain["attainmentProbabilityDifference"], 6) == \
            float(row["p_attain_gain"])
    at_quota = document["result"]["membersAtQuotaProbability"]
    assert len(at_quota) == 5 and sum(at_quota) == pytest.approx(1)

    data = report_data(tmp_path)
    assert data["kind"] == "team" and data["title"] == "Americas channel"
    assert data["seed"] == "7" and data["paths"] == 2000 and data["quota"] == 14500000
    assert 0 <= data["teamPAttain"] <= 1
    assert [m["id"] for m in data["managers"]] == [row["manager_id"] for row in rows]
    assert [m["gainPAttain"] for m in data["managers"]] == pytest.approx(
        [float(row["team_p_attain_gain"]) for row in rows], abs=1e-6)
    assert [b["count"] for b in data["membersAtQuota"]] == [0, 1, 2, 3, 4]


def test_same_seed_same_summary(attaind, tmp_path):
    for out in ("first", "second"):
        result = run_plan(EXAMPLES / "team.json", "--out", tmp_path / out, "--address",
                          attaind.address, *FAST)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "first" / "summary.csv").read_text() == \
        (tmp_path / "second" / "summary.csv").read_text()


def test_folder_of_json_and_csv_portfolios(attaind, tmp_path):
    folder = example_folder(tmp_path / "west")
    result = run_plan(folder, "--quota", "8000000", "--out", tmp_path / "out", "--address",
                      attaind.address, *FAST, module=True)  # python3 -m attain_plan
    assert result.returncode == 0, result.stderr
    rows = {row["manager_id"]: row for row in read_summary(tmp_path / "out")}
    assert set(rows) == {"cm-json", "cm-csv"}
    # The CSV manager has the settings of its .meta.json and the hours of its CSV's tiers.
    for row in rows.values():
        assert float(row["quota"]) == 4200000 and float(row["capacity_hours"]) == 60
        assert float(row["hours_used"]) == 53 and row["plan_found"] == "true"
    document = json.loads((tmp_path / "out" / "team.json").read_text())
    assert document["team"] == {"name": "west", "quota": 8000000.0, "members": 2}
    assert len(document["input"]["files"]) == 3
    assert report_data(tmp_path / "out")["title"] == "west"


def test_without_coaching_there_are_no_gains_and_no_comparisons(attaind, tmp_path):
    before = attaind.calls("ComparePlans")
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path, "--address", attaind.address,
                      "--paths", "2000", "--no-coaching")
    assert result.returncode == 0, result.stderr
    for row in read_summary(tmp_path):
        assert row["plan_found"] == row["team_p_attain_gain"] == row["p_attain_gain"] == ""
    assert all("gainPAttain" not in m for m in report_data(tmp_path)["managers"])
    assert attaind.calls("ComparePlans") == before


def test_a_field_the_server_refuses_is_named(attaind, tmp_path):
    team = json.loads((EXAMPLES / "team.json").read_text())
    team["members"][1]["quota"] = -5
    (tmp_path / "team.json").write_text(json.dumps(team))
    result = run_plan(tmp_path / "team.json", "--out", tmp_path / "out", "--address",
                      attaind.address, *FAST)
    assert result.returncode == 2, result.stderr
    assert f"attain-plan: {attaind.address}: INVALID_ARGUMENT: team.members[1].quota: " \
        in result.stderr
    assert not (tmp_path / "out").exists()  # nothing is written on an error


def test_a_refused_csv_cell_is_located_in_its_file(attaind, tmp_path):
    lines = (EXAMPLES / "partners.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",0.35,", ",-0.35,")  # brightline's volatility
    folder = example_folder(tmp_path / "west", csv_text="\n".join(lines) + "\n")
    result = run_plan(folder, "--quota", "8000000", "--out", tmp_path / "out", "--address",
                      attaind.address, *FAST)
    assert result.returncode == 2, result.stderr
    assert 'team.members[0].partners[1].volatility (' in result.stderr
    assert 'cm-csv.csv:3: column 6 "volatility"): ' in result.stderr


def test_a_malformed_csv_is_refused_before_any_call(tmp_path):
    lines = (EXAMPLES / "partners.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",0.35,", ",lots,")
    folder = example_folder(tmp_path / "west", csv_text="\n".join(lines) + "\n")
    result = run_plan(folder, "--quota", "1", "--out", tmp_path / "out",
                      "--address", "127.0.0.1:1")
    assert result.returncode == 2
    assert result.stderr == (f"attain-plan: {folder / 'cm-csv.csv'}:3: column \"volatility\": "
                             "expected a number, got \"lots\"\n")


def test_usage_errors_exit_two(tmp_path):
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path, "--paths", "0")
    assert result.returncode == 2
    assert "--paths: invalid whole number >= 1 value: '0'" in result.stderr


def test_server_down_exits_three(tmp_path):
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    started = time.monotonic()
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path / "out", "--address",
                      f"127.0.0.1:{port}", "--deadline", "20", *FAST)
    assert result.returncode == 3, result.stderr
    assert f"attain-plan: 127.0.0.1:{port}: UNAVAILABLE: " in result.stderr
    assert "is attaind running there?" in result.stderr
    assert time.monotonic() - started < 15  # fails fast, not at the deadline
    assert not (tmp_path / "out").exists()


def test_deadline_exceeded_exits_four(attaind, tmp_path):
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path, "--address", attaind.address,
                      "--paths", "400000", "--no-coaching", "--deadline", "0.05")
    assert result.returncode == 4, result.stderr
    assert "DEADLINE_EXCEEDED" in result.stderr and "raise --deadline" in result.stderr


def test_round_robin_spreads_calls_over_the_replicas(attaind, second_attaind, tmp_path):
    before = attaind.calls("ComparePlans"), second_attaind.calls("ComparePlans")
    target = f"ipv4:{attaind.address},{second_attaind.address}"
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path, "--address", target, *FAST)
    assert result.returncode == 0, result.stderr
    first = attaind.calls("ComparePlans") - before[0]
    second = second_attaind.calls("ComparePlans") - before[1]
    assert first + second == 4  # one per manager
    assert first >= 1 and second >= 1


@pytest.fixture(scope="module")
def secure_attaind(tmp_path_factory):
    """attaind over TLS (a test CA's certificate for 127.0.0.1) that wants a token."""
    folder = tmp_path_factory.mktemp("secure")
    ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    subprocess.run(
        f"set -e; openssl req -x509 {ec} -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca;"
        f"openssl req {ec} -keyout server.key -out server.csr -subj /CN=attaind;"
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > server.ext;"
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-out server.pem -days 2 -extfile server.ext",
        shell=True, cwd=folder, check=True, capture_output=True)
    (folder / "tokens").write_text("planner planner-token-0123456789\n")
    (folder / "token").write_text("planner-token-0123456789\n")
    server = Attaind(folder / "attaind.log", f"--tls-cert-file={folder / 'server.pem'}",
                     f"--tls-key-file={folder / 'server.key'}",
                     f"--auth-token-file={folder / 'tokens'}")
    server.folder = folder
    yield server
    server.stop()


def test_tls_and_token(secure_attaind, tmp_path):
    folder = secure_attaind.folder
    tls = ["--address", secure_attaind.address, "--tls-ca", folder / "ca.pem"]
    args = [EXAMPLES / "team.json", "--out", tmp_path / "out", "--paths", "2000",
            "--no-coaching"]
    no_token = {"ATTAIN_TOKEN": ""}

    with_file = run_plan(*args, *tls, "--token-file", folder / "token", env=no_token)
    assert with_file.returncode == 0, with_file.stderr
    from_environment = run_plan(*args, *tls, env={"ATTAIN_TOKEN": "planner-token-0123456789"})
    assert from_environment.returncode == 0, from_environment.stderr

    refused = run_plan(*args, *tls, env={"ATTAIN_TOKEN": "wrong-token-0123456789"})
    assert refused.returncode == 5, refused.stderr
    assert "UNAUTHENTICATED" in refused.stderr and "--token-file or ATTAIN_TOKEN" \
        in refused.stderr
    assert "wrong-token" not in refused.stderr

    plaintext = run_plan(*args, "--address", secure_attaind.address,
                         "--token-file", folder / "token")
    assert plaintext.returncode == 3, plaintext.stderr


def test_missing_stubs_name_the_generator(tmp_path):
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path,
                      env={"ATTAIN_PYTHON_STUBS": str(tmp_path / "none")})
    assert result.returncode == 1
    assert "clients/python/generate_stubs.sh" in result.stderr
