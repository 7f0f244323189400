import { Controller, Get, Inject, Param, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ConfigDocumentKind } from '@aisbf/routing';
import { CONFIG_DATABASE, ConfigDatabase } from '@aisbf/persistence';
import { ConfigApiGuard, ConfigApiRequest } from './config-api.guard';
import { requireDatabase } from './config-database';
import { entityTag, preconditionFrom } from './entity-tag';
import { configBody } from './config-api-bodies';

/** `/api/u/{username}/config/{kind}`: the last path segment names the document. */
function documentKind(request: ConfigApiRequest): ConfigDocumentKind {
  return request.url.split('?')[0].split('/')[5] as ConfigDocumentKind;
}

/** Whole documents in AISBF's formats: providers.json, `{"rotations":{...}}`, and the autoselect map. */
@Controller('api/u/:username/config')
@UseGuards(ConfigApiGuard)
export class ConfigDocumentsController {
  constructor(@Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null) {}

  @Get(['providers', 'rotations', 'autoselect'])
  async get(@Param('username') username: string, @Req() request: ConfigApiRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const document = await requireDatabase(this.database).writer.getDocument(username, documentKind(request));
    void reply.header('etag', entityTag(document.version));
    return document.body;
  }

  /** Replaces the document atomically: every item is checked, and all or nothing is stored. */
  @Put(['providers', 'rotations', 'autoselect'])
  async put(
    @Param('username') username: string,
    @Req() request: ConfigApiRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const body = configBody(request);
    const result = await requireDatabase(this.database).writer.putDocument(username, documentKind(request), body, preconditionFrom(request.headers));
    void reply.header('etag', entityTag(result.version));
    return { version: result.version };
  }
}
