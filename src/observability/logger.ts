/** winston JSON logs on stdout; every line of a request carries its request id. */
import winston from 'winston';

export type Logger = winston.Logger;

export function creerLogger(niveau: string): Logger {
  return winston.createLogger({
    level: niveau,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    defaultMeta: { service: 'candidature-gateway' },
    transports: [new winston.transports.Console({ silent: process.env.LOG_SILENT === '1' })],
  });
}
