import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { EndpointRefusedError, guardedConnector, guardedLookup, LookupFunction } from './guarded-connector';

/** A resolver standing in for DNS: names map to fixed addresses, nothing leaves the machine. */
function fakeDns(table: Record<string, string[]>): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    const entries = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if ((options as { all?: boolean }).all) return callback(null, entries);
    callback(null, entries[0].address, entries[0].family);
  };
}

describe('guarded upstream connections', () => {
  let server: Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function call(agent: Agent, url: string): Promise<unknown> {
    try {
      const response = await request(url, { dispatcher: agent });
      return await response.body.text();
    } catch (error) {
      return error;
    } finally {
      await agent.close();
    }
  }

  it('refuses an IP literal of a loopback or metadata address before connecting', async () => {
    const before = hits;
    const loopback = await call(new Agent({ connect: guardedConnector({ timeout: 1000 }) }), `http://127.0.0.1:${port}/`);
    expect(loopback).toBeInstanceOf(EndpointRefusedError);
    expect((loopback as EndpointRefusedError).category).toBe('loopback');
    const metadata = await call(new Agent({ connect: guardedConnector({ timeout: 1000 }) }), 'http://169.254.169.254/latest/meta-data/');
    expect((metadata as EndpointRefusedError).category).toBe('metadata');
    const mapped = await call(new Agent({ connect: guardedConnector({ timeout: 1000 }) }), `http://[::ffff:127.0.0.1]:${port}/`);
    expect(mapped).toBeInstanceOf(EndpointRefusedError);
    expect(hits).toBe(before);
  });

  it('refuses a name that resolves to a private address (localhost, or a rebinding name)', async () => {
    const before = hits;
    const localhost = await call(new Agent({ connect: guardedConnector({ timeout: 1000 }) }), `http://localhost:${port}/`);
    expect(localhost).toBeInstanceOf(EndpointRefusedError);
    const rebinding = await call(
      new Agent({ connect: guardedConnector({ timeout: 1000, lookup: fakeDns({ 'api.rebind.test': ['127.0.0.1'] }) }) }),
      `http://api.rebind.test:${port}/`,
    );
    expect((rebinding as EndpointRefusedError).category).toBe('loopback');
    expect(hits).toBe(before);
  });

  it('refuses a name when any of its addresses is private', () => {
    const lookup = guardedLookup(fakeDns({ 'mixed.test': ['93.184.216.34', '10.0.0.5'] }));
    let result: unknown;
    lookup('mixed.test', { all: true }, (error) => (result = error));
    expect(result).toBeInstanceOf(EndpointRefusedError);
  });

  it('lets public addresses through unchanged', () => {
    const lookup = guardedLookup(fakeDns({ 'api.example.test': ['93.184.216.34', '2606:2800:220:1::1'] }));
    const seen: unknown[] = [];
    lookup('api.example.test', { all: true }, (error, address) => seen.push(error, address));
    lookup('api.example.test', {}, (error, address, family) => seen.push(error, address, family));
    expect(seen).toEqual([
      null,
      [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
      null,
      '93.184.216.34',
      4,
    ]);
  });

  it('passes DNS failures on as they are', () => {
    const lookup = guardedLookup(fakeDns({}));
    let result: NodeJS.ErrnoException | null = null;
    lookup('nowhere.test', {}, (error) => (result = error));
    expect(result!.code).toBe('ENOTFOUND');
  });

  it('an unguarded agent (trusted owner or LAN pool) reaches the same private server', async () => {
    expect(await call(new Agent(), `http://127.0.0.1:${port}/`)).toBe('ok');
  });
});
