import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConnectorModelsReply, connectorModelsRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { CONNECTOR_ENV, ConnectorEnv } from '../config/connector-env';
import { AdapterRegistry } from '../adapters/adapter-registry';

const MODELS_TIMEOUT_MS = 15_000;

/** Serves aisbf.connector.{pool}.models: the upstream's own model list ("test model listing"). */
@Injectable()
export class ConnectorModelsHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    @Inject(CONNECTOR_ENV) private readonly env: ConnectorEnv,
    private readonly adapters: AdapterRegistry,
  ) {}

  onModuleInit(): void {
    for (const pool of this.env.CONNECTOR_POOLS) {
      this.bus.onRequest(SUBJECTS.connectorModels(pool), connectorModelsRequestSchema, async ({ candidate }): Promise<ConnectorModelsReply> => {
        const signal = AbortSignal.timeout(Math.min(MODELS_TIMEOUT_MS, candidate.timeouts.totalMs));
        const models = await this.adapters.adapter(candidate).listModels(candidate, this.adapters.openKey(candidate), signal);
        return { models };
      });
    }
  }
}
