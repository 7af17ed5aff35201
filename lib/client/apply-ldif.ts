/**
 * Applying LDIF change records through a client (or a pool), as ldapmodify does: one record
 * after another, in order (a parent must exist before its children), each with its controls.
 * Every record gives a result; a failure either ends the run (the default, like ldapmodify) or,
 * with continueOnError, is reported and the next record is tried (like ldapmodify -c).
 */
import type { LdifAttribute, LdifRecord } from '../ldif/records';
import type { Attribute } from '../protocol/types';
import type { Operation } from '../operations/operation';
import type { Client } from './client';

/** What applyLdif needs of a client: Client and ConnectionPool both have it. */
export type LdifApplyTarget = Pick<Client, 'add' | 'modify' | 'delete' | 'modifyDN'>;

export interface ApplyLdifOptions {
  /** Go on with the next record after one fails (default false: the failed record's result is the last). */
  continueOnError?: boolean;
  /** What a content record (an entry, no changetype) means: an add, as `ldapadd` and `ldapmodify -a` take it (default), or an error. */
  contentRecords?: 'add' | 'refuse';
}

/** The outcome of one record. */
export interface LdifApplyResult {
  /** 0 for the first record. */
  readonly index: number;
  readonly record: LdifRecord;
  /** The record's line in its LDIF, when it was read from one. */
  readonly line: number | undefined;
  readonly ok: boolean;
  /** Why it failed (an LdapError for the server's refusal), when it did. */
  readonly error?: unknown;
}

const wire = (attributes: readonly LdifAttribute[]): Attribute[] => attributes.map((attribute) => ({ type: attribute.type, vals: [...attribute.vals] }));

const operationFor = (target: LdifApplyTarget, record: LdifRecord, contentRecords: 'add' | 'refuse'): Operation<void, void> => {
  switch (record.type) {
    case 'content':
      if (contentRecords === 'refuse') throw new TypeError('a content record (no changetype) cannot be applied with contentRecords: refuse');
      return target.add(record.dn, wire(record.attributes));
    case 'add':
      return target.add(record.dn, wire(record.attributes), { controls: record.controls });
    case 'delete':
      return target.delete(record.dn, { controls: record.controls });
    case 'modify':
      return target.modify(
        record.dn,
        record.changes.map((change) => ({ operation: change.operation, attribute: change.attribute, values: change.values })),
        { controls: record.controls },
      );
    case 'modrdn':
      return target.modifyDN(record.dn, record.newRdn, {
        deleteOldRdn: record.deleteOldRdn,
        controls: record.controls,
        ...(record.newSuperior !== undefined ? { newSuperior: record.newSuperior } : {}),
      });
  }
};

/**
 * Applies `records` (an LdifReader, parseLdif's array, or any iterable of records) in order and
 * yields each one's result. Records are read only as they are applied, so a file of any size
 * streams through. An error of the source itself (bad LDIF) is thrown from the iteration.
 *
 * ```ts
 * for await (const result of applyLdif(client, createReadStream('changes.ldif').pipe(new LdifReader()), { continueOnError: true })) {
 *   if (!result.ok) console.error(`line ${result.line}: ${String(result.error)}`);
 * }
 * ```
 */
export async function* applyLdif(
  target: LdifApplyTarget,
  records: AsyncIterable<LdifRecord> | Iterable<LdifRecord>,
  options: ApplyLdifOptions = {},
): AsyncGenerator<LdifApplyResult, void, undefined> {
  const contentRecords = options.contentRecords ?? 'add';
  let index = 0;
  for await (const record of records) {
    const line = record.line;
    let failure: { error: unknown } | undefined;
    try {
      await operationFor(target, record, contentRecords);
    } catch (error) {
      failure = { error };
    }
    if (failure === undefined) yield { index, record, line, ok: true };
    else {
      yield { index, record, line, ok: false, error: failure.error };
      if (options.continueOnError !== true) return;
    }
    index++;
  }
}
