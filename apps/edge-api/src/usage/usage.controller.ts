import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { AisbfError } from '@aisbf/contracts';
import { CONFIG_DATABASE, ConfigDatabase, usageQuery } from '@aisbf/persistence';
import { ConfigApiGuard } from '../config-api/config-api.guard';
import { requireDatabase } from '../config-api/config-database';

const BUCKET_NAMES: Record<string, number> = { minute: 60, '5m': 300, '15m': 900, hour: 3_600, '6h': 21_600, day: 86_400 };

/** `from`/`to`: ISO 8601 or milliseconds since the epoch. */
function parseTime(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = /^\d{1,15}$/.test(value) ? new Date(Number(value)) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new AisbfError('invalid_request', `${name} must be an ISO 8601 time or milliseconds since the epoch`, { param: name });
  return date;
}

function parseBucket(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (value in BUCKET_NAMES) return BUCKET_NAMES[value];
  if (/^\d{1,6}$/.test(value)) return Number(value);
  throw new AisbfError('invalid_request', `bucket must be seconds or one of ${Object.keys(BUCKET_NAMES).join(', ')}`, { param: 'bucket' });
}

/** What a user's calls did: usage per route, provider and model over time, and the latest requests. */
@Controller('api/u/:username')
@UseGuards(ConfigApiGuard)
export class UsageController {
  constructor(@Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null) {}

  @Get('usage')
  async usage(@Param('username') username: string, @Query('from') from?: string, @Query('to') to?: string, @Query('bucket') bucket?: string) {
    const query = usageQuery({ from: parseTime(from, 'from'), to: parseTime(to, 'to'), bucketSeconds: parseBucket(bucket) });
    return { object: 'usage.report', ...(await requireDatabase(this.database).reports.report(username, query)) };
  }

  @Get('requests/recent')
  async recent(@Param('username') username: string, @Query('limit') limit?: string) {
    const count = limit === undefined || limit === '' ? 50 : Number(limit);
    if (!Number.isInteger(count) || count < 1) throw new AisbfError('invalid_request', 'limit must be a positive integer', { param: 'limit' });
    return { object: 'list', data: await requireDatabase(this.database).reports.recentRequests(username, count) };
  }
}
