import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { saslPrep, scramMechanism } from '../../../lib/client';
import { SaslError, SaslPrepError } from '../../../lib/errors';
import type { ScramHash, ScramMechanism } from '../../../lib/client';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Runs `fn` (awaiting what it returns), expects a SaslError, and returns it for further checks. */
const saslFailure = async (fn: () => unknown): Promise<SaslError> => {
  try {
    await fn();
  } catch (error) {
    expect(error).to.be.instanceOf(SaslError);
    return error as SaslError;
  }
  return expect.fail('no SaslError thrown');
};

// RFC 5802 §5
const SHA1 = {
  nonce: 'fyko+d2lbbFgONRv9qkxdawL',
  clientFirst: 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL',
  serverFirst: 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
  clientFinal: 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
  serverFinal: 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
};
// RFC 7677 §3
const SHA256 = {
  nonce: 'rOprNGfwEbeRWgbNEkqO',
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal: 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

const rfc5802 = (): ScramMechanism => scramMechanism('SHA-1', { username: 'user', password: 'pencil' }, { nonce: SHA1.nonce });
/** The RFC 5802 mechanism with the client-final already sent. */
const afterClientFinal = async (): Promise<ScramMechanism> => {
  const mech = rfc5802();
  mech.initial();
  await mech.respond(b(SHA1.serverFirst));
  return mech;
};
/** A server-first for the RFC 5802 nonce with the given tail of attributes. */
const serverFirstWith = (rest: string): Buffer => b(`r=${SHA1.nonce}3rfcNHYJY1ZVvWVs7j,${rest}`);

describe('SASL SCRAM client (RFC 5802, RFC 7677)', () => {
  describe('published test vectors', () => {
    it('RFC 5802 §5 SCRAM-SHA-1: exact messages, and the server signature verifies', async () => {
      const mech = rfc5802();
      expect(mech.name).to.equal('SCRAM-SHA-1');
      expect(mech.initial().toString()).to.equal(SHA1.clientFirst);
      expect((await mech.respond(b(SHA1.serverFirst))).toString()).to.equal(SHA1.clientFinal);
      expect(mech.serverAuthenticated).to.equal(false);
      mech.complete(b(SHA1.serverFinal));
      expect(mech.serverAuthenticated).to.equal(true);
    });

    it('RFC 7677 §3 SCRAM-SHA-256: exact messages, and the server signature verifies', async () => {
      const mech = scramMechanism('SHA-256', { username: 'user', password: 'pencil' }, { nonce: SHA256.nonce });
      expect(mech.name).to.equal('SCRAM-SHA-256');
      expect(mech.initial().toString()).to.equal(SHA256.clientFirst);
      expect((await mech.respond(b(SHA256.serverFirst))).toString()).to.equal(SHA256.clientFinal);
      mech.complete(b(SHA256.serverFinal));
      expect(mech.serverAuthenticated).to.equal(true);
    });

    it('a Buffer password is used as given', async () => {
      const mech = scramMechanism('SHA-1', { username: 'user', password: b('pencil') }, { nonce: SHA1.nonce });
      mech.initial();
      expect((await mech.respond(b(SHA1.serverFirst))).toString()).to.equal(SHA1.clientFinal);
    });
  });

  describe('where the server-final arrives', () => {
    it('in a saslBindInProgress: respond() verifies it and answers with empty credentials; complete() then accepts nothing or the same message', async () => {
      const mech = await afterClientFinal();
      const answer = await mech.respond(b(SHA1.serverFinal));
      expect(answer).to.be.instanceOf(Buffer);
      expect(answer.length).to.equal(0);
      expect(mech.serverAuthenticated).to.equal(true);
      mech.complete(undefined);
      mech.complete(Buffer.alloc(0));
      mech.complete(b(SHA1.serverFinal));
      expect(() => mech.complete(b('v=AAAA'))).to.throw(SaslError, /unexpected data/);
    });

    it('in the success: complete() verifies it', async () => {
      const mech = await afterClientFinal();
      mech.complete(b(SHA1.serverFinal));
      expect(mech.serverAuthenticated).to.equal(true);
    });

    it('a further challenge after the server-final is refused', async () => {
      const mech = await afterClientFinal();
      await mech.respond(b(SHA1.serverFinal));
      expect((await saslFailure(() => mech.respond(b(SHA1.serverFinal)))).message).to.match(/another challenge/);
    });
  });

  describe('mutual authentication', () => {
    it('a wrong server signature throws, in respond() and in complete()', async () => {
      const wrong = b('v=rmF9pqV8S7suAoZWja4dJRkFsKA=');
      expect((await saslFailure(async () => (await afterClientFinal()).respond(wrong))).message).to.match(/server signature is wrong/);
      expect((await saslFailure(async () => (await afterClientFinal()).complete(wrong))).message).to.match(/server signature is wrong/);
    });

    it('a signature of the wrong length, or a SHA-1 signature in SCRAM-SHA-256, throws', async () => {
      expect((await saslFailure(async () => (await afterClientFinal()).complete(b('v=AAAA')))).message).to.match(/signature is wrong/);
      const mech = scramMechanism('SHA-256', { username: 'user', password: 'pencil' }, { nonce: SHA256.nonce });
      mech.initial();
      await mech.respond(b(SHA256.serverFirst));
      expect(() => mech.complete(b(SHA1.serverFinal))).to.throw(SaslError, /signature is wrong/);
    });

    it('success without a server-final throws: the server has proved nothing', async () => {
      expect((await saslFailure(async () => (await afterClientFinal()).complete(undefined))).message).to.match(/without its signature/);
      expect((await saslFailure(async () => (await afterClientFinal()).complete(Buffer.alloc(0)))).message).to.match(/without its signature/);
    });

    it('success before the exchange finished throws', async () => {
      expect(() => rfc5802().complete(undefined)).to.throw(SaslError, /before the exchange finished/);
      const mech = rfc5802();
      mech.initial();
      expect(() => mech.complete(b(SHA1.serverFinal))).to.throw(SaslError, /before the exchange finished/);
    });

    it('e= in the server-final is surfaced as serverError', async () => {
      const error = await saslFailure(async () => (await afterClientFinal()).respond(b('e=invalid-proof')));
      expect(error.serverError).to.equal('invalid-proof');
      expect(error.mechanism).to.equal('SCRAM-SHA-1');
      expect(error.message).to.match(/refused.*invalid-proof/);
      expect((await saslFailure(async () => (await afterClientFinal()).complete(b('e=other-error')))).serverError).to.equal('other-error');
    });

    it('once failed, the mechanism stays failed', async () => {
      const mech = await afterClientFinal();
      await saslFailure(() => mech.respond(b('v=AAAA')));
      expect((await saslFailure(() => mech.respond(b(SHA1.serverFinal)))).message).to.match(/already failed/);
      expect(() => mech.complete(b(SHA1.serverFinal))).to.throw(SaslError, /already failed/);
    });

    it('a mechanism serves one bind', async () => {
      const mech = rfc5802();
      mech.initial();
      expect(() => mech.initial()).to.throw(SaslError, /one bind/);
    });

    it('no error message carries the password', async () => {
      const secret = 'pencil-SECRET-42';
      const fresh = (): ScramMechanism => {
        const mech = scramMechanism('SHA-1', { username: 'user', password: secret }, { nonce: SHA1.nonce });
        mech.initial();
        return mech;
      };
      const failures = [
        () => fresh().respond(b('garbage')),
        () => fresh().respond(serverFirstWith('s=QSXCR+Q6sek8bf92,i=0')),
        async () => {
          const m = fresh();
          await m.respond(b(SHA1.serverFirst));
          m.complete(b(SHA1.serverFinal));
        },
        () => scramMechanism('SHA-1', { username: 'user', password: `${secret}\u0007` }),
      ];
      for (const fail of failures) {
        try {
          await fail();
          expect.fail('did not throw');
        } catch (error) {
          expect((error as Error).message).not.to.include(secret);
          expect((error as Error).stack ?? '').not.to.include(secret);
        }
      }
    });
  });

  describe('malformed or hostile server-first messages', () => {
    const cases: Array<[string, Buffer, RegExp]> = [
      ['empty', Buffer.alloc(0), /nonce/],
      ['no nonce', b('s=QSXCR+Q6sek8bf92,i=4096'), /nonce \(r=\)/],
      ['a nonce not extending ours', b('r=somebodyelse,s=QSXCR+Q6sek8bf92,i=4096'), /does not extend/],
      ['a nonce equal to ours', b(`r=${SHA1.nonce},s=QSXCR+Q6sek8bf92,i=4096`), /does not extend/],
      ['a nonce with a non-printable byte', serverFirstWith('s=QSXCR+Q6sek8bf92,i=4096').fill(0x01, 30, 31), /not printable/],
      ['no salt', serverFirstWith('i=4096'), /salt/],
      ['an empty salt', serverFirstWith('s=,i=4096'), /salt is not base64/],
      ['a salt that is not base64', serverFirstWith('s=QSXCR+Q6sek8bf9!,i=4096'), /salt is not base64/],
      ['a salt with bad padding', serverFirstWith('s=QSXCR+Q6sek8bf9,i=4096'), /salt is not base64/],
      ['no iteration count', serverFirstWith('s=QSXCR+Q6sek8bf92'), /iteration count \(i=\)/],
      ['attributes out of order', serverFirstWith('i=4096,s=QSXCR+Q6sek8bf92'), /salt/],
      ['i=0', serverFirstWith('s=QSXCR+Q6sek8bf92,i=0'), /below 1/],
      ['i=-1', serverFirstWith('s=QSXCR+Q6sek8bf92,i=-1'), /not a decimal number/],
      ['i=4096x', serverFirstWith('s=QSXCR+Q6sek8bf92,i=4096x'), /not a decimal number/],
      ['i=100001 (past the default cap)', serverFirstWith('s=QSXCR+Q6sek8bf92,i=100001'), /100001 iterations, more than the limit of 100000/],
      ['i=10000000', serverFirstWith('s=QSXCR+Q6sek8bf92,i=10000000'), /10000000 iterations, more than the limit of 100000/],
      ['i=99999999999', serverFirstWith('s=QSXCR+Q6sek8bf92,i=99999999999'), /not a decimal number/],
      ['a mandatory extension', b(`m=ext,r=${SHA1.nonce}3rfc,s=QSXCR+Q6sek8bf92,i=4096`), /extension \(m=\)/],
      ['a malformed extension', serverFirstWith('s=QSXCR+Q6sek8bf92,i=4096,junk'), /extension is not attr=value/],
      ['bytes that are not UTF-8', Buffer.from([0x72, 0x3d, 0xff, 0xfe]), /not UTF-8/],
    ];
    for (const [what, challenge, message] of cases) {
      it(`refuses ${what}`, async () => {
        const mech = rfc5802();
        mech.initial();
        expect((await saslFailure(() => mech.respond(challenge))).message).to.match(message);
        expect(mech.serverAuthenticated).to.equal(false);
      });
    }

    it('ignores well-formed extensions after the iteration count', async () => {
      const mech = rfc5802();
      mech.initial();
      const withExtension = b(`${SHA1.serverFirst},x=something`);
      const final = (await mech.respond(withExtension)).toString();
      // The proof covers the server-first as received, extension included, so it changes.
      expect(final).to.match(/^c=biws,r=fyko\+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=/);
      expect(final).not.to.equal(SHA1.clientFinal);
    });

    it('honours a lower maxIterations', async () => {
      const mech = scramMechanism('SHA-1', { username: 'user', password: 'pencil' }, { nonce: SHA1.nonce, maxIterations: 1000 });
      mech.initial();
      expect((await saslFailure(() => mech.respond(b(SHA1.serverFirst)))).message).to.match(/4096 iterations, more than the limit of 1000/);
    });

    it('maxIterations in the credentials raises the cap (what saslBind by name reads); the mechanism option wins over it', async () => {
      const atCap = serverFirstWith('s=QSXCR+Q6sek8bf92,i=100001');
      const raised = scramMechanism('SHA-1', { username: 'user', password: 'pencil', maxIterations: 100_001 }, { nonce: SHA1.nonce });
      raised.initial();
      expect((await raised.respond(atCap)).toString()).to.match(/^c=biws,r=.*,p=/);
      const overridden = scramMechanism('SHA-1', { username: 'user', password: 'pencil', maxIterations: 100_001 }, { nonce: SHA1.nonce, maxIterations: 1000 });
      overridden.initial();
      expect((await saslFailure(() => overridden.respond(b(SHA1.serverFirst)))).message).to.match(/limit of 1000/);
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => scramMechanism('SHA-1', { username: 'u', password: 'p', maxIterations: bad }), String(bad)).to.throw(RangeError, /maxIterations/);
      }
    });

    it('a challenge while the salted password is being derived fails the exchange', async () => {
      const mech = rfc5802();
      mech.initial();
      const first = mech.respond(b(SHA1.serverFirst));
      expect((await saslFailure(() => mech.respond(b(SHA1.serverFirst)))).message).to.match(/still being answered/);
      expect((await saslFailure(() => first)).message).to.match(/already failed/);
    });

    it('malformed server-final messages throw', async () => {
      for (const bad of ['', 'x=1', 'v=not base64!', 'v=']) {
        const error = await saslFailure(async () => (await afterClientFinal()).complete(b(bad || 'q')));
        expect(error.message).to.match(/verifier|signature is wrong/);
      }
    });
  });

  describe('names and SASLprep', () => {
    it('escapes = and , in the username and the authzid (saslname), and puts the authzid in the gs2 header', async () => {
      const mech = scramMechanism('SHA-256', { username: 'a=b,c', password: 'p', authzId: 'dn:uid=x,dc=y' }, { nonce: 'abc' });
      const first = mech.initial().toString();
      expect(first).to.equal('n,a=dn:uid=3Dx=2Cdc=3Dy,n=a=3Db=2Cc,r=abc');
      const final = (await mech.respond(b('r=abcdef,s=QSXCR+Q6sek8bf92,i=1'))).toString();
      expect(final.startsWith(`c=${Buffer.from('n,a=dn:uid=3Dx=2Cdc=3Dy,').toString('base64')},r=abcdef,p=`)).to.equal(true);
    });

    it('RFC 4013 §3 examples (those within what is implemented)', async () => {
      expect(saslPrep('I\u00ADX')).to.equal('IX');
      expect(saslPrep('user')).to.equal('user');
      expect(saslPrep('USER')).to.equal('USER');
      expect(saslPrep('\u00AA')).to.equal('a');
      expect(saslPrep('\u2168')).to.equal('IX');
      expect(() => saslPrep('\u0007')).to.throw(SaslPrepError, /prohibited/);
    });

    it('maps non-ASCII spaces to SPACE, removes B.1 characters, NFKC-normalises and refuses prohibited output', async () => {
      expect(saslPrep('a\u00A0b\u3000c\u2003d')).to.equal('a b c d');
      expect(saslPrep('co\u200Cop\uFEFF')).to.equal('coop');
      expect(saslPrep('\uFB01le')).to.equal('file');
      expect(saslPrep('e\u0301')).to.equal('\u00E9');
      for (const bad of ['a\tb', 'a\u0085', '\uE000', '\uFDD0', '\u200E', '\u{E0041}', '\u{10FFFF}', 'x\uD800', '\uDC00y', '\u2FF0']) {
        expect(() => saslPrep(bad, 'password'), JSON.stringify(bad)).to.throw(SaslPrepError, /SASLprep: the password contains/);
      }
    });

    it('the password is SASLprep’d before hashing: equivalent spellings give the same proof', async () => {
      const proof = async (password: string): Promise<string> => {
        const mech = scramMechanism('SHA-1', { username: 'user', password }, { nonce: SHA1.nonce });
        mech.initial();
        return (await mech.respond(b(SHA1.serverFirst))).toString();
      };
      expect(await proof('pen\u00ADcil')).to.equal(SHA1.clientFinal);
      expect(await proof('\uFF50encil')).to.equal(SHA1.clientFinal); // fullwidth p
    });

    it('needs a username and a password, and a printable nonce', async () => {
      expect(() => scramMechanism('SHA-1', { password: 'x' })).to.throw(TypeError, /username/);
      expect(() => scramMechanism('SHA-1', { username: '', password: 'x' })).to.throw(TypeError, /username/);
      expect(() => scramMechanism('SHA-1', { username: 'u' })).to.throw(TypeError, /password/);
      expect(() => scramMechanism('SHA-1', { username: 'u', password: 'p' }, { nonce: 'a,b' })).to.throw(TypeError, /nonce/);
      expect(() => scramMechanism('SHA-1', { username: 'u', password: 'p' }, { nonce: '' })).to.throw(TypeError, /nonce/);
    });

    it('a default nonce is fresh, printable and long', async () => {
      const nonces = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const first = scramMechanism('SHA-256', { username: 'u', password: 'p' }).initial().toString();
        const nonce = /,r=(.*)$/.exec(first)![1]!;
        expect(nonce).to.match(/^[\x21-\x2b\x2d-\x7e]{32,}$/);
        nonces.add(nonce);
      }
      expect(nonces.size).to.equal(20);
    });
  });

  describe('against an independent SCRAM server', () => {
    /** RFC 5802 §3, server side, written from the RFC rather than from the client's code. */
    const serverExchange = (hash: ScramHash, password: string, clientFirst: string, salt: Buffer, iterations: number, serverNonce: string) => {
      const h = hash === 'SHA-1' ? 'sha1' : 'sha256';
      const bare = clientFirst.slice(clientFirst.indexOf(',', clientFirst.indexOf(',') + 1) + 1);
      const clientNonce = /(?:^|,)r=([^,]*)/.exec(bare)![1]!;
      const serverFirst = `r=${clientNonce}${serverNonce},s=${salt.toString('base64')},i=${iterations}`;
      const salted = pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, iterations, hash === 'SHA-1' ? 20 : 32, h);
      const storedKey = createHash(h).update(createHmac(h, salted).update('Client Key').digest()).digest();
      const serverKey = createHmac(h, salted).update('Server Key').digest();
      return {
        serverFirst,
        /** Checks the proof like a server; returns the server-final, or undefined when it fails. */
        finish(clientFinal: string): string | undefined {
          const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
          const proof = Buffer.from(clientFinal.slice(clientFinal.lastIndexOf(',p=') + 3), 'base64');
          const authMessage = `${bare},${serverFirst},${withoutProof}`;
          const signature = createHmac(h, storedKey).update(authMessage).digest();
          const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
          if (!timingSafeEqual(createHash(h).update(clientKey).digest(), storedKey)) return undefined;
          return `v=${createHmac(h, serverKey).update(authMessage).digest('base64')}`;
        },
      };
    };

    const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019=,+/ !~"\\'.split('')), minLength: 1, maxLength: 16 });

    it('authenticates both ways for any username, password, salt, count and nonces', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<ScramHash>('SHA-1', 'SHA-256'),
          printable,
          fc.string({ maxLength: 20 }).filter((p) => /^[\x20-\x7e]*$/.test(p)),
          fc.uint8Array({ minLength: 1, maxLength: 32 }),
          fc.integer({ min: 1, max: 64 }),
          fc.stringMatching(/^[\x21-\x2b\x2d-\x7e]{1,24}$/),
          async (hash, username, password, salt, iterations, serverNonce) => {
            const mech = scramMechanism(hash, { username, password });
            const clientFirst = mech.initial().toString();
            const server = serverExchange(hash, password, clientFirst, Buffer.from(salt), iterations, serverNonce);
            const serverFinal = server.finish((await mech.respond(b(server.serverFirst))).toString());
            expect(serverFinal).to.be.a('string');
            mech.complete(b(serverFinal!));
            expect(mech.serverAuthenticated).to.equal(true);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('any change to the server signature is caught', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom<ScramHash>('SHA-1', 'SHA-256'), fc.nat(), fc.integer({ min: 1, max: 255 }), async (hash, position, flip) => {
          const mech = scramMechanism(hash, { username: 'user', password: 'pencil' });
          const server = serverExchange(hash, 'pencil', mech.initial().toString(), randomBytes(16), 2, 'srv');
          const signature = Buffer.from(server.finish((await mech.respond(b(server.serverFirst))).toString())!.slice(2), 'base64');
          const at = position % signature.length;
          signature.writeUInt8(signature.readUInt8(at) ^ flip, at);
          expect(() => mech.complete(b(`v=${signature.toString('base64')}`))).to.throw(SaslError, /signature is wrong/);
        }),
        { numRuns: 100 },
      );
    });

    it('a wrong password is refused by the server', async () => {
      const mech = scramMechanism('SHA-256', { username: 'user', password: 'wrong' });
      const server = serverExchange('SHA-256', 'pencil', mech.initial().toString(), randomBytes(16), 16, 'srv');
      expect(server.finish((await mech.respond(b(server.serverFirst))).toString())).to.equal(undefined);
    });
  });
});
