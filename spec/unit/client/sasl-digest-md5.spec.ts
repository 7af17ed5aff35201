import { createHash } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { digestMd5Mechanism } from '../../../lib/client';
import { ProtocolError, SaslError } from '../../../lib/errors';
import type { DigestMd5Mechanism } from '../../../lib/client';
import { parseDirectives } from '../../../lib/client/sasl-digest-md5';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

// RFC 2831 §4
const CHALLENGE = 'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8';
const RESPONSE =
  'charset=utf-8,username="chris",realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",nc=00000001,cnonce="OA6MHXh6VqTrRk",' +
  'digest-uri="imap/elwood.innosoft.com",response=d388dad90d4bbd760a152321f2143af7,qop=auth';
const RSPAUTH = 'rspauth=ea40f60335c427b5527b84dbabcdfffd';

const rfc2831 = (): DigestMd5Mechanism =>
  digestMd5Mechanism({ username: 'chris', password: 'secret', host: 'elwood.innosoft.com' }, { cnonce: 'OA6MHXh6VqTrRk', service: 'imap' });
const afterResponse = (): DigestMd5Mechanism => {
  const mech = rfc2831();
  mech.respond(b(CHALLENGE));
  return mech;
};

/** RFC 2831 §2.1.2.1 from the bytes up, independent of the client, for checking its digests. */
const expectedResponse = (p: { user: Buffer; realm: Buffer; password: Buffer; nonce: string; cnonce: string; uri: string; authzid?: string }, prefix = 'AUTHENTICATE'): string => {
  const md5 = (...parts: Array<string | Buffer>): Buffer => parts.reduce((h, part) => h.update(part), createHash('md5')).digest();
  const a1 = Buffer.concat([md5(p.user, ':', p.realm, ':', p.password), b(`:${p.nonce}:${p.cnonce}`), ...(p.authzid === undefined ? [] : [b(`:${p.authzid}`)])]);
  const ha2 = md5(`${prefix}:${p.uri}`).toString('hex');
  return md5(`${md5(a1).toString('hex')}:${p.nonce}:00000001:${p.cnonce}:auth:${ha2}`).toString('hex');
};

/** The directives of a response, as a map (each appears once); values byte for byte, as latin1. */
const directivesOf = (response: Buffer): Map<string, string> => new Map(parseDirectives(response.toString('latin1')).map((d) => [d.name, d.value]));

const saslFailure = (fn: () => unknown): SaslError => {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(SaslError);
    return error as SaslError;
  }
  return expect.fail('no SaslError thrown');
};

describe('SASL DIGEST-MD5 client (RFC 2831)', () => {
  describe('the RFC 2831 §4 example', () => {
    it('gives the exact response, and the server rspauth verifies in the success', () => {
      const mech = rfc2831();
      expect(mech.name).to.equal('DIGEST-MD5');
      expect(mech.initial()).to.equal(undefined);
      expect(mech.respond(b(CHALLENGE)).toString()).to.equal(RESPONSE);
      expect(mech.serverAuthenticated).to.equal(false);
      mech.complete(b(RSPAUTH));
      expect(mech.serverAuthenticated).to.equal(true);
    });

    it('rspauth in a saslBindInProgress: respond() verifies it and answers with empty credentials', () => {
      const mech = afterResponse();
      const answer = mech.respond(b(RSPAUTH));
      expect(answer.length).to.equal(0);
      expect(mech.serverAuthenticated).to.equal(true);
      mech.complete(undefined);
      mech.complete(b(RSPAUTH));
      expect(() => mech.complete(b('rspauth=00'))).to.throw(SaslError, /unexpected data/);
      const again = afterResponse();
      again.respond(b(RSPAUTH));
      expect(() => again.respond(b(RSPAUTH))).to.throw(SaslError, /another challenge/);
    });

    it('rspauth in upper case hex is accepted', () => {
      afterResponse().complete(b(RSPAUTH.toUpperCase().replace('RSPAUTH', 'rspauth')));
    });
  });

  describe('mutual authentication', () => {
    it('a wrong rspauth throws, in respond() and in complete()', () => {
      const wrong = b('rspauth=ea40f60335c427b5527b84dbabcdfffe');
      expect(saslFailure(() => afterResponse().respond(wrong)).message).to.match(/rspauth is wrong/);
      expect(saslFailure(() => afterResponse().complete(wrong)).message).to.match(/rspauth is wrong/);
      expect(saslFailure(() => afterResponse().complete(b('rspauth=short'))).message).to.match(/rspauth is wrong/);
    });

    it('a second challenge without rspauth, or with two, throws', () => {
      expect(() => afterResponse().respond(b('foo=bar'))).to.throw(SaslError, /no rspauth/);
      expect(() => afterResponse().respond(b(`${RSPAUTH},${RSPAUTH}`))).to.throw(SaslError, /more than once/);
    });

    it('success without rspauth, or before the response, throws', () => {
      expect(() => afterResponse().complete(undefined)).to.throw(SaslError, /without rspauth/);
      expect(() => rfc2831().complete(undefined)).to.throw(SaslError, /before the exchange finished/);
    });

    it('no error message carries the password', () => {
      const secret = 'SECRET-\u4e2d-42';
      const failures = [
        () => digestMd5Mechanism({ username: 'u', password: secret }).respond(b('nonce="n",algorithm=md5-sess')), // no charset, not ISO 8859-1
        () => {
          const m = digestMd5Mechanism({ username: 'u', password: secret });
          m.respond(b('nonce="n",algorithm=md5-sess,charset=utf-8'));
          m.complete(b('rspauth=0'));
        },
      ];
      for (const fail of failures) {
        try {
          fail();
          expect.fail('did not throw');
        } catch (error) {
          expect((error as Error).message).not.to.include(secret);
        }
      }
    });
  });

  describe('challenges', () => {
    it('refuses a server offering only integrity or confidentiality', () => {
      const error = saslFailure(() => rfc2831().respond(b('nonce="abc",qop="auth-int,auth-conf",algorithm=md5-sess')));
      expect(error.message).to.match(/offers only qop auth-int,auth-conf.*only qop=auth/);
    });

    it('picks auth among several qops, and defaults to auth when qop is absent', () => {
      const offered = directivesOf(rfc2831().respond(b('nonce="abc",qop="auth-conf, auth ,auth-int",algorithm=md5-sess')));
      expect(offered.get('qop')).to.equal('auth');
      const absent = directivesOf(rfc2831().respond(b('nonce="abc",algorithm=md5-sess')));
      expect(absent.get('qop')).to.equal('auth');
    });

    it('uses the first realm offered, the one given in the credentials, or none', () => {
      const two = 'realm="first",realm="second",nonce="n1",algorithm=md5-sess,charset=utf-8';
      expect(directivesOf(rfc2831().respond(b(two))).get('realm')).to.equal('first');
      const chosen = digestMd5Mechanism({ username: 'chris', password: 'secret', realm: 'second' }, { cnonce: 'c' });
      expect(directivesOf(chosen.respond(b(two))).get('realm')).to.equal('second');
      const none = digestMd5Mechanism({ username: 'chris', password: 'secret' }, { cnonce: 'c' });
      const response = directivesOf(none.respond(b('nonce="n1",algorithm=md5-sess,charset=utf-8')));
      expect(response.has('realm')).to.equal(false);
      expect(response.get('digest-uri')).to.equal('ldap/localhost');
      expect(response.get('response')).to.equal(
        expectedResponse({ user: b('chris'), realm: Buffer.alloc(0), password: b('secret'), nonce: 'n1', cnonce: 'c', uri: 'ldap/localhost' }),
      );
    });

    it('reads quoted strings with escapes, tokens, white space and empty elements', () => {
      const mech = digestMd5Mechanism({ username: 'a"b\\c', password: 'pw', host: 'ldap.example.com' }, { cnonce: 'c' });
      const response = mech.respond(b(' , realm = "ex\\"am\\\\ple" ,, nonce="n\\o",\tqop="auth",ALGORITHM=md5-sess , charset=UTF-8,x-unknown=token ,'));
      const text = response.toString();
      expect(text).to.include('username="a\\"b\\\\c"');
      expect(text).to.include('realm="ex\\"am\\\\ple"');
      expect(text).to.include('nonce="no"');
      expect(text).to.include('digest-uri="ldap/ldap.example.com"');
      const directives = directivesOf(response);
      expect(directives.get('username')).to.equal('a"b\\c');
      expect(directives.get('response')).to.equal(
        expectedResponse({ user: b('a"b\\c'), realm: b('ex"am\\ple'), password: b('pw'), nonce: 'no', cnonce: 'c', uri: 'ldap/ldap.example.com' }),
      );
    });

    const malformed: Array<[string, string | Buffer, RegExp]> = [
      ['an empty challenge', '', /empty/],
      ['no nonce', 'realm="r",algorithm=md5-sess', /no nonce/],
      ['an empty nonce', 'nonce="",algorithm=md5-sess', /no nonce/],
      ['two nonces', 'nonce="a",nonce="b",algorithm=md5-sess', /nonce appears more than once/],
      ['two qops', 'nonce="a",qop="auth",qop="auth",algorithm=md5-sess', /qop appears more than once/],
      ['no algorithm', 'nonce="a"', /no algorithm/],
      ['algorithm=md5', 'nonce="a",algorithm=md5', /unsupported algorithm/],
      ['charset=iso-8859-1', 'nonce="a",algorithm=md5-sess,charset=iso-8859-1', /unsupported charset/],
      ['an unterminated quoted string', 'nonce="a,algorithm=md5-sess', /unterminated quoted string/],
      ['a backslash at the end', 'nonce="a\\', /unterminated quoted string/],
      ['a directive without a value', 'nonce,algorithm=md5-sess', /expected "="/],
      ['two values', 'nonce="a" "b",algorithm=md5-sess', /expected ","/],
      ['a value that is not a token', 'nonce=(a),algorithm=md5-sess', /expected a value/],
      ['a non-ASCII nonce', Buffer.from('nonce="\xe9",algorithm=md5-sess', 'latin1'), /nonce is not printable ASCII/],
      ['a realm that is not UTF-8 under charset=utf-8', Buffer.from('realm="\xe9",nonce="a",algorithm=md5-sess,charset=utf-8', 'latin1'), /realm is not UTF-8/],
      ['2048 bytes or more', `nonce="a",algorithm=md5-sess,x="${'y'.repeat(2048)}"`, /less than 2048/],
    ];
    for (const [what, challenge, message] of malformed) {
      it(`refuses ${what}`, () => {
        const error = saslFailure(() => rfc2831().respond(typeof challenge === 'string' ? b(challenge) : challenge));
        expect(error.message).to.match(message);
      });
    }

    it('a challenge that breaks the directive grammar is a SaslError caused by a ProtocolError at its offset', () => {
      const error = saslFailure(() => rfc2831().respond(b('nonce,algorithm=md5-sess')));
      expect(error.cause).to.be.instanceOf(ProtocolError);
      expect((error.cause as ProtocolError).offset).to.equal(5);
      expect((error.cause as ProtocolError).reason).to.equal('expected "=" after nonce');
      expect(error.message).to.equal('SASL DIGEST-MD5: malformed challenge: expected "=" after nonce (at offset 5)');
    });

    it('parses any list of directives back to what was written', () => {
      const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
      const value = fc.string({ unit: fc.constantFrom(...'ab ,="\\\t=xyz09'.split('')), maxLength: 12 });
      fc.assert(
        fc.property(fc.array(fc.record({ name, value, quoted: fc.boolean() }), { maxLength: 6 }), (directives) => {
          const text = directives
            .map(({ name: n, value: v, quoted }) => (quoted || !/^[a-z0-9]+$/.test(v) ? `${n}="${v.replace(/[\\"]/g, (c) => `\\${c}`)}"` : `${n}=${v}`))
            .join(' , ');
          expect(parseDirectives(text)).to.deep.equal(directives.map(({ name: n, value: v }) => ({ name: n, value: v })));
        }),
      );
    });
  });

  describe('character sets', () => {
    it('with charset=utf-8, hashes ISO 8859-1 representable strings in ISO 8859-1 and sends UTF-8', () => {
      const mech = digestMd5Mechanism({ username: 'J\u00fcrgen', password: 'pa\u00dfwort' }, { cnonce: 'c' });
      const response = mech.respond(b('realm="r\u00e9alm",nonce="n",algorithm=md5-sess,charset=utf-8'));
      expect(response.toString('utf8')).to.include('username="J\u00fcrgen"');
      expect(response.toString('utf8')).to.include('realm="r\u00e9alm"');
      expect(directivesOf(response).get('response')).to.equal(
        expectedResponse({ user: Buffer.from('J\u00fcrgen', 'latin1'), realm: Buffer.from('r\u00e9alm', 'latin1'), password: Buffer.from('pa\u00dfwort', 'latin1'), nonce: 'n', cnonce: 'c', uri: 'ldap/localhost' }),
      );
    });

    it('with charset=utf-8, hashes other strings in UTF-8, each on its own', () => {
      const mech = digestMd5Mechanism({ username: '\u674e', password: 'caf\u00e9', authzId: 'u:\u674e' }, { cnonce: 'c' });
      const response = mech.respond(b('nonce="n",algorithm=md5-sess,charset=utf-8'));
      const text = response.toString('utf8');
      expect(text).to.include('authzid="u:\u674e"');
      const response2 = /response=([0-9a-f]{32})/.exec(text)![1];
      expect(response2).to.equal(
        expectedResponse({ user: b('\u674e'), realm: Buffer.alloc(0), password: Buffer.from('caf\u00e9', 'latin1'), nonce: 'n', cnonce: 'c', uri: 'ldap/localhost', authzid: 'u:\u674e' }),
      );
    });

    it('a UTF-8 Buffer password hashes like the same string', () => {
      const run = (password: string | Buffer): string =>
        digestMd5Mechanism({ username: 'u', password }, { cnonce: 'c' }).respond(b('nonce="n",algorithm=md5-sess,charset=utf-8')).toString();
      expect(run(b('caf\u00e9'))).to.equal(run('caf\u00e9'));
    });

    it('without charset, everything must be ISO 8859-1 and is sent so', () => {
      const ok = digestMd5Mechanism({ username: 'J\u00fcrgen', password: 'x' }, { cnonce: 'c' }).respond(b('nonce="n",algorithm=md5-sess'));
      expect(ok.includes(Buffer.from('username="J\u00fcrgen"', 'latin1'))).to.equal(true);
      expect(ok.toString('latin1')).not.to.include('charset');
      expect(() => digestMd5Mechanism({ username: '\u674e', password: 'x' }).respond(b('nonce="n",algorithm=md5-sess'))).to.throw(SaslError, /username has characters outside ISO 8859-1/);
      expect(() => digestMd5Mechanism({ username: 'u', password: 'x', authzId: 'u:\u00e9' }).respond(b('nonce="n",algorithm=md5-sess'))).to.throw(SaslError, /authzid is not ASCII/);
    });

    it('needs a username and a password', () => {
      expect(() => digestMd5Mechanism({ password: 'x' })).to.throw(TypeError, /username/);
      expect(() => digestMd5Mechanism({ username: 'u' })).to.throw(TypeError, /password/);
    });

    it('a default cnonce is fresh for every mechanism', () => {
      const cnonce = (): string => directivesOf(digestMd5Mechanism({ username: 'u', password: 'p' }).respond(b('nonce="n",algorithm=md5-sess,charset=utf-8'))).get('cnonce')!;
      const a = cnonce();
      expect(a.length).to.be.greaterThanOrEqual(32);
      expect(cnonce()).not.to.equal(a);
    });
  });
});
