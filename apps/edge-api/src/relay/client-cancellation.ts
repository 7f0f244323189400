import type { ServerResponse } from 'node:http';
import { RequestCancel, SUBJECTS } from '@aisbf/contracts';
import type { BusClient } from '@aisbf/bus';

/**
 * Aborts when the client goes away before its response is complete, and tells the connector
 * running the call (aisbf.request.cancel.{requestId}) so the upstream call stops too.
 */
export function cancelWhenClientLeaves(res: ServerResponse, bus: BusClient, requestId: string): AbortSignal {
  const abort = new AbortController();
  res.on('close', () => {
    if (res.writableFinished) return;
    abort.abort();
    const cancel: RequestCancel = { requestId, reason: 'client disconnected' };
    bus.publish(SUBJECTS.requestCancel(requestId), cancel);
  });
  return abort.signal;
}
