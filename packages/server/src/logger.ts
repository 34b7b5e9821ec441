/** Structured JSON logs (pino). Secrets never reach a log line: request bodies are not logged and known secret fields are redacted. */
import { pino } from 'pino';
import { currentRequestId } from './shared/request-scope.ts';

export type Logger = pino.Logger;

/** Field names whose values are secrets, redacted at the top level and one level down. */
const SECRET_FIELDS = ['client_secret', 'password', 'api_key', 'refresh_token', 'access_token', 'id_token', 'code', 'device_code', 'token', 'authorization', 'cookie'];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'propusk' },
      // Every line written while serving a request carries its id (also echoed as X-Request-Id).
      mixin: () => {
        const reqId = currentRequestId();
        return reqId ? { reqId } : {};
      },
      redact: {
        paths: [
          ...SECRET_FIELDS,
          ...SECRET_FIELDS.map((f) => `*.${f}`),
          '*.headers.authorization',
          '*.headers.cookie',
          '*.headers["set-cookie"]',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
