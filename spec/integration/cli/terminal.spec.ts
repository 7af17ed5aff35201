import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, ndjson } from '../../support/cli';
import { sharedSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { TmuxSession } from '../../support/tmux';

/** The progress line: entries, rate, elapsed (and `done` once finished). */
const PROGRESS = /^([\d,]+) entries {2}([\d,]+)\/s {2}(\d+):(\d\d\.\d)( {2}done)?$/m;

/** Waits for the next chunk the stream reads (resuming it), then pauses it again. */
const nextChunk = (stream: ReadStream): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const onData = (chunk: string | Buffer): void => {
      stream.pause();
      cleanup();
      resolve(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    };
    const onEnd = (): void => {
      cleanup();
      resolve(undefined);
    };
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', reject);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', reject);
    stream.resume();
  });

describe('rxldap in a real terminal (tmux)', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  let work: string;
  let terminal: TmuxSession | undefined;

  before(async () => {
    slapd = await sharedSlapd();
  });
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'rxldap-tty-'));
  });
  afterEach(async () => {
    await terminal?.kill();
    terminal = undefined;
    rmSync(work, { recursive: true, force: true });
  });

  it('search keeps a progress line on the terminal (stderr) while the entries go down a pipe, updated as it goes, and the totals at the end', async () => {
    const passwordFile = join(work, 'password');
    writeFileSync(passwordFile, slapd.adminPassword);
    const fifo = join(work, 'entries');
    execFileSync('mkfifo', [fifo]);
    // stdout into the pipe this test reads (slowly, so the command waits on it), stderr the terminal
    terminal = await TmuxSession.start(work, ['sh', '-c', `exec "$0" "$1" search -b "$2" > "$3"`, process.execPath, cliPath(), slapd.baseDN, fifo], {
      RXLDAP_URL: slapd.url,
      RXLDAP_BINDDN: slapd.adminDN,
      RXLDAP_PASSWORD_FILE: passwordFile,
    });
    const reader = createReadStream(fifo, { highWaterMark: 16 * 1024 });
    reader.pause();
    const chunks: Buffer[] = [];
    const first = await nextChunk(reader);
    chunks.push(first!);

    // The reader has stopped: the command is blocked on a full pipe, mid-search, its line on screen.
    const early = await terminal.waitFor(PROGRESS);
    expect(early[5], 'not finished while the pipe is full').to.equal(undefined);
    const earlyCount = Number(early[1]!.replace(/,/g, ''));
    expect(earlyCount).to.be.greaterThan(0);

    // Let it write a little, after a pause longer than the redraw interval: the line moves on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    chunks.push((await nextChunk(reader))!);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = await terminal.waitFor(PROGRESS);
    expect(later[5]).to.equal(undefined);
    expect(Number(later[1]!.replace(/,/g, ''))).to.be.greaterThan(earlyCount);

    for (let chunk = await nextChunk(reader); chunk !== undefined; chunk = await nextChunk(reader)) chunks.push(chunk);
    await terminal.waitFor(/^\[exit 0\]$/m);
    const screen = await terminal.screen();
    const entries = ndjson(Buffer.concat(chunks).toString('utf8'));
    const final = PROGRESS.exec(screen);
    expect(final, screen).to.not.equal(null);
    expect(final![5]).to.equal('  done');
    expect(Number(final![1]!.replace(/,/g, ''))).to.equal(entries.length);
    expect(entries.length).to.be.greaterThan(1000);
    // one line, redrawn in place: the final totals and the exit line are all there is
    expect(screen.split('\n')).to.deep.equal([final![0], '[exit 0]']);
  });

  it('-W asks for the password on the terminal without echoing it', async () => {
    terminal = await TmuxSession.start(work, [process.execPath, cliPath(), 'whoami', '-H', slapd.url, '-D', slapd.adminDN, '-W'], {});
    await terminal.waitFor(/^Enter LDAP Password:$/m); // capture-pane drops trailing spaces
    await terminal.type(`${slapd.adminPassword}x`);
    await terminal.press('BSpace'); // backspace takes the x back
    await terminal.press('Enter');
    await terminal.waitFor(/^\[exit 0\]$/m);
    const screen = await terminal.screen();
    expect(screen).to.equal(`Enter LDAP Password:\ndn:${slapd.adminDN}\n[exit 0]`);
    expect(screen).to.not.include(slapd.adminPassword);
  });
});
