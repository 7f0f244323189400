import { startTelemetry } from '@aisbf/telemetry';

startTelemetry('route-resolver', process.env);
