/** What ldapsearch printed, as attribute → values (base64 `::` values decoded); for comparing with rxldap. */
export const ldifValues = (ldif: string): Map<string, Buffer[]> => {
  const values = new Map<string, Buffer[]>();
  for (const line of ldif.split('\n')) {
    const m = /^([A-Za-z0-9;.-]+)(::?) ?(.*)$/.exec(line);
    if (m === null || line.startsWith('#')) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2] === '::' ? Buffer.from(m[3]!, 'base64') : Buffer.from(m[3]!, 'utf8');
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  return values;
};

export const ldifTexts = (ldif: string, attribute: string): string[] => (ldifValues(ldif).get(attribute.toLowerCase()) ?? []).map((v) => v.toString('utf8'));
