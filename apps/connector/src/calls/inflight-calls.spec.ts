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

  it('stops the timer when the call ends: an ended call is never aborted later', async () => {
    const calls = new InflightCalls();
    const call = calls.start('quick', 20, undefined);
    call.done();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(call.signal.aborted).toBe(false);
  });

  it('keeps a total timeout beyond setTimeout’s range from firing at once', async () => {
    const calls = new InflightCalls();
    const call = calls.start('long', 2 ** 33, undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(call.signal.aborted).toBe(false);
    call.done();
  });
});
