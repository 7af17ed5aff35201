import type { ClientOptions } from './client';

/** TLS options that are secrets: never shown by util.inspect or JSON. */
const SECRET_TLS_OPTIONS = new Set(['key', 'pfx', 'passphrase', 'privateKeyIdentifier', 'privateKeyEngine', 'pskCallback', 'secureContext']);

/** A URL for display: its extensions (which may name a bind identity or secret) dropped. */
const redactUrl = (url: string): string => {
  const question = url.indexOf('?');
  return question === -1 ? url : `${url.slice(0, question)}?[redacted]`;
};

/** Buffers and certificates shown by size, so a log line stays small. */
const summarize = (value: unknown): unknown => {
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map(summarize);
  return typeof value === 'function' ? '[function]' : value;
};

/**
 * The client's options as util.inspect and JSON show them: TLS keys and passphrases redacted,
 * URL extensions dropped, servers by name (their own TLS options left out), and a logger by its
 * presence only (pino's is a large, circular object).
 */
export const redactedOptions = (options: ClientOptions, serverNames: readonly string[]): Record<string, unknown> => {
  const { tls, logger, servers, connect, ...rest } = options;
  const shown: Record<string, unknown> = { ...rest };
  if (connect !== undefined) shown['connect'] = '[function]';
  if (rest.url !== undefined) shown['url'] = redactUrl(rest.url);
  if (servers !== undefined) shown['servers'] = [...serverNames];
  if (logger !== undefined) shown['logger'] = '[logger]';
  if (tls !== undefined) {
    shown['tls'] = Object.fromEntries(Object.entries(tls).map(([name, value]) => [name, SECRET_TLS_OPTIONS.has(name) ? '[redacted]' : summarize(value)]));
  }
  return shown;
};
