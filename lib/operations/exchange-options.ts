import type { ExchangeOptions } from './exchange';

/** ExchangeOptions as an operation's options hold them: any field may be missing or undefined. */
export type ExchangeOptionsInput = { [K in keyof ExchangeOptions]?: ExchangeOptions[K] | undefined };

/**
 * From an operation's options to what exchange() reads, in one place. Every operation's options
 * carry the ExchangeOptions fields among their own; exchange() gets those fields only, and only
 * the ones given (under exactOptionalPropertyTypes an absent option stays absent).
 */
export const exchangeOptionsOf = (options: ExchangeOptionsInput): ExchangeOptions => {
  const { controls, timeout, deadline, retry, signal, stopWith } = options;
  return {
    ...(controls === undefined ? {} : { controls }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(deadline === undefined ? {} : { deadline }),
    ...(retry === undefined ? {} : { retry }),
    ...(signal === undefined ? {} : { signal }),
    ...(stopWith === undefined ? {} : { stopWith }),
  };
};

/**
 * The client's default `timeout` for an operation that gave none. An operation's own timeout
 * wins, 0 included: 0 means no timeout, so it keeps the default out (see ownTimeoutOnly).
 */
export const withDefaultTimeout = (options: ExchangeOptions, defaultTimeout: number | undefined): ExchangeOptions =>
  defaultTimeout === undefined || options.timeout !== undefined ? options : { ...options, timeout: defaultTimeout };

/**
 * The timeout of a feed whose silence is normal (a persistent search, a syncrepl persist stage):
 * the caller's own, else 0, which no client default replaces (withDefaultTimeout). A default
 * meant for one-shot operations would otherwise end a healthy feed that has nothing to report.
 */
export const ownTimeoutOnly = (timeout: number | undefined): number => timeout ?? 0;
