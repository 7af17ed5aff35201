import { expect } from 'chai';
import { RxLdapError, SaslPrepError, saslPrep } from '../../support/all-of-lib';

/** The SaslPrepError `attempt` threw; fails if it threw nothing or something else. */
const refusal = (attempt: () => unknown): SaslPrepError => {
  try {
    attempt();
  } catch (error) {
    expect(error).to.be.instanceOf(SaslPrepError).and.instanceOf(RxLdapError);
    return error as SaslPrepError;
  }
  return expect.fail('accepted');
};

describe('saslPrep (RFC 4013)', () => {
  it('RFC 4013 §3 examples, all seven', () => {
    expect(saslPrep('I\u00ADX')).to.equal('IX');
    expect(saslPrep('user')).to.equal('user');
    expect(saslPrep('USER')).to.equal('USER');
    expect(saslPrep('\u00AA')).to.equal('a');
    expect(saslPrep('\u2168')).to.equal('IX');
    expect(refusal(() => saslPrep('\u0007')).rule).to.equal('prohibited');
    expect(refusal(() => saslPrep('\u0627\u0031')).rule).to.equal('bidi');
  });

  describe('the bidirectional rule (RFC 4013 §2.4, RFC 3454 §6)', () => {
    it('accepts right-to-left text that starts and ends right-to-left, neutrals inside', () => {
      expect(saslPrep('\u0627\u0031\u0628')).to.equal('\u0627\u0031\u0628');
      expect(saslPrep('\u05D0\u05D1 \u05D2')).to.equal('\u05D0\u05D1 \u05D2');
    });

    it('refuses a right-to-left string that ends or starts with a neutral', () => {
      expect(refusal(() => saslPrep('\u0627\u0031')).message).to.match(/does not start and end/);
      expect(refusal(() => saslPrep('1\u05D0')).rule).to.equal('bidi');
    });

    it('refuses right-to-left mixed with left-to-right (RandALCat with LCat)', () => {
      expect(refusal(() => saslPrep('\u0627a\u0628', 'password')).message).to.equal('SASLprep: the password mixes right-to-left and left-to-right characters (RFC 3454 §6)');
      expect(refusal(() => saslPrep('abc\u05D0')).rule).to.equal('bidi');
    });

    it('leaves left-to-right and neutral text alone', () => {
      expect(saslPrep('caf\u00E9 1')).to.equal('caf\u00E9 1');
      expect(saslPrep('\u00A91')).to.equal('\u00A91');
    });
  });

  it('refuses one character of every prohibited-output table of §2.3 with SaslPrepError', () => {
    const samples: Record<string, string> = {
      'C.1.2 (after NFKC brings one back)': '\u2028', // a line separator: C.2.2 as well
      'C.2.1': '\u007F',
      'C.2.2': '\u0085',
      'C.3': '\u{F0000}',
      'C.4': '\uFDD0',
      'C.5': 'x\uD800',
      'C.6': '\uFFFC',
      'C.7': '\u2FF0',
      'C.8': '\u202E',
      'C.9': '\u{E0041}',
    };
    for (const [table, text] of Object.entries(samples)) expect(refusal(() => saslPrep(text)).rule, table).to.equal('prohibited');
  });

  it('unassigned code points (A.1): allowed in a query string, refused in a stored string', () => {
    // U+0221 was unassigned in Unicode 3.2 (it is a letter today); U+0220 was assigned.
    expect(saslPrep('x\u0221')).to.equal('x\u0221');
    expect(refusal(() => saslPrep('x\u0221', 'password', { storedString: true })).rule).to.equal('unassigned');
    expect(saslPrep('x\u0220', 'password', { storedString: true })).to.equal('x\u0220');
  });

  it('never quotes the text in the error (it is usually a password)', () => {
    for (const secret of ['S3cr3t\u0007', '\u0627S3cr3t', 'S3cr3t\u0221']) {
      const error = refusal(() => saslPrep(secret, 'password', { storedString: true }));
      expect(error.message).not.to.include('S3cr3t');
      expect(error.message).to.match(/^SASLprep: the password /);
    }
  });
});
