import { compileFilter } from '../deps';
import type { Control, ControlOfType, ControlType } from '../deps';
import type { OperationContext } from '../context';
import type { StoredEntry } from '../entry';
import { viewEntry } from '../operational';
import { failure } from '../result';
import { AttributeSelection } from '../selection';

/**
 * Request controls: the ones an operation acts on are read with `control()`; any other control
 * marked critical fails the operation with unavailableCriticalExtension (RFC 4511 §4.1.11),
 * and a non-critical one is ignored.
 */
export const checkControls = (context: OperationContext, understood: readonly ControlType[]): void => {
  for (const control of context.controls) {
    if (control.criticality && !understood.includes(control.type)) throw failure('unavailableCriticalExtension', 'critical extension is unavailable');
  }
};

export const control = <T extends ControlType>(context: OperationContext, type: T): ControlOfType<T> | undefined =>
  context.controls.find((candidate: Control): candidate is ControlOfType<T> => candidate.type === type);

/** RFC 4528: the operation goes ahead only when the filter is TRUE for the target entry. */
export const checkAssertion = (context: OperationContext, entry: StoredEntry | undefined): void => {
  const assertion = control(context, 'assertion');
  if (assertion === undefined || entry === undefined) return;
  if (compileFilter(assertion.value.filter, { schema: context.settings.directory.schema.model })(entry) !== 'TRUE') throw failure('assertionFailed', 'assertion control failed');
};

/** The entry a pre-read or post-read control returns (RFC 4527): the attributes it asks for that the requester may read. */
export const readEntryControl = (
  context: OperationContext,
  requestType: 'preReadRequest' | 'postReadRequest',
  entry: StoredEntry,
): Control | undefined => {
  const wanted = control(context, requestType);
  if (wanted === undefined) return undefined;
  const { directory, access } = context.settings;
  const selection = new AttributeSelection(directory.schema, wanted.value.attributes);
  const view = viewEntry({ schema: directory.schema, hasChildren: (e) => directory.hasChildren(e), contextCSN: () => undefined }, entry);
  const attributes = selection
    .pick(view)
    .filter((attribute) => access.allows(context.session.identity, entry, attribute.type, 'read'));
  const value = { objectName: entry.dnText, attributes };
  return requestType === 'preReadRequest'
    ? { type: 'preReadResponse', oid: wanted.oid, criticality: false, value }
    : { type: 'postReadResponse', oid: wanted.oid, criticality: false, value };
};
