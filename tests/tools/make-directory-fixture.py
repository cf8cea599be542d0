#!/usr/bin/env python3
"""make-directory-fixture.py: write the small Open Referral UK 3.0 test dataset
used by the directory unit, end-to-end and browser tests:

  tests/fixtures/directory/services.ndjson   one fully nested service per line
  tests/fixtures/directory/postcodes.csv     ONSPD-style centroids (pcds, lat, long, doterm, osgrdind)

Every organisation and service is fictional (marked "demo"). Postcodes are real
postcodes; their centroids are approximate (to about 100 m), which is all the
tests need. Phone numbers are from Ofcom's ranges reserved for drama. The
firstdays facts follow docs/directory-data.md: needs, stages and referral routes
as attributes in the firstdays vocabularies, last checked as assured_date. Ids are
UUID version 5 names, so the output is the same on every run.

Usage: python3 tests/tools/make-directory-fixture.py [OUTDIR]
"""
import csv
import json
import os
import sys
import uuid

NS = uuid.UUID("6f1c3f0e-6d51-4c8e-9a51-1001da451001")


def uid(*parts):
    return str(uuid.uuid5(NS, "/".join(parts)))


# The vocabularies and term ids of content/directory/taxonomy.json
# (docs/directory-data.md, section 3): the short name of a term is in "term".
TAXONOMIES = {
    "needs": ("60933e18-f812-56c7-87fc-b57a1a5dd026", "firstdays needs",
              "What a family may need help with in the first 1001 days."),
    "stages": ("19c08f08-373d-5ff0-b226-cab2054afffa", "firstdays stages",
               "The stages of the first 1001 days a service is for."),
    "referral": ("7b44cfc1-b434-54f3-becb-577b6fae09ee", "firstdays referral routes",
                 "How a family is referred to, or gets access to, a service."),
    "dfe": ("1ab5a877-4ed3-5df9-bda0-563a9d4a96b3", "DfE family hubs service categories",
            "Service categories of the Department for Education family hubs service directory."),
}

# term: (taxonomy key, id, name, link_type, parent term)
TERMS = {
    "perinatal-mental-health": ("needs", "353c203c-2add-5e9b-89f3-f8838eaebe41", "Perinatal mental health", "need", None),
    "parent-infant-relationship": ("needs", "91cb1f95-8f42-5183-bf56-c3c6e38a6074", "Parent-infant relationship", "need", None),
    "feeding": ("needs", "701188db-050e-5a03-835e-10909e767645", "Feeding", "need", None),
    "crying-and-sleep": ("needs", "c7c62d28-d187-5295-8e4a-82db35945cda", "Crying and sleep", "need", None),
    "health-visiting": ("needs", "c4b06e2e-0912-5cc1-9dff-11ed29815c3b", "Health visiting", "need", None),
    "maternity": ("needs", "49cd6cdb-c72f-50e8-bbfb-6ff30dfe02a2", "Maternity", "need", None),
    "family-hubs": ("needs", "a6e7cf72-1b5d-5bce-8b2a-1c555787f537", "Family hubs", "need", None),
    "bereavement": ("needs", "0173737a-451c-5ff0-8a5c-3a6109e5a2ee", "Bereavement", "need", None),
    "pregnancy": ("stages", "ae4cd4f9-596f-5fe2-a7a7-6874e701c35b", "Pregnancy", "stage", None),
    "0-12-months": ("stages", "fdb7dfdc-30be-57b2-bcfb-69e0f314056d", "0 to 12 months", "stage", None),
    "1-2-years": ("stages", "4d05a2d4-a855-57a2-ab78-ddcf230d6aae", "1 to 2 years", "stage", None),
    "self-referral": ("referral", "f74f78b3-b027-5a06-9e78-4857969db1bb", "You can refer yourself", "referral_route", None),
    "via-gp": ("referral", "ae573155-c8e7-55cc-b83e-4b337414667d", "Through your GP", "referral_route", None),
    "via-midwife": ("referral", "13226abf-2305-594e-9a10-26a85b9beb29", "Through your midwife", "referral_route", None),
    "via-health-visitor": ("referral", "dd7b4be8-fa43-5471-8cf2-7a7b6a693fff", "Through your health visitor", "referral_route", None),
    "professionals-only": ("referral", "8575095f-5ef4-58fb-ae45-6bc3f1531648", "Professionals only", "referral_route", None),
    # DfE categories: the short name is the category name; one parent with children.
    "Pregnancy, birth and early years": ("dfe", "eebd1209-7fbf-5ad5-bdd7-425324039c2d", "Pregnancy, birth and early years", "dfe_category", None),
    "Infant feeding support (including breastfeeding)": ("dfe", "f000bdb8-0f16-5325-be0e-3c1067bce8e9", "Infant feeding support (including breastfeeding)", "dfe_category", "Pregnancy, birth and early years"),
    "Midwife and maternity": ("dfe", "e4523315-80ae-53ac-afb1-1904fce2af8a", "Midwife and maternity", "dfe_category", "Pregnancy, birth and early years"),
}


def term(code):
    tax, tid, name, _, parent = TERMS[code]
    t = {
        "id": tid,
        "name": name,
        "description": name + ".",
        "taxonomy": TAXONOMIES[tax][1],
        "taxonomy_id": TAXONOMIES[tax][0],
        "term": code,
    }
    if parent:
        t["parent_id"] = TERMS[parent][1]
    return t


def attribute(service_id, code, value=None):
    a = {
        "id": uid("attribute", service_id, code),
        "link_id": service_id,
        "link_type": TERMS[code][3],
        "link_entity": "service",
        "taxonomy_term_id": TERMS[code][1],
        "taxonomy_term": term(code),
    }
    if value:
        a["value"] = value
    return a


ORGS = {
    "trust": ("Demo NHS Foundation Trust (demo)",
              "A fictional NHS trust providing maternity, health visiting and mental health care in the demo area.",
              "https://example.org/demo-trust"),
    "council": ("Demo Council Family Services (demo)",
                "Fictional council services for families with young children, including family hubs.",
                "https://example.org/demo-council"),
    "steps": ("Little Steps Together (demo charity)",
              "A fictional charity whose volunteers visit families with babies and toddlers at home.",
              "https://example.org/little-steps"),
    "scot": ("Lothian Demo Families (demo)", "A fictional family support charity in Edinburgh.", None),
    "wales": ("Cardiff Demo Baby Groups (demo)", "A fictional group of parent and baby sessions in Cardiff.", None),
}


def organization(key):
    name, desc, web = ORGS[key]
    o = {"id": uid("org", key), "name": name, "description": desc}
    if web:
        o["website"] = web
    if key == "steps":
        o["organization_identifiers"] = [{
            "id": uid("orgid", key), "organization_id": uid("org", key),
            "identifier_scheme": "GB-CHC", "identifier_type": "Charity number", "identifier": "1000001"}]
    return o


# pcds, lat, long, city, street
PLACES = {
    "SE1 7EH": (51.49860, -0.11810, "London", "Westminster Bridge Road"),
    "W1A 1AA": (51.51880, -0.14390, "London", "Portland Place"),
    "SW1A 2AA": (51.50340, -0.12770, "London", "Downing Street"),
    "NW1 2DB": (51.52990, -0.12700, "London", "Euston Road"),
    "N1 9AL": (51.53150, -0.12360, "London", "York Way"),
    "E1 6AN": (51.51940, -0.07500, "London", "Commercial Street"),
    "SE10 9NF": (51.47790, -0.00150, "London", "Blackheath Avenue"),
    "EH1 2NG": (55.94860, -3.19990, "Edinburgh", "Castlehill"),
    "CF10 3RB": (51.48220, -3.18120, "Cardiff", "Castle Street"),
}
# Postcodes used only as search origins.
EXTRA_POSTCODES = {
    "SW1A 1AA": (51.50101, -0.14159),
    "WC2N 5DN": (51.50890, -0.12830),
    "EC1A 1BB": (51.52020, -0.09790),
    "M1 1AE": (53.48070, -2.23700),
    "GIR 0AA": (52.41470, -1.78230),
}


def location(service_key, pc, name, virtual=False):
    lid = uid("location", service_key, pc or "virtual")
    if virtual:
        return {"id": lid, "location_type": "virtual", "name": name,
                "description": "This service is by phone or online."}
    lat, lon, city, street = PLACES[pc]
    return {
        "id": lid,
        "location_type": "physical",
        "name": name,
        "latitude": lat,
        "longitude": lon,
        "addresses": [{
            "id": uid("address", service_key, pc),
            "location_id": lid,
            "address_1": "1 " + street,
            "city": city,
            "state_province": {"London": "Greater London", "Edinburgh": "City of Edinburgh",
                               "Cardiff": "Cardiff"}[city],
            "postal_code": pc,
            "country": "GB",
            "address_type": "physical",
        }],
        "accessibility": [{
            "id": uid("access", service_key, pc),
            "location_id": lid,
            "description": "Step-free entrance and a baby changing room.",
        }],
    }


def service(key, name, org, description, needs, stages, referrals, places, phone, last_checked,
            status="active", schedule=None, ages=None, email=None, url=None, dfe=()):
    sid = uid("service", key)
    s = {
        "id": sid,
        "organization_id": uid("org", org),
        "name": name,
        "description": description,
        "status": status,
        "assured_date": last_checked,
        "assurer_email": "directory@example.org",
        "last_modified": last_checked + "T09:00:00.000Z",
        "organization": organization(org),
    }
    if url:
        s["url"] = url
    if email:
        s["email"] = email
    if ages:
        s["minimum_age"], s["maximum_age"] = ages
    sals = []
    for pc, lname in places:
        loc = location(key, pc, lname, virtual=pc is None)
        sals.append({"id": uid("sal", key, pc or "virtual"), "service_id": sid,
                     "location_id": loc["id"], "location": loc})
    s["service_at_locations"] = sals
    if schedule:
        byday, opens, closes, desc = schedule
        sc = {"id": uid("schedule", key), "service_id": sid, "freq": "WEEKLY", "interval": 1,
              "byday": byday, "opens_at": opens, "closes_at": closes}
        if desc:
            sc["description"] = desc
        s["schedules"] = [sc]
    s["contacts"] = [{"id": uid("contact", key), "service_id": sid, "name": "Reception",
                      "phones": [{"id": uid("phone", key), "contact_id": uid("contact", key),
                                  "number": phone}]}]
    attrs = [attribute(sid, c) for c in needs]
    attrs += [attribute(sid, c) for c in stages]
    attrs += [attribute(sid, c, v) for c, v in referrals]
    attrs += [attribute(sid, c) for c in dfe]
    s["attributes"] = attrs
    return s


SERVICES = [
    service("pmh", "Perinatal Mental Health Team", "trust",
            "Specialist assessment and treatment for parents with moderate to severe mental health "
            "difficulties in pregnancy and the first year after birth.",
            ["perinatal-mental-health"], ["pregnancy", "0-12-months"],
            [("via-gp", "Ask your GP to refer you."), ("via-midwife", "Your midwife can refer you at any appointment."),
             ("via-health-visitor", "Your health visitor can refer you.")],
            [("SE1 7EH", "Riverside Hospital")], "020 7946 0101", "2025-03-14",
            schedule=("MO,TU,WE,TH,FR", "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm"),
            email="pmh@example.org", url="https://example.org/demo-trust/perinatal"),
    service("hv", "Health Visiting Service", "trust",
            "Health visitors support every family from late pregnancy until a child is five, with "
            "home visits, development reviews and advice on feeding, sleep and wellbeing.",
            ["health-visiting", "crying-and-sleep"], ["pregnancy", "0-12-months", "1-2-years"],
            [("self-referral", "Call the duty health visitor to ask for a visit.")],
            [("W1A 1AA", "Portland Place Clinic")], "020 7946 0102", "2025-02-20",
            schedule=("MO,TU,WE,TH,FR", "08:30:00", "16:30:00", "Weekdays 8:30am to 4:30pm")),
    service("maternity", "Maternity Unit and Community Midwives", "trust",
            "Antenatal care, birth and postnatal care. Book with a midwife as soon as you know you are pregnant.",
            ["maternity"], ["pregnancy"],
            [("self-referral", "Fill in the online booking form or call us."), ("via-gp", "Your GP can refer you.")],
            [("SE1 7EH", "Riverside Hospital Maternity")], "020 7946 0103", "2025-01-10",
            schedule=("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59", "Open day and night"),
            dfe=["Midwife and maternity"]),
    service("hub", "Riverside Family Hub", "council",
            "Stay and play sessions, parenting groups, breastfeeding support and advice for families "
            "with children under five.",
            ["family-hubs", "feeding"], [],
            [("self-referral", "Drop in during opening hours.")],
            [("SW1A 2AA", "Riverside Family Hub")], "020 7946 0104", "2024-11-30",
            schedule=("MO,WE,FR", "09:30:00", "15:00:00", "Monday, Wednesday and Friday, 9:30am to 3pm")),
    service("feeding", "Infant Feeding Drop-in", "council",
            "Help with breastfeeding, bottle feeding and starting solid foods from trained peer supporters.",
            ["feeding"], ["0-12-months"],
            [("self-referral", "Just come along, no appointment needed.")],
            [("NW1 2DB", "Library Community Room")], "020 7946 0105", "2025-03-01",
            schedule=("TH", "10:00", "12:00", None),
            dfe=["Infant feeding support (including breastfeeding)"]),
    service("pirt", "Parent-Infant Relationship Team", "trust",
            "Therapy for parents and babies together when the relationship feels difficult.",
            ["parent-infant-relationship"], ["pregnancy", "0-12-months", "1-2-years"],
            [("professionals-only", "Referrals from health visitors, midwives, GPs and social workers only.")],
            [("N1 9AL", "York Way Children's Centre")], "020 7946 0106", "2025-03-10"),
    service("loss", "Baby Loss Bereavement Line", "steps",
            "A phone line for parents after miscarriage, stillbirth or the death of a baby.",
            ["bereavement"], [],
            [("self-referral", "Call the line; you do not need a referral.")],
            [(None, "By phone")], "020 7946 0107", "2025-03-05",
            schedule=("MO,TU,WE,TH,FR,SA,SU", "10:00:00", "22:00:00", "Every day, 10am to 10pm")),
    service("talk", "Talking Therapies for New Parents", "trust",
            "Free talking therapy for anxiety and low mood, with priority for pregnant women and new parents.",
            ["perinatal-mental-health"], ["pregnancy", "0-12-months", "1-2-years"],
            [("self-referral", "Refer yourself online or by phone."), ("via-gp", "Or ask your GP.")],
            [(None, "Online and by phone")], "020 7946 0108", "2025-02-01"),
    service("home", "Home Visiting Volunteers", "steps",
            "Trained volunteers visit families at home each week to offer friendship and practical support.",
            ["family-hubs"], ["pregnancy", "0-12-months", "1-2-years"],
            [("self-referral", "Call us to ask for a volunteer."),
             ("via-health-visitor", "Your health visitor can refer you.")],
            [("E1 6AN", "Little Steps East"), ("SE10 9NF", "Little Steps Greenwich")],
            "020 7946 0109", "2024-12-15"),
    service("sleep", "Toddler Sleep Clinic", "trust",
            "Advice for parents of toddlers aged one to two on settling, night waking and routines.",
            ["crying-and-sleep"], ["1-2-years"],
            [("via-health-visitor", "Ask your health visitor to book you in.")],
            [("W1A 1AA", "Portland Place Clinic")], "020 7946 0110", "2025-01-25", ages=(1, 2)),
    service("edinburgh", "Edinburgh Family Support", "scot",
            "Family support workers for parents of babies in central Edinburgh.",
            ["family-hubs"], ["0-12-months"],
            [("self-referral", "Email or phone to arrange a first visit.")],
            [("EH1 2NG", "Castlehill Family Rooms")], "0131 496 0111", "2025-01-05"),
    service("cardiff", "Cardiff Baby and Me Group", "wales",
            "Weekly baby group with singing, play and feeding support. Paused while the hall is repaired.",
            ["family-hubs", "feeding"], ["0-12-months"],
            [("self-referral", "Drop in.")],
            [("CF10 3RB", "Castle Street Hall")], "029 2018 0112", "2024-10-01", status="inactive"),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..",
                                                             "fixtures", "directory")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "services.ndjson"), "w", encoding="utf-8") as f:
        for s in SERVICES:
            f.write(json.dumps(s, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(os.path.join(out, "postcodes.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(["pcd", "pcds", "doterm", "osgrdind", "lat", "long"])
        rows = [(pc, v[0], v[1]) for pc, v in PLACES.items()]
        rows += [(pc, v[0], v[1]) for pc, v in EXTRA_POSTCODES.items()]
        for pc, lat, lon in sorted(rows):
            w.writerow([pc.replace(" ", ""), pc, "", "1", f"{lat:.6f}", f"{lon:.6f}"])
        # Rows an import must skip: terminated, and no usable location.
        w.writerow(["SW1A0PW", "SW1A 0PW", "201501", "1", "51.499840", "-0.124663"])
        w.writerow(["BT1 1AA", "BT1 1AA", "", "9", "99.999999", "0.000000"])


if __name__ == "__main__":
    main()
