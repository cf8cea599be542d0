#!/usr/bin/env python3
"""gen-demo-directory.py: writes the demo service directory of firstdays.

    python3 tools/gen-demo-directory.py [--out content/demo]

Writes OUT/directory.ndjson (about 40 Open Referral UK 3.0 services, one fully
nested service per line) and OUT/postcodes.csv (ONSPD-shaped centroids for the
demo postcodes). Everything here is fictional: the "Demo area" with the towns
of Demoford, Sampleton and Mockley, its organisations, addresses, people and
postcodes (the DM postcode area does not exist). Phone numbers are from the
ranges Ofcom keeps for drama (01632 960xxx, 0808 157 0xxx); email and web
addresses use the reserved .example domain. Ids are UUIDs derived from names,
so running the script again gives the same files. The firstdays taxonomy terms
(needs, referral routes, stages, flags, DfE categories) are read from
content/directory/taxonomy.json; how they are attached to services is
described in docs/directory-data.md.
"""
import argparse
import csv
import json
import os
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NS = uuid.UUID('0d3f7c9e-2a41-4c55-8e0b-5f1e9a7d6c20')  # the demo data's own namespace


def uid(key):
    return str(uuid.uuid5(NS, key))


def load_taxonomy():
    with open(os.path.join(ROOT, 'content/directory/taxonomy.json'), encoding='utf-8') as f:
        doc = json.load(f)
    terms = {}
    for tax in doc['taxonomies']:
        for t in tax['taxonomy_terms']:
            terms[(tax['name'], t['term'])] = t
    dfe = {m['need']: m['dfe_term_id'] for m in doc['dfe_mapping']}
    by_id = {t['id']: t for t in terms.values()}
    return terms, {need: by_id[tid] for need, tid in dfe.items()}


TERMS, DFE = load_taxonomy()
NEEDS, ROUTES, STAGES, FLAGS = ('firstdays needs', 'firstdays referral routes',
                                'firstdays stages', 'firstdays listing flags')
DEMO_NOTE = 'Demo listing: this service is fictional. '
COUNTY = 'Demoshire'
AREA_TEXT = ('Demoford, Sampleton, Mockley and the villages around them '
             '(the fictional demo area of firstdays)')

# ---- organisations ----
ORGS = {}


def org(key, name, description, domain, email_user='hello'):
    ORGS[key] = {
        'id': uid('org:' + key),
        'name': name,
        'description': DEMO_NOTE.replace('service', 'organisation') + description,
        'email': '%s@%s.example' % (email_user, domain),
        'website': 'https://www.%s.example/' % domain,
    }


org('trust', 'Demoford Community Health NHS Trust',
    'Runs community health services in the demo area: health visiting, infant feeding, '
    'speech and language therapy and talking therapies.', 'demoford-community-health')
org('hospital', 'Demoford and Moors Hospitals NHS Foundation Trust',
    'Runs Demoford General Hospital and its maternity unit.', 'demoford-hospitals')
org('mentalhealth', 'Demoshire Mental Health NHS Trust',
    'Runs specialist mental health services for the demo area, including its perinatal and '
    'parent-infant teams.', 'demoshire-mental-health')
org('council', 'Demo Area Council',
    'The local council for the demo area: family hubs, the register office, housing and '
    'public health.', 'demo-area-council')
org('riverside', 'Riverside Surgery Partnership', 'A GP practice in the centre of Demoford.',
    'riverside-surgery-demoford')
org('northgate', 'Northgate Surgery', 'A GP practice in the north of Demoford.',
    'northgate-surgery-demoford')
org('sampleton', 'Sampleton Medical Practice', 'The GP practice for Sampleton and nearby villages.',
    'sampleton-medical')
org('mockley', 'Mockley Health Centre GP Practice', 'The GP practice for Mockley.',
    'mockley-health-centre')
org('hillview', 'Hillview Family Practice', 'A GP practice on the east side of Demoford.',
    'hillview-family-practice')
org('doorstep', 'Doorstep Families Demoford',
    'A local charity whose trained volunteers visit families with young children at home.',
    'doorstep-families-demoford')
org('together', 'Demoford Parents Together',
    'A parent-led charity running peer support groups for mums, dads and partners.',
    'demoford-parents-together')
org('safeathome', 'Safe at Home Demoshire',
    'A charity supporting anyone affected by domestic abuse in the demo area.', 'safe-at-home-demoshire')
org('money', 'Demoford Money and Rights Advice',
    'Free, independent advice on benefits, debt, work and housing.', 'demoford-money-advice')
org('babybank', 'Little Bundles Baby Bank',
    'A volunteer-run baby bank sharing good-quality baby clothes and equipment.', 'little-bundles-demo')
org('footprints', 'Gentle Footprints',
    'A charity supporting families after the death of a baby in pregnancy or after birth.',
    'gentle-footprints-demo')

# ---- locations ----
LOCS = {}


def loc(key, name, address_1, city, postcode, lat, lon, description=None, access=None):
    LOCS[key] = {'name': name, 'address_1': address_1, 'city': city, 'postcode': postcode,
                 'lat': lat, 'lon': lon, 'description': description, 'access': access}


loc('hospital', 'Demoford General Hospital', 'Hospital Road', 'Demoford', 'DM1 3HX', 54.40213, -0.94882,
    'Maternity unit on the ground floor of the east wing; follow the pink signs from the main entrance.',
    'Step-free access from the car park, lifts to all floors, hearing loop at reception.')
loc('dfh', 'Demoford Family Hub', '12 Market Street', 'Demoford', 'DM1 1AB', 54.39981, -0.95303,
    'In the old library building facing the market place.',
    'Step-free entrance, accessible toilet, baby changing and a quiet room for feeding.')
loc('sfh', 'Sampleton Family Hub', '3 Church Lane', 'Sampleton', 'DM3 2EJ', 54.44118, -1.04752,
    'Next to Sampleton Primary School.', 'Step-free entrance, accessible toilet and baby changing.')
loc('mfh', 'Mockley Family Hub', 'Mockley Community Centre, Station Road', 'Mockley', 'DM4 5RT',
    54.36214, -0.86120, 'Inside Mockley Community Centre, opposite the railway station.',
    'Ramp at the side entrance, accessible toilet, baby changing.')
loc('riverside', 'Riverside Surgery', '48 River Walk', 'Demoford', 'DM1 4PQ', 54.39752, -0.94471)
loc('northgate', 'Northgate Surgery', '2 Northgate', 'Demoford', 'DM2 6LU', 54.40893, -0.95627)
loc('sampleton', 'Sampleton Medical Practice', 'The Green', 'Sampleton', 'DM3 1BN', 54.43984, -1.04410)
loc('mockley', 'Mockley Health Centre', '15 High Street', 'Mockley', 'DM4 4DS', 54.36402, -0.86553)
loc('hillview', 'Hillview Family Practice', '27 Hillview Road', 'Demoford', 'DM2 8GW', 54.41204, -0.93912)
loc('healthcentre', 'Demoford Health Centre', 'Park Lane', 'Demoford', 'DM1 2NE', 54.40061, -0.94674,
    'Community health base; health visitors and therapists work from the first floor.',
    'Lift to the first floor, accessible toilet, baby changing.')
loc('library', 'Demoford Library', 'Library Square', 'Demoford', 'DM1 1DT', 54.39914, -0.95121,
    'Children\'s library on the ground floor.', 'Step-free access throughout.')
loc('moorview', 'Moorview House', 'Moorview Road', 'Demoford', 'DM2 7HB', 54.40622, -0.96118,
    'Base of the perinatal and parent-infant teams; most appointments are at home or online.',
    'Step-free access, accessible toilet, space for buggies.')
loc('civic', 'Demoford Civic Centre', 'Town Hall Square', 'Demoford', 'DM1 1HS', 54.39893, -0.95412,
    'Council offices and the register office.', 'Step-free access, lifts, hearing loop.')
loc('hall', "St Anne's Hall", 'Chapel Street', 'Demoford', 'DM1 5LW', 54.39691, -0.95024)
loc('abbey', 'Abbey Court', 'Unit 4, Abbey Court', 'Demoford', 'DM2 9ZY', 54.41012, -0.94703)
loc('sampleton_hall', 'Sampleton Village Hall', 'Moor Lane', 'Sampleton', 'DM3 3PU', 54.44291, -1.05108)

# ---- services ----
SERVICES = []
PHONE = [960100]


def phone_number(free=False):
    PHONE[0] += 7
    n = PHONE[0] % 1000
    return ('0808 157 0%03d' % n) if free else ('01632 960%03d' % n)


WEEKDAYS = 'MO,TU,WE,TH,FR'


def service(key, org_key, name, description, needs, stages, routes, places, hours,
            contact=None, ages=None, status='active', alert=None, cost=None, checked='2026-09-15',
            languages=None, virtual=None, funding=None, free_phone=False):
    """places: location keys; hours: list of (byday, opens, closes, description, place key or None)."""
    sid = uid('service:' + key)
    o = ORGS[org_key]
    svc = {'id': sid, 'organization_id': o['id'], 'name': name,
           'description': DEMO_NOTE + description,
           'url': o['website'] + 'services/' + key,
           'email': '%s@%s' % (key.split('-')[0], o['email'].split('@')[1]),
           'status': status}
    if alert:
        svc['alert'] = alert
    if ages:
        svc['minimum_age'], svc['maximum_age'] = ages
    svc['assured_date'] = checked
    svc['assurer_email'] = 'directory@demo-area-council.example'
    svc['last_modified'] = checked + 'T09:00:00.000Z'

    sals = []
    for p in places:
        L = LOCS[p]
        lid = uid('location:' + p)
        location = {'id': lid, 'location_type': 'physical', 'name': L['name']}
        if L['description']:
            location['description'] = L['description']
        location['latitude'] = L['lat']
        location['longitude'] = L['lon']
        location['addresses'] = [{
            'id': uid('address:' + p), 'location_id': lid, 'address_1': L['address_1'],
            'city': L['city'], 'state_province': COUNTY, 'postal_code': L['postcode'],
            'country': 'GB', 'address_type': 'physical'}]
        if L['access']:
            location['accessibility'] = [{'id': uid('access:' + p), 'location_id': lid,
                                          'description': L['access']}]
        sals.append({'id': uid('sal:%s:%s' % (key, p)), 'service_id': sid, 'location_id': lid,
                     'location': location})
    if virtual:
        lid = uid('location:virtual:' + key)
        sals.append({'id': uid('sal:%s:virtual' % key), 'service_id': sid, 'location_id': lid,
                     'location': {'id': lid, 'location_type': 'virtual', 'name': virtual}})

    schedules = []
    for i, (byday, opens, closes, desc, place) in enumerate(hours):
        s = {'id': uid('schedule:%s:%d' % (key, i)), 'service_id': sid}
        if place:
            s['service_at_location_id'] = uid('sal:%s:%s' % (key, place))
        s.update({'freq': 'WEEKLY', 'interval': 1, 'byday': byday, 'opens_at': opens,
                  'closes_at': closes, 'description': desc})
        schedules.append(s)
    if schedules:
        svc['schedules'] = schedules
    svc['service_areas'] = [{'id': uid('area:' + key), 'service_id': sid, 'name': 'Demo area',
                             'service_area': AREA_TEXT, 'extent_type': 'text'}]
    if sals:
        svc['service_at_locations'] = sals
    if languages:
        svc['languages'] = [{'id': uid('language:%s:%s' % (key, code)), 'service_id': sid,
                             'name': lname, 'code': code} for lname, code in languages]
    svc['organization'] = dict(o)
    if funding:
        svc['funding'] = [{'id': uid('funding:' + key), 'service_id': sid, 'source': funding}]
    if cost is None:
        cost = ('Free', 0, 'Free of charge')
    svc['cost_options'] = [{'id': uid('cost:' + key), 'service_id': sid, 'option': cost[0],
                            'amount': cost[1], 'amount_description': cost[2]}]
    cname, ctitle = contact or ('Reception', None)
    cid = uid('contact:' + key)
    c = {'id': cid, 'service_id': sid, 'name': cname}
    if ctitle:
        c['title'] = ctitle
    c['email'] = svc['email']
    c['phones'] = [{'id': uid('phone:' + key), 'contact_id': cid, 'number': phone_number(free_phone)}]
    svc['contacts'] = [c]

    attrs = []

    def attach(taxonomy, slug, link_type, value=None):
        t = TERMS[(taxonomy, slug)]
        a = {'id': uid('attribute:%s:%s:%s' % (key, taxonomy, slug)), 'link_id': sid,
             'link_type': link_type, 'link_entity': 'service', 'taxonomy_term_id': t['id'],
             'taxonomy_term': t}
        if value:
            a['value'] = value
        attrs.append(a)

    dfe_done = set()
    for n in needs:
        attach(NEEDS, n, 'need')
    for n in needs:
        d = DFE.get(n)
        if d and d['id'] not in dfe_done:
            dfe_done.add(d['id'])
            attach('DfE family hubs service categories', d['term'], 'dfe_category')
    for st in stages:
        attach(STAGES, st, 'stage')
    for route, text in routes:
        attach(ROUTES, route, 'referral_route', text)
    attach(FLAGS, 'demo', 'listing_flag')
    svc['attributes'] = attrs
    SERVICES.append(svc)


ALL_STAGES = ['pregnancy', '0-12-months', '1-2-years']
BABY = ['0-12-months', '1-2-years']

# GP surgeries
for key, okey, name, place, extra in [
    ('gp-riverside', 'riverside', 'Riverside Surgery', 'riverside', None),
    ('gp-northgate', 'northgate', 'Northgate Surgery', 'northgate', ('SA', '09:00', '12:00', 'Saturday morning surgery for booked appointments')),
    ('gp-sampleton', 'sampleton', 'Sampleton Medical Practice', 'sampleton', None),
    ('gp-mockley', 'mockley', 'Mockley Health Centre GP surgery', 'mockley', None),
    ('gp-hillview', 'hillview', 'Hillview Family Practice', 'hillview', None),
]:
    hours = [(WEEKDAYS, '08:00', '18:30', 'Monday to Friday, 8am to 6:30pm', None)]
    if extra:
        hours.append(extra + (None,))
    service(key, okey, name,
            'GP surgery for families registered with the practice. GPs see you and your baby for '
            'illness and worries, offer the 6 to 8 week checks for baby and for you (including how '
            'you are feeling), and can refer you to maternity, mental health and other services.',
            ['general-practice', 'perinatal-mental-health'], ALL_STAGES,
            [('self-referral', 'Register with the practice if you live in its area, then book an '
              'appointment by phone or online. Tell the receptionist if you are pregnant or have a '
              'young baby.')],
            [place], hours, contact=('Reception team', None),
            languages=[('English', 'en'), ('Polish', 'pl')] if key == 'gp-riverside' else None)

# Maternity
service('community-midwives', 'hospital', 'Demoford Community Midwives',
        'Midwives who look after you through pregnancy and for the first weeks after birth, at '
        'clinics in the family hubs, at the hospital and at home.',
        ['maternity'], ['pregnancy', '0-12-months'],
        [('self-referral', 'Refer yourself as soon as you know you are pregnant (ideally so that '
          'your booking appointment is by 10 weeks) using the online form or by phone. You do not '
          'need to see your GP first.'),
         ('via-gp', 'Your GP can also pass your details to the midwives.')],
        ['hospital', 'dfh', 'sfh', 'mfh'],
        [(WEEKDAYS, '09:00', '17:00', 'Phone line Monday to Friday, 9am to 5pm', None),
         ('TU', '09:30', '12:30', 'Antenatal clinic, Tuesday mornings', 'dfh'),
         ('WE', '13:30', '16:30', 'Antenatal clinic, Wednesday afternoons', 'sfh'),
         ('TH', '09:30', '12:30', 'Antenatal clinic, Thursday mornings', 'mfh')],
        contact=('Community midwifery office', None), checked='2026-10-02',
        languages=[('English', 'en'), ('Urdu', 'ur')])
service('maternity-triage', 'hospital', 'Maternity Triage and Assessment Unit',
        'A phone line and assessment unit open day and night for anyone 16 weeks or more pregnant, '
        'or up to six weeks after birth, who is worried about themselves or their baby. Call if '
        'your baby is moving less than usual, you are bleeding, your waters break, or you feel '
        'very unwell. In an emergency call 999.',
        ['maternity'], ['pregnancy', '0-12-months'],
        [('self-referral', 'Call the triage line at any time; a midwife will talk it through and '
          'ask you to come in if needed. Do not wait until the next day.')],
        ['hospital'], [('MO,TU,WE,TH,FR,SA,SU', '00:00', '23:59', 'Open 24 hours, every day', None)],
        contact=('Triage midwife', None), checked='2026-10-20')
service('antenatal-classes', 'hospital', 'Preparing for Birth and Baby classes',
        'A free four-week course for expectant parents and birth partners on labour and birth, '
        'feeding, caring for a newborn, and looking after your own wellbeing and your '
        'relationship with your baby.',
        ['maternity', 'parenting-support', 'parent-infant-relationship'], ['pregnancy'],
        [('self-referral', 'Book from about 28 weeks of pregnancy through the online booking page or '
          'by phone.'),
         ('via-midwife', 'Your midwife can book a place for you at any appointment.')],
        ['dfh', 'sfh'],
        [('TU', '18:30', '20:30', 'Tuesday evenings, four-week course', 'dfh'),
         ('SA', '10:00', '12:00', 'Saturday mornings, four-week course', 'sfh')],
        contact=('Parent education midwife', None), checked='2026-08-11')
service('bereavement-midwives', 'hospital', 'Bereavement Midwifery Team',
        'Specialist midwives who care for families whose baby dies in pregnancy, at birth or soon '
        'after, and who stay in touch after you go home, including in a later pregnancy.',
        ['bereavement', 'maternity'], ['pregnancy', '0-12-months'],
        [('via-midwife', 'The hospital or your community midwife will introduce the team.'),
         ('self-referral', 'You can also call the team yourself at any time after your loss.')],
        ['hospital'], [(WEEKDAYS, '09:00', '17:00', 'Monday to Friday, 9am to 5pm', None)],
        contact=('Bereavement midwives', None), checked='2026-07-30')
service('tongue-tie-clinic', 'hospital', 'Infant Feeding and Tongue-tie Clinic',
        'Assessment for babies whose feeding may be affected by tongue-tie, with feeding support '
        'for the parent at the same appointment.',
        ['feeding'], ['0-12-months'],
        [('professionals-only', 'Ask your midwife, health visitor or the infant feeding team: they '
          'will assess feeding first and refer if needed.')],
        ['hospital'], [('WE', '09:00', '13:00', 'Wednesday mornings, by appointment', None)],
        contact=('Clinic coordinator', None), ages=(0, 1), checked='2026-05-19')

# Health visiting
service('health-visiting-demoford', 'trust', 'Demoford Health Visiting Team',
        'Health visitors are specialist nurses and midwives who visit every family: in late '
        'pregnancy, after the birth, at 6 to 8 weeks, around 1 year and at 2 to 2 and a half '
        'years. They support feeding, sleep, development, your wellbeing and your relationship '
        'with your baby.',
        ['health-visiting', 'parent-infant-relationship', 'crying-and-sleep'], ALL_STAGES,
        [('self-referral', 'You do not need a referral: the team contacts you from about 28 weeks '
          'of pregnancy. If you have just moved to the area or have not heard from them, call the '
          'duty health visitor on weekdays.')],
        ['healthcentre'], [(WEEKDAYS, '09:00', '17:00', 'Duty health visitor, Monday to Friday, 9am to 5pm', None)],
        contact=('Duty health visitor', None), ages=(0, 5), checked='2026-10-14',
        languages=[('English', 'en'), ('Polish', 'pl'), ('Urdu', 'ur')])
service('health-visiting-sampleton-mockley', 'trust', 'Sampleton and Mockley Health Visiting Team',
        'The health visiting team for Sampleton, Mockley and the villages: the five health and '
        'development reviews from pregnancy to age two and a half, with advice and support in '
        'between.',
        ['health-visiting', 'parent-infant-relationship', 'crying-and-sleep'], ALL_STAGES,
        [('self-referral', 'The team will contact you in pregnancy; if you have just moved here, '
          'call the duty line.')],
        ['sfh', 'mfh'], [(WEEKDAYS, '09:00', '17:00', 'Duty line Monday to Friday, 9am to 5pm', None)],
        contact=('Duty health visitor', None), ages=(0, 5), checked='2026-06-03')
service('baby-clinic', 'trust', 'Baby Clinic drop-in',
        'Drop in to weigh your baby and talk to a health visitor or nursery nurse about feeding, '
        'sleep, development or how you are feeling.',
        ['health-visiting', 'feeding'], BABY,
        [('self-referral', 'Just come along with your baby and their red book; no appointment '
          'needed.')],
        ['dfh', 'sfh', 'mfh'],
        [('MO', '13:30', '15:30', 'Monday afternoons', 'dfh'),
         ('WE', '09:30', '11:30', 'Wednesday mornings', 'sfh'),
         ('FR', '09:30', '11:30', 'Friday mornings', 'mfh')],
        contact=('Health visiting team', None), ages=(0, 2), checked='2026-09-01')

# Family hubs
for key, name, place, town in [('family-hub-demoford', 'Demoford Family Hub', 'dfh', 'Demoford'),
                               ('family-hub-sampleton', 'Sampleton Family Hub', 'sfh', 'Sampleton'),
                               ('family-hub-mockley', 'Mockley Family Hub', 'mfh', 'Mockley')]:
    service(key, 'council', name,
            'A welcoming place in %s for families with children from pregnancy to 19 (25 with '
            'special educational needs). Groups for babies and toddlers, drop-in clinics with '
            'midwives and health visitors, parenting courses, and help to find the right support.'
            % town,
            ['family-hubs', 'parenting-support', 'play-and-groups'], ALL_STAGES,
            [('self-referral', 'Drop in during opening hours or call the hub; there is no need '
              'for a referral.')],
            [place], [(WEEKDAYS, '08:30', '17:00', 'Monday to Friday, 8:30am to 5pm', None)],
            contact=('Family hub team', None), checked='2026-10-06')
service('stay-and-play-mockley', 'council', 'Mockley Stay and Play',
        'A relaxed play session for babies and toddlers with their parents or carers, with songs, '
        'messy play and time to chat.',
        ['play-and-groups'], BABY,
        [('self-referral', 'Just turn up; the first session is a chance to look around.')],
        ['mfh'], [('TU', '10:00', '11:30', 'Tuesday mornings in term time', None)],
        contact=('Family hub team', None), ages=(0, 5), status='temporarily closed',
        alert='Closed while the hall is refurbished; sessions move to Mockley Family Hub\'s main room '
              'from January.', checked='2026-10-27')

# Perinatal mental health
service('perinatal-mental-health', 'mentalhealth', 'Specialist Perinatal Mental Health Service',
        'A team of psychiatrists, nurses, psychologists, nursery nurses and occupational therapists '
        'for parents with moderate to severe mental health difficulties in pregnancy and until the '
        'baby is two. They also advise on medication and planning for birth when there is a '
        'history of serious mental illness. In a crisis, call 111 and choose the mental health '
        'option, or call 999.',
        ['perinatal-mental-health', 'parent-infant-relationship'], ALL_STAGES,
        [('via-gp', 'Talk to your GP, who can refer you directly.'),
         ('via-midwife', 'Your midwife can refer you at any point in pregnancy.'),
         ('via-health-visitor', 'Your health visitor can refer you after the birth.')],
        ['moorview'], [(WEEKDAYS, '09:00', '17:00', 'Monday to Friday, 9am to 5pm', None)],
        contact=('Perinatal team duty worker', None), checked='2026-10-09')
service('maternal-mental-health', 'mentalhealth', 'Maternal Mental Health Service',
        'Psychological therapy for parents whose mental health is affected by their experience of '
        'pregnancy or birth: a traumatic birth, the loss of a baby, or a severe fear of giving '
        'birth.',
        ['perinatal-mental-health', 'bereavement'], ALL_STAGES,
        [('via-gp', 'Ask your GP to refer you.'),
         ('via-midwife', 'Your midwife or the bereavement midwives can refer you.'),
         ('via-health-visitor', 'Your health visitor can refer you.')],
        ['moorview'], [(WEEKDAYS, '09:00', '17:00', 'Monday to Friday, 9am to 5pm', None)],
        contact=('Maternal mental health team', None), checked='2026-08-25')
service('talking-therapies', 'trust', 'NHS Talking Therapies Demoshire',
        'Free talking therapies for anxiety and depression, including guided self-help, '
        'cognitive behavioural therapy and counselling, in person, by phone or online.',
        ['perinatal-mental-health'], ALL_STAGES,
        [('self-referral', 'Refer yourself online or by phone. Tell them you are pregnant or have '
          'a baby under two.'),
         ('via-gp', 'Your GP can also refer you.')],
        ['healthcentre'], [(WEEKDAYS, '08:00', '20:00', 'Monday to Friday, 8am to 8pm', None)],
        contact=('Referrals team', None), virtual='Phone and video appointments',
        checked='2026-09-22', languages=[('English', 'en'), ('Polish', 'pl')])
service('wellbeing-circle', 'together', 'New Parents Wellbeing Circle',
        'A friendly peer support group for mums and birthing parents who are finding things hard '
        'in pregnancy or with a young baby, run by parents who have been there. Babies welcome.',
        ['perinatal-mental-health', 'play-and-groups'], ALL_STAGES,
        [('self-referral', 'Come along, or message the group first if you would like someone to '
          'meet you at the door.'),
         ('via-health-visitor', 'Your health visitor or midwife can put you in touch.')],
        ['dfh'], [('TH', '10:00', '11:30', 'Thursday mornings', None)],
        contact=('Group organiser', None), checked='2026-07-08', funding='Grant from the fictional Demo Area Community Fund')
service('dads-and-partners', 'together', 'Dads and Partners Group',
        'A monthly group for dads, co-parents and partners to share the ups and downs of '
        'pregnancy and early parenthood, with a play session for babies and toddlers.',
        ['perinatal-mental-health', 'parenting-support'], ALL_STAGES,
        [('self-referral', 'Just come along; no booking needed.')],
        ['sampleton_hall'], [('SA', '10:00', '12:00', 'Saturday mornings', None)],
        contact=('Group organiser', None), checked='2026-04-14')

# Parent-infant relationship
service('parent-infant-team', 'mentalhealth', 'Little Steps Parent-Infant Team',
        'A specialist team of parent-infant psychotherapists and psychologists helping parents '
        'and babies whose relationship is under strain, for example after a difficult birth, when '
        'a parent is struggling to bond, or when a baby is very unsettled.',
        ['parent-infant-relationship', 'perinatal-mental-health'], ALL_STAGES,
        [('professionals-only', 'Referrals come from health visitors, midwives, GPs, social '
          'workers and family hub staff; ask any of them to discuss a referral with the team.')],
        ['moorview'], [(WEEKDAYS, '09:00', '17:00', 'Monday to Friday, 9am to 5pm', None)],
        contact=('Team administrator', None), ages=(0, 2), checked='2026-09-29')
service('baby-massage', 'council', 'Baby Massage course',
        'A five-week course where parents learn gentle massage and spend calm time with their '
        'baby. It can help with settling and is a chance to meet other parents.',
        ['parent-infant-relationship', 'crying-and-sleep'], ['0-12-months'],
        [('self-referral', 'Book a place at any family hub or online.')],
        ['dfh', 'sfh'],
        [('WE', '13:30', '14:30', 'Wednesday afternoons', 'dfh'),
         ('FR', '13:30', '14:30', 'Friday afternoons', 'sfh')],
        contact=('Family hub team', None), ages=(0, 1), cost=('Course of five sessions', 15, 'per course; free for families on a low income'),
        checked='2026-08-19')

# Volunteer home visiting
service('doorstep-families', 'doorstep', 'Doorstep Families home visiting',
        'Trained volunteers, all parents themselves, visit families at home each week for as '
        'long as needed: someone to listen, help with getting out to groups, and support when '
        'things feel overwhelming.',
        ['parenting-support', 'perinatal-mental-health'], ALL_STAGES,
        [('self-referral', 'Call or email the office and a coordinator will arrange a visit.'),
         ('via-health-visitor', 'Your health visitor, midwife or family hub can refer you with your '
          'agreement.')],
        ['abbey'], [(WEEKDAYS, '09:30', '15:00', 'Office open Monday to Friday, 9:30am to 3pm', None)],
        contact=('Family coordinator', None), checked='2026-06-30',
        funding='Donations and a grant from the fictional Demo Area Community Fund')

# Feeding
service('infant-feeding-team', 'trust', 'Infant Feeding Team',
        'Specialist infant feeding advisers who help with breastfeeding, expressing, bottle '
        'feeding and combining the two, at home or in clinic.',
        ['feeding'], ['pregnancy', '0-12-months'],
        [('self-referral', 'Call the feeding support line on weekdays.'),
         ('via-midwife', 'Your midwife can refer you before or after the birth.'),
         ('via-health-visitor', 'Your health visitor can refer you.')],
        ['healthcentre'], [(WEEKDAYS, '09:00', '16:30', 'Support line Monday to Friday, 9am to 4:30pm', None)],
        contact=('Infant feeding adviser', None), ages=(0, 1), checked='2026-10-01')
service('milk-cafe', 'together', 'Milk Café breastfeeding drop-in',
        'A relaxed drop-in with trained breastfeeding peer supporters: ask questions, feed in '
        'company and meet other families.',
        ['feeding'], ['pregnancy', '0-12-months'],
        [('self-referral', 'Drop in; pregnant parents are welcome too.')],
        ['dfh', 'mfh'],
        [('TU', '10:00', '12:00', 'Tuesday mornings', 'dfh'),
         ('TH', '13:00', '15:00', 'Thursday afternoons', 'mfh')],
        contact=('Peer support coordinator', None), checked='2026-09-09')
service('starting-solids', 'council', 'Starting Solids workshop',
        'A one-off workshop on introducing solid food at around six months: signs of readiness, '
        'first foods and safe preparation.',
        ['feeding', 'parenting-support'], ['0-12-months'],
        [('self-referral', 'Book online or at any family hub.')],
        ['sfh'], [('MO', '10:00', '11:30', 'First Monday of the month', None)],
        contact=('Family hub team', None), ages=(0, 1), checked='2026-05-05')

# Crying and sleep
service('calmer-days', 'trust', 'Calmer Days crying and sleep clinic',
        'Appointments with a health visitor trained in infant crying and sleep, for families '
        'whose baby cries a lot or whose sleep is affecting everyone. Includes safer sleep advice.',
        ['crying-and-sleep', 'health-visiting'], BABY,
        [('via-health-visitor', 'Ask your health visitor to book you in.')],
        ['healthcentre'], [('TH', '09:00', '12:00', 'Thursday mornings', None)],
        contact=('Health visiting team', None), ages=(0, 2), checked='2026-08-04')

# Domestic abuse
service('safe-at-home-outreach', 'safeathome', 'Safe at Home outreach',
        'Confidential one-to-one support for anyone experiencing domestic abuse, including in '
        'pregnancy: safety planning, help with housing and legal options, and support for '
        'children. In an emergency call 999.',
        ['domestic-abuse'], ALL_STAGES,
        [('self-referral', 'Call the helpline or ask to be called back at a safe time.'),
         ('professionals-only', 'Professionals can also refer with the person\'s consent.')],
        ['civic'], [(WEEKDAYS, '09:00', '17:00', 'Monday to Friday, 9am to 5pm', None)],
        contact=('Duty worker', None), checked='2026-10-16')
service('safe-at-home-helpline', 'safeathome', 'Safe at Home helpline',
        'A free, confidential phone line, open day and night, for anyone affected by domestic '
        'abuse and for worried friends, family and professionals. In an emergency call 999.',
        ['domestic-abuse'], ALL_STAGES,
        [('self-referral', 'Call at any time; you do not have to give your name.')],
        [], [('MO,TU,WE,TH,FR,SA,SU', '00:00', '23:59', 'Open 24 hours, every day', None)],
        contact=('Helpline', None), virtual='Phone helpline', free_phone=True, checked='2026-10-16')

# Money and housing
service('money-advice', 'money', 'Money and benefits advice for new parents',
        'Free advice on benefits and grants for expectant and new parents (such as Child Benefit, '
        'Healthy Start and help with childcare costs), debt, and rights at work during pregnancy.',
        ['money-and-housing'], ALL_STAGES,
        [('self-referral', 'Call the advice line or drop in to the Tuesday session at Demoford '
          'Family Hub.')],
        ['civic', 'dfh'],
        [(WEEKDAYS, '10:00', '16:00', 'Advice line Monday to Friday, 10am to 4pm', 'civic'),
         ('TU', '10:00', '12:00', 'Drop-in, Tuesday mornings', 'dfh')],
        contact=('Adviser', None), checked='2026-09-17')
service('housing-options', 'council', 'Housing Options',
        'Advice and help for anyone at risk of losing their home or living somewhere unsuitable '
        'for a baby, including emergency help if you are homeless tonight.',
        ['money-and-housing'], ALL_STAGES,
        [('self-referral', 'Call or visit the Civic Centre; out of hours, call the emergency '
          'number on the council website.')],
        ['civic'], [(WEEKDAYS, '09:00', '17:00', 'Monday to Friday, 9am to 5pm', None)],
        contact=('Housing options officer', None), checked='2026-03-10')
service('baby-bank', 'babybank', 'Little Bundles Baby Bank',
        'Free clothes, cots, prams, car seats and other essentials for babies and toddlers, '
        'clean, checked and packed by volunteers.',
        ['money-and-housing'], ALL_STAGES,
        [('professionals-only', 'Ask your health visitor, midwife, social worker or family hub '
          'worker to send a referral; you collect at a time that suits you.')],
        ['hall'], [('WE', '10:00', '14:00', 'Collections on Wednesdays', None)],
        contact=('Volunteer coordinator', None), ages=(0, 2), checked='2026-07-21')

# Bereavement
service('gentle-footprints', 'footprints', 'Gentle Footprints baby loss support',
        'Support for parents and families after miscarriage, stillbirth or the death of a baby: '
        'a monthly group, one-to-one listening, and help for brothers and sisters and '
        'grandparents.',
        ['bereavement'], ALL_STAGES,
        [('self-referral', 'Call, email or come to a group; there is no waiting list and no time '
          'limit.')],
        ['hall'], [('TH', '19:00', '21:00', 'Group on the first Thursday evening of the month', None)],
        contact=('Support coordinator', None), checked='2026-05-28')

# Speech and language
service('chatter-club', 'council', 'Chatter Club',
        'Songs, rhymes, stories and play for babies and toddlers that help early talking, with '
        'ideas to try at home.',
        ['speech-and-language', 'play-and-groups'], BABY,
        [('self-referral', 'Just come along; free, no booking.')],
        ['library'], [('FR', '10:00', '10:45', 'Friday mornings', None)],
        contact=('Children\'s library team', None), ages=(0, 2), checked='2026-09-25')
service('speech-therapy', 'trust', 'Children\'s Speech and Language Therapy',
        'Assessment and therapy for young children with difficulties in communication, talking, '
        'eating, drinking or swallowing.',
        ['speech-and-language'], BABY,
        [('via-health-visitor', 'Your health visitor can refer your child, often after the 2 year '
          'review.'),
         ('via-gp', 'Your GP can refer your child.')],
        ['healthcentre'], [(WEEKDAYS, '09:00', '17:00', 'Monday to Friday, 9am to 5pm', None)],
        contact=('Therapy administrator', None), ages=(0, 5), checked='2026-04-02')

# Parenting support
service('understanding-your-baby', 'council', 'Understanding Your Baby course',
        'A six-week group course for parents-to-be and parents of babies under one about how '
        'babies communicate, how their brains grow through everyday care, and looking after '
        'yourself.',
        ['parenting-support', 'parent-infant-relationship'], ['pregnancy', '0-12-months'],
        [('self-referral', 'Book a place online or at any family hub.'),
         ('via-health-visitor', 'Your health visitor or midwife can book for you.')],
        ['dfh', 'mfh'],
        [('MO', '10:00', '12:00', 'Monday mornings, six weeks', 'dfh'),
         ('TH', '18:00', '20:00', 'Thursday evenings, six weeks', 'mfh')],
        contact=('Parenting team', None), checked='2026-10-12')
service('young-parents', 'council', 'Young Parents Group',
        'A weekly group for parents and parents-to-be aged 16 to 24, with a crèche, lunch and '
        'sessions on topics the group chooses.',
        ['parenting-support', 'play-and-groups'], ALL_STAGES,
        [('self-referral', 'Come along or message the youth worker first.'),
         ('via-midwife', 'Your midwife or health visitor can introduce you.')],
        ['dfh'], [('WE', '11:00', '13:30', 'Wednesdays, 11am to 1:30pm', None)],
        contact=('Youth worker', None), checked='2026-06-17')

# Other
service('smokefree-pregnancy', 'council', 'Smokefree Pregnancy service',
        'Free support to stop smoking in pregnancy and after the birth, for the pregnant person '
        'and anyone they live with, with stop smoking aids.',
        ['stop-smoking'], ['pregnancy', '0-12-months'],
        [('via-midwife', 'Your midwife will offer a referral at your booking appointment.'),
         ('self-referral', 'You can also call the service yourself.')],
        ['healthcentre'], [(WEEKDAYS, '09:00', '17:00', 'Monday to Friday, 9am to 5pm', None)],
        contact=('Stop smoking adviser', None), checked='2026-07-01')
service('register-office', 'council', 'Register Office: registering a birth',
        'Appointments to register your baby\'s birth. In England a birth must be registered '
        'within 42 days.',
        ['birth-registration'], ['0-12-months'],
        [('self-referral', 'Book an appointment online or by phone. Bring your own ID if you '
          'have it.')],
        ['civic'], [(WEEKDAYS, '09:30', '16:00', 'Monday to Friday by appointment', None)],
        contact=('Register office', None), checked='2026-02-16')

# ---- postcodes ----
EXTRA_POSTCODES = {
    # district: (centre lat, centre lon)
    'DM1': (54.3995, -0.9510), 'DM2': (54.4090, -0.9520), 'DM3': (54.4410, -1.0460),
    'DM4': (54.3630, -0.8630), 'DM5': (54.4200, -0.9000),
}
INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'


def postcodes():
    rows = {}
    for L in LOCS.values():
        rows[L['postcode']] = (L['lat'], L['lon'])
    i = 0
    for district, (lat, lon) in EXTRA_POSTCODES.items():
        for k in range(9):
            i += 1
            sector = 1 + k % 9
            unit = INWARD_LETTERS[(i * 7) % 20] + INWARD_LETTERS[(i * 11 + 3) % 20]
            pc = '%s %d%s' % (district, sector, unit)
            if pc in rows:
                continue
            # a small, fixed spread around the district centre (about 1.5 km)
            dlat = ((i * 37) % 29 - 14) * 0.001
            dlon = ((i * 53) % 31 - 15) * 0.0016
            rows[pc] = (round(lat + dlat, 5), round(lon + dlon, 5))
    return dict(sorted(rows.items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', default=os.path.join(ROOT, 'content/demo'))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'directory.ndjson'), 'w', encoding='utf-8') as f:
        for s in sorted(SERVICES, key=lambda s: s['id']):
            f.write(json.dumps(s, ensure_ascii=False, separators=(',', ':')) + '\n')
    pcs = postcodes()
    with open(os.path.join(args.out, 'postcodes.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['pcd', 'pcds', 'dointr', 'doterm', 'osgrdind', 'lat', 'long'])
        for pc, (lat, lon) in pcs.items():
            out, inward = pc.split(' ')
            w.writerow(['%-4s%s' % (out, inward), pc, '202401', '', '1', '%.6f' % lat, '%.6f' % lon])
    print('wrote %d services and %d postcodes to %s' % (len(SERVICES), len(pcs), args.out))


if __name__ == '__main__':
    main()
