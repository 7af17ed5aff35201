import { expect } from 'chai';
import { SearchEntry } from '../../../../lib/search/entry';
import { binaryAttributeSet, entryAttributes } from '../../../../lib/search/sync/attributes';

const entry = (attributes: Array<[string, Buffer[]]>): SearchEntry =>
  new SearchEntry('cn=x,dc=example,dc=com', attributes.map(([type, vals]) => ({ type, vals })));

describe('entryAttributes (the consumer\'s view of an entry)', () => {
  const bytes = Buffer.from([0xff, 0x00, 0x80]);

  it('decides base64 per binary set, though it remembers what it worked out for each description', () => {
    const photo = entry([['jpegPhoto', [bytes]], ['cn', [Buffer.from('Änn')]]]);
    // The same descriptions, first under a set that lists jpegPhoto, then under one that does not.
    expect(entryAttributes(photo, binaryAttributeSet(['jpegPhoto']))).to.deep.equal({ jpegPhoto: [bytes.toString('base64')], cn: ['Änn'] });
    expect(entryAttributes(photo, binaryAttributeSet([]))).to.deep.equal({ jpegPhoto: [bytes.toString('utf8')], cn: ['Änn'] });
    expect(entryAttributes(photo, binaryAttributeSet(['JPEGPHOTO']))).to.deep.equal({ jpegPhoto: [bytes.toString('base64')], cn: ['Änn'] });
  });

  it('decodes every value of a multi-valued attribute, with ;binary and listed types as base64 in any spelling', () => {
    const binary = binaryAttributeSet(['userCertificate']);
    const got = entryAttributes(entry([
      ['objectClass', [Buffer.from('top'), Buffer.from('person')]],
      ['USERCERTIFICATE', [bytes, Buffer.from([1])]],
      ['thing;lang-en;Binary', [bytes]],
      ['thing;lang-en', [Buffer.from('plain')]],
    ]), binary);
    expect(got).to.deep.equal({
      objectClass: ['top', 'person'],
      USERCERTIFICATE: [bytes.toString('base64'), 'AQ=='],
      'thing;lang-en;Binary': [bytes.toString('base64')],
      'thing;lang-en': ['plain'],
    });
  });

  it('merges a repeated description under its first spelling, after values of other types came between', () => {
    const got = entryAttributes(entry([['mail', [Buffer.from('a')]], ['cn', [Buffer.from('x')]], ['MAIL', [Buffer.from('b'), Buffer.from('c')]], ['Mail', [Buffer.from('d')]]]), binaryAttributeSet([]));
    expect(got).to.deep.equal({ mail: ['a', 'b', 'c', 'd'], cn: ['x'] });
    // Nothing inherited: attribute names such as constructor or valueOf are valid.
    expect('constructor' in got).to.equal(false);
    expect('valueOf' in got).to.equal(false);
    expect('hasOwnProperty' in got).to.equal(false);
  });

  it('keeps attributes named like Object members, __proto__ included, as own attributes', () => {
    const got = entryAttributes(entry([['constructor', [Buffer.from('a')]], ['__proto__', [Buffer.from('b')]], ['valueOf', [Buffer.from('c')]]]), binaryAttributeSet([]));
    expect(Object.keys(got)).to.deep.equal(['constructor', '__proto__', 'valueOf']);
    expect(got['__proto__']).to.deep.equal(['b']);
    expect(JSON.parse(JSON.stringify(got))).to.deep.equal(JSON.parse('{"constructor":["a"],"__proto__":["b"],"valueOf":["c"]}'));
  });
});
