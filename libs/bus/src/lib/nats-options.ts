export interface NatsTransportOptions {
  servers: string[];
  connectionName: string;
  user?: string;
  pass?: string;
  token?: string;
  connectTimeoutMs: number;
  reconnectTimeWaitMs: number;
  pingIntervalMs: number;
}

/** The one place NATS connection settings are derived from validated configuration. */
export function natsTransportOptions(input: {
  url: string;
  service: string;
  user?: string;
  pass?: string;
  token?: string;
}): NatsTransportOptions {
  return {
    servers: input.url.split(',').map((server) => server.trim()).filter(Boolean),
    connectionName: `aisbf-${input.service}`,
    user: input.user,
    pass: input.pass,
    token: input.token,
    connectTimeoutMs: 5_000,
    reconnectTimeWaitMs: 250,
    pingIntervalMs: 10_000,
  };
}
