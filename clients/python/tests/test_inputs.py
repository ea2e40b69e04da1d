"""Reading teams, portfolios and partners CSV, without a server."""
import json

import pytest

from attain_client import stubs
from attain_plan.csv_input import parse_partners, split_csv
from attain_plan.errors import BadInput
from attain_plan.inputs import parse_json, read_team
from conftest import EXAMPLES


def example_portfolio():
    return parse_json(json.loads((EXAMPLES / "portfolio.json").read_text()),
                      stubs.load().portfolio.Portfolio(), EXAMPLES / "portfolio.json")


def test_split_csv_keeps_line_numbers_through_notes_quotes_and_blank_rows():
    text = ('\ufeff# a note\nid,name\n\na,"Acme, ""the"" one"\n,\n  b ,"two\nlines"\n'
            '"#1 Reseller",x\r\n')
    records = split_csv(text, "p.csv")
    assert [(r.line, r.cells) for r in records] == [
        (2, ["id", "name"]), (4, ["a", 'Acme, "the" one']), (6, ["b", "two\nlines"]),
        (8, ["#1 Reseller", "x"])]


@pytest.mark.parametrize("text, message", [
    ('id,name\na,"open\n', 'p.csv:2: a quoted cell (column 2) has no closing quote'),
    ('id,name\na,"Acme" Inc\n', 'p.csv:2: unexpected text after the closing quote of column 2'),
])
def test_split_csv_refuses_broken_quotes(text, message):
    with pytest.raises(BadInput) as error:
        split_csv(text, "p.csv")
    assert str(error.value).startswith(message)


def test_the_example_csv_reads_as_the_example_json():
    partners, where = parse_partners((EXAMPLES / "partners.csv").read_text(), "partners.csv",
                                     stubs.load().portfolio.Partner)
    assert partners == list(example_portfolio().partners)
    assert where.locate(1, "volatility") == 'partners.csv:3: column 6 "volatility"'
    assert where.locate(1, "errors.growth_rate") == "partners.csv:3: errors.growth_rate"


def test_csv_takes_json_names_and_enums_as_people_write_them():
    partners, _ = parse_partners("id,tier,baselineRevenue,response.maxLift,revenue_model\n"
                                 "a,invest,100,0.5,deals\n", "p.csv",
                                 stubs.load().portfolio.Partner)
    api = stubs.load().portfolio
    assert partners[0].tier == api.TIER_INVEST
    assert partners[0].revenue_model == api.REVENUE_MODEL_DEALS
    assert partners[0].response.max_lift == 0.5
    assert not partners[0].HasField("volatility")  # empty or absent: the server's default


@pytest.mark.parametrize("text, message", [
    ("id,volatility\na,lots\n", 'p.csv:2: column "volatility": expected a number, got "lots"'),
    ("id,tier\na,GOLD\n", 'p.csv:2: column "tier": expected INVEST, MAINTAIN or OPPORTUNISTIC '
                          r'\(any case, with or without TIER_\), got "GOLD"'),
    ("id,response.ramp_periods\na,1.5\n", 'expected a whole number, got "1.5"'),
    ("id,max_lift\n", 'p.csv:1: column 2 "max_lift": no field "max_lift" in attain.v1.Partner; '
                      'did you mean "response.max_lift"?'),
    ("id,volatilty\n", 'did you mean "volatility"?'),
    ("id,response\n", '"response" is a message; name one of its fields'),
    ("id,volatility,volatility\n", 'columns "volatility" and "volatility" set the same field'),
    ("id,name\na\n", "p.csv:2: 1 cells, but the header has 2 columns"),
    ("# only notes\n", "p.csv: empty; expected a header line"),
])
def test_bad_csv_names_the_line_and_column(text, message):
    with pytest.raises(BadInput, match=message):
        parse_partners(text, "p.csv", stubs.load().portfolio.Partner)


def write_folder(folder, portfolio_dict):
    """A folder of the example portfolio twice: as JSON, and as CSV with settings."""
    folder.mkdir()
    (folder / "cm-json.json").write_text(json.dumps(portfolio_dict))
    (folder / "cm-csv.csv").write_text((EXAMPLES / "partners.csv").read_text())
    settings = json.loads((EXAMPLES / "portfolio-meta.json").read_text())
    del settings["channelManagerId"]  # named after the file instead
    (folder / "cm-csv.meta.json").write_text(json.dumps(settings))


def test_a_folder_of_json_and_csv_portfolios(tmp_path):
    portfolio = json.loads((EXAMPLES / "portfolio.json").read_text())
    portfolio["channelManagerId"] = "cm-json"
    portfolio["periodLength"] = "month"  # as people write it
    write_folder(tmp_path / "west", portfolio)

    team_input = read_team(tmp_path / "west", 9e6, stubs.load())
    team = team_input.team
    assert team.name == "west" and team.quota == 9e6
    assert [m.channel_manager_id for m in team.members] == ["cm-csv", "cm-json"]
    csv_member, json_member = team.members
    json_member.channel_manager_id = csv_member.channel_manager_id
    assert csv_member == json_member
    assert sorted(f.path.rsplit("/", 1)[1] for f in team_input.files) == [
        "cm-csv.csv", "cm-csv.meta.json", "cm-json.json"]
    assert team_input.locate("team.members[0].partners[2].volatility").endswith(
        'cm-csv.csv:4: column 6 "volatility"')
    assert team_input.locate("team.members[0].quota").endswith("cm-csv.meta.json: quota")
    assert team_input.locate("team.members[1].partners[2].volatility").endswith(
        "cm-json.json: partners[2].volatility")
    assert team_input.locate("team.quota") == ""


def test_a_team_file_and_its_quota(tmp_path):
    api = stubs.load()
    team = read_team(EXAMPLES / "team.json", None, api).team
    assert team.name == "Americas channel" and team.quota == 14500000
    assert len(team.members) == 4
    assert read_team(EXAMPLES / "team.json", 1e7, api).team.quota == 1e7


@pytest.mark.parametrize("files, message", [
    ({"a.json": "{not json"}, "a.json: not JSON"),
    ({"a.json": '{"quota": 5, "partners": [{"id": "x", "tier": "GOLD"}]}'},
     r'a.json: not an attain.v1.Portfolio in JSON: partners\[0\].tier: "GOLD" is not a value '
     'of Tier: use INVEST, MAINTAIN or OPPORTUNISTIC'),
    ({"a.json": '{"quotaa": 5}'}, 'a.json: not an attain.v1.Portfolio in JSON: .*quotaa'),
    ({"a.json": '{"name": "t", "members": []}'}, "a.json: a Team, not one manager's portfolio"),
    ({"a.csv": "id\nx\n", "b.meta.json": "{}"}, "b.meta.json: settings of b.csv, which is not"),
    ({"a.csv": "id\nx\n", "a.meta.json": '{"partners": [{"id": "y"}]}'},
     "a.meta.json: a portfolio settings file lists no partners"),
    ({"notes.txt": "hello"}, "no portfolios in the folder"),
])
def test_bad_folders_name_the_file(tmp_path, files, message):
    folder = tmp_path / "team"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    with pytest.raises(BadInput, match=message):
        read_team(folder, 1e6, stubs.load())


def test_a_folder_needs_a_quota(tmp_path):
    (tmp_path / "cm.json").write_text((EXAMPLES / "portfolio.json").read_text())
    with pytest.raises(BadInput, match="no team quota: give --quota"):
        read_team(tmp_path, None, stubs.load())


def test_one_portfolio_is_not_a_team():
    with pytest.raises(BadInput, match="one manager's portfolio, not a Team"):
        read_team(EXAMPLES / "portfolio.json", 1e6, stubs.load())
