import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LdapMessage } from '../../lib/protocol';
import { MessageFramer } from '../../lib/transport/message-framer';
import { MessageParser } from '../../lib/transport/message-parser';
import { emptyTally, tallyValues } from './fixture';
import type { Tally } from './fixture';

/**
 * The decoders the benchmark compares. Each run() starts from a fresh parser (a new connection),
 * feeds it every chunk the way that library's client feeds socket reads, and reads from every
 * decoded entry what a consumer would: the DN as a string, each attribute description, and each
 * value's bytes (through tallyValues, identical for all).
 */
export interface Decoder {
  /** Short label printed in the table, e.g. `ldapjs`. */
  name: string;
  /** The package and version actually loaded, e.g. `ldapjs@3.0.7`. */
  package: string;
  /** What exactly is driven, for the report. */
  how: string;
  /** Whether this line is one of the peers (as opposed to one of rxldap's own paths). */
  peer: boolean;
  run(chunks: readonly Buffer[]): Promise<Tally>;
}

/** The version in the nearest package.json named `name`, walking up from `from`. */
const packageVersion = (name: string, from: string): string => {
  let dir = from;
  for (;;) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === name) {
        const version = (parsed as { version?: unknown }).version;
        return typeof version === 'string' ? version : 'unknown';
      }
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
};

/** The rxldap checkout this benchmark was compiled from (works from dist/ and from any outDir). */
export const findRepoRoot = (): string => {
  let dir = __dirname;
  for (;;) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'rxldap') return dir;
    } catch {
      // keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find rxldap's package.json above ${__dirname}`);
    dir = parent;
  }
};

const fail = (what: string, detail: string): never => {
  throw new Error(`${what}: ${detail}`);
};

// ---------------------------------------------------------------------------------------------
// rxldap

const consumeRxldap = (tally: Tally, message: LdapMessage): void => {
  const op = message.protocolOp;
  if (op.type !== 'searchResEntry') fail('rxldap', `unexpected protocolOp ${op.type}`);
  const entry = op as Extract<typeof op, { type: 'searchResEntry' }>;
  const dn = entry.objectName;
  tally.entries++;
  tally.stringChars += dn.length;
  tally.lastDn = dn;
  for (const attribute of entry.attributes) {
    tally.attributes++;
    tally.stringChars += attribute.type.length;
    tallyValues(tally, attribute.vals);
  }
};

export const rxldapVersion = (): string => packageVersion('rxldap', __dirname);

/** MessageFramer as a socket would drive it: write each chunk, wait for 'drain', read 'data'. */
export const rxldapFramer = (): Decoder => ({
  name: 'rxldap MessageFramer',
  package: `rxldap@${rxldapVersion()}`,
  how: "new MessageFramer() (Transform, default options); each chunk written with write(), awaiting 'drain' when it returns false, as socket.pipe() would; messages read from 'data' events; end() and wait for 'end'",
  peer: false,
  run: async (chunks) => {
    const tally = emptyTally();
    const framer = new MessageFramer();
    framer.on('data', (message: LdapMessage) => consumeRxldap(tally, message));
    const ended = once(framer, 'end');
    ended.catch(() => undefined); // a stream error also rejects the 'drain' wait; reported from there
    for (const chunk of chunks) {
      if (!framer.write(chunk)) await once(framer, 'drain');
    }
    framer.end();
    await ended;
    return tally;
  },
});

/** The stream-free core the framer wraps: feed(chunk, onMessage), synchronously. */
export const rxldapParser = (): Decoder => ({
  name: 'rxldap MessageParser',
  package: `rxldap@${rxldapVersion()}`,
  how: 'new MessageParser(); parser.feed(chunk, onMessage) per chunk, then parser.end() (no stream machinery)',
  peer: false,
  run: async (chunks) => {
    const tally = emptyTally();
    const parser = new MessageParser();
    const onMessage = (message: LdapMessage): void => consumeRxldap(tally, message);
    for (const chunk of chunks) parser.feed(chunk, onMessage);
    parser.end();
    return tally;
  },
});

// ---------------------------------------------------------------------------------------------
// ldapjs 3: lib/messages/parser.js, the Parser its Client feeds every socket 'data' chunk to
// (client.js: `socket.on('data', data => tracker.parser.write(data))`). Parser.write frames with
// @ldapjs/asn1's BerReader and decodes with @ldapjs/messages' LdapMessage.parse.

interface LdapjsDn {
  toString(): string;
}
interface LdapjsAttribute {
  readonly type: string;
  /** The raw values (a copy of the attribute's array of Buffers). */
  readonly buffers: Buffer[];
}
interface LdapjsSearchResultEntry {
  readonly type: string;
  readonly objectName: LdapjsDn;
  readonly attributes: LdapjsAttribute[];
}
interface LdapjsParser {
  write(data: Buffer): boolean;
  on(event: 'message', listener: (message: unknown) => void): this;
  on(event: 'error', listener: (error: unknown) => void): this;
}
type LdapjsParserClass = new (options?: object) => LdapjsParser;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export const ldapjs = (): Decoder => {
  const parserModule: unknown = require('ldapjs/lib/messages/parser');
  if (typeof parserModule !== 'function') fail('ldapjs', 'ldapjs/lib/messages/parser does not export the Parser constructor');
  const Parser = parserModule as LdapjsParserClass;
  const version = packageVersion('ldapjs', dirname(require.resolve('ldapjs/lib/messages/parser')));
  const messagesVersion = packageVersion('@ldapjs/messages', dirname(require.resolve('@ldapjs/messages')));
  return {
    name: 'ldapjs',
    package: `ldapjs@${version} (@ldapjs/messages@${messagesVersion})`,
    how: "new Parser() from ldapjs/lib/messages/parser.js (what Client.initSocket creates); parser.write(chunk) per chunk, as the client's socket 'data' handler does; SearchResultEntry objects read from 'message' events; the DN string is objectName.toString(), values are attribute.buffers",
    peer: true,
    run: async (chunks) => {
      const tally = emptyTally();
      const parser = new Parser();
      let failure: unknown;
      parser.on('error', (error) => {
        failure ??= error;
      });
      parser.on('message', (message) => {
        if (!isObject(message) || message['type'] !== 'SearchResultEntry') {
          fail('ldapjs', `unexpected message ${isObject(message) ? String(message['type']) : typeof message}`);
        }
        const entry = message as LdapjsSearchResultEntry;
        const dn = entry.objectName.toString();
        tally.entries++;
        tally.stringChars += dn.length;
        tally.lastDn = dn;
        for (const attribute of entry.attributes) {
          tally.attributes++;
          tally.stringChars += attribute.type.length;
          tallyValues(tally, attribute.buffers);
        }
      });
      for (const chunk of chunks) parser.write(chunk);
      if (failure !== undefined) throw failure;
      return tally;
    },
  };
};

// ---------------------------------------------------------------------------------------------
// ldapts 9: its exported MessageParser, the one Client.messageParser is. The client calls
// `messageParser.read(data, this.messageDetailsByMessageId)` on every socket 'data' chunk; the map
// (keyed by the messageID as a string) holds the pending request, whose controls tell the parser
// how to decode response controls. For a pending search it holds the SearchRequest.

interface LdaptsAttribute {
  readonly type: string;
  /** The raw values; `values` holds them decoded to strings (ldapts decodes both eagerly). */
  readonly buffers: Buffer[];
}
interface LdaptsSearchEntry {
  readonly name: string;
  readonly attributes: LdaptsAttribute[];
}
interface LdaptsMessageDetails {
  message: object;
}
interface LdaptsMessageParser {
  read(data: Buffer, messageDetailsByMessageId: Map<string, LdaptsMessageDetails>): void;
  on(event: 'message', listener: (message: unknown) => void): this;
  on(event: 'error', listener: (error: unknown) => void): this;
}
interface LdaptsModule {
  MessageParser: new () => LdaptsMessageParser;
  SearchRequest: new (options: { messageId: number; baseDN: string; scope?: string; attributes?: string[] }) => object;
  SearchEntry: abstract new (...args: never[]) => object;
}

const loadLdapts = (): LdaptsModule => {
  // ldapts 8.2 (the last release for Node 20) is an ES module package that also ships dist/index.cjs under its "require" export.
  const loaded: unknown = require('ldapts');
  if (!isObject(loaded)) return fail('ldapts', 'require("ldapts") did not return a module object');
  for (const name of ['MessageParser', 'SearchRequest', 'SearchEntry']) {
    if (typeof loaded[name] !== 'function') fail('ldapts', `the module does not export ${name}`);
  }
  return loaded as unknown as LdaptsModule;
};

export const ldapts = (messageIds: readonly number[]): Decoder => {
  const module = loadLdapts();
  const version = packageVersion('ldapts', dirname(require.resolve('ldapts')));
  // One pending paged-search request per page (each page of a paged search has its own messageID).
  const pending = new Map<string, LdaptsMessageDetails>();
  for (const messageId of messageIds) {
    const message = new module.SearchRequest({ messageId, baseDN: 'ou=people,dc=example,dc=com', scope: 'sub', attributes: [] });
    pending.set(`${messageId}`, { message });
  }
  return {
    name: 'ldapts',
    package: `ldapts@${version}`,
    how: "new MessageParser() exported by ldapts (Client.messageParser); parser.read(chunk, messageDetailsByMessageId) per chunk, the map holding a pending SearchRequest per messageID as Client._send leaves it; SearchEntry objects read from 'message' events; the DN is entry.name, values are attribute.buffers",
    peer: true,
    run: async (chunks) => {
      const tally = emptyTally();
      const parser = new module.MessageParser();
      let failure: unknown;
      parser.on('error', (error) => {
        failure ??= error;
      });
      parser.on('message', (message) => {
        if (!(message instanceof module.SearchEntry)) fail('ldapts', `unexpected message ${String(message)}`);
        const entry = message as LdaptsSearchEntry;
        const dn = entry.name;
        tally.entries++;
        tally.stringChars += dn.length;
        tally.lastDn = dn;
        for (const attribute of entry.attributes) {
          tally.attributes++;
          tally.stringChars += attribute.type.length;
          tallyValues(tally, attribute.buffers);
        }
      });
      for (const chunk of chunks) parser.read(chunk, pending);
      if (failure !== undefined) throw failure;
      return tally;
    },
  };
};
