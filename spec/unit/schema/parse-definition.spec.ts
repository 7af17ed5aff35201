import { expect } from 'chai';
import {
  LdapSyntaxError,
  parseAttributeType,
  parseDitContentRule,
  parseDitStructureRule,
  parseLdapSyntax,
  parseMatchingRule,
  parseMatchingRuleUse,
  parseNameForm,
  parseObjectClass,
  printAttributeType,
  printDitContentRule,
  printDitStructureRule,
  printLdapSyntax,
  printMatchingRule,
  printMatchingRuleUse,
  printNameForm,
  printObjectClass,
  SchemaSyntaxError,
} from '../../../lib';
import { FIXTURE } from './fixture';

const failure = (parse: () => unknown): SchemaSyntaxError => {
  try {
    parse();
  } catch (error) {
    expect(error).to.be.instanceOf(SchemaSyntaxError);
    expect(error).to.be.instanceOf(LdapSyntaxError);
    return error as SchemaSyntaxError;
  }
  return expect.fail('parsed');
};

describe('RFC 4512 definitions', () => {
  it('reads every field of an attribute type, with the SYNTAX length and extensions', () => {
    const type = parseAttributeType(
      "( 1.2.3 NAME ( 'a' 'b' ) DESC 'it\\27s \\5C here' OBSOLETE SUP name EQUALITY caseIgnoreMatch ORDERING caseIgnoreOrderingMatch " +
        "SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{64} SINGLE-VALUE COLLECTIVE NO-USER-MODIFICATION USAGE dSAOperation " +
        "X-ORDERED 'VALUES' X-ORIGIN ( 'RFC 4519' 'user defined' ) )",
    );
    expect(type).to.deep.equal({
      oid: '1.2.3', names: ['a', 'b'], description: "it's \\ here", obsolete: true, extensions: { 'X-ORDERED': ['VALUES'], 'X-ORIGIN': ['RFC 4519', 'user defined'] },
      superior: 'name', equality: 'caseIgnoreMatch', ordering: 'caseIgnoreOrderingMatch', substr: 'caseIgnoreSubstringsMatch',
      syntax: '1.3.6.1.4.1.1466.115.121.1.15', syntaxLength: 64, singleValue: true, collective: true, noUserModification: true, usage: 'dSAOperation',
    });
  });

  it('leaves absent optional fields out and defaults usage, kind and flags', () => {
    expect(parseAttributeType('( 1.2.3 SUP name )')).to.deep.equal({
      oid: '1.2.3', names: [], obsolete: false, extensions: {}, superior: 'name', singleValue: false, collective: false, noUserModification: false, usage: 'userApplications',
    });
    expect(parseObjectClass("( 1.2.4 NAME 'x' )").kind).to.equal('STRUCTURAL');
  });

  it('reads object classes with several superiors, lists with $ and a kind', () => {
    expect(parseObjectClass("( 2.5.6.7 NAME 'organizationalPerson' SUP ( person $ top ) AUXILIARY MUST cn MAY ( title $ x121Address ) )")).to.deep.equal({
      oid: '2.5.6.7', names: ['organizationalPerson'], obsolete: false, extensions: {}, superiors: ['person', 'top'], kind: 'AUXILIARY', must: ['cn'], may: ['title', 'x121Address'],
    });
  });

  it('reads the other six kinds', () => {
    expect(parseMatchingRule("( 2.5.13.2 NAME 'caseIgnoreMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )").syntax).to.equal('1.3.6.1.4.1.1466.115.121.1.15');
    expect(parseMatchingRuleUse("( 2.5.13.2 APPLIES ( cn $ sn ) )").applies).to.deep.equal(['cn', 'sn']);
    expect(parseLdapSyntax("( 1.3.6.1.4.1.1466.115.121.1.15 DESC 'Directory String' X-NOT-HUMAN-READABLE 'FALSE' )")).to.deep.equal({
      oid: '1.3.6.1.4.1.1466.115.121.1.15', description: 'Directory String', extensions: { 'X-NOT-HUMAN-READABLE': ['FALSE'] },
    });
    expect(parseDitContentRule("( 2.5.6.6 AUX ( a $ b ) MUST c MAY d NOT e )")).to.include.keys('auxiliary', 'must', 'may', 'not');
    expect(parseDitStructureRule("( 2 NAME 'r' FORM nf SUP ( 1 3 ) )")).to.deep.equal({ ruleId: 2, names: ['r'], obsolete: false, form: 'nf', superiorRules: [1, 3], extensions: {} });
    expect(parseNameForm("( 1.2.5 OC person MUST cn )")).to.deep.include({ objectClass: 'person', must: ['cn'], may: [] });
  });

  it('prints every fixture definition as text that parses back to the same data', () => {
    const kinds = [
      [FIXTURE.attributeTypes, parseAttributeType, printAttributeType],
      [FIXTURE.objectClasses, parseObjectClass, printObjectClass],
      [FIXTURE.matchingRules, parseMatchingRule, printMatchingRule],
      [FIXTURE.matchingRuleUse, parseMatchingRuleUse, printMatchingRuleUse],
      [FIXTURE.ldapSyntaxes, parseLdapSyntax, printLdapSyntax],
      [FIXTURE.dITContentRules, parseDitContentRule, printDitContentRule],
      [FIXTURE.dITStructureRules, parseDitStructureRule, printDitStructureRule],
      [FIXTURE.nameForms, parseNameForm, printNameForm],
    ] as const;
    let count = 0;
    for (const [texts, parse, print] of kinds) {
      for (const text of texts) {
        const parsed = (parse as (t: string) => unknown)(text);
        expect((parse as (t: string) => unknown)((print as (d: unknown) => string)(parsed)), text).to.deep.equal(parsed);
        count++;
      }
    }
    expect(count).to.equal(Object.values(FIXTURE).flat().length);
  });

  describe('errors say where', () => {
    const cases: Array<[string, () => unknown, number, RegExp]> = [
      ['an unclosed quote', () => parseAttributeType("( 1.2.3 NAME 'cn )"), 13, /not closed/],
      ['an unknown keyword', () => parseAttributeType('( 1.2.3 FOO bar )'), 8, /unknown keyword FOO/],
      ['a keyword twice', () => parseAttributeType('( 1.2.3 SUP a SUP b )'), 14, /SUP appears twice/],
      ['no closing parenthesis', () => parseObjectClass("( 1.2.3 NAME 'x'"), 16, /not closed/],
      ['text after the end', () => parseObjectClass('( 1.2.3 ) x'), 10, /after the closing/],
      ['no opening parenthesis', () => parseObjectClass('1.2.3 )'), 0, /expected '\('/],
      ['a list not closed', () => parseObjectClass('( 1.2.3 MUST ( a $ b )'), 22, /not closed/],
      ['two kinds', () => parseObjectClass('( 1.2.3 ABSTRACT AUXILIARY )'), 17, /more than one kind/],
      ['an unknown USAGE', () => parseAttributeType('( 1.2.3 SUP a USAGE sometimes )'), 20, /unknown USAGE/],
      ['a matching rule without SYNTAX', () => parseMatchingRule("( 1.2.3 NAME 'm' )"), 18, /SYNTAX is missing/],
      ['a structure rule numbered with letters', () => parseDitStructureRule('( x FORM f )'), 2, /not a number/],
      ['a missing value', () => parseAttributeType('( 1.2.3 SUP )'), 12, /expected an OID after SUP/],
    ];
    for (const [what, parse, position, reason] of cases) {
      it(`${what}: a SchemaSyntaxError at ${position}`, () => {
        const error = failure(parse);
        expect(error.position).to.equal(position);
        expect(error.reason).to.match(reason);
        expect(error.message).to.contain(`position ${position}`);
      });
    }
  });
});
