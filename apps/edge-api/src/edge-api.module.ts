import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BusClient, BusModule, BusModuleOptions } from '@aisbf/bus';
import { CONFIG_DATABASE, CONFIG_STORE, ConfigDatabase, ConfigStore, ConfigSyncService, databaseCheck, sharedCacheCheck } from '@aisbf/persistence';
import { ConcurrencyLimiter, MemoryConcurrencyLimiter, MemoryRateLimiter, RateLimiter } from '@aisbf/cache';
import { readinessCheckProvider, TelemetryModule, TelemetryModuleOptions } from '@aisbf/telemetry';
import { EDGE_ENV, EdgeEnv } from './config/edge-env';
import { FailedAuthLimit, RATE_LIMITER } from './auth/request-rate-limits';
import { ChatController } from './chat/chat.controller';
import { ChatRelayService } from './chat/chat-relay.service';
import { OutcomeBatcher } from './relay/outcome-batcher';
import { RoutePlanClient } from './relay/route-plan-client';
import { ModelsController } from './models/models.controller';
import { RouteExplainController } from './route-explain/route-explain.controller';
import { EmbeddingsController } from './embeddings/embeddings.controller';
import { EmbeddingsRelayService } from './embeddings/embeddings-relay.service';
import { HealthController } from './health/health.controller';
import { RateLimiterReadiness } from './health/rate-limiter-readiness';
import { MetricsController } from './metrics/metrics.controller';
import { OpenAiExceptionFilter } from './errors/openai-exception.filter';
import { TokenAuthGuard } from './auth/token-auth.guard';
import { CONCURRENCY_LIMITER, UsageLimits } from './limits/usage-limits.service';
import { ConfigApiGuard } from './config-api/config-api.guard';
import { RouteItemsController } from './config-api/route-items.controller';
import { ConfigDocumentsController } from './config-api/config-documents.controller';
import { TokensController } from './config-api/tokens.controller';
import { AdminUsersController } from './config-api/admin-users.controller';
import { PasswordLoginController } from './config-api/password-login.controller';
import { SessionController } from './session/session.controller';
import { DashboardSessions } from './session/dashboard-sessions.service';
import { UsageController } from './usage/usage.controller';
import { DashboardAssetsController } from './dashboard/dashboard-assets.controller';

export interface EdgeApiModuleOptions {
  env: EdgeEnv;
  bus: BusModuleOptions;
  configStore: ConfigStore;
  /** The database behind the configuration API; null when configuration is file-only. */
  configDatabase?: ConfigDatabase | null;
  /** Shared (Redis) request limits; each process limits on its own without one. */
  rateLimiter?: RateLimiter;
  /** Shared (Redis) stream slots; each process counts its own without one. */
  concurrencyLimiter?: ConcurrencyLimiter;
  /** Logger for request summaries, and the extra metrics/probe port when AISBF_METRICS_PORT is set. */
  telemetry?: TelemetryModuleOptions;
}

/** HTTP: the OpenAI-compatible API, authentication, the SSE relay, the configuration API and the dashboard. */
@Module({})
export class EdgeApiModule {
  static forRoot(options: EdgeApiModuleOptions): DynamicModule {
    return {
      module: EdgeApiModule,
      imports: [BusModule.forRoot(options.bus), TelemetryModule.forRoot(options.telemetry)],
      controllers: [
        ChatController,
        RouteExplainController,
        ModelsController,
        EmbeddingsController,
        HealthController,
        MetricsController,
        RouteItemsController,
        ConfigDocumentsController,
        TokensController,
        AdminUsersController,
        PasswordLoginController,
        SessionController,
        UsageController,
        DashboardAssetsController,
      ],
      providers: [
        { provide: EDGE_ENV, useValue: options.env },
        { provide: CONFIG_STORE, useValue: options.configStore },
        { provide: CONFIG_DATABASE, useValue: options.configDatabase ?? null },
        ConfigSyncService,
        ConfigApiGuard,
        DashboardSessions,
        { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
        OutcomeBatcher,
        FailedAuthLimit,
        RoutePlanClient,
        ChatRelayService,
        EmbeddingsRelayService,
        { provide: RATE_LIMITER, useValue: options.rateLimiter ?? new MemoryRateLimiter() },
        { provide: CONCURRENCY_LIMITER, useValue: options.concurrencyLimiter ?? new MemoryConcurrencyLimiter() },
        UsageLimits,
        TokenAuthGuard,
        readinessCheckProvider('bus', BusClient, (bus: BusClient) => () => bus.isConnected()),
        // Users already seen are served from cache while these are away: reported, not fatal.
        readinessCheckProvider('database', CONFIG_DATABASE, databaseCheck, { critical: false }),
        readinessCheckProvider('redis', CONFIG_DATABASE, sharedCacheCheck, { critical: false }),
        RateLimiterReadiness,
      ],
    };
  }
}
