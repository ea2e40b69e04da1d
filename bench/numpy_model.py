"""Plain NumPy baseline of the partner-portfolio Monte Carlo revenue model.

Reads a portfolio JSON (protobuf JSON mapping, camelCase), simulates assisted and
unassisted ("h = 0") revenue paths on common random numbers and prints one line of
JSON with the timing and headline results. Used as a speed baseline for the C++
engine, so it is meant to be the fastest plain NumPy (float64, no compiled extensions,
no multiprocessing) for the same model and the same work per path as the engine
(docs/model.md):

- per period a market factor and one factor per segment, per partner and period an
  idiosyncratic normal, the lognormal shock exp(sigma z - sigma^2 / 2);
- one dormancy uniform V per partner and path, alive in period t iff V < (1 - q)^t;
- DEALS partners: per (partner, period) a Poisson deal count and lognormal deal sizes,
  shared by both scenarios as the engine's Poisson process is: the scenario with the
  smaller rate (unassisted) closes Poisson(lambda0) deals, the assisted one those same
  deals plus Poisson(lambda - lambda0) more;
- both scenarios on the same draws; per-partner revenue, P(attain), expected revenue.

Layout, chosen by measurement on the project's 2-core machine: paths in chunks; within
a chunk a loop over partners, each with (paths, periods) arrays of about
CELLS_PER_ARRAY cells (cache-sized; 1/4 to 4x that measured the same), computed in
place in preallocated buffers. A loop over periods with (paths, partners) arrays was
within 10% (slower on w1); the old (paths, partners, periods) chunks of 8M cells were
3-4x slower. Random numbers come from one Generator on SFC64 (the fastest bit generator
here; PCG64 and MT19937 were 25% or more slower on normals); Poisson counts by
vectorized inversion (1.3-2.5x Generator.poisson on these small rates). The time goes
to normals (~1/3), exp (~1/5) and the deals (Poisson counts ~1/5, deal sizes).

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
CELLS_PER_ARRAY = 49152     # paths x periods of one partner's arrays in a chunk (measured)
DORMANCY_BLOCK = 1 << 20    # partner-paths whose dormancy is computed in one go
INVERSION_MAX_LAMBDA = 30.0  # larger Poisson rates go to Generator.poisson


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


def poisson(rng, lam):
    """Poisson(lam) counts (flat int64) by inversion, vectorized: N is the number of k
    with U > F(k), F the Poisson CDF, accumulated term by term on all cells while more
    than 1/16 of them are still undecided, then on the undecided ones only."""
    lam = lam.reshape(-1)
    size = lam.size
    big = lam > INVERSION_MAX_LAMBDA
    n_big = int(np.count_nonzero(big))
    lam_big = lam[big] if n_big else None
    if n_big:
        lam = np.where(big, 0.0, lam)
    rest = rng.random(size)                     # U - F(k), decreasing in k
    term = np.negative(lam)
    np.exp(term, out=term)                      # P(N = k), from k = 0
    rest -= term
    above = np.greater(rest, 0.0)
    counts = above.view(np.int8).copy()
    k = 0
    while k < 100:                              # dense phase: counts fit in int8
        k += 1
        term *= lam
        term *= 1.0 / k
        rest -= term
        np.greater(rest, 0.0, out=above)
        counts += above.view(np.int8)
        if np.count_nonzero(above) * 16 < size:
            break
    counts = counts.astype(np.int64)
    idx = np.flatnonzero(above)
    if idx.size:
        lam, rest, term = lam[idx], rest[idx], term[idx]
        while idx.size and k < 1000:            # sparse phase on the undecided cells
            k += 1
            term *= lam
            term *= 1.0 / k
            rest -= term
            keep = rest > 0.0
            idx = idx[keep]
            counts[idx] += 1
            lam, rest, term = lam[keep], rest[keep], term[keep]
    if n_big:
        counts[big] = rng.poisson(lam_big)
    return counts


def simulate(P, n_paths, seed, chunk=None):
    n, T = len(P["b"]), P["T"]
    rng = np.random.Generator(np.random.SFC64(seed))
    mu, q = mean_and_hazard(P, P["h"])
    mu0, q0 = mean_and_hazard(P, np.zeros(n))                  # unassisted: h = 0
    if np.any(mu0 > mu) or np.any(q0 < q):
        raise ValueError("hours, max_lift and growth_boost must be >= 0")
    sig = P["sigma"]
    a_m = np.sqrt(P["rho_m"])
    a_s = np.sqrt(P["rho_s"])
    a_e = np.sqrt(np.clip(1.0 - P["rho_m"] - P["rho_s"], 0.0, None))
    # log shock = coef . (eps, market, segment, 1)
    coef = np.stack([sig * a_e, sig * a_m, sig * a_s, -0.5 * sig * sig], axis=1)
    # P(alive in period t) as the engine computes it: a running product.
    surv = np.cumprod(np.repeat((1.0 - q)[:, None], T, axis=1), axis=1)
    surv0 = np.cumprod(np.repeat((1.0 - q0)[:, None], T, axis=1), axis=1)
    d = P["deals"]
    m = P["m"]
    s = np.sqrt(np.log1p(P["v"] ** 2))
    size_factor = m * np.exp(-0.5 * s * s)                      # deal size = this x exp(s xi)
    # tab[i, a, t] = mean of period t if alive for a periods (t < a), else 0; the mean is
    # the expected deal count mu / m for DEALS partners.
    per = np.where(d, 1.0 / m, 1.0)[:, None]
    alive_for = np.tril(np.ones((T + 1, T)), -1)
    tab = alive_for * (mu * per)[:, None, :]
    tab0 = alive_for * (mu0 * per)[:, None, :]
    seg = np.where(P["rho_s"] > 0, P["seg"], 0)
    order = np.lexsort((d, seg))                                # segment rows change rarely
    if chunk is None:
        chunk = max(1, CELLS_PER_ARRAY // T)
    chunk = max(1, min(chunk, n_paths))
    block = max(1, min(n, DORMANCY_BLOCK // chunk))

    hits = 0
    part_sum = np.zeros(n)
    part_sum0 = np.zeros(n)
    for start in range(0, n_paths, chunk):
        C = min(chunk, n_paths - start)
        CT = C * T
        factors = rng.standard_normal((1 + P["n_seg"], CT))     # market, segments
        X = np.empty((4, CT))                                   # eps, market, segment, 1
        X[1] = factors[0]
        X[3] = 1.0
        shock = np.empty(CT)
        shock2 = shock.reshape(C, T)
        total = np.zeros(C)
        current_seg = -1
        for b0 in range(0, n, block):
            ids = order[b0:b0 + block]
            # Dormancy: one uniform per partner-path; alive periods = #{t: V < surv_t}.
            V = rng.random((ids.size, C))
            n_alive = np.zeros((ids.size, C), np.int8)
            n_alive0 = np.zeros((ids.size, C), np.int8)
            below = np.empty((ids.size, C), bool)
            s_ids, s0_ids = surv[ids], surv0[ids]
            for t in range(T):
                np.less(V, s_ids[:, t:t + 1], out=below)
                n_alive += below.view(np.int8)
                np.less(V, s0_ids[:, t:t + 1], out=below)
                n_alive0 += below.view(np.int8)
            for j, i in enumerate(ids):
                if seg[i] != current_seg:
                    current_seg = seg[i]
                    X[2] = factors[1 + current_seg]
                rng.standard_normal(out=X[0])
                np.einsum("k,kn->n", coef[i], X, out=shock)
                np.exp(shock, out=shock)
                if not d[i]:
                    # Revenue if alive throughout (most paths), then redone for the
                    # paths on which the partner goes dormant.
                    rev = np.dot(shock2, tab[i, T])
                    rev0 = np.dot(shock2, tab0[i, T])
                    for r, alive, tb in ((rev, n_alive[j], tab[i]), (rev0, n_alive0[j], tab0[i])):
                        k = np.flatnonzero(alive < T)
                        if k.size:
                            r[k] = np.einsum("ct,ct->c", shock2[k], tb[alive[k]])
                else:
                    lam0 = np.multiply(shock2, tab0[i][n_alive0[j]])  # unassisted deal rate
                    lam_extra = np.multiply(shock2, tab[i][n_alive[j]])
                    lam_extra -= lam0                            # >= 0: assisted closes more
                    n0 = poisson(rng, lam0).reshape(C, T).sum(axis=1)
                    n_extra = poisson(rng, lam_extra).reshape(C, T).sum(axis=1)
                    # Path c's deals are x[first_c : first_c + n0_c + n_extra_c], the
                    # unassisted ones the first n0_c of them; x[K] = 0 is a sentinel.
                    n_all = n0 + n_extra
                    ends = np.cumsum(n_all)
                    K = int(ends[-1])
                    bounds = np.empty(2 * C, np.int64)
                    bounds[0::2] = ends - n_all
                    bounds[1::2] = bounds[0::2] + n0
                    x = np.empty(K + 1)
                    rng.standard_normal(out=x)
                    x *= s[i]
                    np.exp(x, out=x)
                    x[K] = 0.0
                    sums = np.add.reduceat(x, bounds)
                    rev0 = np.where(n0 > 0, sums[0::2], 0.0)
                    rev0 *= size_factor[i]
                    rev = np.where(n_extra > 0, sums[1::2], 0.0)
                    rev *= size_factor[i]
                    rev += rev0
                total += rev
                part_sum[i] += rev.sum()
                part_sum0[i] += rev0.sum()
        hits += int(np.count_nonzero(total >= P["quota"]))

    return dict(
        attainment_probability=hits / n_paths,
        expected_revenue=part_sum.sum() / n_paths,
        unassisted_expected_revenue=part_sum0.sum() / n_paths,
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
