import { Injectable, OnApplicationShutdown, Inject } from '@nestjs/common';
import { Agent, Dispatcher } from 'undici';
import type { Candidate } from '@aisbf/contracts';
import { CONNECTOR_ENV, ConnectorEnv } from '../config/connector-env';
import { guardedConnector } from './endpoint-guard/guarded-connector';

/**
 * Keep-alive connection pools for upstream calls. undici sets the connect timeout and the
 * connector per agent, so there is one agent per (connect timeout, guarded or not); each agent
 * keeps its own pool per origin.
 */
@Injectable()
export class UpstreamDispatcher implements OnApplicationShutdown {
  private readonly agents = new Map<string, Agent>();

  constructor(@Inject(CONNECTOR_ENV) private readonly env: ConnectorEnv) {}

  /**
   * Private endpoints are reachable for providers of operator-trusted users, and on pools that
   * allow them (a LAN pool next to its backends); everyone else's connections are guarded.
   */
  allowsPrivate(candidate: Candidate): boolean {
    const policy = this.env.CONNECTOR_ALLOW_PRIVATE_ENDPOINTS;
    return candidate.allowPrivateEndpoint || policy.all || policy.pools.includes(candidate.pool);
  }

  forCandidate(candidate: Candidate): Dispatcher {
    const connectMs = candidate.timeouts.connectMs;
    const guarded = !this.allowsPrivate(candidate);
    const key = `${connectMs}:${guarded ? 'guarded' : 'open'}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        connect: guarded ? guardedConnector({ timeout: connectMs }) : { timeout: connectMs },
        connections: this.env.CONNECTOR_MAX_CONNECTIONS,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        pipelining: 1,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close().catch(() => undefined)));
  }
}
