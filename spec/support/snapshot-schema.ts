/**
 * `npm run schema:snapshot`: the offline schemas rxldap ships (rxldap/schemas), made from the real
 * servers. It starts the throw-away slapd of spec/support/slapd (OpenLDAP 2.5 with core, cosine,
 * inetorgperson and nis, plus slapd's built-in operational schema) and the 389-ds rig, reads each
 * schema with rxldap's own client.schema(), checks that it parsed whole, and writes it as
 * Schema.toJSON() to lib/schema/snapshots/<name>.json, one definition per line so a diff reads.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '../../lib';
import type { Schema, SchemaJSON } from '../../lib';
import { startDs389 } from './ds389';
import { startSlapd } from './slapd';

const OUT = join(__dirname, '..', '..', '..', 'lib', 'schema', 'snapshots');

/** JSON with one definition per line: the file's history then shows which definitions changed. */
export const snapshotText = (json: SchemaJSON): string => {
  const lists = Object.entries(json.definitions).map(
    ([name, items]) => `    ${JSON.stringify(name)}: [${(items as unknown[]).length === 0 ? '' : `\n${(items as unknown[]).map((item) => `      ${JSON.stringify(item)}`).join(',\n')}\n    `}]`,
  );
  return `{\n  "format": "rxldap-schema",\n  "version": 1,\n  "source": ${JSON.stringify(json.source)},\n  "definitions": {\n${lists.join(',\n')}\n  }\n}\n`;
};

const read = async (url: string, bind: [string, string], source: string): Promise<Schema> => {
  const client = new Client({ url, timeout: 30_000 });
  try {
    await client.bind(...bind);
    const schema = await client.schema({ source, strict: true });
    const unresolved = schema.problems.filter((p) => /supertype|superclass|SYNTAX/.test(p.message));
    if (unresolved.length > 0) throw new Error(`${source}: unresolved chains: ${JSON.stringify(unresolved)}`);
    return schema;
  } finally {
    await client.unbind();
  }
};

const save = (name: string, schema: Schema): void => {
  const file = join(OUT, `${name}.json`);
  writeFileSync(file, snapshotText(schema.toJSON()));
  const counts = Object.entries(schema.definitions as unknown as Record<string, unknown[]>).map(([kind, items]) => `${kind} ${items.length}`).join(', ');
  console.log(`${file}: ${counts}`);
};

const main = async (): Promise<void> => {
  // slapd -VV prints its version on stderr.
  const version = /slapd ([\d.]+)/.exec(spawnSync('/usr/sbin/slapd', ['-VV'], { encoding: 'utf8' }).stderr)?.[1] ?? '2.5';
  const slapd = await startSlapd();
  try {
    save('openldap-2.5', await read(slapd.url, [slapd.adminDN, slapd.adminPassword], `OpenLDAP slapd ${version} (core, cosine, inetorgperson, nis)`));
  } finally {
    await slapd.stop();
  }
  const ds = await startDs389();
  try {
    const probe = new Client({ url: ds.url });
    const dse = await probe.rootDSE();
    await probe.unbind();
    save('389-ds-2.3', await read(ds.url, [ds.rootDN, ds.rootPassword], dse.vendorVersion ?? '389-Directory/2.3'));
  } finally {
    await ds.stop();
  }
};

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
