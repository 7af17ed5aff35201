/**
 * rxldap end to end: starts rxldap's in-memory directory (rxldap/server: a real LDAP server in
 * this process, on a free loopback port; nothing to install) with 200 generated people, then
 * binds, searches (streamed and awaited), updates, compares, and shows typed errors and an
 * injection attempt failing.
 *
 *   npm run example
 */
import { Client, NoSuchObjectError, filter } from 'rxldap';
import { startDirectory } from 'rxldap/server';
import { generatePeople, PEOPLE_DN } from './support/people';

const ADMIN_DN = 'cn=admin,dc=example,dc=com';
const ADMIN_PASSWORD = 'secret';

const main = async (): Promise<void> => {
  const server = await startDirectory({ ldif: generatePeople(200), rootDN: ADMIN_DN, rootPassword: ADMIN_PASSWORD });
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    log(`the in-memory directory is up at ${server.url} with ${server.directory.size} entries`);
    // Plain LDAP is fine on loopback; against a real server use ldaps:// or startTLS().
    const client = new Client({ url: server.url, timeout: 5_000 });
    await client.bind(ADMIN_DN, ADMIN_PASSWORD);
    log(`bound as ${await client.whoami()}`);

    // Streamed: entries arrive as the server sends them; a slow loop would pause the socket.
    let shown = 0;
    for await (const entry of client.search(PEOPLE_DN, { scope: 'one', filter: filter`(uid=user00*)`, attributes: ['cn', 'mail'] })) {
      if (shown++ < 3) log(JSON.stringify(entry.toJSON()));
    }
    log(`streamed ${shown} entries matching (uid=user00*)`);

    const hostile = '*)(uid=*';
    const injected = await client.search(PEOPLE_DN, { filter: filter`(uid=${hostile})` });
    log(`user input ${JSON.stringify(hostile)} went in escaped and matched ${injected.length} entries`);

    const dn = `cn=example,${PEOPLE_DN}`;
    await client.add(dn, { objectClass: ['inetOrgPerson'], cn: 'example', sn: 'Example', mail: 'example@example.com' });
    await client.modify(dn, [{ operation: 'replace', attribute: 'mail', values: 'changed@example.com' }]);
    log(`compare mail=changed@example.com: ${await client.compare(dn, 'mail', 'changed@example.com')}`);
    await client.delete(dn);
    try {
      await client.delete(dn);
    } catch (error) {
      if (error instanceof NoSuchObjectError) log(`deleting it twice: ${error.name} (code ${error.code}, matched ${error.matchedDN})`);
      else throw error;
    }
    await client.unbind();
  } finally {
    await server.close();
    log('directory stopped');
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
