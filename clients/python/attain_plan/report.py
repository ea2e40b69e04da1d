"""The team report: one self-contained HTML page drawn by the renderer `attain report`
uses (clients/report/README.md: template, styles, Apache ECharts and report.js, inlined
with the report's data)."""
import json
import os
from pathlib import Path

from attain_client.stubs import REPO_ROOT

# Each marker and the file that replaces it, relative to the repository's root; the data
# marker takes the report's JSON.
_DATA_MARKER = "/*ATTAIN_DATA*/"
_ASSETS = {
    "/*ATTAIN_CSS*/": Path("clients/report/report.css"),
    "/*ATTAIN_ECHARTS*/": Path("third_party/echarts/echarts.min.js"),
    "/*ATTAIN_RENDER*/": Path("clients/report/report.js"),
}
_TEMPLATE = Path("clients/report/template.html")


class ReportAssetsMissing(RuntimeError):
    pass


def assets_root() -> Path:
    """The repository whose clients/report and third_party/echarts draw the page:
    $ATTAIN_REPORT_ASSETS, else the one this package is in."""
    return Path(os.environ.get("ATTAIN_REPORT_ASSETS") or REPO_ROOT)


def data_json(data: dict) -> str:
    """`data` as JSON that is safe inside <script>: no `<` can close the element, and the
    line separators JavaScript once treated as line ends are escaped."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029"))


def _read(root: Path, relative: Path) -> str:
    try:
        return (root / relative).read_text(encoding="utf-8")
    except OSError as error:
        raise ReportAssetsMissing(
            f"cannot read the report renderer's {root / relative}: {error.strerror} (set "
            "ATTAIN_REPORT_ASSETS to the repository's root)") from None


def render(data: dict) -> str:
    """The page of report `data` (camelCase, as clients/report/README.md describes)."""
    root = assets_root()
    template = _read(root, _TEMPLATE)
    parts = {marker: _read(root, path) for marker, path in _ASSETS.items()}
    parts[_DATA_MARKER] = data_json(data)
    # One pass over the template, markers in the order they appear, so that no inlined
    # text is ever searched for a marker.
    found = sorted((template.find(marker), marker) for marker in parts)
    missing = [marker for position, marker in found if position < 0]
    if missing:
        raise ReportAssetsMissing(f"{root / _TEMPLATE} lacks the marker {missing[0]}")
    page, copied = [], 0
    for position, marker in found:
        page += [template[copied:position], parts[marker]]
        copied = position + len(marker)
    page.append(template[copied:])
    return "".join(page)
