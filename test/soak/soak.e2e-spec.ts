import { runSoak, soakFailures } from '../../bench/soak/soak-run';

/** The CI form of `npm run soak`: 45 s of mixed traffic through a rotation of failing upstreams. */
describe('soak (distributed, mixed upstream failures)', () => {
  it('settles every request, fails over, and keeps memory flat', async () => {
    const result = await runSoak(45, 20);
    console.log(JSON.stringify(result));
    expect(result.sent).toBeGreaterThan(800);
    expect(result.lost).toBe(0);
    expect(result.hung).toBe(0);
    expect(result.ok).toBeGreaterThan(0);
    expect(result.failovers).toBeGreaterThan(0);
    expect(soakFailures(result)).toEqual([]);
  }, 180_000);
});
