import { SchemaError } from '../errors/schema';
import type { SchemaSnapshotName } from '../schemas';
import { Schema } from './schema';

/**
 * One of the schemas rxldap ships (see rxldap/schemas), as a Schema, for typed values and
 * checkNames without reading the server's, or with no server at all. The data lives on its own
 * subpath, loaded on the first call, so applications that never ask do not load it.
 */
export const loadSchemaSnapshot = async (name: SchemaSnapshotName): Promise<Schema> => {
  // By the package's own name: the bundles keep it external, so the data is a module of its own.
  const { schemaSnapshots } = await import('rxldap/schemas');
  const snapshot = Object.hasOwn(schemaSnapshots, name) ? schemaSnapshots[name] : undefined;
  if (snapshot === undefined) throw new SchemaError(`no schema snapshot named ${JSON.stringify(name)} (there are ${Object.keys(schemaSnapshots).join(', ')})`);
  return Schema.fromJSON(snapshot);
};
