import { lookup as dnsLookup, LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { isIP, Socket } from 'node:net';
import { buildConnector } from 'undici';
import { AddressCategory, classifyAddress } from './address-ranges';

/** The connection was refused because its address is not a public one. */
export class EndpointRefusedError extends Error {
  readonly code = 'AISBF_ENDPOINT_REFUSED';
  constructor(readonly category: AddressCategory) {
    super(`endpoint address is ${category}`);
    this.name = 'EndpointRefusedError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => void;

/**
 * A DNS lookup for net/tls.connect that fails when any address the name resolves to is not
 * public. The socket connects to the addresses this lookup returns, so the address checked is the
 * address connected to: a name that resolves to a public address for a first check and to a
 * private one for the connection (DNS rebinding) cannot slip through.
 */
export function guardedLookup(resolve: LookupFunction = dnsLookup as unknown as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      for (const candidate of addresses) {
        const category = classifyAddress(candidate);
        if (category) return callback(new EndpointRefusedError(category), Array.isArray(address) ? [] : '', family);
      }
      callback(null, address, family);
    });
  };
}

/**
 * An undici connector that only opens connections to public addresses: IP literals are checked
 * before connecting, names through the guarded lookup, and the connected socket's remote address
 * once more before it carries a request.
 */
export function guardedConnector(options: { timeout: number; lookup?: LookupFunction }): buildConnector.connector {
  const connect = buildConnector({ timeout: options.timeout, lookup: guardedLookup(options.lookup) } as buildConnector.BuildOptions);
  return (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(host) ? classifyAddress(host) : null;
    if (literal) {
      callback(new EndpointRefusedError(literal), null);
      return;
    }
    connect(connectOptions, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no socket'), null);
      const remote = (socket as Socket).remoteAddress;
      const category = remote ? classifyAddress(remote) : null;
      if (category) {
        socket.destroy();
        return callback(new EndpointRefusedError(category), null);
      }
      callback(null, socket);
    });
  };
}
