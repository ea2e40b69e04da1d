"""Vectorized NumPy baseline of the partner-portfolio Monte Carlo revenue model.

Reads a portfolio JSON (protobuf JSON mapping, camelCase), simulates assisted and
unassisted ("h = 0", common random numbers) revenue paths in bounded-memory
chunks of shape (paths, partners, periods) and prints one line of JSON with the
timing and headline results. Used as a speed baseline for the C++ engine.

Usage: /usr/bin/python3 bench/numpy_model.py PORTFOLIO.json --paths N [--seed S]
"""
import argparse
import json
import os
import time

import numpy as np

TIER_KEYS = {
    "TIER_INVEST": ("investHours", 16.0),
    "TIER_MAINTAIN": ("maintainHours", 6.0),
    "TIER_OPPORTUNISTIC": ("opportunisticHours", 1.0),
}
CELLS_PER_CHUNK = 8_000_000  # paths * partners * periods per chunk (~64 MB per float64 array)


def load_params(portfolio):
    """Turn the portfolio dict into per-partner parameter vectors (with defaults)."""
    T = int(portfolio["periods"])
    policy = portfolio.get("tierPolicy", {})
    season = np.asarray(portfolio.get("seasonality") or [1.0] * T, dtype=float)
    rho_s = float(portfolio.get("segmentCorrelation", 0.0))
    partners = portfolio["partners"]

    def col(fn):
        return np.array([float(fn(p)) for p in partners])

    def hours(p):
        if "hoursOverride" in p:
            return p["hoursOverride"]
        key, default = TIER_KEYS[p.get("tier", "TIER_OPPORTUNISTIC")]
        return policy.get(key, default)

    segments = sorted({p.get("segment", "") for p in partners} - {""})
    seg_of = {s: k for k, s in enumerate(segments)}
    P = dict(
        T=T,
        quota=float(portfolio.get("quota", 0.0)),
        season=season,
        n_seg=max(len(segments), 1),
        seg=np.array([seg_of.get(p.get("segment", ""), 0) for p in partners]),
        rho_s=np.array([rho_s if p.get("segment", "") else 0.0 for p in partners]),
        h=col(hours),
        b=col(lambda p: p["baselineRevenue"]),
        g=col(lambda p: p.get("growthRate", 0.0)),
        sigma=col(lambda p: p.get("volatility", 0.25)),
        rho_m=col(lambda p: p.get("marketCorrelation", 0.3)),
        L=col(lambda p: p.get("response", {}).get("maxLift", 0.3)),
        h50=col(lambda p: p.get("response", {}).get("halfEffortHours", 8.0)),
        r=col(lambda p: p.get("response", {}).get("rampPeriods", 2)),
        gamma=col(lambda p: p.get("response", {}).get("growthBoost", 0.0)),
        c=col(lambda p: p.get("retention", {}).get("churnRate", 0.02)),
        hr=col(lambda p: p.get("retention", {}).get("retentionHours", 4.0)),
        deals=np.array([p.get("revenueModel") == "REVENUE_MODEL_DEALS" for p in partners]),
        m=col(lambda p: p.get("deals", {}).get("meanDealSize", 1.0)),
        v=col(lambda p: p.get("deals", {}).get("dealSizeCv", 0.5)),
    )
    return P


def mean_and_hazard(P, h):
    """Deterministic mean path mu (n, T) and per-period churn hazard q (n,) for hours h."""
    t = np.arange(1, P["T"] + 1, dtype=float)
    f = h / (h + P["h50"])
    r = P["r"][:, None]
    ramp = np.where(r > 0, np.minimum(1.0, t / np.where(r > 0, r, 1.0)), 1.0)
    lift = P["L"][:, None] * f[:, None] * ramp
    g_eff = P["g"] + P["gamma"] * f
    mu = P["b"][:, None] * (1.0 + g_eff[:, None]) ** (t - 1) * P["season"] * (1.0 + lift)
    q = P["c"] * P["hr"] / (P["hr"] + h)
    return mu, q


def deal_revenue(rng, lam, m, s):
    """Sum of Poisson(lam) lognormal deal sizes per cell; lam (C, d, T), m/s (d,)."""
    counts = rng.poisson(lam).ravel()
    cell = np.repeat(np.arange(counts.size), counts)           # owning cell of every deal
    part = (cell // lam.shape[2]) % lam.shape[1]               # deal partner (within subset)
    xi = rng.standard_normal(cell.size)
    sizes = m[part] * np.exp(s[part] * xi - 0.5 * s[part] ** 2)
    return np.bincount(cell, weights=sizes, minlength=counts.size).reshape(lam.shape)


def simulate(P, n_paths, seed, chunk=None):
    n, T = len(P["b"]), P["T"]
    rng = np.random.default_rng(seed)
    mu, q = mean_and_hazard(P, P["h"])
    mu0, q0 = mean_and_hazard(P, np.zeros(n))                  # unassisted: h = 0
    sig = P["sigma"][:, None]
    a_m = np.sqrt(P["rho_m"])[:, None]
    a_s = np.sqrt(P["rho_s"])[:, None]
    a_e = np.sqrt(np.clip(1.0 - P["rho_m"] - P["rho_s"], 0.0, None))[:, None]
    d = P["deals"]
    md, sd = P["m"][d], np.sqrt(np.log1p(P["v"][d] ** 2))
    if chunk is None:
        chunk = int(min(5000, max(1, CELLS_PER_CHUNK // (n * T))))

    hits = 0
    sum_R = sum_R0 = 0.0
    part_sum = np.zeros(n)
    part_sum0 = np.zeros(n)
    for start in range(0, n_paths, chunk):
        C = min(chunk, n_paths - start)
        # Correlated shocks: market + segment + idiosyncratic factors.
        M = rng.standard_normal((C, 1, T))
        S = rng.standard_normal((C, P["n_seg"], T))[:, P["seg"], :]
        z = a_m * M + a_s * S + a_e * rng.standard_normal((C, n, T))
        shock = np.exp(sig * z - 0.5 * sig ** 2)
        # Absorbing dormancy with shared uniforms for both scenarios.
        U = rng.random((C, n, T))
        alive = np.cumprod(U >= q[:, None], axis=2)
        alive0 = np.cumprod(U >= q0[:, None], axis=2)

        R = alive * mu * shock                                  # lognormal model (and deal means)
        R0 = alive0 * mu0 * shock
        if d.any():
            mdT = md[:, None]
            R[:, d, :] = deal_revenue(rng, R[:, d, :] / mdT, md, sd)
            R0[:, d, :] = deal_revenue(rng, R0[:, d, :] / mdT, md, sd)

        by_partner = R.sum(axis=2)                              # (C, n)
        by_partner0 = R0.sum(axis=2)
        total = by_partner.sum(axis=1)
        hits += int(np.count_nonzero(total >= P["quota"]))
        sum_R += total.sum()
        sum_R0 += by_partner0.sum()
        part_sum += by_partner.sum(axis=0)
        part_sum0 += by_partner0.sum(axis=0)

    return dict(
        attainment_probability=hits / n_paths,
        expected_revenue=sum_R / n_paths,
        unassisted_expected_revenue=sum_R0 / n_paths,
        partner_mean_revenue=part_sum / n_paths,
        partner_mean_unassisted_revenue=part_sum0 / n_paths,
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("portfolio")
    ap.add_argument("--paths", type=int, required=True)
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--chunk", type=int, default=None, help="paths per chunk (default: auto)")
    ap.add_argument("--per-partner", action="store_true",
                    help="also print per-partner mean assisted/unassisted revenue")
    args = ap.parse_args()

    with open(args.portfolio) as fh:
        portfolio = json.load(fh)
    P = load_params(portfolio)

    t0 = time.perf_counter()
    res = simulate(P, args.paths, args.seed, args.chunk)
    seconds = time.perf_counter() - t0

    n, T = len(P["b"]), P["T"]
    out = {
        "workload": os.path.basename(args.portfolio),
        "paths": args.paths,
        "partners": n,
        "periods": T,
        "seconds": seconds,
        "partner_periods_per_second": args.paths * n * T / seconds,
        "attainment_probability": res["attainment_probability"],
        "expected_revenue": res["expected_revenue"],
        "unassisted_expected_revenue": res["unassisted_expected_revenue"],
    }
    if args.per_partner:
        ids = [p.get("id", str(i)) for i, p in enumerate(portfolio["partners"])]
        out["partner_mean_revenue"] = dict(zip(ids, res["partner_mean_revenue"].tolist()))
        out["partner_mean_unassisted_revenue"] = dict(
            zip(ids, res["partner_mean_unassisted_revenue"].tolist()))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
