import { Injectable, OnModuleInit } from '@nestjs/common';
import { classifyRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { ClassifyService } from './classify.service';

@Injectable()
export class ClassifyHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    private readonly classifier: ClassifyService,
  ) {}

  onModuleInit(): void {
    this.bus.onRequest(SUBJECTS.classify, classifyRequestSchema, (request) => this.classifier.classify(request));
  }
}
