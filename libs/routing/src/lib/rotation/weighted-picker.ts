/**
 * Weighted choice driven by a shared request counter instead of a random number.
 *
 * Request n of a rotation maps to the point frac(n / phi) of [0, 1) (a golden-ratio Weyl
 * sequence), and the point falls in one candidate's slice of the cumulative weights. The sequence
 * is the most evenly spread one known, so after N requests every candidate's count is within a
 * handful of weight/total * N, whatever N; and because the counter lives in Redis, every replica
 * draws from the same sequence, and a dry run can say exactly what request n + 1 will do.
 */
const INVERSE_GOLDEN_RATIO = 0.6180339887498949;
/** Keeps n * ratio far from the limit of double precision (the fraction stays exact to ~1e-7). */
const SEQUENCE_PERIOD = 2 ** 32;

export function sequencePoint(n: number): number {
  const folded = ((Math.trunc(n) % SEQUENCE_PERIOD) + SEQUENCE_PERIOD) % SEQUENCE_PERIOD;
  const point = (folded * INVERSE_GOLDEN_RATIO) % 1;
  return point < 0 ? 0 : point;
}

/** The index whose slice of the cumulative weights holds `point` (0 <= point < 1). */
export function pickByWeight(weights: readonly number[], point: number): number {
  if (weights.length === 0) throw new RangeError('pickByWeight needs at least one weight');
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0)) return 0;
  const target = Math.min(Math.max(point, 0), 1) * total;
  let cumulative = 0;
  for (let index = 0; index < weights.length; index++) {
    cumulative += weights[index];
    if (target < cumulative) return index;
  }
  // Rounding at the very top of the range: the last candidate that has any weight.
  for (let index = weights.length - 1; index >= 0; index--) if (weights[index] > 0) return index;
  return 0;
}

/** The highest weight wins; ties go to the one listed first. */
export function pickHighestWeight(weights: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < weights.length; index++) if (weights[index] > weights[best]) best = index;
  return best;
}

/** Each weight as a share of the total (0..1). */
export function weightShares(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => (total > 0 ? weight / total : 0));
}
