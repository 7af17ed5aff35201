"""python-ldap's SyncreplConsumer, counting entries: the reference consumer bench/sync.ts runs
beside rxldap's (one refreshOnly sync of the subtree; it keeps nothing but counts, as the issue
measured it). Prints one JSON line. Needs python-ldap (Debian: python3-ldap)."""
import json
import sys

import ldap
from ldap.ldapobject import SimpleLDAPObject
from ldap.syncrepl import SyncreplConsumer


class Counting(SyncreplConsumer, SimpleLDAPObject):
    def __init__(self, *args, **kwargs):
        SimpleLDAPObject.__init__(self, *args, **kwargs)
        self.entries = 0
        self.cookie = None

    def syncrepl_get_cookie(self):
        return self.cookie

    def syncrepl_set_cookie(self, cookie):
        self.cookie = cookie

    def syncrepl_entry(self, dn, attributes, uuid):
        self.entries += 1

    def syncrepl_delete(self, uuids):
        pass

    def syncrepl_present(self, uuids, refreshDeletes=False):
        pass

    def syncrepl_refreshdone(self):
        pass


def main():
    job = json.loads(sys.argv[1])
    conn = Counting(job["url"])
    conn.simple_bind_s(job["bindDN"], job["password"])
    msgid = conn.syncrepl_search(job["base"], ldap.SCOPE_SUBTREE, mode="refreshOnly", filterstr=job["filter"])
    while conn.syncrepl_poll(all=1, msgid=msgid):
        pass
    conn.unbind_s()
    print(json.dumps({"entries": conn.entries}))


main()
