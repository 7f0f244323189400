import { ANNOUNCE_AGAIN_MS, SuspectAddresses } from './suspect-addresses';

describe('SuspectAddresses', () => {
  let now = 0;
  const clock = () => now;
  /** Past the start-up period, during which every address is checked. */
  const started = (max?: number) => {
    now = 0;
    const suspects = new SuspectAddresses(clock, max);
    now = 80_000;
    return suspects;
  };

  it('checks every address for its first 80 s: a replica that just started has heard of no failure yet', () => {
    now = 0;
    const suspects = new SuspectAddresses(clock);
    expect(suspects.isSuspect('10.0.0.1')).toBe(true);
    now = 79_999;
    expect(suspects.isSuspect('10.0.0.1')).toBe(true);
    now = 80_000;
    expect(suspects.isSuspect('10.0.0.1')).toBe(false);
  });

  it('ends the start-up period once it learned which addresses failed before it started', () => {
    now = 0;
    const suspects = new SuspectAddresses(clock);
    suspects.learned(null);
    expect(suspects.isSuspect('10.0.0.1')).toBe(true);
    suspects.learned(['10.0.0.7']);
    expect(suspects.isSuspect('10.0.0.1')).toBe(false);
    expect(suspects.isSuspect('10.0.0.7')).toBe(true);
  });

  it('suspects an address that failed here or was announced, for 80 s after the last failure heard of', () => {
    const suspects = started();
    expect(suspects.failed('10.0.0.1')).toBe(true);
    suspects.heard('10.0.0.2');
    expect(suspects.isSuspect('10.0.0.1')).toBe(true);
    expect(suspects.isSuspect('10.0.0.2')).toBe(true);
    expect(suspects.isSuspect('10.0.0.3')).toBe(false);
    now += 50_000;
    suspects.heard('10.0.0.2');
    now += 30_000;
    expect(suspects.isSuspect('10.0.0.1')).toBe(false);
    expect(suspects.isSuspect('10.0.0.2')).toBe(true);
  });

  it('announces an address once per 20 s however often it fails here, which keeps it suspect everywhere', () => {
    const suspects = started();
    const announced: number[] = [];
    const other = started();
    // A guesser fails every second for three minutes; the other replica hears only the announcements.
    for (let t = 0; t < 180_000; t += 1_000) {
      now = 80_000 + t;
      if (suspects.failed('10.0.0.9')) {
        announced.push(t);
        other.heard('10.0.0.9');
      }
      expect(other.isSuspect('10.0.0.9')).toBe(true);
    }
    expect(announced).toHaveLength(180_000 / ANNOUNCE_AGAIN_MS);
    // 60 s after the last failure its budget is full again anywhere: no need to ask any more.
    now = 80_000 + 179_000 + 60_000;
    expect(other.isSuspect('10.0.0.9')).toBe(true);
    now += 21_000;
    expect(other.isSuspect('10.0.0.9')).toBe(false);
  });

  it('suspects everyone for a while when more addresses fail than it holds', () => {
    const small = started(2);
    small.failed('10.0.0.1');
    small.failed('10.0.0.2');
    expect(small.isSuspect('10.0.0.3')).toBe(false);
    small.failed('10.0.0.3');
    expect(small.isSuspect('10.0.0.1')).toBe(true);
    expect(small.isSuspect('10.0.0.200')).toBe(true);
    now += 80_000;
    expect(small.isSuspect('10.0.0.200')).toBe(false);
  });
});
