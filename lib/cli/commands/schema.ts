import { printAttributeType, printObjectClass } from '../../index';
import type { AttributeType, ObjectClass, Schema } from '../../index';
import type { Command } from '../command';
import { connect } from '../connect';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes';
import type { CliIO } from '../io';
import { CONNECTION_HELP, connectionSettings, parseCommandArgs } from '../options';
import { UsageError } from '../usage';

const HELP = `Usage: rxldap schema [options] [name...]

Reads the server's schema (RFC 4512, from the subschema subentry the root DSE names).
Without names: the whole schema as one JSON document (rxldap's schema JSON, which
Schema.fromJSON() loads). With names of object classes or attribute types: one line of JSON
each, with what the schema resolves for it:
  {"kind":"objectClass","name":"inetOrgPerson","oid":"…","type":"STRUCTURAL",
   "superiors":["organizationalPerson","person","top"],"must":[…],"may":[…],"definition":"( … )"}
  {"kind":"attributeType","name":"mail","oid":"…","syntax":"…","equality":"…","singleValue":false,
   "usage":"userApplications","definition":"( … )"}
A name the schema does not know is a usage error (exit 1), with the nearest name it does know.

${CONNECTION_HELP}

${EXIT_CODES_HELP}
`;

const describeObjectClass = (oc: ObjectClass): Record<string, unknown> => ({
  kind: 'objectClass',
  name: oc.name,
  oid: oc.oid,
  type: oc.kind,
  superiors: oc.ancestors.map((ancestor) => ancestor.name),
  must: oc.must,
  may: oc.may,
  definition: printObjectClass(oc.definition),
});

const describeAttributeType = (type: AttributeType): Record<string, unknown> => ({
  kind: 'attributeType',
  name: type.name,
  oid: type.oid,
  ...(type.superior === undefined ? {} : { superior: type.superior.name }),
  syntax: type.syntax,
  equality: type.equality,
  ordering: type.ordering,
  substr: type.substr,
  singleValue: type.singleValue,
  usage: type.usage,
  definition: printAttributeType(type.definition),
});

const describeName = (schema: Schema, name: string): Record<string, unknown> => {
  const oc = schema.objectClass(name);
  if (oc !== undefined) return describeObjectClass(oc);
  const type = schema.attributeType(name);
  if (type !== undefined) return describeAttributeType(type);
  const nearest = schema.suggestObjectClass(name) ?? schema.suggestAttributeType(name);
  throw new UsageError(`the server's schema has no object class or attribute type named ${JSON.stringify(name)}${nearest === undefined ? '' : ` (did you mean ${nearest}?)`}`, 'schema');
};

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the server\'s schema, or what it says about some object classes and attribute types',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs<object>(args, {}, 'schema');
    if (values.help === true) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    const client = await connect(connectionSettings(values, io.env, 'schema'), io, 'schema', { reconnect: false });
    try {
      const schema = await client.schema({ signal: io.stop });
      // Every name is looked up before anything is written: one unknown name, no partial output.
      const lines = positionals.length === 0 ? [schema.toJSON()] : positionals.map((name) => describeName(schema, name));
      io.stdout.write(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      return EXIT.ok;
    } finally {
      await client.unbind().catch(() => client.destroy());
    }
  },
};
