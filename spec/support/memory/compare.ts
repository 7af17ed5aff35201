/**
 * Runs an OpenLDAP command-line tool against slapd and against the in-memory directory and
 * returns both results, normalised so that what must differ (UUIDs, CSNs, timestamps, cookies,
 * salted hashes, generated passwords) does not hide what must not (entries, attributes, result
 * codes, messages, the order of sync phases).
 */
import type { DirectoryServer } from '../../../lib/server';
import type { LdapTool, SlapdInstance, ToolResult } from '../slapd';

export interface ComparedRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const MASKED_ATTRIBUTES = /^(entryUUID|entryCSN|createTimestamp|modifyTimestamp|contextCSN|userPassword)(::?) .*$/gim;

/** Masks what legitimately differs between two servers holding the same data. */
export const normalize = (text: string): string =>
  text
    // Unfold LDIF continuation lines first, so a masked value does not leave its tail behind.
    .replace(/\n /g, '')
    .replace(MASKED_ATTRIBUTES, '$1$2 <masked>')
    .replace(/^(control: \S+ (?:true|false))(?: \S+)?$/gm, '$1 <value>')
    .replace(/UUID [0-9a-f-]{36}/g, 'UUID <uuid>')
    .replace(/^#\t[0-9a-f-]{36}$/gm, '#\t<uuid>')
    .replace(/csn=[0-9.]+Z#[0-9a-f]+#[0-9a-f]+#[0-9a-f]+/g, 'csn=<csn>')
    .replace(/delcsn=<csn>/g, '<csn>')
    .replace(/cookie=\S+/g, 'cookie=<cookie>')
    .replace(/^New password: \S+$/gm, 'New password: <generated>');

const run = (slapd: SlapdInstance, url: string, tool: LdapTool, args: readonly string[], input: string | undefined): Promise<ToolResult> =>
  slapd.run(tool, ['-H', url, ...args], input === undefined ? {} : { input });

export interface Pair {
  readonly slapd: SlapdInstance;
  readonly memory: DirectoryServer;
}

/** The same command against both servers, in turn (slapd first), normalised. */
export const onBoth = async (
  pair: Pair,
  tool: LdapTool,
  args: readonly string[] | ((server: 'slapd' | 'memory') => readonly string[]),
  input?: string,
): Promise<{ slapd: ComparedRun; memory: ComparedRun }> => {
  const argsFor = (server: 'slapd' | 'memory'): readonly string[] => (typeof args === 'function' ? args(server) : args);
  const fromSlapd = await run(pair.slapd, pair.slapd.url, tool, argsFor('slapd'), input);
  const fromMemory = await run(pair.slapd, pair.memory.url, tool, argsFor('memory'), input);
  const shape = (result: ToolResult): ComparedRun => ({ code: result.code, stdout: normalize(result.stdout), stderr: normalize(result.stderr) });
  return { slapd: shape(fromSlapd), memory: shape(fromMemory) };
};

/**
 * LDIF records as a sorted list. slapd returns a search's entries in an order that depends on
 * its indexes (an indexed filter gives creation order, an unindexed one the order of its DN
 * index below a base that is not a naming context); LDAP leaves the order open, so where that
 * matters the entries are compared as a set, each with its attributes in order.
 */
export const records = (ldif: string): string[] =>
  ldif
    .split('\n\n')
    .filter((record) => record.trim() !== '')
    .sort();
