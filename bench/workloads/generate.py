#!/usr/bin/python3
"""Generates Attain's reference portfolios (the workloads of tests and benchmarks).

Usage: /usr/bin/python3 bench/workloads/generate.py [--out DIR] [--check]

Writes w1-200x12.json, w2-50x4.json, w3-20x4.json and w4-2000x12.json
(attain.v1.Portfolio in protobuf JSON) into DIR, by default this script's folder.
With --check, regenerates them in memory instead and exits 1, with a short summary,
if a file in DIR is missing or differs: the checked-in files must be this script's
output.

Each workload comes from its own fixed seed. Only the standard library is used, and
every random quantity is derived from random.Random(seed).random() (the Mersenne
Twister, stable across Python versions) by explicit formulas, so the output is
byte-stable: no numpy, and no reliance on random.gauss, shuffle or choice.

Distributions (per partner, independent unless said otherwise; see README.md):
  baselineRevenue       10^(4.6 + 0.4 z), z ~ N(0, 1): median 40,000
  growthRate            U(-0.01, 0.03)
  volatility            U(0.10, 0.50)
  marketCorrelation     U(0.10, 0.40)          (+ segmentCorrelation 0.15 < 1)
  response.maxLift      U(0, 0.80)
  response.halfEffortHours U(3, 20)
  response.rampPeriods  uniform on 0..4
  response.growthBoost  0 with probability 2/3, else U(0, 0.02)
  retention.churnRate   U(0, 0.06)
  retention.retentionHours U(1, 8)
  tier                  exactly round(15%) INVEST, round(30%) MAINTAIN, the rest
                        OPPORTUNISTIC, in random order
  segment               APAC, EMEA, LATAM, NA-East, NA-West in turn, in random order
  revenueModel          exactly round(25%) of partners DEALS, chosen at random, with
                        deals.meanDealSize = baselineRevenue / U(0.5, 4) (0.5 to 4
                        deals per period at baseline) and deals.dealSizeCv U(0.2, 1.0)
Portfolio: tier policy 16 / 6 / 1 hours; seasonality 1 + 0.15 sin(2 pi (t - 1) / 12);
capacityHours = round(1.05 x the hours of the current tiers); quota = the model's exact
expected revenue of the current tiers (docs/model.md, closed form 4) x QUOTA_FACTOR,
rounded to 1,000.
"""

import argparse
import difflib
import json
import math
import os
import random
import sys

# (file, seed, partners, periods, channel manager id)
WORKLOADS = [
    ("w1-200x12.json", 101, 200, 12, "cm-101"),
    ("w2-50x4.json", 202, 50, 4, "cm-202"),
    ("w3-20x4.json", 303, 20, 4, "cm-303"),
    ("w4-2000x12.json", 404, 2000, 12, "cm-404"),
]

SEGMENTS = ["APAC", "EMEA", "LATAM", "NA-East", "NA-West"]
SEGMENT_CORRELATION = 0.15
TIER_POLICY = {"investHours": 16, "maintainHours": 6, "opportunisticHours": 1}
TIER_HOURS = {"TIER_INVEST": 16, "TIER_MAINTAIN": 6, "TIER_OPPORTUNISTIC": 1}
TIER_SHARES = [("TIER_INVEST", 0.15), ("TIER_MAINTAIN", 0.30)]  # the rest OPPORTUNISTIC
DEALS_SHARE = 0.25
CAPACITY_FACTOR = 1.05  # capacity: the current tiers' hours plus 5%
# Quota over the expected revenue of the current tiers: a modest stretch, so that
# P(attain) of the current plan is below one half but far from 0, and a better plan
# visibly moves it.
QUOTA_FACTOR = 1.02

# Validation limits (simulator/validation.cc, docs/model.md) the output must respect.
MAX_EXPECTED_DEALS = 10_000


class Rng:
    """Every draw from random.Random(seed).random() by an explicit formula."""

    def __init__(self, seed):
        self._r = random.Random(seed)

    def uniform(self, low, high):
        return low + (high - low) * self._r.random()

    def below(self, n):  # uniform on 0..n-1
        return min(int(self._r.random() * n), n - 1)

    def normal(self):  # Box-Muller, one value per pair of uniforms
        u1 = 1.0 - self._r.random()  # (0, 1]
        u2 = self._r.random()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def shuffled(self, items):  # Fisher-Yates
        items = list(items)
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items


def seasonality(periods):
    return [round(1 + 0.15 * math.sin(2 * math.pi * t / 12), 4) for t in range(periods)]


def expected_revenue(partner, season, hours):
    """E[R_i] = sum_t mu_t (1 - q)^t (docs/model.md, closed form 4)."""
    r, c = partner["response"], partner["retention"]
    f = hours / (hours + r["halfEffortHours"])
    g = partner["growthRate"] + r["growthBoost"] * f
    q = c["churnRate"] * c["retentionHours"] / (c["retentionHours"] + hours)
    total = 0.0
    for t in range(1, len(season) + 1):
        ramp = 1.0 if r["rampPeriods"] == 0 else min(1.0, t / r["rampPeriods"])
        mu = partner["baselineRevenue"] * (1 + g) ** (t - 1) * season[t - 1] * (
            1 + r["maxLift"] * f * ramp)
        total += mu * (1 - q) ** t
    return total


def max_expected_deals(partner, season):
    """As MaxExpectedDeals in simulator/validation.cc."""
    growth = partner["growthRate"] + partner["response"]["growthBoost"]
    largest = max(season[t] * (1 + growth) ** t for t in range(len(season)))
    return (partner["baselineRevenue"] * largest * (1 + partner["response"]["maxLift"]) /
            partner["deals"]["meanDealSize"])


def make_partner(rng, index, tier, segment, deals):
    baseline = round(10 ** (4.6 + 0.4 * rng.normal()), 2)
    partner = {
        "id": f"P{index:04d}",
        "name": f"Partner {index:04d}",
        "tier": tier,
        "baselineRevenue": baseline,
        "growthRate": round(rng.uniform(-0.01, 0.03), 4),
        "volatility": round(rng.uniform(0.10, 0.50), 3),
        "marketCorrelation": round(rng.uniform(0.10, 0.40), 3),
        "segment": segment,
    }
    max_lift = round(rng.uniform(0.0, 0.80), 3)
    half_effort = round(rng.uniform(3.0, 20.0), 1)
    ramp = rng.below(5)
    boosted = rng.uniform(0.0, 1.0) < 1 / 3
    boost = round(rng.uniform(0.0, 0.02), 4)
    partner["response"] = {
        "maxLift": max_lift,
        "halfEffortHours": half_effort,
        "rampPeriods": ramp,
        "growthBoost": boost if boosted and boost > 0 else 0,
    }
    partner["retention"] = {
        "churnRate": round(rng.uniform(0.0, 0.06), 4),
        "retentionHours": round(rng.uniform(1.0, 8.0), 1),
    }
    # Drawn for every partner, so that which partners sell in deals does not shift the
    # other partners' draws.
    deals_per_period = rng.uniform(0.5, 4.0)
    cv = round(rng.uniform(0.2, 1.0), 3)
    if deals:
        partner["revenueModel"] = "REVENUE_MODEL_DEALS"
        partner["deals"] = {
            "meanDealSize": round(baseline / deals_per_period, 2),
            "dealSizeCv": cv,
        }
    return partner


def make_portfolio(seed, n, periods, manager):
    rng = Rng(seed)
    tiers = []
    for tier, share in TIER_SHARES:
        tiers += [tier] * round(share * n)
    tiers += ["TIER_OPPORTUNISTIC"] * (n - len(tiers))
    tiers = rng.shuffled(tiers)
    segments = rng.shuffled(SEGMENTS[i % len(SEGMENTS)] for i in range(n))
    deals = set(rng.shuffled(range(n))[:round(DEALS_SHARE * n)])
    partners = [make_partner(rng, i, tiers[i], segments[i], i in deals) for i in range(n)]

    season = seasonality(periods)
    hours = sum(TIER_HOURS[p["tier"]] for p in partners)
    expected = sum(expected_revenue(p, season, TIER_HOURS[p["tier"]]) for p in partners)
    portfolio = {
        "channelManagerId": manager,
        "currency": "USD",
        "quota": float(round(expected * QUOTA_FACTOR, -3)),
        "periods": periods,
        "capacityHours": float(round(hours * CAPACITY_FACTOR)),
        "tierPolicy": dict(TIER_POLICY),
        "seasonality": season,
        "segmentCorrelation": SEGMENT_CORRELATION,
        "partners": partners,
    }
    check_limits(portfolio)
    return portfolio


def check_limits(portfolio):
    """The limits of simulator/validation.cc that these distributions come near."""
    season = portfolio["seasonality"]
    assert 1 <= portfolio["periods"] <= 60 and len(season) == portfolio["periods"]
    assert all(0 < s <= 100 for s in season)
    for p in portfolio["partners"]:
        where = f"{p['id']}: "
        assert p["baselineRevenue"] > 0, where + "baselineRevenue"
        assert 0 <= p["marketCorrelation"], where + "marketCorrelation"
        assert p["marketCorrelation"] + portfolio["segmentCorrelation"] < 1, \
            where + "marketCorrelation + segmentCorrelation"
        assert p["response"]["halfEffortHours"] > 0, where + "halfEffortHours"
        assert p["retention"]["retentionHours"] > 0, where + "retentionHours"
        assert 0 <= p["retention"]["churnRate"] < 1, where + "churnRate"
        if "deals" in p:
            assert p["deals"]["meanDealSize"] > 0, where + "meanDealSize"
            assert max_expected_deals(p, season) <= MAX_EXPECTED_DEALS, where + "deals"


def render(portfolio):
    return json.dumps(portfolio, indent=1) + "\n"


def generate():
    """{file name: text} of every workload."""
    return {name: render(make_portfolio(seed, n, periods, manager))
            for name, seed, n, periods, manager in WORKLOADS}


def check(out_dir, texts):
    stale = 0
    for name, want in texts.items():
        path = os.path.join(out_dir, name)
        try:
            with open(path, encoding="utf-8") as f:
                have = f.read()
        except FileNotFoundError:
            print(f"{path}: missing")
            stale += 1
            continue
        if have == want:
            continue
        stale += 1
        diff = list(difflib.unified_diff(have.splitlines(), want.splitlines(),
                                         f"{name} (checked in)", f"{name} (generated)",
                                         n=0, lineterm=""))
        changed = sum(1 for line in diff[2:] if line[:1] in "+-")
        print(f"{path}: differs from the generator's output ({changed} lines)")
        for line in diff[:12]:
            print("  " + line)
        if len(diff) > 12:
            print(f"  ... {len(diff) - 12} more diff lines")
    if stale:
        print(f"{stale} of {len(texts)} workloads are not the output of {sys.argv[0]};"
              f" regenerate with: /usr/bin/python3 {sys.argv[0]} --out {out_dir}")
        return 1
    print(f"{len(texts)} workloads in {out_dir} match the generator")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                        help="folder of the workloads (default: this script's folder)")
    parser.add_argument("--check", action="store_true",
                        help="compare the files in --out with the generator's output "
                             "instead of writing them; exit 1 if any differs")
    args = parser.parse_args()
    texts = generate()
    if args.check:
        return check(args.out, texts)
    os.makedirs(args.out, exist_ok=True)
    for name, text in texts.items():
        path = os.path.join(args.out, name)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
