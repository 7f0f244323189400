import { InflightCalls } from './inflight-calls';

describe('InflightCalls', () => {
  it('aborts a running call on cancel, and only that call', () => {
    const calls = new InflightCalls();
    const a = calls.start('a', 60_000, undefined);
    const b = calls.start('b', 60_000, undefined);
    calls.cancel('a');
    expect(a.signal.aborted).toBe(true);
    expect(b.signal.aborted).toBe(false);
    a.done();
    b.done();
    expect(calls.size()).toBe(0);
  });

  it('refuses a call whose cancel arrived first', () => {
    const calls = new InflightCalls();
    calls.cancel('late');
    expect(() => calls.start('late', 60_000, undefined)).toThrow('cancelled');
    // Remembered once: a later request reusing nothing of it starts normally.
    expect(calls.start('late', 60_000, undefined).signal.aborted).toBe(false);
  });

  it('aborts by itself at the caller’s deadline', async () => {
    const calls = new InflightCalls();
    const call = calls.start('slow', 60_000, Date.now() + 20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as Error).name).toBe('TimeoutError');
    call.done();
  });
});
