import type { Subscription } from 'rxjs';
import { LdapError, ResultCode, SaslError } from '../errors';
import { Operation, settleLast } from '../operations/operation';
import type { Observable } from '../util/rxjs';
import type { Control } from '../protocol/controls/types';
import type { SearchEntry } from '../search/entry';
import type { SearchOptions } from '../search/search-request';
import { SCHEMA_ATTRIBUTES } from '../schema/definitions';
import { parseSchema, type ParseSchemaOptions } from '../schema/parse-schema';
import { RootDSE } from '../schema/root-dse';
import type { Schema } from '../schema/schema';

/**
 * What the client does with the directory's own description: read the root DSE and the
 * subschema subentry (two base searches), and use a root DSE it already holds where that costs
 * nothing: to say why a critical control was refused, and to refuse a SASL mechanism the
 * server does not offer before any credential goes out.
 */

/** A base search's options, as the client's search() takes them. */
type Search = (base: string, options: SearchOptions) => Observable<SearchEntry>;

/** RFC 4512 §5.1: the root DSE's attributes are operational; `+` (RFC 3673) asks for them all. */
export const ROOT_DSE_SEARCH: SearchOptions = { scope: 'base', filter: '(objectClass=*)', attributes: ['*', '+'] };

/** Where RFC 4512 §4.4 says the schema is when the root DSE does not say (OpenLDAP's name). */
const DEFAULT_SUBSCHEMA = 'cn=Subschema';

/** The only entry of a base search, collected; the subscription is kept so an unsubscribe stops the search. */
const baseEntry = (search: Observable<SearchEntry>, subscriptions: Subscription[]): Promise<SearchEntry | undefined> =>
  new Promise((resolve, reject) => {
    let found: SearchEntry | undefined;
    subscriptions.push(search.subscribe({ next: (entry) => (found ??= entry), error: reject, complete: () => resolve(found) }));
  });

/** An Operation whose value comes from a few searches run one after the other. */
const composed = <T>(run: (subscriptions: Subscription[]) => Promise<T>): Operation<T, T> =>
  new Operation<T, T>(
    (subscriber) => {
      const subscriptions: Subscription[] = [];
      run(subscriptions).then(
        (value) => {
          subscriber.next(value);
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
      return () => {
        for (const subscription of subscriptions) subscription.unsubscribe();
      };
    },
    { settle: settleLast },
  );

export const readRootDSE = (search: Search, options: SearchOptions, remember: (dse: RootDSE) => void): Operation<RootDSE, RootDSE> =>
  composed(async (subscriptions) => {
    const entry = await baseEntry(search('', { ...options, ...ROOT_DSE_SEARCH }), subscriptions);
    const dse = new RootDSE(entry?.attributes ?? []);
    remember(dse);
    return dse;
  });

export interface ReadSchemaOptions extends ParseSchemaOptions {
  /** The subschema subentry to read (default: the root DSE's subschemaSubentry, else cn=Subschema). */
  base?: string;
}

export const readSchema = (
  search: Search,
  options: SearchOptions,
  schemaOptions: ReadSchemaOptions,
  rootDSE: () => Promise<RootDSE>,
): Operation<Schema, Schema> =>
  composed(async (subscriptions) => {
    let base = schemaOptions.base;
    let source = schemaOptions.source;
    if (base === undefined || source === undefined) {
      const dse = await rootDSE();
      base ??= dse.subschemaSubentry ?? DEFAULT_SUBSCHEMA;
      const vendor = [dse.vendorName, dse.vendorVersion].filter((part) => part !== undefined).join(' ');
      if (vendor !== '') source ??= vendor;
    }
    // The schema attributes are operational: they come only when asked for by name.
    const entry = await baseEntry(search(base, { ...options, scope: 'base', filter: '(objectClass=*)', attributes: [...SCHEMA_ATTRIBUTES] }), subscriptions);
    if (entry === undefined) throw new LdapError(ResultCode.noSuchObject, { diagnosticMessage: `no subschema subentry at ${base}` });
    const { strict } = schemaOptions;
    return parseSchema(entry, { ...(strict === undefined ? {} : { strict }), ...(source === undefined ? {} : { source }) });
  });

/**
 * unavailableCriticalExtension (12) says a critical control was not processed, not which: when
 * the root DSE read earlier does not list one of the request's critical controls, the error
 * says so.
 */
export const explainRefusedControl = (error: Error, controls: readonly Control[] | undefined, dse: RootDSE | undefined): Error => {
  if (!(error instanceof LdapError) || error.code !== ResultCode.unavailableCriticalExtension || dse === undefined) return error;
  const unlisted = (controls ?? []).filter((control) => control.criticality && !dse.supportsControl(control.oid)).map((control) => control.oid);
  if (unlisted.length > 0) error.message += ` (the server's root DSE does not list ${unlisted.length === 1 ? 'control' : 'controls'} ${unlisted.join(', ')} in supportedControl)`;
  return error;
};

/** A SASL mechanism the server's root DSE (when the client has read it) does not offer fails here, before any credential is sent. */
export const checkSaslMechanism = (name: string, dse: RootDSE | undefined): void => {
  // EXTERNAL is often usable without being listed (slapd lists it only where it can succeed): it carries no secret, so let the server say.
  if (dse === undefined || dse.supportedSASLMechanisms.length === 0 || name.toUpperCase() === 'EXTERNAL' || dse.supportsSaslMechanism(name)) return;
  throw new SaslError(name, `the server does not offer it (its root DSE lists ${dse.supportedSASLMechanisms.join(', ')})`);
};
