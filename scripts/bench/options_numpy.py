"""numpy/scipy contender of the options benchmark: BSM price, delta, gamma, vega, theta and rho, vectorised over
the grid core-wasm/bench builds (option_grid), timed like the others (warm-up, then the median of the runs).
Prints one JSON line per figure in the `npm run bench -- --json` shape."""
import json
import sys
import time

import numpy as np
from scipy.special import ndtr


def grid(n):
    i = np.arange(n, dtype=np.float64)
    is_call = (np.arange(n) & 1).astype(bool)
    s = 60.0 + 80.0 * np.fmod(i * 0.6180339887498949, 1.0)
    k = np.full(n, 100.0)
    r = np.full(n, 0.03)
    q = np.full(n, 0.01)
    t = 0.05 + 2.0 * np.fmod(i * 0.7548776662466927, 1.0)
    v = 0.08 + 0.7 * np.fmod(i * 0.5698402909980532, 1.0)
    return is_call, s, k, r, q, t, v


def bsm(is_call, s, k, r, q, t, v):
    sign = np.where(is_call, 1.0, -1.0)
    sqrt_t = np.sqrt(t)
    vst = v * sqrt_t
    d1 = (np.log(s / k) + (r - q + 0.5 * v * v) * t) / vst
    d2 = d1 - vst
    carry = np.exp(-q * t)
    df = np.exp(-r * t)
    nd1 = np.exp(-0.5 * d1 * d1) / np.sqrt(2.0 * np.pi)
    cdf1 = ndtr(sign * d1)
    cdf2 = ndtr(sign * d2)
    price = sign * (s * carry * cdf1 - k * df * cdf2)
    delta = sign * carry * cdf1
    gamma = carry * nd1 / (s * vst)
    vega = s * carry * nd1 * sqrt_t
    theta = -s * carry * nd1 * v / (2.0 * sqrt_t) + sign * q * s * carry * cdf1 - sign * r * k * df * cdf2
    rho = sign * t * k * df * cdf2
    return price, delta, gamma, vega, theta, rho


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    cols = grid(n)
    bsm(*cols)
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        bsm(*cols)
        samples.append((time.perf_counter() - t0) * 1e9 / n)
    samples.sort()
    print(json.dumps({"suite": "options", "name": "bsm_greeks_scan", "impl": "numpy", "metric": "ns_per_option",
                      "value": samples[len(samples) // 2], "unit": "ns"}))


if __name__ == "__main__":
    main()
