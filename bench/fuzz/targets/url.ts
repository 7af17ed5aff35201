/** parseLdapUrl on mutated URLs: a result or InvalidUrlError, nothing else. */
import { InvalidUrlError } from '../../../lib/errors';
import { parseLdapUrl } from '../../../lib/transport/ldap-url';
import type { TextGrammar } from '../mutate-text';
import type { FuzzTarget, TargetFactory } from '../target';
import { textSeeds } from '../corpus-text';
import { percentHex, showText, textGenerator } from '../text-target';

const URL_GRAMMAR: TextGrammar = {
  specials: ['/', '?', ':', ',', '%', '[', ']', '!', '@', '#', '??', '%2c', '%3f', '%25', '%00', ' ', '%', '%2', ':0', ':99999', '[::1]', 'ldap://', '!x=y', 'e-bindname='],
  escapeByte: percentHex,
  nest: (text, depth, rng) =>
    rng.chance(1, 2) ? `${text}???${encodeURIComponent('(!'.repeat(depth) + '(a=b)' + ')'.repeat(depth))}` : text + ','.repeat(depth),
};

export const createUrlTarget: TargetFactory = (options) => {
  const target: FuzzTarget<string> = {
    name: 'url',
    about: 'parseLdapUrl (RFC 4516, ldaps, ldapi)',
    refusals: [InvalidUrlError],
    generate: textGenerator(textSeeds(options).urls, URL_GRAMMAR),
    run(input) {
      parseLdapUrl(input);
    },
    show: showText,
  };
  return target;
};
