/**
 * rxldap/schemas: the offline schemas rxldap ships, as the plain data Schema.toJSON() writes,
 * made from the real servers by `npm run schema:snapshot` (spec/support/snapshot-schema.ts).
 * A subpath of its own so the main bundle does not carry them: `loadSchemaSnapshot(name)` in
 * rxldap imports this module when first asked, or an application imports it itself and calls
 * `Schema.fromJSON(schemaSnapshots['openldap-2.5'])`.
 *
 * - 'openldap-2.5': OpenLDAP slapd 2.5 with core, cosine, inetorgperson and nis, and slapd's own
 *   operational and matching-rule definitions.
 * - '389-ds-2.3': 389 Directory Server 2.3 as a fresh instance publishes it.
 */
import type { SchemaJSON } from './schema/schema';
import openldap from './schema/snapshots/openldap-2.5.json';
import ds389 from './schema/snapshots/389-ds-2.3.json';

export type { SchemaJSON } from './schema/schema';
export type * from './schema/definitions';

/** The names of the shipped snapshots. */
export type SchemaSnapshotName = 'openldap-2.5' | '389-ds-2.3';

export const schemaSnapshots: Readonly<Record<SchemaSnapshotName, SchemaJSON>> = {
  'openldap-2.5': openldap as unknown as SchemaJSON,
  '389-ds-2.3': ds389 as unknown as SchemaJSON,
};
