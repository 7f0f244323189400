import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AisbfError, ConnectorModelsReply, ConnectorModelsRequest, SUBJECTS } from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import type { ConfigDocumentKind } from '@aisbf/routing';
import { CONFIG_DATABASE, CONFIG_STORE, ConfigDatabase, ConfigStore } from '@aisbf/persistence';
import { ConfigApiGuard, ConfigApiRequest } from './config-api.guard';
import { requireDatabase } from './config-database';
import { entityTag, preconditionFrom } from './entity-tag';
import { configBody } from './config-api-bodies';

/** URL segment -> document kind. */
const KINDS: Record<string, ConfigDocumentKind> = { providers: 'providers', rotations: 'rotations', autoselects: 'autoselect' };
const MODELS_TIMEOUT_MS = 20_000;

/** The kind is the path segment after the username (one handler serves the three kinds). */
function kindOf(request: ConfigApiRequest): ConfigDocumentKind {
  const kind = KINDS[request.url.split('?')[0].split('/')[4] ?? ''];
  if (!kind) throw new AisbfError('not_found', 'no such endpoint');
  return kind;
}

/** One provider, rotation or autoselect at a time: `/api/u/{username}/{providers|rotations|autoselects}/{id}`. */
@Controller('api/u/:username')
@UseGuards(ConfigApiGuard)
export class RouteItemsController {
  constructor(
    @Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null,
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    private readonly bus: BusClient,
  ) {}

  @Get(['providers', 'rotations', 'autoselects'])
  async list(@Param('username') username: string, @Req() request: ConfigApiRequest) {
    const items = await requireDatabase(this.database).writer.listItems(username, kindOf(request));
    return { object: 'list', data: items.map((item) => ({ id: item.name, version: item.version, managed_by: item.managedBy, config: item.body })) };
  }

  @Get(['providers/:id', 'rotations/:id', 'autoselects/:id'])
  async get(@Param('username') username: string, @Param('id') id: string, @Req() request: ConfigApiRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const item = await requireDatabase(this.database).writer.getItem(username, kindOf(request), id);
    void reply.header('etag', entityTag(item.version));
    return item.body;
  }

  @Put(['providers/:id', 'rotations/:id', 'autoselects/:id'])
  async put(
    @Param('username') username: string,
    @Param('id') id: string,
    @Req() request: ConfigApiRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const body = configBody(request);
    const kind = kindOf(request);
    const result = await requireDatabase(this.database).writer.putItem(username, kind, id, body, preconditionFrom(request.headers));
    void reply.status(result.created ? 201 : 200).header('etag', entityTag(result.version));
    return { id, version: result.version, created: result.created };
  }

  @Delete(['providers/:id', 'rotations/:id', 'autoselects/:id'])
  @HttpCode(204)
  async remove(@Param('username') username: string, @Param('id') id: string, @Req() request: ConfigApiRequest): Promise<void> {
    await requireDatabase(this.database).writer.deleteItem(username, kindOf(request), id, preconditionFrom(request.headers));
  }

  /** "Test model listing before building rotations": the provider's own pool asks the upstream. */
  @Post('providers/:id/test')
  @HttpCode(200)
  async test(@Param('username') username: string, @Param('id') id: string) {
    const config = await this.store.loadRouteConfig(username);
    const provider = config?.providers.get(id);
    if (!config || !provider) throw new AisbfError('not_found', `provider '${id}' does not exist`);
    const declared = [...provider.models.keys()];
    const query: ConnectorModelsRequest = {
      candidate: {
        providerId: provider.id,
        providerType: provider.type,
        model: declared[0],
        endpoint: provider.endpoint,
        pool: provider.pool,
        sealedKey: provider.sealedKey,
        timeouts: provider.timeouts,
        allowPrivateEndpoint: config.trustedEndpoints,
      },
    };
    const reply = (await this.bus.request(SUBJECTS.connectorModels(provider.pool), query, { timeoutMs: MODELS_TIMEOUT_MS })) as ConnectorModelsReply;
    const upstream = new Set(reply.models.map((m) => m.id));
    return {
      provider: id,
      pool: provider.pool,
      ok: true,
      models: reply.models,
      declared,
      missing: declared.filter((name) => !upstream.has(name)),
    };
  }
}
