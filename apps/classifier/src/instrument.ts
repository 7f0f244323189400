import { startTelemetry } from '@aisbf/telemetry';

startTelemetry('classifier', process.env);
