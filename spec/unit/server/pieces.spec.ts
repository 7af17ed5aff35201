/**
 * The in-memory directory's small parts on their own: userPassword schemes, the CSN clock, the
 * change log's horizon, parent keys of escaped DNs, and the in-process Duplex pair.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { ChangeLog } from '../../../lib/server/changes';
import type { DirectoryChange } from '../../../lib/server/changes';
import { CsnClock } from '../../../lib/server/clock';
import { duplexPair } from '../../../lib/server/duplex-pair';
import { parentKeyOf } from '../../../lib/server/entry';
import { generatePassword, hashPassword, passwordMatches } from '../../../lib/server/password';
import { parseDN } from '../../../lib';
import { sshaHash } from '../../support/data';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('in-memory directory parts', () => {
  describe('userPassword', () => {
    it('matches cleartext, {CLEARTEXT}, and the salted and plain SHA and MD5 schemes slapd reads', () => {
      const salt = Buffer.from('12345678');
      const sha256 = (password: string): string => `{SSHA256}${Buffer.concat([createHash('sha256').update(password).update(salt).digest(), salt]).toString('base64')}`;
      const stored = ['secret', '{CLEARTEXT}secret', sshaHash('secret', salt), `{SHA}${createHash('sha1').update('secret').digest('base64')}`, sha256('secret'), `{MD5}${createHash('md5').update('secret').digest('base64')}`];
      for (const value of stored) {
        expect(passwordMatches(bytes(value), bytes('secret')), value).to.equal(true);
        expect(passwordMatches(bytes(value), bytes('Secret')), value).to.equal(false);
      }
    });

    it('never matches an unknown scheme or a truncated hash', () => {
      expect(passwordMatches(bytes('{CRYPT}aa12345'), bytes('{CRYPT}aa12345'))).to.equal(false);
      expect(passwordMatches(bytes('{SSHA}c2hvcnQ='), bytes('short'))).to.equal(false);
    });

    it('writes {SSHA} with a fresh salt, and generates eight-character passwords', () => {
      const a = hashPassword(bytes('pw'));
      const b = hashPassword(bytes('pw'));
      expect(a.toString()).to.match(/^\{SSHA\}/);
      expect(a.equals(b)).to.equal(false);
      expect(passwordMatches(a, bytes('pw')) && passwordMatches(b, bytes('pw'))).to.equal(true);
      expect(generatePassword().toString()).to.match(/^[A-Za-z2-9]{8}$/);
    });
  });

  describe('CsnClock', () => {
    it('gives ever greater CSNs as strings, also when the system clock stands still or goes back', () => {
      const times = [1_000, 1_000, 999, 5_000, 4_000];
      const clock = new CsnClock(() => times.shift() ?? 5_000);
      const csns = Array.from({ length: 6 }, () => clock.next().csn);
      expect([...csns].sort()).to.deep.equal(csns);
      expect(new Set(csns).size).to.equal(csns.length);
      expect(csns[0]).to.match(/^\d{14}\.\d{6}Z#[0-9a-f]{6}#000#000000$/);
    });

    it('moves past a CSN read from loaded data', () => {
      const clock = new CsnClock(() => Date.parse('2020-01-01T00:00:00Z'));
      clock.observe('20300101000000.000000Z#000005#000#000000');
      expect(clock.next().csn > '20300101000000.000000Z#000005#000#000000').to.equal(true);
    });
  });

  describe('ChangeLog', () => {
    const change = (csn: string): DirectoryChange => ({ kind: 'modify', csn, changeNumber: 0, before: undefined, after: undefined, implied: false });

    it('answers the changes after a CSN, and undefined once the oldest of them is forgotten', () => {
      const log = new ChangeLog(2, 'a0');
      log.append(change('a1'));
      log.append(change('a2'));
      expect(log.since('a0')?.map((c) => c.csn)).to.deep.equal(['a1', 'a2']);
      log.append(change('a3'));
      expect(log.since('a0')).to.equal(undefined);
      expect(log.since('a1')?.map((c) => c.csn)).to.deep.equal(['a2', 'a3']);
      expect(log.since('a3')).to.deep.equal([]);
    });
  });

  describe('parentKeyOf', () => {
    it('cuts at the first comma that is not escaped', () => {
      for (const text of ['cn=a\\,b,ou=x\\,y,dc=example', 'cn=plain,dc=example', 'cn=trailing\\\\,dc=example']) {
        const key = parseDN(text).toNormalizedString();
        expect(parentKeyOf(key), text).to.equal(parseDN(text).parent()!.toNormalizedString());
      }
      expect(parentKeyOf(parseDN('dc=com').toNormalizedString())).to.equal('');
    });
  });

  describe('duplexPair', () => {
    it('carries bytes both ways, holds a writer back while the other side does not read, and ends and destroys across', async () => {
      const [a, b] = duplexPair();
      const received: Buffer[] = [];
      let wrote = 0;
      // b does not read yet: a's writes are accepted until b's buffer is full, then held.
      while (a.write(Buffer.alloc(4096)) && wrote < 1000) wrote++;
      expect(wrote).to.be.lessThan(1000);
      b.on('data', (chunk: Buffer) => received.push(chunk));
      await new Promise((resolve) => a.once('drain', resolve));
      b.write('pong');
      const pong = await new Promise<Buffer>((resolve) => a.once('data', resolve));
      expect(pong.toString()).to.equal('pong');
      // Ending one side ends the other's readable side; both then close (no half-open pair).
      const ended = new Promise((resolve) => b.once('end', resolve));
      const closed = new Promise((resolve) => b.once('close', resolve));
      a.end();
      await Promise.all([ended, closed]);
      expect(Buffer.concat(received).length).to.equal((wrote + 1) * 4096);
      // Destroying one side destroys the other, like a connection reset.
      const [c, d] = duplexPair();
      const reset = new Promise((resolve) => d.once('close', resolve));
      c.destroy();
      await reset;
      expect(d.destroyed).to.equal(true);
    });
  });
});
