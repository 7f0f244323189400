import { AisbfError, Candidate, RouteOutcome, routeOutcomeEventSchema, SUBJECTS } from '@aisbf/contracts';
import { BusClient, BusServer, InProcessBusTransport } from '@aisbf/bus';
import { OUTCOME_BATCH_MS, OutcomeBatcher } from './outcome-batcher';
import { AttemptResult } from './attempt-outcome';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const candidate = { providerId: 'p', model: 'm', errorCooldownSeconds: 30 } as Candidate;
const result = (requestId: string, error: AisbfError | null = null): AttemptResult => ({
  requestId,
  username: 'alice',
  routeId: 'user-provider/p/m',
  candidate,
  attempt: 1,
  error,
  latencyMs: 5,
  ttftMs: null,
  promptTokens: 3,
  completionTokens: 4,
});

describe('OutcomeBatcher', () => {
  let transport: InProcessBusTransport;
  let server: BusServer;
  let batcher: OutcomeBatcher;
  let client: BusClient;
  let messages: RouteOutcome[][];

  beforeEach(() => {
    transport = new InProcessBusTransport();
    server = new BusServer(transport, 'ns', 'route-resolver');
    client = new BusClient(transport, 'ns');
    batcher = new OutcomeBatcher(client);
    messages = [];
    server.onEvent(SUBJECTS.routeOutcome, routeOutcomeEventSchema, (outcomes) => void messages.push(outcomes));
  });
  afterEach(async () => {
    server.close();
    await transport.close();
  });

  it('sends the successes of a short window as one message', async () => {
    for (let i = 0; i < 5; i++) batcher.report(result(`r${i}`));
    await sleep(0);
    expect(messages).toHaveLength(0);
    await sleep(OUTCOME_BATCH_MS * 3);
    expect(messages).toHaveLength(1);
    expect(messages[0].map((o) => o.requestId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(messages[0][0]).toMatchObject({ ok: true, status: 200, promptTokens: 3, completionTokens: 4 });
  });

  it('sends a failure at once, after the successes gathered before it', async () => {
    batcher.report(result('ok-1'));
    batcher.report(result('failed', new AisbfError('upstream_error', 'HTTP 502', { retryable: true, upstreamStatus: 502 })));
    await sleep(1);
    expect(messages).toHaveLength(1);
    expect(messages[0].map((o) => [o.requestId, o.ok, o.status])).toEqual([
      ['ok-1', true, 200],
      ['failed', false, 502],
    ]);
  });

  it('sends a lone outcome in the single-outcome form older consumers read', async () => {
    const raw: unknown[] = [];
    transport.subscribe(`ns.${SUBJECTS.routeOutcome}`, (message) => raw.push(JSON.parse(Buffer.from(message.data).toString())));
    batcher.report(result('alone'));
    await sleep(OUTCOME_BATCH_MS * 3);
    expect(raw).toEqual([expect.objectContaining({ requestId: 'alone', ok: true })]);
  });

  it('sends what it gathered at shutdown, without waiting for the window', async () => {
    batcher.report(result('ok-before'));
    batcher.beforeApplicationShutdown();
    await sleep(1);
    expect(messages.flat().map((o) => o.requestId)).toEqual(['ok-before']);
  });

  it('drops a failure heard while the bus is unreachable, but still sends successes', async () => {
    // Reported as unreachable while messages would still get through: only the batcher's choice decides.
    const connected = jest.spyOn(client, 'isConnected').mockReturnValue(false);
    batcher.report(result('failed', new AisbfError('upstream_error', 'HTTP 500', { retryable: true })));
    batcher.report(result('ok'));
    batcher.flush();
    await sleep(1);
    expect(messages.flat().map((o) => o.requestId)).toEqual(['ok']);
    connected.mockRestore();
  });

  it('does not throw once the bus is closed', async () => {
    await transport.close();
    expect(() => batcher.report(result('failed', new AisbfError('upstream_error', 'HTTP 500', { retryable: true })))).not.toThrow();
    expect(() => batcher.report(result('ok-after'))).not.toThrow();
    expect(() => batcher.flush()).not.toThrow();
  });
});
