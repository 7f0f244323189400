import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { BusClient, BusModule, BusModuleOptions, BusServer } from '@aisbf/bus';
import { readinessCheckProvider, TelemetryModule, TelemetryModuleOptions } from '@aisbf/telemetry';
import {
  CONFIG_DATABASE,
  CONFIG_STORE,
  ConfigDatabase,
  ConfigStore,
  ConfigSyncService,
  databaseCheck,
  sharedCacheCheck,
  UsageConsumerService,
} from '@aisbf/persistence';
import type { RouteStateEnv } from './config/route-state-env';
import { PlanBuilderService } from './resolve/plan-builder.service';
import { RouteResolveHandler } from './resolve/route-resolve.handler';
import { RouteOutcomeHandler } from './route-state/route-outcome.handler';
import { cooldownPolicyFrom, createRouteStateStore } from './route-state/route-state.factory';
import { COOLDOWN_POLICY, ROUTE_STATE_STORE, RouteStateStore } from './route-state/route-state-store';
import { AutoselectService } from './autoselect/autoselect.service';
import { AUTOSELECT_OPTIONS, AutoselectOptions } from './autoselect/autoselect-options';
import { RouteDecisionRecorder } from './resolve/route-decision-recorder';
import { CooldownMetrics } from './route-state/cooldown-metrics';
import { sharedStateCheck } from './readiness/shared-state-readiness';

export interface RouteResolverModuleOptions {
  bus: BusModuleOptions;
  configStore: ConfigStore;
  /** The database-backed store's writable side: cache invalidation and usage events; null when file-only. */
  configDatabase?: ConfigDatabase | null;
  /** Where cooldowns, counters and statistics live (Redis or memory) and the cooldown limits. */
  routeState: RouteStateEnv;
  /** Autoselect policies: where decisions are cached and the classify and selector budgets. */
  autoselect: AutoselectOptions;
  telemetry?: TelemetryModuleOptions;
}

@Injectable()
class RouteStateLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ROUTE_STATE_STORE) private readonly store: RouteStateStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Model id -> ordered candidate plan; attempt outcomes -> cooldowns and statistics. */
@Module({})
export class RouteResolverModule {
  static forRoot(options: RouteResolverModuleOptions): DynamicModule {
    const policy = cooldownPolicyFrom(options.routeState);
    return {
      module: RouteResolverModule,
      imports: [BusModule.forRoot(options.bus), TelemetryModule.forRoot(options.telemetry)],
      providers: [
        { provide: CONFIG_STORE, useValue: options.configStore },
        { provide: CONFIG_DATABASE, useValue: options.configDatabase ?? null },
        ConfigSyncService,
        UsageConsumerService,
        { provide: COOLDOWN_POLICY, useValue: policy },
        // Shared in Redis: planning reads this replica's copy of the breaker states, kept in step by notices.
        {
          provide: ROUTE_STATE_STORE,
          useFactory: (client: BusClient, server: BusServer) => createRouteStateStore(options.routeState, policy, { client, server }),
          inject: [BusClient, BusServer],
        },
        RouteStateLifecycle,
        PlanBuilderService,
        { provide: AUTOSELECT_OPTIONS, useValue: options.autoselect },
        AutoselectService,
        RouteDecisionRecorder,
        RouteResolveHandler,
        CooldownMetrics,
        RouteOutcomeHandler,
        readinessCheckProvider('bus', BusClient, (bus: BusClient) => () => bus.isConnected()),
        // Cached configuration and local cooldowns carry on without these: reported, not fatal.
        readinessCheckProvider('database', CONFIG_DATABASE, databaseCheck, { critical: false }),
        readinessCheckProvider('redis', CONFIG_DATABASE, sharedCacheCheck, { critical: false }),
        // Cooldowns and autoselect decisions fall back to this replica's memory while Redis is away.
        readinessCheckProvider('route_state', ROUTE_STATE_STORE, sharedStateCheck, { critical: false }),
        readinessCheckProvider('autoselect_state', AUTOSELECT_OPTIONS, (options: AutoselectOptions) => sharedStateCheck(options.store), { critical: false }),
      ],
    };
  }
}
