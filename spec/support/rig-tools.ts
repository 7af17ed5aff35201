/**
 * What both throw-away servers (slapd, 389-ds) offer for the OpenLDAP CLI tools: running one in
 * the rig's isolated environment, and ldapsearch / ldapmodify bound as the server's
 * administrator, failing with everything the tool said.
 */
import { requireSuccess, runTool, type LdapTool, type RunOptions, type ToolResult } from './slapd/tools';

/** The CLI-tool methods of a rig instance, as its interface lists them. */
export type CliTools = Pick<RigTools, 'run' | 'ldapsearch' | 'ldapmodify'>;

export abstract class RigTools {
  /** ldap://127.0.0.1:port of the server. */
  abstract readonly url: string;
  /** The DN and password the tools bind as (slapd's rootdn, 389-ds's Directory Manager). */
  protected abstract readonly toolBind: { readonly dn: string; readonly password: string };
  /** Environment for the OpenLDAP CLI tools: no ldap.conf or ldaprc, LDAPBASE (and the CA) set. */
  abstract toolEnv(): Record<string, string | undefined>;

  /** Runs an OpenLDAP CLI tool with toolEnv(); no bind added, never rejects on a non-zero exit. */
  run(tool: LdapTool, args: readonly string[], options: RunOptions = {}): Promise<ToolResult> {
    return runTool(tool, args, { ...options, env: options.env ?? this.toolEnv() });
  }

  /** ldapsearch as the administrator (-x -D -w, -o ldif-wrap=no, base defaults to LDAPBASE); stdout, or throws. */
  async ldapsearch(args: readonly string[]): Promise<string> {
    return requireSuccess(await this.run('ldapsearch', [...this.asAdministrator(), '-o', 'ldif-wrap=no', ...args])).stdout;
  }

  /** ldapmodify as the administrator with the LDIF on stdin (add '-a' or '-c' through extraArgs); stdout, or throws. */
  async ldapmodify(ldif: string, extraArgs: readonly string[] = []): Promise<string> {
    return requireSuccess(await this.run('ldapmodify', [...this.asAdministrator(), ...extraArgs], { input: ldif })).stdout;
  }

  private asAdministrator(): string[] {
    return ['-x', '-H', this.url, '-D', this.toolBind.dn, '-w', this.toolBind.password];
  }
}
