import { encodeMessage } from '../../lib/protocol';
import type { PartialAttribute } from '../../lib/protocol';
import { seededRandom } from '../../spec/support/data';

/**
 * The decode benchmark's input: a stream of searchResEntry PDUs for inetOrgPerson entries,
 * encoded once by rxldap's encoder and cut into socket-read-sized chunks, plus the tally a
 * decoder must reproduce to prove it decoded every entry.
 */


/** What a consumer reads from every decoded entry; equal tallies mean equal work done. */
export interface Tally {
  entries: number;
  attributes: number;
  values: number;
  valueBytes: number;
  /** Sum of the first and last octet of every value: proves the bytes are the right ones. */
  edgeSum: number;
  /** Sum of the UTF-16 lengths of every DN and attribute description string. */
  stringChars: number;
  lastDn: string;
}

export const emptyTally = (): Tally => ({
  entries: 0, attributes: 0, values: 0, valueBytes: 0, edgeSum: 0, stringChars: 0, lastDn: '',
});

/** Every decoder counts its values through this one function, so the per-value cost is equal. */
export const tallyValues = (tally: Tally, values: readonly Buffer[]): void => {
  tally.values += values.length;
  for (const value of values) {
    const length = value.length;
    tally.valueBytes += length;
    if (length > 0) tally.edgeSum += value[0]! + value[length - 1]!;
  }
};

/** Lists the fields where `actual` differs from `expected` (empty when they agree). */
export const compareTally = (expected: Tally, actual: Tally): string[] => {
  const keys = Object.keys(expected) as (keyof Tally)[];
  return keys
    .filter((key) => expected[key] !== actual[key])
    .map((key) => `${key}: expected ${JSON.stringify(expected[key])}, got ${JSON.stringify(actual[key])}`);
};

export interface Fixture {
  /** The whole stream, one PDU after another. */
  stream: Buffer;
  /** `stream` cut at every `chunkSize` octets (subarrays; PDUs straddle chunk boundaries). */
  chunks: Buffer[];
  chunkSize: number;
  /** The messageIDs used (one per page of a paged search) and the tally a decoder must reach. */
  messageIds: number[];
  expected: Tally;
}

const GIVEN_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Wei', 'Yuki', 'Aarav', 'Fatima', 'Olga', 'Pierre', 'Ingrid', 'Mateo', 'Amara', 'Lars',
  'José', 'Zoë', 'Björn', 'Chloé', 'Søren', 'Ana', 'Nikolai', 'Priya', 'Kwame', 'Hana',
];
const SURNAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Nguyen', 'Chen', 'Kowalski', 'Novak', 'Okafor', 'Tanaka', 'Singh', 'Haddad', 'Larsen',
  'Müller', 'Öztürk', 'Ångström', 'Peña', 'Dvořák', 'Łukasik', 'Fernández', 'Jäger', 'Ibáñez', 'Østergaard',
];
const TITLES = [
  'Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'Product Manager', 'Accountant',
  'Sales Representative', 'Support Specialist', 'Systems Administrator', 'Data Analyst', 'Recruiter',
  'Technical Writer', 'Designer', 'Director of Operations', 'Security Analyst', 'Intern',
];
const WORDS = [
  'works', 'on', 'the', 'platform', 'team', 'and', 'owns', 'billing', 'integration', 'with', 'partners',
  'in', 'Europe', 'Asia', 'responsible', 'for', 'directory', 'services', 'quarterly', 'reporting', 'based',
  'remote', 'office', 'Berlin', 'Toronto', 'Singapore', 'mentor', 'to', 'new', 'hires', 'on-call', 'rotation',
  'contact', 'via', 'chat', 'first', 'prefers', 'email', 'for', 'approvals', 'budget', 'holder', 'project',
];
const MAIL_DOMAINS = ['example.com', 'corp.example.com', 'mail.example.org'];
const OBJECT_CLASSES = ['top', 'person', 'organizationalPerson', 'inetOrgPerson'].map((name) => Buffer.from(name));

export const ENTRY_SUFFIX = 'ou=people,dc=example,dc=com';
/** Entries per page: every page of the paged search that produced the stream has its own messageID. */
export const PAGE_SIZE = 1000;
const FIRST_MESSAGE_ID = 2;

export const dnOf = (index: number): string => `uid=user${String(index).padStart(7, '0')},${ENTRY_SUFFIX}`;
export const messageIdOf = (index: number): number => FIRST_MESSAGE_ID + Math.floor(index / PAGE_SIZE);

const asciiFold = (text: string): string =>
  text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ø/g, 'o').replace(/Ø/g, 'O').replace(/ł/g, 'l').replace(/Ł/g, 'L').toLowerCase();

/** The attributes of entry `index`, drawing every varying value from `random`. */
const entryAttributes = (index: number, random: () => number): PartialAttribute[] => {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const digits = (count: number): string => String(Math.floor(random() * 10 ** count)).padStart(count, '0');
  const given = pick(GIVEN_NAMES);
  const surname = pick(SURNAMES);
  const local = `${asciiFold(given)}.${asciiFold(surname)}${index % 97}`;
  const mails = [`${local}@${pick(MAIL_DOMAINS)}`];
  if (random() < 0.3) mails.push(`${asciiFold(given)[0]}${asciiFold(surname)}${index}@${pick(MAIL_DOMAINS)}`);
  const targetLength = 90 + Math.floor(random() * 21);
  let description = `${given} ${surname}`;
  while (description.length < targetLength) description += ` ${pick(WORDS)}`;
  const text = (value: string): Buffer => Buffer.from(value, 'utf8');
  return [
    { type: 'objectClass', vals: OBJECT_CLASSES },
    { type: 'uid', vals: [text(`user${String(index).padStart(7, '0')}`)] },
    { type: 'cn', vals: [text(`${given} ${surname}`)] },
    { type: 'sn', vals: [text(surname)] },
    { type: 'givenName', vals: [text(given)] },
    { type: 'mail', vals: mails.map(text) },
    { type: 'telephoneNumber', vals: [text(`+1 555 ${digits(3)} ${digits(4)}`)] },
    { type: 'employeeNumber', vals: [text(digits(6))] },
    { type: 'title', vals: [text(pick(TITLES))] },
    { type: 'description', vals: [text(description)] },
  ];
};

/** Builds the stream of `entries` PDUs (deterministic for a given seed) and its chunks. */
export const buildFixture = (entries: number, chunkSize: number, seed = 0x1da9): Fixture => {
  const random = seededRandom(seed); // the test data's PRNG: every run and machine sees the same bytes
  const pdus: Buffer[] = [];
  const expected = emptyTally();
  const messageIds = new Set<number>();
  for (let index = 0; index < entries; index++) {
    const objectName = dnOf(index);
    const attributes = entryAttributes(index, random);
    const messageId = messageIdOf(index);
    messageIds.add(messageId);
    pdus.push(encodeMessage({ messageId, protocolOp: { type: 'searchResEntry', objectName, attributes } }));
    expected.entries++;
    expected.stringChars += objectName.length;
    expected.lastDn = objectName;
    for (const attribute of attributes) {
      expected.attributes++;
      expected.stringChars += attribute.type.length;
      tallyValues(expected, attribute.vals);
    }
  }
  const stream = Buffer.concat(pdus);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < stream.length; offset += chunkSize) {
    chunks.push(stream.subarray(offset, Math.min(offset + chunkSize, stream.length)));
  }
  return { stream, chunks, chunkSize, messageIds: [...messageIds], expected };
};
