import type { Client } from '../client/client';
import type { ModificationInput } from '../client/attributes';
import type { DN } from '../dn/dn';
import { EntryAlreadyExistsError, NoSuchObjectError, ObjectClassRequiredError } from '../errors';
import { Operation, settleAll } from '../operations/operation';
import { ControlOid } from '../protocol/controls/oids';
import { relay } from '../operations/relay';
import type { SearchEntry } from '../search/entry';
import type { Observable } from '../util/rxjs';
import { parseStorePath, toStorePath } from './path';
import { watchChanges } from './watch';
import type { DirectoryStoreOptions, ListOptions, PutResult, StoreAttributes, StoreChange, StoreItem, StorePath, WatchOptions } from './types';

const pathText = (path: StorePath): string => (typeof path === 'string' ? path : path.toString());
const isObjectClass = (name: string): boolean => name.toLowerCase() === 'objectclass';

/**
 * A new entry's attributes with its RDN's values added where the caller left the attribute out
 * (`/…/ou=people` with no `ou`): a server refuses an entry whose RDN is not among its values.
 */
const withNamingValues = (dn: DN, attributes: StoreAttributes): StoreAttributes => {
  const names = new Set(Object.keys(attributes).map((name) => name.toLowerCase()));
  const added: Record<string, string> = {};
  for (const { type, value } of dn.rdn ?? []) {
    if (typeof value === 'string' && !names.has(type.toLowerCase())) added[type] = value;
  }
  return { ...attributes, ...added };
};

/**
 * A key-value store over a directory, after indicium-ldap: keys are paths that map to DNs
 * (`/dc=org/dc=example/ou=people` is `ou=people,dc=example,dc=org`, and the DN itself works as
 * a key too), values are an entry's attributes. It holds no state of its own besides the
 * client: every call is LDAP operations on the client's connection, as its bound identity.
 */
export class DirectoryStore {
  readonly #client: Client;
  readonly #options: DirectoryStoreOptions;
  #watchWith: Promise<'syncrepl' | 'persistentSearch'> | undefined;

  constructor(client: Client, options: DirectoryStoreOptions = {}) {
    this.#client = client;
    this.#options = options;
  }

  /** The DN a path (or DN text) names; throws InvalidDNError on a malformed one. */
  static toDN(path: StorePath): DN {
    return parseStorePath(path);
  }

  /** The path of a DN: `/` and its RDNs from the top down. */
  static toPath(dn: string | DN): string {
    return toStorePath(dn);
  }

  private get attributes(): string[] {
    return [...(this.#options.attributes ?? ['*'])];
  }

  private get operationOptions(): { timeout?: number } {
    return this.#options.timeout === undefined ? {} : { timeout: this.#options.timeout };
  }

  /**
   * Writes an entry. A new one is added with `attributes`, which must hold objectClass (else
   * ObjectClassRequiredError, and nothing is written); its RDN's values are added when the
   * attribute is left out. An existing one gets a modify that replaces each given attribute
   * (MODIFY_REPLACE) and leaves every other attribute as it was; an empty list of values removes
   * that attribute. Resolves with what was done.
   */
  async put(path: StorePath, attributes: StoreAttributes): Promise<PutResult> {
    const dn = parseStorePath(path);
    const names = Object.keys(attributes);
    if (names.length === 0) throw new TypeError('put() needs at least one attribute');
    const objectClass = names.find(isObjectClass);
    const hasObjectClass = objectClass !== undefined && [attributes[objectClass]].flat().length > 0;
    if (hasObjectClass) {
      try {
        await this.#client.add(dn, withNamingValues(dn, attributes), this.operationOptions);
        return 'added';
      } catch (error) {
        if (!(error instanceof EntryAlreadyExistsError)) throw error;
      }
    }
    const changes: ModificationInput[] = Object.entries(attributes).map(([attribute, values]) => ({ operation: 'replace', attribute, values }));
    try {
      await this.#client.modify(dn, changes, this.operationOptions);
      return 'replaced';
    } catch (error) {
      if (error instanceof NoSuchObjectError && !hasObjectClass) throw new ObjectClassRequiredError(pathText(path), dn.toString(), { cause: error });
      throw error;
    }
  }

  /** The entry at `path` with the store's attributes, or undefined when there is none. */
  async get(path: StorePath): Promise<SearchEntry | undefined> {
    const dn = parseStorePath(path);
    try {
      const [entry] = await this.#client.search(dn, { scope: 'base', attributes: this.attributes, ...this.operationOptions });
      return entry;
    } catch (error) {
      if (error instanceof NoSuchObjectError) return undefined;
      throw error;
    }
  }

  /** Deletes the entry at `path`: true when it was there, false when there was none. An entry with children is refused (NotAllowedOnNonLeafError). */
  async delete(path: StorePath): Promise<boolean> {
    const dn = parseStorePath(path);
    try {
      await this.#client.delete(dn, this.operationOptions);
      return true;
    } catch (error) {
      if (error instanceof NoSuchObjectError) return false;
      throw error;
    }
  }

  /**
   * The entries below `prefix` (not the prefix itself), streamed: iterate it (the next page is
   * asked for only once the loop has taken the last one), subscribe, or await every item.
   */
  list(prefix: StorePath, options: ListOptions = {}): Operation<StoreItem, StoreItem[]> {
    return new Operation<StoreItem, StoreItem[]>(
      (subscriber, demand) => {
        const dn = parseStorePath(prefix);
        // 'sub' and not 'subordinates' (which not every server has), without the prefix itself.
        const search = this.#client.pagedSearch(dn, {
          scope: options.scope === 'sub' ? 'sub' : 'one',
          attributes: this.attributes,
          pageSize: this.#options.pageSize ?? 500,
          ...(options.filter === undefined ? {} : { filter: options.filter }),
          ...this.operationOptions,
        });
        const isPrefix = (entry: SearchEntry): boolean => options.scope === 'sub' && dn.equals(entry.dn);
        return relay(search, subscriber, demand, (entry): StoreItem => ({ path: toStorePath(entry.dn), dn: entry.dn, entry }), { keep: (entry) => !isPrefix(entry) });
      },
      { settle: settleAll },
    );
  }

  /**
   * The changes under `prefix` (the prefix entry and everything below it) as they happen, until
   * unsubscribed: through syncrepl where the server offers it (a `ready` event says the watch
   * is live), else through persistent search.
   */
  watch(prefix: StorePath, options: WatchOptions = {}): Observable<StoreChange> {
    return watchChanges(this.#client, prefix, { initial: options.initial ?? false, attributes: this.attributes }, () => this.watchMethod());
  }

  private watchMethod(): Promise<'syncrepl' | 'persistentSearch'> {
    const chosen = this.#options.watchWith ?? 'auto';
    if (chosen !== 'auto') return Promise.resolve(chosen);
    if (this.#watchWith === undefined) {
      const reading = readWatchMethod(this.#client, this.operationOptions);
      this.#watchWith = reading;
      // A failed read is not remembered: the next watch asks again.
      reading.catch(() => {
        if (this.#watchWith === reading) this.#watchWith = undefined;
      });
    }
    return this.#watchWith;
  }
}

/** Syncrepl when the root DSE lists the Sync Request control (RFC 4533), else persistent search. */
const readWatchMethod = async (client: Client, options: { timeout?: number }): Promise<'syncrepl' | 'persistentSearch'> =>
  (await client.rootDSE(options)).supportsControl(ControlOid.syncRequest) ? 'syncrepl' : 'persistentSearch';
