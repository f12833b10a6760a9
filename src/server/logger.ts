import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths never written to a log: secrets travel in these. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.token_hash',
];

/** Structured JSON logs; Fastify adds the request id (reqId) to every line of a request. Stdout by default. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
