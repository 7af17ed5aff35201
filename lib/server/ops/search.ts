import { randomBytes } from 'node:crypto';
import { parseDN, ResultCode } from '../deps';
import type { Control, LdapResult, SearchRequest } from '../deps';
import type { OperationContext } from '../context';
import type { StoredEntry } from '../entry';
import { SUBSCHEMA_DN } from '../operational';
import { failure, success } from '../result';
import { rootDse, subschemaEntry } from '../root-dse';
import { referralOf, SearchPlan } from '../search-plan';
import { AttributeSelection } from '../selection';
import { checkAssertion, checkControls, control } from './controls';
import { endStopped, limitsOf } from './search-common';
import { persistentSearch } from './psearch';
import { sortEntries } from './sort';
import { syncSearch } from './syncrepl';

const SORT_SUCCESS: Control = { type: 'sortResponse', oid: '1.2.840.113556.1.4.474', criticality: false, value: { sortResult: 0 } };

/** Give other connections a turn after this many entries of one search. */
const TURN = 512;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const done = (context: OperationContext, result: LdapResult = success(), controls?: Control[]): void => {
  context.reply.send({ type: 'searchResDone', ...result }, controls);
  context.finish();
};

/**
 * Search (RFC 4511 §4.5): the root DSE and cn=Subschema, plain searches streamed with
 * backpressure, paged results (RFC 2696), server-side sort (RFC 2891), syncrepl (RFC 4533) and
 * persistent search, with the size and time limits slapd would apply.
 */
export const search = async (context: OperationContext, request: SearchRequest): Promise<void> => {
  checkControls(context, ['pagedResults', 'sortRequest', 'syncRequest', 'persistentSearch', 'manageDsaIT', 'assertion']);
  if (special(context, request)) return;
  const { directory, access } = context.settings;
  const plan = new SearchPlan(directory, access, context.session.identity, request, control(context, 'manageDsaIT') !== undefined);
  const sync = control(context, 'syncRequest');
  if (sync !== undefined) {
    // Only the naming contexts are served by a sync provider (slapd's cn=config has none).
    if (directory.holds(plan.base)) return syncSearch(context, plan, sync);
    if (sync.criticality) throw failure('unavailableCriticalExtension', 'critical extension is unavailable');
  }
  const persistent = control(context, 'persistentSearch');
  if (persistent !== undefined) return persistentSearch(context, plan, persistent);
  const paged = control(context, 'pagedResults');
  if (paged !== undefined) return pagedSearch(context, plan, paged);
  const sort = control(context, 'sortRequest');
  const limits = limitsOf(context, request);
  const base = plan.resolveBase();
  checkAssertion(context, base);
  if (sort !== undefined) {
    const sorted = sortEntries(directory.schema, collect(plan, base), sort.value.keys, (entry) => plan.operationalOf(entry));
    await stream(context, plan, sorted, limits, [SORT_SUCCESS]);
    return;
  }
  await stream(context, plan, filtered(plan, base), limits);
};

/** The matching entries (and, unless the DSA IT is managed, the referral objects in scope, whatever the filter), lazily. */
function* filtered(plan: SearchPlan, base: StoredEntry): IterableIterator<StoredEntry> {
  for (const entry of plan.candidates(base)) {
    if (entry !== base && !plan.manageDsaIT && referralOf(entry) !== undefined) yield entry;
    else if (plan.matches(entry)) yield entry;
  }
}

const collect = (plan: SearchPlan, base: StoredEntry): StoredEntry[] => [...filtered(plan, base)];

/** Sends entries until done, a limit, a stop, or the socket asks to wait. */
const stream = async (
  context: OperationContext,
  plan: SearchPlan,
  entries: Iterable<StoredEntry>,
  limits: { size: number; time: number },
  doneControls?: Control[],
): Promise<void> => {
  const started = Date.now();
  let sent = 0;
  let seen = 0;
  for (const entry of entries) {
    if (context.stopped !== undefined) return endStopped(context);
    const urls = plan.manageDsaIT ? undefined : referralOf(entry);
    if (urls !== undefined) {
      // RFC 4511 §4.5.3: a continuation reference, its scope part saying how to go on there.
      const scope = plan.request.scope === 'singleLevel' ? '??base' : '??sub';
      context.reply.send({ type: 'searchResRef', uris: urls.map((url) => (url.includes('?') ? url : `${url}${scope}`)) });
      continue;
    }
    if (limits.size > 0 && sent >= limits.size) return done(context, { resultCode: ResultCode.sizeLimitExceeded, matchedDN: '', diagnosticMessage: '' }, doneControls);
    context.reply.send(plan.toEntry(entry));
    sent++;
    if (!context.reply.writable) await context.reply.drained();
    if (++seen % TURN === 0) {
      await nextTurn();
      if (limits.time > 0 && Date.now() - started > limits.time * 1000) {
        return done(context, { resultCode: ResultCode.timeLimitExceeded, matchedDN: '', diagnosticMessage: '' }, doneControls);
      }
    }
  }
  if (context.stopped !== undefined) return endStopped(context);
  done(context, success(), doneControls);
};

/** The root DSE (base '' with scope base) and the subschema subentry; true when the request was one of them. */
const special = (context: OperationContext, request: SearchRequest): boolean => {
  const isRoot = request.baseObject === '';
  let isSubschema = false;
  if (!isRoot) {
    try {
      isSubschema = parseDN(request.baseObject).equals(SUBSCHEMA_DN);
    } catch {
      return false;
    }
  }
  if (!isRoot && !isSubschema) return false;
  if (request.scope !== 'baseObject') {
    if (isRoot) throw failure('noSuchObject');
    done(context);
    return true;
  }
  const { directory } = context.settings;
  const virtual = isRoot
    ? rootDse(directory, { tls: context.settings.tls !== undefined, saslMechanisms: context.settings.tls?.ca === undefined ? ['PLAIN'] : ['EXTERNAL', 'PLAIN'] })
    : subschemaEntry(directory);
  const plan = new SearchPlan(directory, context.settings.access, context.session.identity, request);
  const filterEntry = { objectName: isRoot ? '' : SUBSCHEMA_DN, attributes: [...virtual.user, ...virtual.operational] };
  if (plan.matchesVirtual(filterEntry)) {
    const selection = new AttributeSelection(directory.schema, request.attributes);
    let attributes = selection.pick([...virtual.user.map((attribute) => ({ attribute, operational: false })), ...virtual.operational.map((attribute) => ({ attribute, operational: true }))]);
    if (request.typesOnly) attributes = attributes.map((attribute) => ({ type: attribute.type, vals: [] }));
    context.reply.send({ type: 'searchResEntry', objectName: filterEntry.objectName, attributes });
  }
  done(context);
  return true;
};

/**
 * Paged results: the first request runs the search (sorted, if asked) and keeps the DNs of the
 * results; each request then sends the next `size` of them (as they are now: an entry deleted
 * meanwhile is skipped) with a cookie, and an empty cookie with the last page. One paged search
 * per connection, as slapd: a new one ends the previous. Size 0 abandons it (RFC 2696 §3).
 */
const pagedSearch = async (context: OperationContext, plan: SearchPlan, paged: { value: { size: number; cookie: Buffer } }): Promise<void> => {
  const { session, settings } = context;
  if (!settings.userPaging && !session.identity.root) throw failure('adminLimitExceeded', 'pagedResults control not allowed');
  const { size, cookie } = paged.value;
  const signature = `${plan.request.baseObject}|${plan.request.scope}|${JSON.stringify(plan.request.filter, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('hex') : value))}`;
  let state = session.paged;
  if (cookie.length === 0) {
    const base = plan.resolveBase();
    checkAssertion(context, base);
    let entries = collect(plan, base);
    const sort = control(context, 'sortRequest');
    if (sort !== undefined) entries = sortEntries(settings.directory.schema, entries, sort.value.keys, (entry) => plan.operationalOf(entry));
    const limits = limitsOf(context, plan.request);
    // Like slapd's size.prtotal defaulting to the hard limit: paging does not get around the size limit.
    const truncated = limits.size > 0 && entries.length > limits.size;
    if (truncated) entries = entries.slice(0, limits.size);
    state = { cookie: randomBytes(8).toString('hex'), signature, remaining: entries.map((entry) => entry.key), plan, truncated, sorted: sort !== undefined };
    session.paged = state;
  } else if (state === undefined || state.cookie !== cookie.toString('latin1') || state.signature !== signature) {
    throw failure('protocolError', 'paged results cookie is invalid');
  }
  // With a sort, slapd's sssvlv overlay answers the paging: a sort result on every page, and
  // how many entries are left as the page control's size (its estimate).
  const sorted = state.sorted;
  const pageControl = (next: string, left = 0): Control[] => [
    ...(sorted ? [SORT_SUCCESS] : []),
    { type: 'pagedResults', oid: '1.2.840.113556.1.4.319', criticality: false, value: { size: sorted ? left : 0, cookie: Buffer.from(next, 'latin1') } },
  ];
  if (size === 0 && cookie.length > 0) {
    session.paged = undefined;
    return done(context, success(), pageControl(''));
  }
  const take = state.remaining.splice(0, size === 0 ? state.remaining.length : size);
  let seen = 0;
  for (const key of take) {
    if (context.stopped !== undefined) return endStopped(context);
    const entry = settings.directory.getByKey(key);
    if (entry === undefined || !state.plan.matches(entry)) continue;
    context.reply.send(state.plan.toEntry(entry));
    if (!context.reply.writable) await context.reply.drained();
    if (++seen % TURN === 0) {
      await nextTurn();
    }
  }
  if (state.remaining.length === 0) {
    session.paged = undefined;
    if (state.truncated) return done(context, { resultCode: ResultCode.sizeLimitExceeded, matchedDN: '', diagnosticMessage: '' });
    return done(context, success(), pageControl(''));
  }
  // The cookie changes with every page, so a replayed older cookie is refused.
  const next = { ...state, cookie: randomBytes(8).toString('hex') };
  session.paged = next;
  done(context, success(), pageControl(next.cookie, next.remaining.length));
};
