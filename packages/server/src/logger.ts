/** Structured JSON logs (pino). Secrets never reach a log line: request bodies are not logged and known secret fields are redacted. */
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'propusk' },
      redact: {
        paths: ['*.client_secret', '*.password', '*.api_key', '*.refresh_token', '*.code', '*.token', '*.authorization', 'req.headers.authorization', 'req.headers.cookie'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
