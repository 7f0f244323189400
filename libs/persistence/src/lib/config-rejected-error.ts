import { AisbfError, ErrorCode } from '@aisbf/contracts';
import type { ConfigProblem } from '@aisbf/routing';

/** A configuration write refused with every problem located by its JSON path (422, or 409 for conflicts). */
export class ConfigRejectedError extends AisbfError {
  constructor(
    code: Extract<ErrorCode, 'unprocessable_config' | 'conflict'>,
    summary: string,
    readonly problems: ConfigProblem[],
  ) {
    const listed = problems.slice(0, 20).map((p) => `${p.path}: ${p.message}`).join('; ');
    super(code, problems.length ? `${summary}: ${listed}${problems.length > 20 ? ` (and ${problems.length - 20} more)` : ''}` : summary, {
      param: problems[0]?.path ?? null,
    });
  }
}
