import pino from "pino";

/**
 * The process logger: JSON lines on stdout (pino: fast, structured, no transports so it bundles into one file).
 * Request-scoped children carry `rid`, the id also sent back as `X-Request-Id`.
 */
export type Logger = pino.Logger;

export function createLogger(level = "info"): Logger {
  return pino({ level, base: { app: "sgp" }, timestamp: pino.stdTimeFunctions.isoTime });
}
