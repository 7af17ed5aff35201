/**
 * rxldap's log levels, from the fewest lines to the most: `error` (failed connections, protocol
 * errors, failed rebinds), `basic` (connected, bound, disconnected, reconnecting, failover),
 * `protocol` (each request's type and messageID, each response's summary) and `network` (byte
 * counts of every read and write). Each level includes the ones before it.
 */
export type LogLevel = 'error' | 'basic' | 'protocol' | 'network';

/** What a log line carries besides its message: names, numbers and DNs, never a credential or an attribute value. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A logger as a plain function. */
export type LogFunction = (level: LogLevel, message: string, fields: LogFields) => void;

/** A method of a level-method logger (console, pino, bunyan…). */
export type LogMethod = (...args: unknown[]) => void;

/**
 * Any logger with level methods: console, pino, bunyan. Called as `method(fields, message)`,
 * pino's and bunyan's order (console prints both). rxldap's levels map to error → error,
 * basic → info, protocol → debug, network → trace; a missing method falls back to `log`, then
 * `info`. The global console's network lines go to `debug`: console.trace prints a stack.
 */
export interface LevelLogger {
  error?: LogMethod;
  info?: LogMethod;
  debug?: LogMethod;
  trace?: LogMethod;
  log?: LogMethod;
}

/** ClientOptions.logger: a function, or an object with level methods. */
export type Logger = LogFunction | LevelLogger;

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'basic', 'protocol', 'network'];

/** The default when a logger is given. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'basic';

/** Where a LevelLogger's line goes for each level, in order of preference. */
const METHODS_OF: Readonly<Record<LogLevel, readonly (keyof LevelLogger)[]>> = {
  error: ['error', 'log', 'info'],
  basic: ['info', 'log'],
  protocol: ['debug', 'log', 'info'],
  network: ['trace', 'log', 'info'],
};

const CONSOLE_NETWORK_METHODS: readonly (keyof LevelLogger)[] = ['debug', 'log'];

/** The level's rank: a line is written when its rank is at most the configured one. */
export const levelRank = (level: LogLevel): number => LOG_LEVELS.indexOf(level);

export const checkLogLevel = (level: unknown): LogLevel => {
  if (typeof level === 'string' && (LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new RangeError(`logLevel must be one of ${LOG_LEVELS.map((name) => `'${name}'`).join(', ')}, not ${String(level)}`);
};

/**
 * The one shape the client writes to: `(level, message, fields)`. A logger that throws is
 * ignored (logging never breaks the client, nor reaches rxjs's unhandled-error path).
 */
export const toLogFunction = (logger: Logger): LogFunction => {
  if (typeof logger === 'function') return guarded(logger);
  if (typeof logger !== 'object' || logger === null) throw new TypeError('logger must be a function (level, message, fields) or an object with level methods (error, info, debug, trace or log)');
  if (!LOG_LEVELS.some((level) => methodFor(logger, level) !== undefined)) {
    throw new TypeError('logger has none of the methods error, info, debug, trace or log');
  }
  // Looked up at each line, not once: pino swaps a level's method when its level changes.
  return guarded((level, message, fields) => methodFor(logger, level)?.call(logger, fields, message));
};

const methodFor = (logger: LevelLogger, level: LogLevel): LogMethod | undefined => {
  const names = level === 'network' && logger === globalThis.console ? CONSOLE_NETWORK_METHODS : METHODS_OF[level];
  for (const name of names) {
    const method = logger[name];
    if (typeof method === 'function') return method;
  }
  return undefined;
};

const guarded =
  (log: LogFunction): LogFunction =>
  (level, message, fields) => {
    try {
      log(level, message, fields);
    } catch {
      // a broken logger loses its lines, not the client's operations
    }
  };
