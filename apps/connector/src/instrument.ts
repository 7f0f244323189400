import { startTelemetry } from '@aisbf/telemetry';

startTelemetry('connector', process.env);
