// The plain TypeScript baseline of the options benchmark: Black–Scholes–Merton price and Greeks row by row with
// Math.exp/Math.log and Cody's rational erfc (W. J. Cody, Math. Comp. 23 (1969) 631–637), the same formulas as
// the engine's scalar path (Haug 2007 §1.1.3, §2.1–2.4) written as a TypeScript developer would.

const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.2368334391704];
const C = [0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8];
const D = [15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495];
const P = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
  0.0006587491615298378, 0.016315387137302097];
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];

function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const z = y * y;
    let num = A[4]! * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * z;
      den = (den + B[i]!) * z;
    }
    return 1 - (x * (num + A[3]!)) / (den + B[3]!);
  }
  let r: number;
  if (y <= 4) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    r = (Math.exp(-y * y) * (num + C[7]!)) / (den + D[7]!);
  } else if (y >= 26.543) {
    r = 0;
  } else {
    const z = 1 / (y * y);
    let num = P[5]! * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * z;
      den = (den + Q[i]!) * z;
    }
    r = (Math.exp(-y * y) * (0.5641895835477563 - (z * (num + P[4]!)) / (den + Q[4]!))) / y;
  }
  return x < 0 ? 2 - r : r;
}

const normCdf = (x: number): number => 0.5 * erfc(-x * Math.SQRT1_2);
const INV_SQRT_2PI = 0.3989422804014327;

export interface Columns {
  isCall: Uint8Array;
  spot: Float64Array;
  strike: Float64Array;
  rate: Float64Array;
  div: Float64Array;
  time: Float64Array;
  vol: Float64Array;
}

export interface Outputs {
  price: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  vega: Float64Array;
  theta: Float64Array;
  rho: Float64Array;
}

/** Prices rows [0, n) into `out`. */
export function tsBsm(c: Columns, out: Outputs, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = c.spot[i]!;
    const k = c.strike[i]!;
    const r = c.rate[i]!;
    const q = c.div[i]!;
    const t = c.time[i]!;
    const v = c.vol[i]!;
    const sign = c.isCall[i] ? 1 : -1;
    const sqrtT = Math.sqrt(t);
    const vst = v * sqrtT;
    const d1 = (Math.log(s / k) + (r - q + 0.5 * v * v) * t) / vst;
    const d2 = d1 - vst;
    const carry = Math.exp(-q * t);
    const df = Math.exp(-r * t);
    const nd1 = INV_SQRT_2PI * Math.exp(-0.5 * d1 * d1);
    const cdf1 = normCdf(sign * d1);
    const cdf2 = normCdf(sign * d2);
    out.price[i] = sign * (s * carry * cdf1 - k * df * cdf2);
    out.delta[i] = sign * carry * cdf1;
    out.gamma[i] = (carry * nd1) / (s * vst);
    out.vega[i] = s * carry * nd1 * sqrtT;
    out.theta[i] = -(s * carry * nd1 * v) / (2 * sqrtT) + sign * q * s * carry * cdf1 - sign * r * k * df * cdf2;
    out.rho[i] = sign * t * k * df * cdf2;
  }
}
