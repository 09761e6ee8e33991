#!/usr/bin/env python3
"""Reference values for LesionStatistics, computed independently with numpy/scipy.

Writes Fixtures/expected/statistics.json (next to this folder's parent). Run from
anywhere:  python3 Fixtures/statistics/make_statistics_reference.py

Conventions of the output:
- Floats are written with repr (shortest round-trip), so they parse back bit-exact.
- Non-finite inputs are the strings "NaN", "Infinity", "-Infinity" (Foundation's
  JSONDecoder reads them with .convertFromString); bare NaN tokens are not JSON.
- A statistic that does not exist (n too small, constant input, empty group) is null.
- Where an analysis leaves non-finite values out, the reference is computed on what
  remains and the count left out is stored next to it.
- Quantiles follow the project's fine print: numpy's "linear" method, except that a
  position h = (n-1)*q within 1e-9 of an integer k gives exactly the k-th order
  statistic; numpy's own value is stored too, as "numpy".
- mpmath (50 digits) values are stored beside scipy's for the distribution functions,
  the binomial test and Kruskal-Wallis's p (from H computed with exact fractions), and
  for spearman rho, to show where scipy itself is accurate.
"""
import json
import math
import os
import sys
from fractions import Fraction

import mpmath
import numpy as np
import scipy
from scipy import special, stats

mpmath.mp.dps = 50
SNAP = 1e-9
Z975 = 1.959963984540054


def enc(v):
    """A float for JSON: repr precision, non-finite as strings, None as null."""
    if v is None:
        return None
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if v == math.inf:
        return "Infinity"
    if v == -math.inf:
        return "-Infinity"
    return v


def encs(vs):
    return [enc(v) for v in vs]


def finite(v):
    return math.isfinite(v)


# ---------------------------------------------------------------- finite filter
def finite_case(name, values):
    kept = [v for v in values if finite(v)]
    return {"name": name, "values": encs(values), "kept": encs(kept),
            "left_out": len(values) - len(kept)}


def finite_pairs_case(name, x, y):
    keep = [i for i in range(len(x)) if finite(x[i]) and finite(y[i])]
    return {"name": name, "x": encs(x), "y": encs(y),
            "kept_x": encs([x[i] for i in keep]), "kept_y": encs([y[i] for i in keep]),
            "left_out": len(x) - len(keep)}


# ---------------------------------------------------------------- ranks
def ranks_case(name, values):
    return {"name": name, "values": encs(values),
            "ranks": encs(stats.rankdata(values, method="average")),
            "tie_group_sizes": [int(c) for c in np.unique(values, return_counts=True)[1]]}


# ---------------------------------------------------------------- spearman
def exact_rho(x, y):
    """rho from exact rational sums of the ranks, to 50 digits (None if undefined)."""
    rx = [Fraction(r) for r in stats.rankdata(x)]
    ry = [Fraction(r) for r in stats.rankdata(y)]
    n = len(rx)
    m = Fraction(n + 1, 2)
    sxx = sum((a - m) ** 2 for a in rx)
    syy = sum((b - m) ** 2 for b in ry)
    sxy = sum((a - m) * (b - m) for a, b in zip(rx, ry))
    if sxx == 0 or syy == 0:
        return None
    return float(mpmath.mpf(sxy.numerator) / sxy.denominator
                 / mpmath.sqrt(mpmath.mpf(sxx.numerator) / sxx.denominator)
                 / mpmath.sqrt(mpmath.mpf(syy.numerator) / syy.denominator))


def spearman_case(name, x, y):
    keep = [i for i in range(len(x)) if finite(x[i]) and finite(y[i])]
    fx = np.array([x[i] for i in keep], dtype=float)
    fy = np.array([y[i] for i in keep], dtype=float)
    n = len(keep)
    out = {"name": name, "x": encs(x), "y": encs(y), "left_out": len(x) - n, "n": n,
           "rho": None, "p": None, "ci_low": None, "ci_high": None,
           "scipy_rho": None, "scipy_p": None, "exact_rho": None}
    if n >= 2:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = stats.spearmanr(fx, fy)
        out["scipy_rho"] = enc(res.statistic)
        out["scipy_p"] = enc(res.pvalue)
    if n >= 3:
        out["exact_rho"] = exact_rho(fx, fy)
        rho = float(res.statistic)
        if math.isfinite(rho):
            out["rho"] = rho
            out["p"] = float(res.pvalue)
            if n >= 4:
                with np.errstate(divide="ignore"):
                    z = np.arctanh(rho)
                se = math.sqrt(1.06 / (n - 3))
                out["ci_low"] = float(np.tanh(z - Z975 * se))
                out["ci_high"] = float(np.tanh(z + Z975 * se))
    return out


# ---------------------------------------------------------------- mann-whitney
def mwu_case(name, a, b):
    fa = [v for v in a if finite(v)]
    fb = [v for v in b if finite(v)]
    out = {"name": name, "first": encs(a), "second": encs(b),
           "left_out_first": len(a) - len(fa), "left_out_second": len(b) - len(fb),
           "n1": len(fa), "n2": len(fb), "u": None, "p": None, "rank_biserial": None}
    if fa and fb:
        res = stats.mannwhitneyu(fa, fb, alternative="two-sided", method="asymptotic",
                                 use_continuity=True)
        u = float(res.statistic)
        out["u"] = u
        out["p"] = float(res.pvalue)
        out["rank_biserial"] = 2 * u / (len(fa) * len(fb)) - 1
    return out


# ---------------------------------------------------------------- quantiles
# 1 - 0.8 = 0.19999999999999996 and 1 - 0.7 = 0.30000000000000004 are what a caller
# computing "1 - q" gets; with them (and 0.14, 0.28, 0.7 at some n) (n-1)*q misses an
# integer by an ulp, which is the case the snapping rule is for. Note that n = 6,
# q = 0.2 gives exactly h = 1.0 (5 * 0.2 rounds to 1.0).
QS = [0.0, 0.05, 0.1, 0.14, 0.2, 1 - 0.8, 0.25, 0.28, 0.3, 1 - 0.7, 1 / 3, 0.5, 0.7,
      0.75, 0.8, 0.9, 1.0]


def quantile_case(name, values):
    s = sorted(values)
    n = len(s)
    expected, raw, positions = [], [], []
    for q in QS:
        h = (n - 1) * q
        k = round(h)
        np_value = float(np.quantile(np.array(values, dtype=float), q))
        raw.append(np_value)
        positions.append(h)
        expected.append(s[k] if abs(h - k) <= SNAP else np_value)
    return {"name": name, "values": encs(values), "q": QS, "h": positions,
            "expected": encs(expected), "numpy": encs(raw)}


# ---------------------------------------------------------------- descriptive
def exact_mean(values):
    return sum(Fraction(v) for v in values) / len(values)


def descriptive_case(name, values):
    arr = np.array(values, dtype=float)
    n = len(values)
    out = {"name": name, "values": encs(values), "n": n,
           "mean": None, "sd": None, "min": None, "max": None,
           "numpy_mean": None, "numpy_sd": None}
    if n >= 1:
        m = exact_mean(values)
        out["mean"] = float(m)
        out["numpy_mean"] = float(np.mean(arr))
        out["min"] = float(np.min(arr))
        out["max"] = float(np.max(arr))
    if n >= 2:
        ss = sum((Fraction(v) - m) ** 2 for v in values) / (n - 1)
        out["sd"] = float(mpmath.sqrt(mpmath.mpf(ss.numerator) / ss.denominator))
        out["numpy_sd"] = float(np.std(arr, ddof=1))
    return out


def trapezoid_case(name, x, y):
    out = {"name": name, "x": encs(x), "y": encs(y),
           "area": float(np.trapezoid(np.array(y, dtype=float), np.array(x, dtype=float)))}
    exact = sum((Fraction(x[i + 1]) - Fraction(x[i])) * (Fraction(y[i + 1]) + Fraction(y[i])) / 2
                for i in range(len(x) - 1))
    out["exact_area"] = float(exact)
    return out


# ---------------------------------------------------------------- distributions
def mp_t_tail(t, df):
    """P(T > |t|) to 50 digits."""
    t = mpmath.mpf(t)
    df = mpmath.mpf(df)
    if t == 0:
        return mpmath.mpf(0.5)
    x = df / (df + t * t)
    return mpmath.betainc(df / 2, mpmath.mpf(0.5), 0, x, regularized=True) / 2


def t_case(t, df):
    tail = mp_t_tail(t, df)
    mp_sf = tail if t > 0 else 1 - tail
    mp_cdf = tail if t < 0 else 1 - tail
    return {"t": enc(t), "df": enc(df),
            "cdf": enc(stats.t.cdf(t, df)), "sf": enc(stats.t.sf(t, df)),
            "stdtr": enc(special.stdtr(df, t)),
            "mp_cdf": float(mp_cdf), "mp_sf": float(mp_sf)}


def normal_case(z):
    mz = mpmath.mpf(z)
    return {"z": enc(z), "cdf": enc(stats.norm.cdf(z)), "sf": enc(stats.norm.sf(z)),
            "mp_cdf": float(mpmath.erfc(-mz / mpmath.sqrt(2)) / 2),
            "mp_sf": float(mpmath.erfc(mz / mpmath.sqrt(2)) / 2)}


# ---------------------------------------------------------------- chi-square
def mp_chi2_sf(x, df):
    """P(X > x) for chi-square df, to 50 digits: Q(df/2, x/2)."""
    if x <= 0:
        return mpmath.mpf(1)
    a, half = mpmath.mpf(df) / 2, mpmath.mpf(x) / 2
    try:
        return mpmath.gammainc(a, half, mpmath.inf, regularized=True)
    except mpmath.libmp.libhyper.NoConvergence:
        # Near the bulk of a huge df mpmath's own choice of series gives up; the power
        # series of P = x^a e^-x / Gamma(a+1) * 1F1(1; a+1; x) at 600 digits, whose
        # 1 - P keeps every digit a double can hold.
        with mpmath.workdps(600):
            lower = mpmath.exp(a * mpmath.log(half) - half - mpmath.loggamma(a + 1)) \
                * mpmath.hyp1f1(1, a + 1, half, maxterms=10 ** 8)
            return +(1 - lower)


def chi2_case(x, df):
    return {"x": enc(x), "df": enc(df), "sf": enc(stats.chi2.sf(x, df)),
            "mp_sf": float(mp_chi2_sf(x, df))}


# ---------------------------------------------------------------- binomial test
def mp_pmf(i, n, p):
    p = mpmath.mpf(p)
    return mpmath.binomial(n, i) * p ** i * (1 - p) ** (n - i)


def mp_binomtest(k, n, p):
    """scipy's two-sided rule, evaluated in mpmath: the probability of every outcome
    whose mass is at most pmf(k)*(1 + 1e-7). Brute force for n <= 3000; beyond, the
    masses on each side of the mode are monotone, so the boundary is bisected and the
    tails are sums of masses from
    each boundary outwards."""
    bound = mp_pmf(k, n, p) * (1 + mpmath.mpf(1e-7))
    if n <= 3000:
        return float(min(1, mpmath.fsum(mp_pmf(i, n, p) for i in range(n + 1)
                                         if mp_pmf(i, n, p) <= bound)))
    pm = mpmath.mpf(p)
    mode = int(mpmath.floor((n + 1) * pm))

    def tail(j, step):
        # Sum of the masses from j on in direction step, by the ratio of neighbours,
        # until the terms no longer matter at 50 digits.
        term, total, i = mp_pmf(j, n, p), mpmath.mpf(0), j
        ratio_up = pm / (1 - pm)
        while 0 <= i <= n and term > total * mpmath.mpf(10) ** -45:
            total += term
            term = term * (n - i) / (i + 1) * ratio_up if step > 0 else term * i / (n - i + 1) / ratio_up
            i += step
        return total

    def cdf(j):  # P(X <= j)
        return mpmath.mpf(0) if j < 0 else tail(j, -1)

    def sf(j):  # P(X > j)
        return mpmath.mpf(0) if j >= n else tail(j + 1, +1)

    if k <= mode:
        # first j > mode with pmf(j) <= bound
        lo, hi = mode + 1, n + 1
        while lo < hi:
            mid = (lo + hi) // 2
            if mp_pmf(mid, n, p) <= bound:
                hi = mid
            else:
                lo = mid + 1
        return float(min(1, cdf(k) + sf(lo - 1)))
    # last j < mode with pmf(j) <= bound
    lo, hi = -1, mode - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mp_pmf(mid, n, p) <= bound:
            lo = mid
        else:
            hi = mid - 1
    return float(min(1, cdf(lo) + sf(k - 1)))


def binomial_case(k, n, p):
    return {"k": k, "n": n, "p": enc(p),
            "pvalue": enc(stats.binomtest(k, n, p).pvalue),
            "mp_pvalue": mp_binomtest(k, n, p),
            "pmf": enc(stats.binom.pmf(k, n, p)),
            "mp_pmf": float(mp_pmf(k, n, p))}


# ---------------------------------------------------------------- kruskal-wallis
def exact_kruskal_h(groups):
    """Tie-corrected H from exact rational rank sums (None when every value ties)."""
    values = [v for g in groups for v in g]
    ranks = [Fraction(r) for r in stats.rankdata(values)]
    n = len(values)
    total = Fraction(0)
    start = 0
    for g in groups:
        r = sum(ranks[start:start + len(g)])
        total += r * r / len(g)
        start += len(g)
    h = Fraction(12, n * (n + 1)) * total - 3 * (n + 1)
    counts = np.unique(values, return_counts=True)[1]
    correction = 1 - Fraction(int(sum(int(t) ** 3 - int(t) for t in counts)), n ** 3 - n)
    if correction == 0:
        return None
    return h / correction


def recipe_groups(n, k):
    """n values in k groups from integer arithmetic alone, so that a test rebuilds them
    exactly instead of reading a million numbers: unit i is in group i mod k with value
    ((7919 i + 13) mod 1000 + 3 (i mod k)) / 8 (1006 distinct values, ties everywhere)."""
    i = np.arange(n, dtype=np.int64)
    g = i % k
    v = (((i * 7919 + 13) % 1000) + 3 * g) / 8.0
    return [list(v[g == j]) for j in range(k)]


def kruskal_case(name, groups, recipe=None):
    import warnings
    n = sum(len(g) for g in groups)
    out = {"name": name, "groups": None if recipe else [encs(g) for g in groups], "recipe": recipe,
           "df": len(groups) - 1,
           "h": None, "p": None, "epsilon_squared": None,
           "scipy_h": None, "scipy_p": None, "mp_p": None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.kruskal(*groups)
    if math.isfinite(res.statistic):
        out["scipy_h"] = float(res.statistic)
        out["scipy_p"] = float(res.pvalue)
    h = exact_kruskal_h(groups)
    if h is not None:
        out["h"] = float(h)
        out["epsilon_squared"] = float(h / (n - 1))
        out["p"] = float(res.pvalue)
        out["mp_p"] = float(mp_chi2_sf(mpmath.mpf(h.numerator) / h.denominator, len(groups) - 1))
    return out


def main():
    rng = np.random.default_rng(20240611)
    nan, inf = math.nan, math.inf

    finite_cases = [
        finite_case("none left out", [1.0, -2.5, 0.0]),
        finite_case("mixed", [1.0, nan, 2.0, inf, -inf, 3.0, nan]),
        finite_case("all non-finite", [nan, inf]),
        finite_case("empty", []),
    ]
    finite_pairs = [
        finite_pairs_case("pairs mixed", [1.0, nan, 3.0, 4.0, inf, 6.0],
                          [1.0, 2.0, -inf, 4.0, 5.0, nan]),
        finite_pairs_case("pairs clean", [1.0, 2.0], [3.0, 4.0]),
    ]

    ranks = [
        ranks_case("distinct", [3.0, 1.0, 2.0]),
        ranks_case("ties", [10.0, 20.0, 10.0, 30.0, 20.0, 20.0]),
        ranks_case("all tied", [5.0, 5.0, 5.0, 5.0]),
        ranks_case("single", [42.0]),
        ranks_case("negative zero ties zero", [0.0, -0.0, 1.0, -1.0]),
        ranks_case("random ties 500", list(rng.integers(0, 40, 500).astype(float))),
        ranks_case("tiny differences", [1.0, 1.0 + 2.0 ** -52, 1.0, 1.0 - 2.0 ** -53]),
    ]

    big_x = rng.integers(0, 60, 2000).astype(float)
    big_y = np.round(0.4 * big_x + rng.normal(0, 15, 2000))
    cont_x = rng.normal(size=2000)
    cont_y = 0.7 * cont_x + rng.normal(size=2000)
    weak_x = rng.normal(size=3000)
    weak_y = rng.normal(size=3000)
    spear = [
        spearman_case("hand n5", [1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 6.0, 7.0, 8.0, 7.0]),
        spearman_case("ties n7", [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0],
                      [2.0, 1.0, 4.0, 4.0, 3.0, 5.0, 6.0]),
        spearman_case("n2", [1.0, 2.0], [3.0, 1.0]),
        spearman_case("n1", [1.0], [3.0]),
        spearman_case("n0", [], []),
        spearman_case("n3", [1.0, 2.0, 3.0], [1.0, 3.0, 2.0]),
        spearman_case("n3 perfect", [1.0, 2.0, 3.0], [10.0, 20.0, 30.0]),
        spearman_case("n4", [1.0, 2.0, 3.0, 4.0], [2.0, 1.0, 4.0, 3.0]),
        spearman_case("n4 rho zero", [1.0, 2.0, 3.0, 4.0], [1.0, 4.0, 4.0, 1.0]),
        spearman_case("constant x", [2.0, 2.0, 2.0, 2.0, 2.0], [1.0, 2.0, 3.0, 4.0, 5.0]),
        spearman_case("constant y", [1.0, 2.0, 3.0, 4.0, 5.0], [7.0, 7.0, 7.0, 7.0, 7.0]),
        spearman_case("both constant", [1.0, 1.0, 1.0], [2.0, 2.0, 2.0]),
        spearman_case("perfect +1 with ties", [1.0, 2.0, 2.0, 3.0, 5.0, 5.0, 8.0],
                      [3.0, 5.0, 5.0, 7.0, 11.0, 11.0, 17.0]),
        spearman_case("perfect -1 nonlinear", [0.5, 1.0, 1.5, 2.0, 2.5, 3.0],
                      [math.exp(-v) for v in [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]]),
        spearman_case("near perfect n10", [float(i) for i in range(10)],
                      [0.0, 1.0, 2.0, 3.0, 5.0, 4.0, 6.0, 7.0, 8.0, 9.0]),
        spearman_case("non-finite left out",
                      [1.0, nan, 3.0, 4.0, inf, 6.0, 7.0, 8.0, -inf, 2.5],
                      [2.0, 5.0, nan, 3.0, 1.0, inf, 8.0, 6.0, 4.0, -inf]),
        spearman_case("non-finite leaves n2", [1.0, 2.0, nan, 4.0], [1.0, 3.0, 2.0, inf]),
        spearman_case("large n2000 random ties", list(big_x), list(big_y)),
        spearman_case("large n2000 continuous", list(cont_x), list(cont_y)),
        spearman_case("large n3000 weak", list(weak_x), list(weak_y)),
        spearman_case("extreme magnitudes", [1e-300, -1e300, 5e-324, 1e300, 0.0],
                      [3.0, 1.0, 2.0, 5.0, 4.0]),
    ]

    ga = rng.integers(0, 25, 1500).astype(float)
    gb = rng.integers(3, 30, 900).astype(float)
    mwu = [
        mwu_case("separated", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
        mwu_case("separated reversed", [4.0, 5.0, 6.0], [1.0, 2.0, 3.0]),
        mwu_case("ties unequal sizes", [1.0, 2.0, 2.0, 3.0, 5.0], [2.0, 3.0, 3.0, 4.0, 6.0, 7.0, 7.0]),
        mwu_case("interleaved", [1.0, 3.0, 5.0, 7.0], [2.0, 4.0, 6.0, 8.0]),
        mwu_case("all tied", [2.0, 2.0, 2.0], [2.0, 2.0]),
        mwu_case("single vs single distinct", [1.0], [2.0]),
        mwu_case("single vs single tied", [1.0], [1.0]),
        mwu_case("single vs four", [3.0], [1.0, 2.0, 3.0, 4.0]),
        mwu_case("empty first", [], [1.0, 2.0]),
        mwu_case("empty second", [1.0], []),
        mwu_case("non-finite left out", [1.0, nan, 2.5, inf, 4.0], [-inf, 3.0, 5.0, 6.0, nan]),
        mwu_case("only non-finite first", [nan], [1.0, 2.0]),
        mwu_case("large 1500 vs 900 ties", list(ga), list(gb)),
        mwu_case("large continuous", list(rng.normal(0, 1, 700)), list(rng.normal(0.1, 1, 1100))),
        mwu_case("u at mean", [1.0, 4.0], [2.0, 3.0]),
    ]

    quant = [
        quantile_case("n1", [3.5]),
        quantile_case("n2", [2.0, 1.0]),
        quantile_case("n3", [3.0, -1.0, 2.0]),
        quantile_case("n6 h drift", [0.1, 0.7, 0.2, 0.9, 0.4, 1.3]),
        # Order statistic 0 sits where h drifts, next to values 1e6 away, so that
        # numpy's interpolation drift is visible (about 1e-10 instead of 0).
        quantile_case("n6 drift", [3.0, -1e6, 1e6, 0.0, 2.0, 1.0]),
        quantile_case("n11 drift", [(i - 3) * 1e6 for i in reversed(range(11))]),
        quantile_case("n51 drift", [(i - 7) * 1e6 for i in range(51)]),
        quantile_case("n91 drift", [(i - 63) * 1e6 for i in range(91)]),
        quantile_case("n6 large spread", [1e-12, 1e6, -3.0, 7.5, 123456.789, 0.3]),
        quantile_case("n11 ties", [1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 4.0, 5.0, 5.0, 5.0, 9.0]),
        quantile_case("n11 h drift", [float(v) for v in rng.normal(size=11)]),
        quantile_case("n31", [float(v) for v in rng.normal(size=31)]),
        quantile_case("n101", [float(v) for v in rng.exponential(size=101)]),
        quantile_case("n2000 ties", [float(v) for v in rng.integers(0, 100, 2000)]),
        quantile_case("n2000 continuous", [float(v) for v in rng.normal(size=2000)]),
        quantile_case("constant", [4.25] * 7),
    ]

    desc = [
        descriptive_case("empty", []),
        descriptive_case("single", [2.5]),
        descriptive_case("two", [1.0, 4.0]),
        descriptive_case("hand", [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]),
        descriptive_case("offset", [1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3, 1e9 + 0.4]),
        descriptive_case("random 5000", [float(v) for v in rng.normal(3, 2, 5000)]),
        descriptive_case("constant", [0.1] * 10),
    ]

    trap = [
        trapezoid_case("empty", [], []),
        trapezoid_case("single", [0.0], [1.0]),
        trapezoid_case("uniform", [0.0, 0.1, 0.2, 0.3, 0.4, 0.5], [1.0, 0.9, 0.85, 0.6, 0.4, 0.1]),
        trapezoid_case("non-uniform", [0.0, 0.05, 0.2, 0.5, 0.9, 1.0], [1.0, 0.99, 0.9, 0.7, 0.2, 0.1]),
        trapezoid_case("decreasing x", [3.0, 2.0, 0.0], [1.0, 2.0, 3.0]),
        trapezoid_case("random 1000",
                       list(np.cumsum(rng.uniform(0, 0.01, 1000))),
                       list(rng.uniform(0, 1, 1000))),
    ]

    dfs = [1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 17, 30, 50, 100, 250, 500, 999, 1000]
    ts = [0.0, 1e-10, 0.01, 0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.0, 10.0,
          15.0, 20.0, 30.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
    tcases = []
    for df in dfs:
        for t in ts:
            tcases.append(t_case(t, df))
            if t != 0:
                tcases.append(t_case(-t, df))
    # Spearman over a million units needs df near 1e6.
    for df in [1e4, 1e5, 3e5, 999998.0, 1e6, 2e6, 1e7]:
        for t in [0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0, 30.0]:
            tcases.append(t_case(t, df))
            tcases.append(t_case(-t, df))
    for df, t in [(1e4, 40.0), (1, 1e200), (2, 1e150),
                  (0.5, 3.0), (0.1, 2.0), (3, 1e-300), (12345.5, 0.75)]:
        tcases.append(t_case(t, df))
        tcases.append(t_case(-t, df))

    zs = sorted(set([i / 2 for i in range(-76, 77)] + [0.1234, -1.959963984540054,
                                                        1.959963984540054, 0.7, -0.7,
                                                        0.70710678, 37.5, -37.5, 38.4]))
    ncases = [normal_case(z) for z in zs]

    chi_dfs = [0.5, 1, 2, 3, 4.5, 9, 10, 19, 25, 60, 99, 250, 1000, 1999]
    chi_cases = []
    for df in chi_dfs:
        for scale in [0.0, 1e-8, 0.01, 0.2, 0.5, 0.9, 1.0, 1.1, 1.5, 2.0, 3.0, 5.0]:
            chi_cases.append(chi2_case(df * scale, df))
        # Far into the upper tail, down to about 1e-300.
        for x in [df + 10 * math.sqrt(2 * df), 50.0, 200.0, 700.0, 1300.0, 1360.0]:
            if x > df:
                chi_cases.append(chi2_case(x, df))
    # Kruskal-Wallis over a million units in a thousand groups: df near 1e3 .. 1e6.
    for df in [1e4, 1e5, 999999.0, 2e6]:
        sd = math.sqrt(2 * df)
        for z in [-5.0, -1.0, -0.01, 0.0, 0.3, 1.0, 3.0, 8.0, 20.0, 35.0]:
            chi_cases.append(chi2_case(df + z * sd, df))
    # Solved so that the tail sits at 1e-50, 1e-200, 1e-300.
    for df, x in [(2, 2 * 115.129), (2, 2 * 460.517), (2, 2 * 690.7755), (1, 1366.0),
                  (7, 1400.0), (3, 1374.0)]:
        chi_cases.append(chi2_case(x, df))

    binom_cases = [
        binomial_case(0, 1, 0.5), binomial_case(1, 1, 0.5), binomial_case(0, 1, 0.1),
        binomial_case(1, 1, 0.1), binomial_case(5, 10, 0.5), binomial_case(3, 10, 0.5),
        binomial_case(8, 10, 0.5), binomial_case(7, 20, 0.1), binomial_case(0, 20, 0.1),
        binomial_case(2, 20, 0.1), binomial_case(1, 3, 1 / 3), binomial_case(2, 9, 1 / 3),
        binomial_case(9, 9, 1 / 3), binomial_case(0, 9, 1 / 3),
        binomial_case(300, 300, 0.1), binomial_case(0, 990, 0.5), binomial_case(990, 990, 0.5),
        binomial_case(12, 100, 0.1), binomial_case(25, 100, 0.1), binomial_case(4, 100, 0.1),
        binomial_case(130, 1000, 1 / 7), binomial_case(160, 1000, 1 / 7),
        binomial_case(499, 1000, 0.5), binomial_case(530, 1000, 0.5),
        binomial_case(1, 2000, 0.001), binomial_case(5, 2000, 0.001),
        # Huge n: the unit counts of a million-unit experiment.
        binomial_case(100500, 1000000, 0.1), binomial_case(99000, 1000000, 0.1),
        binomial_case(102000, 1000000, 0.1), binomial_case(1100, 1000000, 0.001),
        binomial_case(900, 1000000, 0.001), binomial_case(1000, 1000000, 0.001),
        binomial_case(200000, 1000000, 0.1), binomial_case(50200, 100000, 0.5),
    ]

    k_rng = np.random.default_rng(7)
    kw = [
        kruskal_case("three hand", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),
        kruskal_case("two groups", [[1.0, 3.0, 5.0], [2.0, 4.0, 7.0, 9.0]]),
        kruskal_case("ties", [[1.0, 2.0, 2.0, 3.0], [2.0, 3.0, 3.0, 4.0], [1.0, 1.0, 5.0]]),
        kruskal_case("all tied", [[2.0, 2.0], [2.0], [2.0, 2.0, 2.0]]),
        kruskal_case("all tied but one", [[2.0, 2.0], [2.0], [2.0, 2.0, 3.0]]),
        kruskal_case("single units k = n", [[3.0], [1.0], [2.0], [5.0], [4.0]]),
        kruskal_case("n = 1 groups beside larger", [[0.5], [1.5, 2.5, 0.1], [9.0], [3.0, 3.0]]),
        kruskal_case("two single units", [[1.0], [2.0]]),
        kruskal_case("k = n 2000", [[float(v)] for v in k_rng.permutation(2000)]),
        kruskal_case("random ties 6 groups",
                     [list(k_rng.integers(0, 30, m).astype(float)) for m in [50, 80, 120, 35, 200, 64]]),
        kruskal_case("continuous 4 groups weak",
                     [list(k_rng.normal(mu, 1, m)) for mu, m in [(0, 400), (0.05, 300), (0.1, 500), (0, 250)]]),
        kruskal_case("separated tail 1e-200",
                     [list(k_rng.normal(mu, 0.01, 300)) for mu in [0.0, 1.0, 2.0]]),
        kruskal_case("recipe a million in 7 groups", recipe_groups(1_000_000, 7),
                     recipe={"n": 1_000_000, "k": 7}),
    ]

    doc = {
        "generator": "Fixtures/statistics/make_statistics_reference.py",
        "python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
        "mpmath": mpmath.__version__,
        "finite_values": finite_cases, "finite_pairs": finite_pairs,
        "ranks": ranks, "spearman": spear, "mann_whitney": mwu,
        "quantiles": quant, "descriptive": desc, "trapezoid": trap,
        "student_t": tcases, "normal": ncases,
        "chi_square": chi_cases, "binomial_test": binom_cases, "kruskal_wallis": kw,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(os.path.dirname(here), "expected", "statistics.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
