#!/usr/bin/env python3
"""Writes the golden case folders (exports + syncplan.json). Run from the repo root:
python3 tests/golden/gen.py. Snapshots are made by `INSTA_UPDATE=always cargo test --test golden`."""
import json, os

ROOT = os.path.dirname(os.path.abspath(__file__))

def uid(n): return "005%012d" % n
def pid(n): return "00e%012d" % n
def rid(n): return "00E%012d" % n
def gid(n): return "00G%012d" % n

PROFILES = [
    (pid(1), "System Administrator", "Salesforce", "Standard", "false"),
    (pid(2), "Marketing User", "Salesforce", "Standard", "false"),
    (pid(3), "Sales Rep", "Salesforce", "Standard", "false"),
    (pid(4), "B2BMA Integration User", "", "Standard", "false"),
    (pid(5), "Partner Community User", "Partner Community", "PowerPartner", "false"),
    (pid(6), "API Only Integrations", "Salesforce Integration", "Standard", "true"),
    (pid(7), "Identity User", "Identity", "Standard", "false"),
]
ROLES = [
    (rid(1), "CEO", "CEO", "", "None"),
    (rid(2), "VP Marketing", "VP_Marketing", rid(1), "None"),
    (rid(3), "Field Marketing", "Field_Marketing", rid(2), "None"),
    (rid(4), "Sales Rep", "Sales_Rep", rid(1), "None"),
    (rid(5), "Partner Exec", "Partner_Exec", rid(3), "Partner"),
]
B2BMA = (99, "b2bmaintegration@00d000000000001.ext", "", "B2BMA", "Integration", True, pid(4), None, "Standard")

def csv_line(vals):
    out = []
    for v in vals:
        v = "" if v is None else str(v)
        if any(c in v for c in ',"\n'):
            v = '"' + v.replace('"', '""') + '"'
        out.append(v)
    return ",".join(out) + "\n"

def write(d, name, header, rows):
    with open(os.path.join(d, name), "w", newline="") as f:
        f.write(csv_line(header))
        for r in rows:
            f.write(csv_line(r))

def user(n, uname, first, last, active=True, profile=2, role=None, utype="Standard", email=None, title="", phone=""):
    return (n, uname, email if email is not None else uname, first, last, active, pid(profile), rid(role) if role else None, utype, title, phone)

def case(name, users, ae=None, scenario=None, groups=(), members=(), tenants=(), logins=(), b2bma=True, ae_name="ae-users.csv", extra_ae=()):
    d = os.path.join(ROOT, name)
    os.makedirs(d, exist_ok=True)
    rows = []
    for u in users:
        n, uname, email, first, last, active, prof, role, utype, title, phone = u
        rows.append((uid(n), uname, email, first, last, f"{first} {last}", title, phone, "true" if active else "false", utype, prof, role or ""))
    if b2bma:
        rows.append((uid(99), B2BMA[1], "b2bma@example.com", "", "B2BMA Integration", "B2BMA Integration", "", "", "true", "Standard", pid(4), ""))
    write(d, "users.csv", ["Id", "Username", "Email", "FirstName", "LastName", "Name", "Title", "Phone", "IsActive", "UserType", "ProfileId", "UserRoleId"], rows)
    write(d, "profiles.csv", ["Id", "Name", "UserLicense.Name", "UserType", "PermissionsApiUserOnly"], PROFILES)
    write(d, "roles.csv", ["Id", "Name", "DeveloperName", "ParentRoleId", "PortalType"], ROLES)
    if groups:
        bosses = ["DoesIncludeBosses"] if len(groups[0]) == 6 else []
        write(d, "groups.csv", ["Id", "Name", "DeveloperName", "Type", "RelatedId"] + bosses, groups)
        write(d, "group-members.csv", ["GroupId", "UserOrGroupId"], members)
    if tenants:
        write(d, "tenants.csv", ["Id", "PardotTenantName", "InitialPardotAdminId", "CreationStatus"], tenants)
    if logins:
        write(d, "logins.csv", ["UserId", "IsFrozen"], logins)
    hdr = ["id", "email", "firstName", "lastName", "jobTitle", "phone", "roleName", "salesforceId", "crmUsername", "isDeleted"]
    if ae is not None:
        write(d, ae_name, hdr, ae)
    for (fname, rows_) in extra_ae:
        write(d, fname, hdr, rows_)
    if scenario is not None:
        with open(os.path.join(d, "syncplan.json"), "w") as f:
            json.dump(scenario, f, indent=2)
            f.write("\n")

def ae(i, email, first, last, role="Marketing", sfid=None, crm=None, deleted=False, title="", phone=""):
    return (i, email, first, last, title, phone, role, uid(sfid) if sfid else "", crm or "", "true" if deleted else "false")

def scen(bus, mode="latest", both="sales_wins", legacy=None):
    s = {"format_version": "1", "mode": mode, "both_groups": both, "business_units": bus}
    if legacy is not None:
        s["legacy"] = legacy
    return s

def bu(marketing=(), sales=(), creator=None, ae_users="ae-users.csv", profile_roles=None, name="Acme", **kw):
    b = {"name": name}
    if creator: b["creator"] = creator
    if ae_users: b["ae_users"] = ae_users
    b["marketing_users"] = list(marketing)
    b["sales_users"] = list(sales)
    if profile_roles: b["profile_roles"] = profile_roles
    b.update(kw)
    return b

# 1. Every latest-mode action: create, update, restore, in sync, recycle (inactive, unassigned),
#    none (bin, out of scope, inactive none), creator, sales, profile table.
case("latest-actions",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1),
        user(2, "new.marketer@acme.example", "Nina", "New"),
        user(3, "changed@acme.example", "Carl", "Changed", title="Director"),
        user(4, "binned@acme.example", "Bea", "Binned"),
        user(5, "insync@acme.example", "Ivy", "Sync", title="Analyst"),
        user(6, "gone@acme.example", "Gil", "Gone", active=False),
        user(7, "unassigned@acme.example", "Una", "Assigned"),
        user(8, "unassigned.bin@acme.example", "Ulla", "Bin"),
        user(9, "bystander@acme.example", "Bo", "Stander"),
        user(10, "seller@acme.example", "Sam", "Seller", profile=3),
        user(11, "inactive.none@acme.example", "Ina", "None", active=False),
        user(12, "lead@acme.example", "Lea", "Lead", profile=1),
    ],
    ae=[
        ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1),
        ae(1003, "carl.old@acme.example", "Carl", "Changed", title="Manager", sfid=3),
        ae(1004, "binned@acme.example", "Bea", "Binned", crm="BINNED@acme.example", deleted=True),
        ae(1005, "insync@acme.example", "Ivy", "Sync", title="Analyst", sfid=5),
        ae(1006, "gone@acme.example", "Gil", "Gone", sfid=6),
        ae(1007, "unassigned@acme.example", "Una", "Assigned", sfid=7),
        ae(1008, "unassigned.bin@acme.example", "Ulla", "Bin", sfid=8, deleted=True),
        ae(1011, "inactive.none@acme.example", "Ina", "None", sfid=11, deleted=True),
    ],
    scenario=scen([bu(
        marketing=[{"user": "admin@acme.example"}, {"user": uid(2)}, {"user": "Carl Changed"}, {"user": "binned@acme.example"},
                   {"user": "insync@acme.example"}, {"user": "gone@acme.example"}, {"user": "lead@acme.example"}],
        sales=[{"user": "seller@acme.example"}],
        creator="admin@acme.example",
        profile_roles={"System Administrator": "Sales Manager"})]))

# 2. Membership: nested public groups, role groups, role and subordinates, internal subordinates,
#    organization, unsupported queue, a cycle, rows under a role group.
case("membership",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1, role=1),
        user(2, "direct@acme.example", "Dee", "Rect"),
        user(3, "emea@acme.example", "Emma", "Mea"),
        user(4, "vp@acme.example", "Vic", "Peer", role=2),
        user(5, "field@acme.example", "Fay", "Field", role=3),
        user(6, "partner@acme.example", "Pat", "Partner", role=5, profile=5, utype="PowerPartner"),
        user(7, "cyclic@acme.example", "Cy", "Clic"),
        user(8, "queued@acme.example", "Quinn", "Queue"),
        user(9, "rep@acme.example", "Rex", "Rep", role=4, profile=3),
    ],
    ae=[],
    groups=[
        (gid(1), "All Marketing", "All_Marketing", "Regular", ""),
        (gid(2), "EMEA Marketing", "EMEA_Marketing", "Regular", ""),
        (gid(3), "", "", "RoleAndSubordinates", rid(2)),
        (gid(4), "Loop A", "Loop_A", "Regular", ""),
        (gid(5), "Loop B", "Loop_B", "Regular", ""),
        (gid(6), "Support Queue", "Support_Queue", "Queue", ""),
        (gid(7), "", "", "Role", rid(4)),
        (gid(8), "", "", "RoleAndSubordinatesInternal", rid(3)),
        (gid(9), "Everyone", "Everyone_Org", "Organization", ""),
        (gid(10), "Org Wide", "Org_Wide", "Regular", ""),
    ],
    members=[
        (gid(1), gid(2)), (gid(2), gid(3)), (gid(2), uid(3)), (gid(1), uid(2)),
        (gid(4), gid(5)), (gid(5), gid(4)), (gid(5), uid(7)), (gid(1), gid(4)),
        (gid(1), gid(6)), (gid(6), uid(8)), (gid(7), uid(2)),
        (gid(10), gid(9)),
    ],
    scenario=scen([bu(
        marketing=[{"public_group": "All_Marketing"}, {"role_and_internal_subordinates": "Field Marketing"}, {"user": "admin@acme.example"}],
        sales=[{"role": "Sales_Rep"}],
        creator="admin@acme.example", ae_users=None)]))

# 2b. Organization group and role and subordinates on the CEO: W-BROAD.
case("membership-org-broad",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1, role=1),
        user(2, "a@acme.example", "A", "One", role=2),
        user(3, "b@acme.example", "B", "Two", role=3),
        user(4, "c@acme.example", "C", "Three", active=False),
        user(5, "partner@acme.example", "Pat", "Partner", role=5, profile=5, utype="PowerPartner"),
    ],
    ae=[],
    groups=[(gid(9), "", "", "Organization", ""), (gid(10), "Org Wide", "Org_Wide", "Regular", "")],
    members=[(gid(10), gid(9))],
    scenario=scen([bu(marketing=[{"public_group": "Org Wide"}], sales=[{"role_and_subordinates": "CEO"}], creator="admin@acme.example")]))

# 3. Skips: email held by an AE user linked to someone else, an unlinked one, reserved username,
#    duplicate emails, ineligible (portal) user with an active linked AE user, email taken by an update.
case("skips",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1),
        user(2, "jo@acme.example", "Jo", "First"),
        user(3, "jo2@acme.example", "Jo", "Second", email="jo@acme.example"),
        user(4, "free@acme.example", "Fred", "Free", email="fred@acme.example"),
        user(5, "reserved@acme.example", "Ray", "Served", email="ray@acme.example"),
        user(6, "dup.b@acme.example", "Dup", "B", email="dup@acme.example"),
        user(7, "dup.a@acme.example", "Dup", "A", email="dup@acme.example"),
        user(8, "portal@acme.example", "Por", "Tal", profile=5, utype="PowerPartner"),
        user(9, "mover@acme.example", "Mo", "Ver", email="taken@acme.example"),
        user(10, "taker@acme.example", "Ta", "Ker", email="taken@acme.example"),
    ],
    ae=[
        ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1),
        ae(1002, "jo@acme.example", "Jo", "First", sfid=2),
        ae(1004, "fred@acme.example", "Fred", "Free"),
        ae(1005, "reserved@acme.example", "Ray", "Old"),
        ae(1008, "portal@acme.example", "Por", "Tal", sfid=8),
        ae(1009, "mo.old@acme.example", "Mo", "Ver", sfid=9),
    ],
    scenario=scen([bu(marketing=[{"user": uid(n)} for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)], creator=uid(1))]))

# 4. The creator in both groups, another user in both (sales wins), a downgrade, frozen, integration users.
case("both-groups-creator",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1),
        user(2, "both@acme.example", "Bo", "Th", profile=1),
        user(3, "api@acme.example", "Api", "User", profile=6),
        user(4, "frozen@acme.example", "Fro", "Zen"),
        user(5, "manager@acme.example", "Man", "Ager", profile=3),
    ],
    ae=[
        ae(1001, "admin@acme.example", "Alex", "Admin", role="Marketing", sfid=1),
        ae(1002, "both@acme.example", "Bo", "Th", role="Administrator", sfid=2),
        ae(1005, "manager@acme.example", "Man", "Ager", role="Sales Manager", sfid=5),
    ],
    tenants=[("0Uv000000000001", "Acme", uid(1), "Created")],
    logins=[(uid(4), "true")],
    scenario=scen([bu(marketing=[{"user": uid(1)}, {"user": uid(2)}, {"user": uid(3)}, {"user": uid(4)}],
                      sales=[{"user": uid(1)}, {"user": uid(2)}, {"user": uid(5)}],
                      profile_roles={"System Administrator": "Administrator"})]))

# 5. Marketing wins.
case("both-groups-marketing-wins",
    users=[user(1, "admin@acme.example", "Alex", "Admin", profile=1), user(2, "both@acme.example", "Bo", "Th", profile=2)],
    ae=[ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1)],
    scenario=scen([bu(marketing=[{"user": uid(1)}, {"user": uid(2)}], sales=[{"user": uid(2)}], creator=uid(1),
                      profile_roles={"Marketing User": "Sales Manager"})], both="marketing_wins"))

# 6. Identity: link conflicts, dangling links (filtered export), unlinked AE users, restore onto a held email.
case("identity-links",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1),
        user(2, "twice@acme.example", "Tw", "Ice"),
        user(3, "crm.only@acme.example", "Crm", "Only"),
        user(4, "restored@acme.example", "Re", "Stored"),
    ],
    ae=[
        ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1, crm="someone.else@acme.example"),
        ae(1002, "twice@acme.example", "Tw", "Ice", sfid=2),
        ae(1003, "twice.old@acme.example", "Tw", "Ice", crm="twice@acme.example"),
        ae(1004, "crm.only@acme.example", "Crm", "Only", crm="CRM.ONLY@acme.example"),
        ae(1005, "left@acme.example", "Left", "Company", sfid=55),
        ae(1006, "ghost@acme.example", "Gho", "St", crm="ghost@acme.example"),
        ae(1007, "events@acme.example", "Events", "Team"),
        ae(1008, "restored@acme.example", "Re", "Stored", sfid=4, deleted=True),
        ae(1009, "restored@acme.example", "Re", "Copy"),
    ],
    scenario=scen([bu(marketing=[{"user": uid(n)} for n in (1, 2, 3, 4)], creator=uid(1))]))

# 7. Legacy mode, default switches.
LEGACY_USERS = [
    user(1, "admin@acme.example", "Alex", "Admin", profile=1),
    user(2, "mkt@acme.example", "Mia", "Kt"),
    user(3, "mkt.new@acme.example", "Max", "New"),
    user(4, "rep@acme.example", "Rex", "Rep", profile=3),
    user(5, "gone@acme.example", "Gil", "Gone", active=False),
    user(6, "std@acme.example", "Stu", "Standard", profile=1),
    user(7, "clash@acme.example", "Cla", "Sh"),
    user(8, "binned@acme.example", "Bin", "Ned"),
]
LEGACY_AE = [
    ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1),
    ae(1002, "mkt@acme.example", "Mia", "Kt", role="Sales", sfid=2),
    ae(1004, "rep@acme.example", "Rex", "Rep", role="Sales", sfid=4),
    ae(1005, "gone@acme.example", "Gil", "Gone", sfid=5),
    ae(1006, "std@acme.example", "Stu", "Standard", sfid=6),
    ae(1007, "clash@acme.example", "Cla", "Sh"),
    ae(1008, "binned@acme.example", "Bin", "Ned", sfid=8, deleted=True),
]
case("legacy", users=LEGACY_USERS, ae=LEGACY_AE,
    scenario=scen([bu(ae_users="ae-users.csv")], mode="legacy",
                  legacy={"profiles": {"Marketing User": "Marketing", "Sales Rep": "Sales", pid(1): "Administrator"}}))
# The same org read as if every profile had just changed (§10.20, `assume_profile_changed`): the
# roles that differ from the table follow it (updates) instead of being kept with A-LEGACY-ROLE.
case("legacy-profile-changed", users=LEGACY_USERS, ae=LEGACY_AE,
    scenario=scen([bu(ae_users="ae-users.csv")], mode="legacy",
                  legacy={"profiles": {"Marketing User": "Marketing", "Sales Rep": "Sales", pid(1): "Administrator"},
                          "assume_profile_changed": True}))
LEGACY_PROFILES = {"Marketing User": "Marketing", "Sales Rep": "Sales", "System Administrator": "Administrator"}
case("legacy-switches", users=LEGACY_USERS[:5] + [user(6, "std@acme.example", "Stu", "Standard", profile=7), LEGACY_USERS[6], LEGACY_USERS[7], user(9, "clash2@acme.example", "Cla", "Two", email="clash@acme.example")],
    ae=LEGACY_AE,
    scenario=scen([bu(ae_users="ae-users.csv", marketing=[{"user": uid(1)}])], mode="legacy",
                  legacy={"profiles": LEGACY_PROFILES, "update_role_on_profile_change": False,
                          "recycle_when_profile_unselected": True, "skip_on_email_match": False}))

# 8. No scenario: defaults.
case("no-scenario", users=[user(1, "admin@acme.example", "Alex", "Admin", profile=1), user(2, "x@acme.example", "X", "Y")],
    ae=[ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1)],
    tenants=[("0Uv000000000001", "Acme Marketing", uid(1), "Created")])

# 9. Two business units, an unused AE export, a BU with no export, no B2BMA user.
case("multi-bu",
    users=[user(1, "admin@acme.example", "Alex", "Admin", profile=1), user(2, "eu@acme.example", "Eu", "Ro"), user(3, "us@acme.example", "Us", "A")],
    ae=None, b2bma=False,
    extra_ae=[("ae users [EU].csv", [ae(1, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1), ae(2, "eu@acme.example", "Eu", "Ro", sfid=2)]),
              ("ae-us.csv", [ae(7, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1)]),
              ("ae-old.csv", [ae(9, "old@acme.example", "Old", "Bu")])],
    scenario=scen([
        bu(name="Acme EU", ae_users="exports/ae users [EU].csv", marketing=[{"user": uid(1)}, {"user": uid(2)}], creator=uid(1)),
        bu(name="Acme US", ae_users="ae-us.csv", marketing=[{"user": uid(3)}], creator=uid(1)),
        bu(name="Acme APAC", ae_users=None, marketing=[{"user": uid(1)}], creator=uid(1), surprise=True),
    ]))

# 10. Scenario errors: an unknown and an ambiguous reference.
case("scenario-bad-reference",
    users=[user(1, "admin@acme.example", "Alex", "Admin", profile=1), user(2, "a1@acme.example", "Sam", "Same"), user(3, "a2@acme.example", "Sam", "Same")],
    ae=[],
    scenario=scen([bu(marketing=[{"user": "Sam Same"}, {"public_group": "Nope"}, {"role": "Nobody"}], creator=uid(1))]))

# 11. An email taken by an update in each half of the users, and a create onto it: the command line
# decides the users in two halves at once (the first half users 1-2, the second 3, 4 and 99), and
# the first taker by Id names the skip, as when one loop decides them all.
case("taken-email-halves",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1),
        user(2, "ann@acme.example", "Ann", "First", email="shared@acme.example"),
        user(3, "bea@acme.example", "Bea", "Second", email="shared@acme.example"),
        user(4, "cy@acme.example", "Cy", "Third", email="shared@acme.example"),
    ],
    ae=[
        ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1),
        ae(1002, "ann.old@acme.example", "Ann", "First", sfid=2),
        ae(1003, "bea.old@acme.example", "Bea", "Second", sfid=3),
    ],
    scenario=scen([bu(marketing=[{"user": uid(n)} for n in (1, 2, 3, 4)], creator=uid(1))]))

# 12. Emails across business units (W-CROSS-BU-EMAIL): a create (Ann) and an update to a new email
# (Bo) in Acme US onto emails that AE users made by hand in Acme EU have; Cy, synced in both
# business units as the same Salesforce user, is no conflict.
case("cross-bu-email",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1),
        user(2, "ann@acme.example", "Ann", "Lee"),
        user(3, "bo@acme.example", "Bo", "Berg", email="bo.new@acme.example"),
        user(4, "cy@acme.example", "Cy", "Cole"),
    ],
    ae=[
        ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1),
        ae(1002, "ann@acme.example", "Ann", "Lee"),
        ae(1003, "bo.new@acme.example", "Bo", "Berg"),
        ae(1004, "cy@acme.example", "Cy", "Cole", sfid=4),
    ],
    ae_name="ae-eu.csv",
    extra_ae=[("ae-us.csv", [
        ae(2001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1),
        ae(2002, "bo@acme.example", "Bo", "Berg", sfid=3),
    ])],
    scenario=scen([
        bu(name="Acme EU", ae_users="ae-eu.csv", marketing=[{"user": uid(1)}, {"user": uid(4)}], creator=uid(1)),
        bu(name="Acme US", ae_users="ae-us.csv", marketing=[{"user": uid(n)} for n in (1, 2, 3, 4)], creator=uid(1)),
    ]))

# 13. "Grant access using hierarchies" (§2): a public group with DoesIncludeBosses whose member Fay
# is in Field Marketing, under VP Marketing (Vic) and the CEO (Alex). Read as a sharing setting
# (the default) it reaches Fay alone, with W-BOSSES saying how many the other reading adds;
# with `include_bosses` it reaches Vic and Alex too (M-BOSSES).
for name, include in (("bosses", False), ("bosses-included", True)):
    sc = scen([bu(marketing=[{"public_group": "Field_Team"}], creator=uid(1), ae_users=None)])
    if include:
        sc["include_bosses"] = True
    case(name,
        users=[
            user(1, "admin@acme.example", "Alex", "Admin", profile=1, role=1),
            user(4, "vp@acme.example", "Vic", "Peer", role=2),
            user(5, "field@acme.example", "Fay", "Field", role=3),
            user(9, "rep@acme.example", "Rex", "Rep", role=4, profile=3),
        ],
        ae=[],
        groups=[(gid(1), "Field Team", "Field_Team", "Regular", "", "true")],
        members=[(gid(1), uid(5))],
        scenario=sc)

# 14. Each business unit has its own connector (§10.18): Acme EU uses the top-level legacy block
# (Sales Rep not ticked, unselected profiles left as they are), Acme US its own (Sales Rep not
# ticked, unselected profiles recycled). Rex (Sales Rep), synced in both, is left in EU and
# recycled in US.
case("multi-bu-legacy", users=LEGACY_USERS[:4], ae=LEGACY_AE[:3], ae_name="ae-eu.csv",
    extra_ae=[("ae-us.csv", LEGACY_AE[:3])],
    scenario=scen([
        bu(name="Acme EU", ae_users="ae-eu.csv"),
        bu(name="Acme US", ae_users="ae-us.csv", legacy={
            "profiles": {"Marketing User": "Marketing", "System Administrator": "Administrator"},
            "recycle_when_profile_unselected": True}),
    ], mode="legacy", legacy={"profiles": {"Marketing User": "Marketing", "System Administrator": "Administrator"}}))

# 15. A group the exports cannot resolve (§2, M-UNSUPPORTED): Marketing Users is the public group
# Field_Team, which nests a Territory group. Fay is a direct member (no assumption); Rex and Vic
# are synced today and reached by nothing else, so each is recycled with A-UNRESOLVED-GROUP (they
# may be territory members); Nia is not synced today and stays out of scope without it.
case("unresolved-group",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1, role=1),
        user(4, "vp@acme.example", "Vic", "Peer", role=2),
        user(5, "field@acme.example", "Fay", "Field", role=3),
        user(6, "nia@acme.example", "Nia", "New", role=3),
        user(9, "rep@acme.example", "Rex", "Rep", role=4, profile=3),
    ],
    ae=[
        ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1),
        ae(1004, "vp@acme.example", "Vic", "Peer", sfid=4),
        ae(1005, "field@acme.example", "Fay", "Field", sfid=5),
        ae(1009, "rep@acme.example", "Rex", "Rep", role="Sales", sfid=9),
    ],
    groups=[
        (gid(1), "Field Team", "Field_Team", "Regular", ""),
        (gid(2), "West", "West", "Territory", "0MI000000000001"),
    ],
    members=[(gid(1), uid(5)), (gid(1), gid(2))],
    scenario=scen([bu(marketing=[{"public_group": "Field_Team"}, {"user": uid(1)}], creator=uid(1))]))

# 16. The proposal (§12) prefers what the org maintains: VP Marketing and subordinates reaches
# exactly three synced Marketing users; the public group Sales Team exactly the two synced Sales
# users (the role Sales Rep also reaches Sam, who is not synced); the users left (the creator,
# Mia, Leo, Lia) go into one new group. Mia is Marketing Manager today where the other Marketing
# User profiles are Marketing: a conflict. Ivy (inactive) and Pat (partner) cannot be kept.
case("propose-existing",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1, role=1),
        user(4, "vp@acme.example", "Vic", "Peer", role=2),
        user(5, "fay@acme.example", "Fay", "Field", role=3),
        user(6, "finn@acme.example", "Finn", "Field", role=3),
        user(9, "rex@acme.example", "Rex", "Rep", role=4, profile=3),
        user(10, "sue@acme.example", "Sue", "Rep", role=4, profile=3),
        user(11, "sam@acme.example", "Sam", "Rep", role=4, profile=3),
        user(12, "mia@acme.example", "Mia", "Manager"),
        user(13, "leo@acme.example", "Leo", "Lane"),
        user(14, "lia@acme.example", "Lia", "Lane"),
        user(15, "ivy@acme.example", "Ivy", "Gone", active=False),
        user(16, "pat@partner.example", "Pat", "Partner", profile=5, utype="PowerPartner"),
    ],
    ae=[
        ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1),
        ae(1004, "vp@acme.example", "Vic", "Peer", sfid=4),
        ae(1005, "fay@acme.example", "Fay", "Field", sfid=5),
        ae(1006, "finn@acme.example", "Finn", "Field", sfid=6),
        ae(1009, "rex@acme.example", "Rex", "Rep", role="Sales", sfid=9),
        ae(1010, "sue@acme.example", "Sue", "Rep", role="Sales", sfid=10),
        ae(1012, "mia@acme.example", "Mia", "Manager", role="Marketing Manager", sfid=12),
        ae(1013, "leo@acme.example", "Leo", "Lane", sfid=13),
        ae(1014, "lia@acme.example", "Lia", "Lane", sfid=14),
        ae(1015, "ivy@acme.example", "Ivy", "Gone", sfid=15),
        ae(1016, "pat@partner.example", "Pat", "Partner", sfid=16),
        ae(1020, "old@acme.example", "Old", "Timer", deleted=True),
    ],
    groups=[(gid(1), "Sales Team", "Sales_Team", "Regular", "")],
    members=[(gid(1), uid(9)), (gid(1), uid(10))],
    scenario=scen([bu(creator=uid(1))]))

# 17. A role the business unit does not have (W-ROLE-UNKNOWN): "Markting" is a typo, "Events"
# a custom role some AE user has; only the typo is warned about.
case("role-typo",
    users=[
        user(1, "admin@acme.example", "Alex", "Admin", profile=1, role=1),
        user(5, "fay@acme.example", "Fay", "Field", role=3),
        user(9, "rex@acme.example", "Rex", "Rep", role=4, profile=3),
    ],
    ae=[
        ae(1001, "admin@acme.example", "Alex", "Admin", role="Administrator", sfid=1),
        ae(1002, "eve@acme.example", "Eve", "Events", role="Events"),
    ],
    scenario=scen([bu(marketing=[{"user": uid(1)}, {"user": uid(5)}, {"user": uid(9)}], creator=uid(1),
        profile_roles={"Marketing User": "Markting", "Sales Rep": "Events"})]))
