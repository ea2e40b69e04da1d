"""Table of bench/run.sh results: engine_bench JSON vs numpy_model.py JSON.

  report.py OUT_DIR STEM...        print the table from OUT_DIR/STEM.{engine,numpy}.json
  report.py --paths-of ENGINE.json print the path count the engine ran with
"""
import json
import re
import sys


def load(path):
    try:
        with open(path) as fh:
            text = fh.read()
    except OSError:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def engine_rows(doc):
    """(threads, paths, ms, pp/s, rss, error) per benchmark run, aggregates preferred as mean."""
    runs = (doc or {}).get("benchmarks", [])
    means = [b for b in runs if b.get("aggregate_name") == "mean"]
    rows = []
    for b in means or [b for b in runs if b.get("run_type", "iteration") == "iteration"]:
        name = b.get("run_name") or b.get("name", "")
        threads = re.search(r"/threads:(\d+)", name)
        paths = re.search(r"/paths:(\d+)", name)
        ms = b.get("real_time")
        if ms is not None:
            ms *= {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
        rows.append(dict(
            bare="/bare-kernel/" in name,
            threads=int(threads.group(1)) if threads else None,
            paths=int(paths.group(1)) if paths else None,
            ms=ms,
            pps=b.get("partner_periods_per_s"),
            rss=b.get("peak_rss_MiB"),
            error=b.get("error_message") if b.get("error_occurred") else None,
        ))
    return rows


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def main(argv):
    if len(argv) == 3 and argv[1] == "--paths-of":
        paths = [r["paths"] for r in engine_rows(load(argv[2])) if r["paths"]]
        if not paths:
            return 1
        print(paths[0])
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out, stems = argv[1], argv[2:]
    header = ("workload", "threads", "paths", "engine ms/run", "engine pp/s",
              "peak RSS MiB", "bare kernel pp/s", "engine/bare", "numpy pp/s", "engine/numpy")
    table, errors = [], []
    for stem in stems:
        numpy = load(f"{out}/{stem}.numpy.json") or {}
        npps = numpy.get("partner_periods_per_second")
        rows = engine_rows(load(f"{out}/{stem}.engine.json")) or [
            dict(bare=False, threads=None, paths=None, ms=None, pps=None, rss=None,
                 error="no result")]
        bare = {r["threads"]: r["pps"] for r in rows if r["bare"]}
        for r in rows:
            if r["bare"]:
                continue
            paths = r["paths"]
            if numpy.get("paths") and paths and numpy["paths"] != paths:
                paths = f"{paths} (np {numpy['paths']})"
            ratio = r["pps"] / npps if r["pps"] and npps else None
            bare_pps = bare.get(r["threads"])
            bare_ratio = r["pps"] / bare_pps if r["pps"] and bare_pps else None
            table.append((stem, fmt(r["threads"], "d"), fmt(paths, ""), fmt(r["ms"], ".1f"),
                          fmt(r["pps"], ".3g"), fmt(r["rss"], ".1f"), fmt(bare_pps, ".3g"),
                          fmt(bare_ratio, ".2f") + ("" if bare_ratio is None else "x"),
                          fmt(npps, ".3g"), fmt(ratio, ".1f") + ("" if ratio is None else "x")))
            if r["error"]:
                errors.append(f"{stem} threads {fmt(r['threads'], 'd')}: {r['error']}")
    widths = [max(len(str(row[i])) for row in [header] + table) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths)] + table:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    for error in errors:
        print(f"error: {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
