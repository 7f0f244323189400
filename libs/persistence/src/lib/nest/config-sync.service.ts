import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { configChangedSchema, routeOutcomeEventSchema, SUBJECTS } from '@aisbf/contracts';
import { BusClient, BusServer } from '@aisbf/bus';
import type { ConfigDatabase } from '../config-backend';

/** Nest injection token for the ConfigDatabase (null when configuration is file-only). */
export const CONFIG_DATABASE = Symbol('CONFIG_DATABASE');

/**
 * Joins the database-backed store to the bus: every replica drops cached configuration on
 * `aisbf.config.changed` (broadcast), and this replica's writes announce themselves there.
 */
@Injectable()
export class ConfigSyncService implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly server: BusServer,
    private readonly client: BusClient,
    @Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null,
  ) {}

  onModuleInit(): void {
    const database = this.database;
    if (!database) return;
    this.server.onEvent(SUBJECTS.configChanged, configChangedSchema, (change) => database.store.invalidate(change), { broadcast: true });
    database.invalidator.setPublisher((change) => this.client.publish(SUBJECTS.configChanged, change));
  }

  /** Token `last used` times still in memory are written before the process goes. */
  async onApplicationShutdown(): Promise<void> {
    await this.database?.store.flushTouched();
  }
}

/** Usage events: `aisbf.route.outcome` batched into the usage table, one replica per event. */
@Injectable()
export class UsageConsumerService implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly server: BusServer,
    @Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null,
  ) {}

  onModuleInit(): void {
    const usage = this.database?.usage;
    if (!usage) return;
    this.server.onEvent(
      SUBJECTS.routeOutcome,
      routeOutcomeEventSchema,
      (outcomes) => {
        for (const outcome of outcomes) usage.record(outcome);
      },
      { queue: 'usage-recorder' },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database?.usage.flush();
  }
}
