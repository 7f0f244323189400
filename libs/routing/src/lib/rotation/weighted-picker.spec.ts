import fc from 'fast-check';
import { pickByWeight, pickHighestWeight, sequencePoint, weightShares } from './weighted-picker';

function counts(weights: number[], from: number, requests: number): number[] {
  const result = weights.map(() => 0);
  for (let n = from + 1; n <= from + requests; n++) result[pickByWeight(weights, sequencePoint(n))]++;
  return result;
}

describe('weighted picker', () => {
  it('maps a point to the slice of the cumulative weights that holds it', () => {
    expect(pickByWeight([6, 3, 1], 0)).toBe(0);
    expect(pickByWeight([6, 3, 1], 0.5999)).toBe(0);
    expect(pickByWeight([6, 3, 1], 0.6)).toBe(1);
    expect(pickByWeight([6, 3, 1], 0.8999)).toBe(1);
    expect(pickByWeight([6, 3, 1], 0.9)).toBe(2);
    expect(pickByWeight([6, 3, 1], 0.99999999)).toBe(2);
    expect(pickByWeight([5], 0.7)).toBe(0);
  });

  it('gives the seed rotation 60/30/10 % of 3,000 requests, from any starting counter', () => {
    for (const start of [0, 17, 1_000_003, 2 ** 40]) {
      const [local, gpu, hosted] = counts([6, 3, 1], start, 3_000);
      expect(Math.abs(local - 1_800)).toBeLessThanOrEqual(3);
      expect(Math.abs(gpu - 900)).toBeLessThanOrEqual(3);
      expect(Math.abs(hosted - 300)).toBeLessThanOrEqual(3);
    }
  });

  it('spreads every prefix evenly: 10 requests of 6/3/1 are 6, 3 and 1', () => {
    expect(counts([6, 3, 1], 0, 10)).toEqual([6, 3, 1]);
  });

  it('keeps every candidate within a few requests of its share, for any weights and any number of requests', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1_000, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 6_000 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (weights, requests, start) => {
          const shares = weightShares(weights);
          counts(weights, start, requests).forEach((count, index) => {
            expect(Math.abs(count - shares[index] * requests)).toBeLessThanOrEqual(6);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('always answers a valid index, monotonic in the point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (weights, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const i = pickByWeight(weights, low);
          const j = pickByWeight(weights, high);
          expect(i).toBeGreaterThanOrEqual(0);
          expect(j).toBeLessThan(weights.length);
          expect(i).toBeLessThanOrEqual(j);
        },
      ),
    );
  });

  it('maps any request number into [0, 1)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger()), (n) => {
        const point = sequencePoint(n);
        expect(point).toBeGreaterThanOrEqual(0);
        expect(point).toBeLessThan(1);
      }),
    );
  });

  it('priority picks the highest weight, the first listed among equals', () => {
    expect(pickHighestWeight([1, 6, 3])).toBe(1);
    expect(pickHighestWeight([2, 5, 5])).toBe(1);
    expect(weightShares([6, 3, 1])).toEqual([0.6, 0.3, 0.1]);
  });
});
