/**
 * The code of SqliteSyncStore's writer thread, as text for `new Worker(source, { eval: true })`.
 *
 * Why text: the package ships bundles (scripts/bundle.mjs), and a worker file of its own would
 * be one more entry in every format, found at run time beside whichever bundle loaded it. The
 * writer needs nothing of rxldap (the main thread sends rows with their DN keys and attributes
 * already encoded), only better-sqlite3, whose resolved path comes in workerData.
 *
 * What it does: opens its own connection to the database the main thread has prepared (WAL,
 * tables), and applies each batch it receives in one IMMEDIATE transaction (deletions, puts,
 * present marks, the refresh mark, the cookie), fsyncing as the message says, then answers with
 * the batch's id (and the error, if any). Messages are handled one at a time, in order.
 *
 * Checkpoints: SQLite's automatic checkpoint runs inside the commit that crosses the threshold,
 * and at a million entries one took long enough to show as live lag. So the writer's connection
 * does not checkpoint on its own; after answering a commit it runs a PASSIVE checkpoint when the
 * WAL has grown past the threshold. The answer is sent first, so the commit that grew the WAL does
 * not wait for it (the next commit may, when it arrives meanwhile).
 */
export const WRITER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 10000');
db.pragma('synchronous = ' + (workerData.synchronous === 'full' ? 'FULL' : 'NORMAL'));
db.pragma('cache_size = -' + workerData.cacheKiB);
db.pragma('wal_autocheckpoint = 0');
db.pragma('temp_store = MEMORY');
const checkpointPages = workerData.walAutocheckpointPages;
const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// The same keys as keys.ts's uuidKey: a canonical UUID as its 16 bytes, anything else as TEXT.
const uuidKey = (u) => CANONICAL.test(u) ? Buffer.from(u.slice(0, 8) + u.slice(9, 13) + u.slice(14, 18) + u.slice(19, 23) + u.slice(24), 'hex') : u;
const put = db.prepare('INSERT INTO entries (uuid, dn, dnkey, attrs, mark) VALUES (?, ?, ?, ?, ?) ' +
  'ON CONFLICT (uuid) DO UPDATE SET dn = excluded.dn, dnkey = excluded.dnkey, attrs = excluded.attrs, mark = excluded.mark');
const remove = db.prepare('DELETE FROM entries WHERE uuid = ?');
const mark = db.prepare('UPDATE entries SET mark = ? WHERE uuid = ?');
const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
const apply = db.transaction((batch) => {
  for (const u of batch.deletes) remove.run(uuidKey(u));
  const bytes = Buffer.from(batch.puts.bytes.buffer, batch.puts.bytes.byteOffset, batch.puts.size);
  const lengths = batch.puts.lengths;
  let at = 0;
  let field = 0;
  const next = () => bytes.toString('utf8', at, (at += lengths[field++]));
  while (field < lengths.length) put.run(uuidKey(next()), next(), next(), next(), batch.mark);
  for (const u of batch.seen) mark.run(batch.mark, uuidKey(u));
  if (batch.newMark) setMeta.run('mark', batch.mark);
  if (batch.cookie !== undefined) setMeta.run('cookie', Buffer.from(batch.cookie.buffer, batch.cookie.byteOffset, batch.cookie.byteLength));
});
let fsyncs = workerData.synchronous === 'full';
let walPages = 0;
parentPort.on('message', (message) => {
  if (message.close) {
    try { db.close(); } catch {}
    parentPort.postMessage({ id: message.id });
    parentPort.close();
    return;
  }
  try {
    if (message.fsync !== fsyncs) {
      db.pragma('synchronous = ' + (message.fsync ? 'FULL' : 'NORMAL'));
      fsyncs = message.fsync;
    }
    apply.immediate(message);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { name: error && error.name, message: String(error && error.message), code: error && error.code } });
    return;
  }
  // Pages this commit added to the WAL, roughly: a few rows per page, index pages beside.
  walPages += 1 + (message.puts.size >> 11);
  if (walPages < checkpointPages) return;
  walPages = 0;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // A checkpoint that could not copy everything (a reader was behind) is retried sooner.
    if (result && result.checkpointed < result.log) walPages = checkpointPages >> 1;
  } catch {}
});
`;
