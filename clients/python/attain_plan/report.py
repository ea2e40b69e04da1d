"""The team report: one self-contained HTML page drawn by the renderer attain report
uses (clients/report: template, styles, report.js and Apache ECharts, all inlined)."""
import json
import os
from pathlib import Path

from attain_plan.stubs import REPO_ROOT

_MARKERS = ("/*ATTAIN_CSS*/", "/*ATTAIN_DATA*/", "/*ATTAIN_ECHARTS*/", "/*ATTAIN_RENDER*/")


def _assets_root() -> Path:
    return Path(os.environ.get("ATTAIN_REPORT_ASSETS", REPO_ROOT))


def assemble(data: dict) -> str:
    """The page of `data` (the report data clients/report/README.md describes)."""
    root = _assets_root()
    report = root / "clients" / "report"
    # No value can close the <script> the data is in.
    data_json = json.dumps(data, ensure_ascii=False, allow_nan=False).replace("<", "\\u003c")
    parts = {
        "/*ATTAIN_CSS*/": (report / "report.css").read_text(encoding="utf-8"),
        "/*ATTAIN_DATA*/": data_json,
        "/*ATTAIN_ECHARTS*/": (root / "third_party" / "echarts" / "echarts.min.js")
        .read_text(encoding="utf-8"),
        "/*ATTAIN_RENDER*/": (report / "report.js").read_text(encoding="utf-8"),
    }
    template = (report / "template.html").read_text(encoding="utf-8")
    # One pass over the template, markers in the order they appear: inlined text is never
    # searched for markers.
    positions = sorted((template.index(marker), marker) for marker in _MARKERS)
    page, copied = [], 0
    for position, marker in positions:
        page += [template[copied:position], parts[marker]]
        copied = position + len(marker)
    page.append(template[copied:])
    return "".join(page)
