import { Injectable, OnModuleInit } from '@nestjs/common';
import { requestCancelSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { InflightCalls } from './inflight-calls';

/** Every replica hears every cancel (no queue group); only the one running the request acts on it. */
@Injectable()
export class RequestCancelHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    private readonly calls: InflightCalls,
  ) {}

  onModuleInit(): void {
    this.bus.onEvent(SUBJECTS.requestCancelAll, requestCancelSchema, ({ requestId }) => this.calls.cancel(requestId), { broadcast: true });
  }
}
