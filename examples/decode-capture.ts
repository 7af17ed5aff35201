/**
 * The wire core end to end: replays a capture of real LDAP traffic (what slapd sent to
 * OpenLDAP's ldapsearch) through MessageFramer in small socket-sized chunks, prints each
 * search entry as one JSON line, then shows the DN and filter languages.
 *
 *   npm run example                 # the bundled capture
 *   node dist/examples/decode-capture.js path/to/server.bin
 */
import { createReadStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { filter, filterToString, dn, parseDN, matches } from 'rxldap';
import { MessageFramer } from 'rxldap/wire';
import type { LdapMessage } from 'rxldap/wire';

const repoRoot = (): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = resolve(dir, '..');
  return dir;
};

const main = async (): Promise<void> => {
  const capture = process.argv[2] ?? join(repoRoot(), 'spec/fixtures/wire/search-subtree.0.server.bin');
  // 512-byte reads split most PDUs across chunks: the framer reassembles them.
  const framer = createReadStream(capture, { highWaterMark: 512 }).pipe(new MessageFramer());
  const counts = new Map<string, number>();
  const people: LdapMessage[] = [];
  const isPerson = filter`(&(objectClass=inetOrgPerson)(mail=*))`;

  for await (const message of framer as AsyncIterable<LdapMessage>) {
    const op = message.protocolOp;
    counts.set(op.type, (counts.get(op.type) ?? 0) + 1);
    if (op.type !== 'searchResEntry') continue;
    const attributes = Object.fromEntries(op.attributes.map((a) => [a.type, a.vals.map((v) => v.toString('utf8'))]));
    process.stdout.write(JSON.stringify({ messageId: message.messageId, dn: op.objectName, attributes }) + '\n');
    if (matches(isPerson, op)) people.push(message);
  }

  process.stderr.write(`\nmessages by type: ${JSON.stringify(Object.fromEntries(counts))}\n`);
  process.stderr.write(`entries matching ${filterToString(isPerson)}: ${people.length}\n`);

  // User input goes through the templates: an injection attempt stays a literal value.
  const name = '*)(uid=*';
  process.stderr.write(`filter with user input: ${filterToString(filter`(uid=${name})`)}\n`);
  const base = parseDN('ou=People,DC=Example,DC=Com');
  const user = dn`uid=${'smith, john'},${base}`;
  process.stderr.write(`dn with user input: ${user.toString()} (child of base: ${user.isChildOf(base)})\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
