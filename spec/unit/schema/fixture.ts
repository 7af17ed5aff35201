/** A small schema in RFC 4512 text (from RFC 4519, RFC 4524 and RFC 2798), for the unit specs. */
import { parseSchema, type Schema } from '../../../lib';

export const FIXTURE = {
  ldapSyntaxes: [
    "( 1.3.6.1.4.1.1466.115.121.1.15 DESC 'Directory String' )",
    "( 1.3.6.1.4.1.1466.115.121.1.27 DESC 'Integer' )",
    "( 1.3.6.1.4.1.1466.115.121.1.7 DESC 'Boolean' )",
    "( 1.3.6.1.4.1.1466.115.121.1.24 DESC 'Generalized Time' )",
    "( 1.3.6.1.4.1.1466.115.121.1.12 DESC 'Distinguished Name' )",
    "( 1.3.6.1.4.1.1466.115.121.1.38 DESC 'OID' )",
    "( 1.3.6.1.4.1.1466.115.121.1.40 DESC 'Octet String' )",
    "( 1.3.6.1.4.1.1466.115.121.1.26 DESC 'IA5 String' )",
  ],
  matchingRules: [
    "( 2.5.13.2 NAME 'caseIgnoreMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
    "( 2.5.13.3 NAME 'caseIgnoreOrderingMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
    "( 2.5.13.4 NAME 'caseIgnoreSubstringsMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.58 )",
    "( 2.5.13.5 NAME 'caseExactMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
    "( 2.5.13.14 NAME 'integerMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 )",
    "( 2.5.13.15 NAME 'integerOrderingMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 )",
  ],
  matchingRuleUse: ["( 2.5.13.2 NAME 'caseIgnoreMatch' APPLIES ( name $ cn $ sn ) )"],
  attributeTypes: [
    "( 2.5.4.0 NAME 'objectClass' EQUALITY objectIdentifierMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.38 )",
    "( 2.5.4.41 NAME 'name' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{32768} )",
    "( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC 'RFC4519: common name(s) for which the entity is known by' SUP name )",
    "( 2.5.4.4 NAME ( 'sn' 'surname' ) SUP name )",
    "( 2.5.4.42 NAME ( 'givenName' 'gn' ) SUP name )",
    "( 2.5.4.35 NAME 'userPassword' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40{128} )",
    "( 2.5.4.13 NAME 'description' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{1024} )",
    "( 2.5.4.31 NAME 'member' SUP distinguishedName )",
    "( 2.5.4.49 NAME 'distinguishedName' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )",
    "( 0.9.2342.19200300.100.1.1 NAME ( 'uid' 'userid' ) EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} )",
    "( 0.9.2342.19200300.100.1.3 NAME ( 'mail' 'rfc822Mailbox' ) EQUALITY caseIgnoreIA5Match SUBSTR caseIgnoreIA5SubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.26{256} )",
    "( 1.3.6.1.1.1.1.0 NAME 'uidNumber' EQUALITY integerMatch ORDERING integerOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
    "( 2.16.840.1.113730.3.1.3 NAME 'employeeNumber' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )",
    "( 2.5.18.1 NAME 'createTimestamp' EQUALITY generalizedTimeMatch ORDERING generalizedTimeOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.24 SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )",
    "( 1.3.6.1.4.1.99999.1 NAME 'exampleFlag' EQUALITY booleanMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.7 SINGLE-VALUE X-ORIGIN 'rxldap spec' )",
    "( 1.3.6.1.4.1.99999.2 NAME 'exampleOrdered' SUP name X-ORDERED 'VALUES' X-ORIGIN ( 'rxldap spec' 'user defined' ) )",
  ],
  objectClasses: [
    "( 2.5.6.0 NAME 'top' ABSTRACT MUST objectClass )",
    "( 2.5.6.6 NAME 'person' SUP top STRUCTURAL MUST ( sn $ cn ) MAY ( userPassword $ description ) )",
    "( 2.5.6.7 NAME 'organizationalPerson' SUP person STRUCTURAL MAY ( description ) )",
    "( 2.16.840.1.113730.3.2.2 NAME 'inetOrgPerson' SUP organizationalPerson STRUCTURAL MAY ( uid $ mail $ givenName $ employeeNumber ) )",
    "( 1.3.6.1.4.1.99999.3 NAME 'exampleAux' AUXILIARY MAY ( exampleFlag $ uidNumber ) )",
  ],
  dITContentRules: ["( 2.5.6.6 NAME 'personRule' AUX exampleAux MUST description NOT userPassword )"],
  nameForms: ["( 1.3.6.1.4.1.99999.4 NAME 'personByCn' OC person MUST cn MAY uid )"],
  dITStructureRules: ["( 1 NAME 'personRule' FORM personByCn )", "( 2 NAME 'childRule' FORM personByCn SUP ( 1 ) )"],
};

export const fixtureSchema = (): Schema => parseSchema(FIXTURE, { strict: true });
