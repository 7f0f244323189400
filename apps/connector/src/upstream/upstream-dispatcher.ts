import { Injectable, OnApplicationShutdown, Inject } from '@nestjs/common';
import { Agent, Dispatcher } from 'undici';
import { CONNECTOR_ENV, ConnectorEnv } from '../config/connector-env';

/**
 * Keep-alive connection pools for upstream calls, one agent per connect timeout (undici sets
 * that per agent); each agent keeps its own pool per origin.
 */
@Injectable()
export class UpstreamDispatcher implements OnApplicationShutdown {
  private readonly agents = new Map<number, Agent>();

  constructor(@Inject(CONNECTOR_ENV) private readonly env: ConnectorEnv) {}

  forConnectTimeout(connectMs: number): Dispatcher {
    let agent = this.agents.get(connectMs);
    if (!agent) {
      agent = new Agent({
        connect: { timeout: connectMs },
        connections: this.env.CONNECTOR_MAX_CONNECTIONS,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        pipelining: 1,
      });
      this.agents.set(connectMs, agent);
    }
    return agent;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close().catch(() => undefined)));
  }
}
