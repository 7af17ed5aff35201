import { parseDN, InvalidDNError, findMatchingRule } from '../deps';
import type { AddRequest, CompareRequest, Control, DelRequest, DN, ModifyDNRequest, ModifyRequest } from '../deps';
import type { AccessLevel } from '../access';
import type { OperationContext } from '../context';
import type { Actor } from '../directory';
import { resolveName, valueKeyOf } from '../entry';
import type { StoredEntry } from '../entry';
import { failure, success } from '../result';
import { checkAssertion, checkControls, control, readEntryControl } from './controls';
import { checkReferral } from '../search-plan';

/**
 * Add, modify, delete, modify DN and compare: access control and controls around the
 * directory's own checks. Who may write is decided first, as slapd does: nothing is written by
 * an anonymous client (strongerAuthRequired), and a missing right is insufficientAccessRights.
 */

export const dnOf = (text: string): DN => {
  try {
    return parseDN(text);
  } catch (error) {
    if (error instanceof InvalidDNError) throw failure('invalidDNSyntax', 'invalid DN');
    throw error;
  }
};

const actorOf = (context: OperationContext): Actor => ({ dn: context.session.identity.text, root: context.session.identity.root });

const requireAuthenticated = (context: OperationContext): void => {
  if (context.session.identity.dn === undefined) throw failure('strongerAuthRequired', 'modifications require authentication');
};

const requireAccess = (context: OperationContext, dn: DN, attribute: string, level: AccessLevel, message = ''): void => {
  if (!context.settings.access.allows(context.session.identity, dn, attribute, level)) throw failure('insufficientAccessRights', message);
};

/**
 * The target entry, or noSuchObject showing a matched DN only if the requester may know it
 * exists, or a referral when it is (or lies below) a referral object and ManageDsaIT was not sent.
 */
const target = (context: OperationContext, dn: DN): StoredEntry => {
  const { directory, access } = context.settings;
  if (control(context, 'manageDsaIT') === undefined) checkReferral(directory, dn);
  const entry = directory.get(dn);
  if (entry !== undefined) return entry;
  const matched = directory.matchedDN(dn);
  const shown = matched !== '' && access.allows(context.session.identity, parseDN(matched), 'entry', 'disclose') ? matched : '';
  throw failure('noSuchObject', '', shown);
};

const controlsOf = (...controls: Array<Control | undefined>): Control[] => controls.filter((c): c is Control => c !== undefined);

export const add = (context: OperationContext, request: AddRequest): void => {
  checkControls(context, ['assertion', 'postReadRequest', 'manageDsaIT']);
  const dn = dnOf(request.entry);
  requireAuthenticated(context);
  const parent = dn.parent();
  const { directory } = context.settings;
  if (parent !== undefined && parent.length > 0 && directory.get(parent) !== undefined) requireAccess(context, parent, 'children', 'write', 'no write access to parent');
  requireAccess(context, dn, 'entry', 'write');
  const entry = directory.add(dn, request.attributes, actorOf(context));
  context.reply.send({ type: 'addResponse', ...success() }, controlsOf(readEntryControl(context, 'postReadRequest', entry)));
};

export const modify = (context: OperationContext, request: ModifyRequest): void => {
  checkControls(context, ['assertion', 'preReadRequest', 'postReadRequest', 'permissiveModify', 'manageDsaIT']);
  const dn = dnOf(request.object);
  requireAuthenticated(context);
  const before = target(context, dn);
  for (const change of request.changes) requireAccess(context, dn, change.modification.type, 'write');
  checkAssertion(context, before);
  const after = context.settings.directory.applyChanges(dn, request.changes, actorOf(context), { permissive: control(context, 'permissiveModify') !== undefined });
  context.reply.send(
    { type: 'modifyResponse', ...success() },
    controlsOf(readEntryControl(context, 'preReadRequest', before), readEntryControl(context, 'postReadRequest', after)),
  );
};

export const del = (context: OperationContext, request: DelRequest): void => {
  checkControls(context, ['assertion', 'preReadRequest', 'subtreeDelete', 'manageDsaIT']);
  const dn = dnOf(request.entry);
  requireAuthenticated(context);
  const entry = target(context, dn);
  const parent = dn.parent();
  if (parent !== undefined && parent.length > 0) requireAccess(context, parent, 'children', 'write', 'no write access to parent');
  requireAccess(context, dn, 'entry', 'write');
  checkAssertion(context, entry);
  const preRead = readEntryControl(context, 'preReadRequest', entry);
  context.settings.directory.delete(dn, { subtree: control(context, 'subtreeDelete') !== undefined });
  context.reply.send({ type: 'delResponse', ...success() }, controlsOf(preRead));
};

export const modifyDN = (context: OperationContext, request: ModifyDNRequest): void => {
  checkControls(context, ['assertion', 'preReadRequest', 'postReadRequest', 'manageDsaIT']);
  const dn = dnOf(request.entry);
  requireAuthenticated(context);
  const before = target(context, dn);
  const newSuperior = request.newSuperior === undefined ? undefined : dnOf(request.newSuperior);
  const parent = dn.parent();
  if (parent !== undefined && parent.length > 0) requireAccess(context, parent, 'children', 'write', "no write access to parent's children");
  if (newSuperior !== undefined && context.settings.directory.get(newSuperior) !== undefined) requireAccess(context, newSuperior, 'children', 'write', 'no write access to new superior');
  requireAccess(context, dn, 'entry', 'write');
  checkAssertion(context, before);
  const after = context.settings.directory.rename(dn, request.newrdn, request.deleteoldrdn, newSuperior, actorOf(context));
  context.reply.send(
    { type: 'modDNResponse', ...success() },
    controlsOf(readEntryControl(context, 'preReadRequest', before), readEntryControl(context, 'postReadRequest', after)),
  );
};

export const compare = (context: OperationContext, request: CompareRequest): void => {
  checkControls(context, ['assertion', 'manageDsaIT']);
  const dn = dnOf(request.entry);
  const { directory, access } = context.settings;
  const entry = target(context, dn);
  if (!access.allows(context.session.identity, entry, 'entry', 'disclose')) throw failure('noSuchObject');
  const name = resolveName(directory.schema, request.ava.attributeDesc);
  if (directory.checking && name.type === undefined) throw failure('undefinedAttributeType');
  if (!access.allows(context.session.identity, entry, request.ava.attributeDesc, 'compare')) throw failure('insufficientAccessRights');
  checkAssertion(context, entry);
  const assertion = typeof request.ava.assertionValue === 'string' ? Buffer.from(request.ava.assertionValue, 'utf8') : request.ava.assertionValue;
  const values = name.key === 'objectclass' ? objectClassesWithSuperclasses(context, entry) : (entry.attribute(name.key)?.vals ?? []);
  if (values.length === 0) throw failure('noSuchAttribute');
  const rule = name.type?.equality === undefined ? undefined : findMatchingRule(name.type.equality);
  if (name.type !== undefined && name.type.equality === undefined) throw failure('inappropriateMatching');
  const keyOf = rule?.usage === 'equality' ? valueKeyOf(name.type) : undefined;
  const equal = keyOf === undefined ? (value: Buffer) => value.equals(assertion) : (value: Buffer) => keyOf(value) === keyOf(assertion);
  const found = values.some(equal);
  context.reply.send({ type: 'compareResponse', resultCode: found ? 6 : 5, matchedDN: '', diagnosticMessage: '' });
};

/** objectClass compares true for a superclass too (slapd's objectClass matching). */
const objectClassesWithSuperclasses = (context: OperationContext, entry: StoredEntry): Buffer[] => {
  const names = new Set<string>();
  for (const name of entry.objectClasses()) {
    names.add(name);
    for (const sup of context.settings.directory.schema.objectClass(name)?.chain ?? []) names.add(sup);
  }
  return [...names].map((name) => Buffer.from(name, 'utf8'));
};
