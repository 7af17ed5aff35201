/**
 * Every fuzz target by name. A new parser plugs in with one line here, and `npm run fuzz` and the unit spec pick it up.
 */
import type { TargetFactory } from './target';
import { createDecoderTarget } from './targets/decoder';
import { createParserTarget } from './targets/parser';
import { createFramerTarget } from './targets/framer';
import { createFilterPduTarget } from './targets/filter-pdu';
import { createDnTarget } from './targets/dn';
import { createFilterTarget } from './targets/filter';
import { createUrlTarget } from './targets/url';
import { createLdifTarget } from './targets/ldif';

export const TARGETS: Readonly<Record<string, TargetFactory>> = {
  decoder: createDecoderTarget,
  parser: createParserTarget,
  framer: createFramerTarget,
  'filter-pdu': createFilterPduTarget,
  dn: createDnTarget,
  filter: createFilterTarget,
  url: createUrlTarget,
  ldif: createLdifTarget,
};
