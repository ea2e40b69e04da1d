"""Filling the shared report template (clients/report), on stand-in assets."""
import json

import pytest

from attain_plan import report


@pytest.fixture
def assets(tmp_path, monkeypatch):
    """A repository root with a template whose markers are out of the usual order, and
    assets that contain marker text themselves."""
    (tmp_path / "clients" / "report").mkdir(parents=True)
    (tmp_path / "third_party" / "echarts").mkdir(parents=True)
    (tmp_path / "clients" / "report" / "template.html").write_text(
        "<style>/*ATTAIN_CSS*/</style><script type=\"application/json\">/*ATTAIN_DATA*/"
        "</script><script>/*ATTAIN_RENDER*/</script><script>/*ATTAIN_ECHARTS*/</script>")
    (tmp_path / "clients" / "report" / "report.css").write_text("body{} /*ATTAIN_DATA*/")
    (tmp_path / "clients" / "report" / "report.js").write_text("render('/*ATTAIN_CSS*/')")
    (tmp_path / "third_party" / "echarts" / "echarts.min.js").write_text("var echarts={}")
    monkeypatch.setenv("ATTAIN_REPORT_ASSETS", str(tmp_path))
    return tmp_path


def test_markers_are_filled_once_and_inserted_text_is_left_alone(assets):
    page = report.render({"kind": "team", "title": "West"})
    assert page == ("<style>body{} /*ATTAIN_DATA*/</style><script type=\"application/json\">"
                    '{"kind":"team","title":"West"}</script>'
                    "<script>render('/*ATTAIN_CSS*/')</script><script>var echarts={}</script>")


def test_data_cannot_close_its_script(assets):
    title = "</script><script>alert(1)</script>\u2028\u2029"
    page = report.render({"title": title})
    assert "</script><script>alert" not in page
    data = page.split('<script type="application/json">')[1].split("</script>")[0]
    assert "<" not in data and "\u2028" not in data and "\u2029" not in data
    assert json.loads(data) == {"title": title}


def test_a_template_without_a_marker_is_refused(assets):
    (assets / "clients" / "report" / "template.html").write_text("<p>/*ATTAIN_CSS*/</p>")
    with pytest.raises(report.ReportAssetsMissing, match="lacks the marker"):
        report.render({})


def test_missing_assets_are_named(assets):
    (assets / "clients" / "report" / "report.js").unlink()
    with pytest.raises(report.ReportAssetsMissing, match="report.js.*ATTAIN_REPORT_ASSETS"):
        report.render({})
