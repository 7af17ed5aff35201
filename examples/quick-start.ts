/**
 * rxldap end to end: starts a throw-away OpenLDAP slapd on a free loopback port (the test
 * support code; needs `slapd` and `ldap-utils` installed), then binds, searches (streamed
 * and awaited), updates, compares, and shows typed errors and an injection attempt failing.
 *
 *   npm run example
 */
import { Client, NoSuchObjectError, filter } from 'rxldap';
import { startSlapd } from '../spec/support/slapd';
import { generatePeople, PEOPLE_DN } from '../spec/support/data';

const main = async (): Promise<void> => {
  const slapd = await startSlapd({ ldif: generatePeople(200) });
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    log(`slapd is up at ${slapd.url} (and ${slapd.ldapsUrl})`);
    // Certificates are verified: hand the client the CA that signed this server's certificate.
    const client = new Client({ url: slapd.ldapsUrl, tls: { ca: slapd.caCert }, timeout: 5_000 });
    await client.bind(slapd.adminDN, slapd.adminPassword);
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
    await slapd.stop();
    log('slapd stopped');
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
