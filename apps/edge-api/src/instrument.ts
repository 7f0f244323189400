import { startTelemetry } from '@aisbf/telemetry';

startTelemetry('edge-api', process.env);
