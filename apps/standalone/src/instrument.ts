import { startTelemetry } from '@aisbf/telemetry';

startTelemetry('aisbf', process.env);
