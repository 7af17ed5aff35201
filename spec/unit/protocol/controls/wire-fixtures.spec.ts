import { expect } from 'chai';
import { BerReader, Tag, ctxConstructed, ctxPrimitive } from '../../../../lib/ber';
import { ControlOid, decodeControl, encodeControlValue } from '../../../../lib/protocol/controls';
import type { Control, ControlDirection, ControlOfType, ControlType } from '../../../../lib/protocol/controls';
import { SYNC_INFO_OID, decodeSyncInfoValue, encodeSyncInfoValue } from '../../../../lib/protocol/intermediate/sync-info';
import type { SyncInfo } from '../../../../lib/protocol/intermediate/sync-info';
import { loadWireFixture, loadWireFixtures } from '../../../support/fixtures';

// Controls as OpenLDAP 2.5's tools and slapd put them on the wire (spec/fixtures/wire). The PDUs
// are walked here with BerReader alone, so these checks depend on the control codecs only.

interface WireControl {
  fixture: string;
  oid: string;
  criticality: boolean;
  value: Buffer | undefined;
  direction: ControlDirection;
}
interface WireIntermediate {
  responseName: string | undefined;
  responseValue: Buffer | undefined;
}

/** [APPLICATION n] numbers of the request protocolOps (RFC 4511 §4.2–4.12). */
const REQUEST_OPS = new Set([0, 2, 3, 6, 8, 10, 12, 14, 16, 23]);
const INTERMEDIATE_RESPONSE = 0x79;

const walk = (fixture: string, bytes: Buffer): { controls: WireControl[]; intermediates: WireIntermediate[] } => {
  const controls: WireControl[] = [];
  const intermediates: WireIntermediate[] = [];
  const reader = new BerReader(bytes);
  while (!reader.atEnd) {
    const end = reader.enter(Tag.SEQUENCE);
    reader.skip(end); // messageID
    const opTag = reader.peekTag(end);
    const direction: ControlDirection = REQUEST_OPS.has(opTag & 0x1f) ? 'request' : 'response';
    if (opTag === INTERMEDIATE_RESPONSE) {
      const opEnd = reader.enter(INTERMEDIATE_RESPONSE, end);
      const responseName = reader.peekTag(opEnd) === ctxPrimitive(0) ? reader.readString(ctxPrimitive(0), opEnd) : undefined;
      const responseValue = reader.peekTag(opEnd) === ctxPrimitive(1) ? reader.readOctetString(ctxPrimitive(1), opEnd) : undefined;
      reader.exit(opEnd);
      intermediates.push({ responseName, responseValue });
    } else {
      reader.skip(end);
    }
    if (reader.pos < end) {
      const listEnd = reader.enter(ctxConstructed(0), end);
      while (reader.pos < listEnd) {
        const controlEnd = reader.enter(Tag.SEQUENCE, listEnd);
        const oid = reader.readString(Tag.OCTET_STRING, controlEnd);
        const criticality = reader.peekTag(controlEnd) === Tag.BOOLEAN ? reader.readBoolean(Tag.BOOLEAN, controlEnd) : false;
        const value = reader.pos < controlEnd ? reader.readOctetString(Tag.OCTET_STRING, controlEnd) : undefined;
        reader.exit(controlEnd);
        controls.push({ fixture, oid, criticality, value, direction });
      }
      reader.exit(listEnd);
    }
    reader.exit(end);
  }
  return { controls, intermediates };
};

const allControls = (): WireControl[] => loadWireFixtures().flatMap(({ name, bytes }) => walk(name, bytes).controls);
const controlsOf = (name: string): Control[] =>
  walk(name, loadWireFixture(name)).controls.map((c) => decodeControl(c.oid, c.criticality, c.value, c.direction));
const ofType = <T extends ControlType>(list: Control[], type: T): Array<ControlOfType<T>> =>
  list.filter((c): c is ControlOfType<T> => c.type === type);

describe('control codecs against real OpenLDAP traffic (spec/fixtures/wire)', () => {
  const known = new Set<string>(Object.values(ControlOid));

  it('decodes every control with a known OID into its typed shape and re-encodes the same octets', () => {
    const seen = new Set<string>();
    for (const wire of allControls()) {
      const control = decodeControl(wire.oid, wire.criticality, wire.value, wire.direction);
      if (!known.has(wire.oid)) {
        expect(control.type, `${wire.fixture} ${wire.oid}`).to.equal('raw');
        continue;
      }
      expect(control.type, `${wire.fixture} ${wire.oid} (${wire.direction})`).to.not.equal('raw');
      const encoded = encodeControlValue(control);
      expect(encoded?.toString('hex'), `${wire.fixture} ${control.type}`).to.equal(wire.value?.toString('hex'));
      seen.add(control.type);
    }
    expect([...seen]).to.include.members([
      'pagedResults', 'sortRequest', 'sortResponse', 'vlvRequest', 'vlvResponse', 'syncRequest', 'syncState', 'syncDone',
      'assertion', 'proxiedAuthorization', 'manageDsaIT', 'passwordPolicyRequest', 'preReadRequest', 'postReadRequest',
      'preReadResponse', 'postReadResponse', 'transactionSpecification',
    ]);
  });

  it('search-sort-vlv: sort by cn with an ordering rule, a VLV window by offset, and both responses', () => {
    const requests = controlsOf('search-sort-vlv.0.client');
    expect(ofType(requests, 'sortRequest')[0]!.value.keys).to.deep.equal([
      { attributeType: 'cn', orderingRule: 'caseIgnoreOrderingMatch', reverseOrder: false },
    ]);
    // ldapsearch -E vlv=1/2/5/0: before 1, after 2, offset 5, contentCount 0
    expect(ofType(requests, 'vlvRequest')[0]!.value).to.deep.include({ beforeCount: 1, afterCount: 2 });
    expect(ofType(requests, 'vlvRequest')[0]!.value.target).to.deep.equal({ type: 'byOffset', offset: 5, contentCount: 0 });
    const responses = controlsOf('search-sort-vlv.0.server');
    expect(ofType(responses, 'sortResponse')[0]!.value.sortResult).to.equal(0);
    const vlv = ofType(responses, 'vlvResponse')[0]!.value;
    expect(vlv.virtualListViewResult).to.equal(0);
    expect(vlv.targetPosition).to.equal(5);
    expect(vlv.contentCount).to.be.greaterThan(0);
  });

  it('search-sync-ro: a refreshOnly request, a present/add state per entry with a 16-octet UUID, Sync Done with a cookie', () => {
    const [request] = ofType(controlsOf('search-sync-ro.0.client'), 'syncRequest');
    expect(request!.value).to.deep.equal({ mode: 'refreshOnly', reloadHint: false });
    const responses = controlsOf('search-sync-ro.0.server');
    const states = ofType(responses, 'syncState');
    expect(states.length).to.be.greaterThan(0);
    for (const state of states) {
      expect(state.value.entryUUID).to.have.length(16);
      expect(['add', 'present']).to.include(state.value.state);
    }
    const [done] = ofType(responses, 'syncDone');
    expect(done!.value.cookie?.toString()).to.match(/^rid=\d+,csn=|csn=/);
  });

  it('search-sync-rp: Sync Info messages decode and re-encode to the same octets', () => {
    const { intermediates } = walk('search-sync-rp.0.server', loadWireFixture('search-sync-rp.0.server'));
    const infos: SyncInfo[] = [];
    for (const { responseName, responseValue } of intermediates) {
      expect(responseName).to.equal(SYNC_INFO_OID);
      const info = decodeSyncInfoValue(responseValue!);
      expect(encodeSyncInfoValue(info).toString('hex')).to.equal(responseValue!.toString('hex'));
      infos.push(info);
    }
    expect(infos.length).to.be.greaterThan(0);
    // The refresh stage of a refreshAndPersist search ends with a refreshDone Sync Info.
    expect(infos.some((info) => (info.type === 'refreshPresent' || info.type === 'refreshDelete') && info.refreshDone)).to.equal(true);
    const [request] = ofType(controlsOf('search-sync-rp.0.client'), 'syncRequest');
    expect(request!.value.mode).to.equal('refreshAndPersist');
  });

  it('search-controls: critical assertion and proxied authorization, manageDsaIT, password policy request', () => {
    const controls = controlsOf('search-controls.0.client');
    const [assertion] = ofType(controls, 'assertion');
    expect(assertion).to.deep.equal({
      type: 'assertion',
      oid: ControlOid.assertion,
      criticality: true,
      value: { filter: { type: 'present', attribute: 'objectClass' } },
    });
    expect(ofType(controls, 'proxiedAuthorization')[0]).to.deep.equal({
      type: 'proxiedAuthorization',
      oid: ControlOid.proxiedAuthorization,
      criticality: true,
      value: { authzId: 'dn:cn=admin,dc=example,dc=com' },
    });
    expect(ofType(controls, 'manageDsaIT')).to.have.length(1);
    // ldapsearch sends -e ppolicy on the bind as well as on the search.
    expect(ofType(controls, 'passwordPolicyRequest')).to.have.length(2);
  });

  it('modify-readentry: pre-read and post-read entries come back', () => {
    const responses = controlsOf('modify-readentry.0.server');
    const pre = ofType(responses, 'preReadResponse');
    const post = ofType(responses, 'postReadResponse');
    expect(pre.length + post.length).to.be.greaterThan(0);
    for (const control of [...pre, ...post]) expect(control.value.objectName).to.match(/dc=example,dc=com$/);
  });

  it('modify-txn: the transaction specification control carries the (empty) identifier slapd gave', () => {
    // slapd answers Start Transaction with an empty identifier (`8b 00`): one transaction per
    // connection. The control must carry those zero octets, present but empty (`04 00`).
    const [txn] = ofType(controlsOf('modify-txn.0.client'), 'transactionSpecification');
    expect(txn).to.deep.equal({
      type: 'transactionSpecification',
      oid: ControlOid.transactionSpecification,
      criticality: true,
      value: { transactionId: Buffer.alloc(0) },
    });
  });
});
