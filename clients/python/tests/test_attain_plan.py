"""attain-plan end to end against a real attaind."""
import csv
import json
import socket
import time
from pathlib import Path

from conftest import EXAMPLES, run_plan

FAST = ["--paths", "2000", "--coaching-paths", "1000", "--seed", "7"]


def read_summary(folder: Path):
    with open(folder / "summary.csv", newline="") as file:
        return list(csv.DictReader(file))


def test_team_file_writes_summary_team_json_and_report(attaind, tmp_path):
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path, "--address", attaind.address,
                      *FAST)
    assert result.returncode == 0, result.stderr
    assert "Americas channel: P(team attains 14,500,000)" in result.stdout

    rows = read_summary(tmp_path)
    assert [row["manager_id"] for row in rows] != []
    assert sorted(row["manager_id"] for row in rows) == ["cm-example", "cm-new", "cm-north",
                                                         "cm-south"]
    assert [int(row["risk_rank"]) for row in rows] == [1, 2, 3, 4]  # most at risk first
    for row in rows:
        p, low, high = (float(row[k]) for k in ("p_attain", "p_attain_low", "p_attain_high"))
        assert 0 <= low <= p <= high <= 1
        assert float(row["expected_revenue"]) > 0
        assert float(row["expected_shortfall"]) >= 0
        assert row["plan_found"] == "true"
        assert 0 <= float(row["recommended_p_attain"]) <= 1
        assert int(row["tier_changes"]) >= 0
    # A higher risk rank never has a lower P(attain).
    assert [float(r["p_attain"]) for r in rows] == sorted(float(r["p_attain"]) for r in rows)

    document = json.loads((tmp_path / "team.json").read_text())
    assert document["seed"] == "7"
    assert len(document["team"]["members"]) == 4
    assert set(document["recommendations"]) == {row["manager_id"] for row in rows}
    at_quota = document["team"]["membersAtQuotaProbability"]
    assert len(at_quota) == 5 and abs(sum(at_quota) - 1) < 1e-9

    page = (tmp_path / "report.html").read_text()
    assert "/*ATTAIN_" not in page
    assert '"kind": "team"' in page and '"title": "Americas channel"' in page
    assert "echarts" in page


def test_same_seed_same_summary(attaind, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = run_plan(EXAMPLES / "team.json", "--out", out, "--address", attaind.address,
                          *FAST)
        assert result.returncode == 0, result.stderr
    assert (first / "summary.csv").read_text() == (second / "summary.csv").read_text()


def test_folder_of_json_and_csv_portfolios(attaind, tmp_path):
    # The example portfolio twice: as JSON, and as the CSV of its partners with its
    # settings beside it. Read alike, they get the same recommendation.
    team = tmp_path / "team"
    team.mkdir()
    portfolio = json.loads((EXAMPLES / "portfolio.json").read_text())
    portfolio["channelManagerId"] = "cm-json"
    (team / "cm-json.json").write_text(json.dumps(portfolio))
    (team / "cm-csv.csv").write_text((EXAMPLES / "partners.csv").read_text())
    settings = json.loads((EXAMPLES / "portfolio-meta.json").read_text())
    del settings["channelManagerId"]  # named after the file instead
    (team / "cm-csv.meta.json").write_text(json.dumps(settings))

    result = run_plan(team, "--quota", "8000000", "--out", tmp_path / "out", "--address",
                      attaind.address, *FAST)
    assert result.returncode == 0, result.stderr
    rows = {row["manager_id"]: row for row in read_summary(tmp_path / "out")}
    assert set(rows) == {"cm-json", "cm-csv"}
    for column in ("quota", "recommended_p_attain", "gain_p_attain", "gain_revenue",
                   "tier_changes"):
        assert rows["cm-json"][column] == rows["cm-csv"][column], column


def test_folder_needs_a_quota(attaind, tmp_path):
    (tmp_path / "cm.json").write_text((EXAMPLES / "portfolio.json").read_text())
    result = run_plan(tmp_path, "--out", tmp_path / "out", "--address", attaind.address)
    assert result.returncode == 2
    assert "no team quota: give --quota" in result.stderr


def test_server_rejection_names_the_field(attaind, tmp_path):
    team = json.loads((EXAMPLES / "team.json").read_text())
    team["members"][1]["quota"] = -5
    (tmp_path / "team.json").write_text(json.dumps(team))
    result = run_plan(tmp_path / "team.json", "--out", tmp_path / "out", "--address",
                      attaind.address, *FAST)
    assert result.returncode == 2, result.stderr
    assert "INVALID_ARGUMENT: " in result.stderr
    assert "members[1].quota" in result.stderr
    assert not (tmp_path / "out").exists()  # nothing is written on an error


def test_malformed_csv_names_the_line_and_column(attaind, tmp_path):
    lines = (EXAMPLES / "partners.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[2].split(",")
    row[header.index("volatility")] = "lots"
    (tmp_path / "cm-bad.csv").write_text("\n".join([lines[0], lines[1], ",".join(row)]) + "\n")
    result = run_plan(tmp_path, "--quota", "1", "--out", tmp_path / "out", "--address",
                      attaind.address)
    assert result.returncode == 2
    assert f"line 3, column {header.index('volatility') + 1} (volatility): expected a number, " \
           "not \"lots\"" in result.stderr


def test_unreachable_server_exits_three(tmp_path):
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    started = time.monotonic()
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path, "--address",
                      f"127.0.0.1:{port}", "--deadline", "5", *FAST)
    assert result.returncode == 3, result.stderr
    assert "UNAVAILABLE" in result.stderr
    assert time.monotonic() - started < 15


def test_round_robin_spreads_calls_over_the_replicas(attaind, second_attaind, tmp_path):
    before = attaind.calls("RecommendTiers"), second_attaind.calls("RecommendTiers")
    target = f"ipv4:{attaind.address},{second_attaind.address}"
    result = run_plan(EXAMPLES / "team.json", "--out", tmp_path, "--address", target, *FAST)
    assert result.returncode == 0, result.stderr
    first = attaind.calls("RecommendTiers") - before[0]
    second = second_attaind.calls("RecommendTiers") - before[1]
    assert first + second == 4
    assert first >= 1 and second >= 1
