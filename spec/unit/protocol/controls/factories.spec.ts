import { expect } from 'chai';
import {
  ControlOid,
  assertionControl,
  encodeControlValue,
  pagedResultsControl,
  persistentSearchControl,
  postReadControl,
  preReadControl,
  sortControl,
  syncRequestControl,
  vlvControl,
} from '../../../../lib/protocol/controls';
import { hex, roundTrip } from './helpers';

const encodedHex = (control: Parameters<typeof encodeControlValue>[0]): string | undefined => encodeControlValue(control)?.toString('hex');

describe('control builders', () => {
  it('pagedResultsControl: empty cookie by default, critical on request', () => {
    const control = pagedResultsControl({ size: 100 });
    expect(control).to.deep.equal({ type: 'pagedResults', oid: ControlOid.pagedResults, criticality: false, value: { size: 100, cookie: Buffer.alloc(0) } });
    expect(encodedHex(control)).to.equal('300502016404' + '00');
    expect(pagedResultsControl({ size: 5, cookie: hex('01') }, { critical: true }).criticality).to.equal(true);
  });

  it('syncRequestControl: reloadHint FALSE by default, cookie as bytes', () => {
    expect(syncRequestControl({ mode: 'refreshOnly' })).to.deep.equal({
      type: 'syncRequest',
      oid: ControlOid.syncRequest,
      criticality: false,
      value: { mode: 'refreshOnly', reloadHint: false },
    });
    const resumed = syncRequestControl({ mode: 'refreshAndPersist', cookie: 'rid=001' }, { critical: true });
    expect(resumed.value.cookie).to.deep.equal(Buffer.from('rid=001'));
    expect(encodedHex(resumed)).to.equal(hex('30 0c 0a 01 03 04 07 72 69 64 3d 30 30 31').toString('hex'));
  });

  it('persistentSearchControl: every change, changes only, with ECs by default; names or a mask', () => {
    expect(persistentSearchControl().value).to.deep.equal({ changeTypes: 15, changesOnly: true, returnECs: true });
    expect(persistentSearchControl({ changeTypes: ['add', 'modDN'], changesOnly: false }).value).to.deep.equal({
      changeTypes: 9,
      changesOnly: false,
      returnECs: true,
    });
    expect(persistentSearchControl({ changeTypes: 4 }).value.changeTypes).to.equal(4);
    expect(() => persistentSearchControl({ changeTypes: [] })).to.throw(RangeError);
    expect(() => persistentSearchControl({ changeTypes: ['rename' as never] })).to.throw(TypeError, /rename/);
    expect(() => persistentSearchControl({ changeTypes: 32 })).to.throw(RangeError);
  });

  it('sortControl: objects or `[-]attribute[:rule]` text', () => {
    expect(sortControl(['sn', '-cn', 'uid:2.5.13.3', '-mail:1.2.3']).value.keys).to.deep.equal([
      { attributeType: 'sn', reverseOrder: false },
      { attributeType: 'cn', reverseOrder: true },
      { attributeType: 'uid', orderingRule: '2.5.13.3', reverseOrder: false },
      { attributeType: 'mail', orderingRule: '1.2.3', reverseOrder: true },
    ]);
    expect(sortControl({ attributeType: 'cn', reverseOrder: true }).value.keys).to.deep.equal([{ attributeType: 'cn', reverseOrder: true }]);
    expect(sortControl('cn').value.keys).to.deep.equal([{ attributeType: 'cn', reverseOrder: false }]);
    expect(() => sortControl('-')).to.throw(TypeError);
    expect(() => sortControl('cn:')).to.throw(TypeError);
    expect(encodedHex(sortControl(['-cn']))).to.equal(hex('30 09 30 07 04 02 63 6e 81 01 ff').toString('hex'));
  });

  it('vlvControl: by offset (contentCount 0 by default), by value, or with a target', () => {
    expect(vlvControl({ beforeCount: 0, afterCount: 9, offset: 1 }).value).to.deep.equal({
      beforeCount: 0,
      afterCount: 9,
      target: { type: 'byOffset', offset: 1, contentCount: 0 },
    });
    const byValue = vlvControl({ beforeCount: 1, afterCount: 1, greaterThanOrEqual: 'm', contextID: hex('aa') });
    expect(byValue.value).to.deep.equal({
      beforeCount: 1,
      afterCount: 1,
      target: { type: 'greaterThanOrEqual', assertionValue: Buffer.from('m') },
      contextID: hex('aa'),
    });
    expect(roundTrip(byValue)).to.deep.equal(byValue);
    const target = { type: 'byOffset' as const, offset: 5, contentCount: 50 };
    expect(vlvControl({ beforeCount: 2, afterCount: 2, target }, { critical: true })).to.deep.equal({
      type: 'vlvRequest',
      oid: ControlOid.vlvRequest,
      criticality: true,
      value: { beforeCount: 2, afterCount: 2, target },
    });
  });

  it('preReadControl / postReadControl: all user attributes by default', () => {
    expect(preReadControl()).to.deep.equal({ type: 'preReadRequest', oid: ControlOid.preRead, criticality: false, value: { attributes: [] } });
    expect(postReadControl(['entryCSN', 'cn'], { critical: true })).to.deep.equal({
      type: 'postReadRequest',
      oid: ControlOid.postRead,
      criticality: true,
      value: { attributes: ['entryCSN', 'cn'] },
    });
  });

  it('assertionControl: wraps a Filter', () => {
    const control = assertionControl({ type: 'present', attribute: 'cn' });
    expect(control).to.deep.equal({ type: 'assertion', oid: ControlOid.assertion, criticality: false, value: { filter: { type: 'present', attribute: 'cn' } } });
    expect(encodedHex(control)).to.equal('8702636e');
  });
});
