import { expect } from 'chai';
import { evaluateFilter, parseFilter, type FilterEntry } from '../../../lib/filter';

const entry: FilterEntry = {
  objectName: 'cn=Office,dc=example,dc=com',
  attributes: [
    { type: 'x121Address', vals: [Buffer.from('1234 5678')] },
    { type: 'postalAddress', vals: [Buffer.from('1 Main St$Anytown\\24 Ltd$USA')] },
    { type: 'dnQualifier', vals: [Buffer.from('M')] },
    { type: '2.5.4.5', vals: [Buffer.from('SN-42')] },
  ],
};
const evaluate = (text: string): string => evaluateFilter(parseFilter(text), entry);

describe('filter evaluation with the shared attribute table', () => {
  it('numericString types ignore spaces and reject non-numeric assertions', () => {
    expect(evaluate('(x121Address=12345678)')).to.equal('TRUE');
    expect(evaluate('(x121Address=1234*78)')).to.equal('TRUE');
    expect(evaluate('(x121Address=abc)')).to.equal('UNDEFINED');
    expect(evaluate('(x121Address:numericStringOrderingMatch:=2)')).to.equal('TRUE');
  });

  it('postalAddress compares line by line, and substrings do not span lines', () => {
    expect(evaluate('(postalAddress=1 MAIN ST$anytown\\5c24 ltd$usa)')).to.equal('TRUE');
    expect(evaluate('(postalAddress=1 Main St)')).to.equal('FALSE');
    expect(evaluate('(postalAddress=*town$ ltd*)')).to.equal('TRUE');
    expect(evaluate('(postalAddress=*St Any*)')).to.equal('FALSE');
  });

  it('types the DN table knew are found by OID, and caseIgnore types still order', () => {
    expect(evaluate('(serialNumber=sn-42)')).to.equal('TRUE');
    expect(evaluate('(dnQualifier>=a)')).to.equal('TRUE');
    expect(evaluate('(serialNumber<=z)')).to.equal('TRUE');
  });
});
