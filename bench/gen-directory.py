#!/usr/bin/env python3
"""gen-directory.py: a national-scale synthetic service directory for benchmarks.

    python3 bench/gen-directory.py --services N --postcodes M --out DIR [--seed S]

Writes DIR/services.ndjson (N fully nested Open Referral UK 3.0 services, one
per line, valid for `firstdays import oruk`) and DIR/postcodes.csv (M rows in
the shape of the ONS Postcode Directory: its 54 columns, quoted text fields,
about 30% terminated postcodes, some rows without a location and some
Northern Ireland rows, in postcode order, for `firstdays import postcodes`).

Every service is located at a live postcode of the CSV, picked at random from
every row, so services are spread over all the areas and districts as a
national directory is and postcode searches find them. With --clustered they
are put at the first 50,000 rows instead, in one district of each area: about
800 places in a few square kilometres, a stress test for dense areas. Services carry
the firstdays attributes (needs, stages, referral routes) with the term ids of
content/directory/taxonomy.json. Everything is made up; the same arguments
always give the same files. Postcodes use real area letters in valid shapes but
the places and coordinates are invented (spread over Great Britain).
"""
import argparse
import json
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

AREAS = ('AB AL B BA BB BD BH BL BN BR BS CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT '
         'DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD '
         'LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA '
         'SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN '
         'WR WS WV YO').split()
AREAS.append('BT')  # Northern Ireland: present in ONSPD, skipped by default on import
UNIT = 'ABDEFGHJLNPQRSTUWXYZ'  # letters allowed in the inward code
PER_SECTOR = len(UNIT) ** 2
PER_DISTRICT = 10 * PER_SECTOR
DISTRICTS = 99
POOL = 50000  # services are placed at live postcodes among the first POOL indexes

HEADER = ('pcd pcd2 pcds dointr doterm oscty ced oslaua osward parish usertype oseast1m osnrth1m '
          'osgrdind oshlthau nhser ctry rgn streg pcon eer teclec ttwa pct nuts statsward oa01 '
          'casward park lsoa01 msoa01 ur01ind oac01 oa11 lsoa11 msoa11 wz11 ccg bua11 bua22 '
          'ru11ind oac11 lat long lep1 lep2 pfa imd calncv icb oa21 lsoa21 msoa21 ru21ind').split()


def mix(*xs):
    """A small deterministic hash to [0, 1)."""
    h = 0x9E3779B97F4A7C15
    for x in xs:
        h = ((h ^ (x & 0xFFFFFFFFFFFFFFFF)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        h ^= h >> 31
    return (h & 0xFFFFFFFFFFFF) / float(1 << 48)


def area_centre(a):
    if AREAS[a] == 'BT':
        return 54.6, -6.2
    return 50.4 + 6.0 * mix(a, 1), -4.2 + 5.5 * mix(a, 2)


def postcode(i, seed):
    """(pcds, lat, lon, status) for index i; status 'live', 'terminated' or 'nolocation'."""
    a = i % len(AREAS)
    rest = i // len(AREAS)
    district = rest // PER_DISTRICT % DISTRICTS + 1
    sector = rest // PER_SECTOR % 10
    u = rest % PER_SECTOR
    out = '%s%d' % (AREAS[a], district)
    pcds = '%s %d%s%s' % (out, sector, UNIT[u // len(UNIT)], UNIT[u % len(UNIT)])
    clat, clon = area_centre(a)
    lat = clat + 0.3 * (mix(a, district, 3) - 0.5) + 0.02 * (mix(i, seed, 4) - 0.5)
    lon = clon + 0.5 * (mix(a, district, 5) - 0.5) + 0.03 * (mix(i, seed, 6) - 0.5)
    r = mix(i, seed, 7)
    status = 'terminated' if r < 0.30 else 'nolocation' if r < 0.303 else 'live'
    return pcds, round(lat, 6), round(lon, 6), status


def write_postcodes(path, m, seed):
    """ONSPD rows for indexes 0..m-1, area by area (close to postcode order)."""
    n_areas = len(AREAS)
    with open(path, 'w', encoding='ascii', newline='') as f:
        f.write(','.join('"%s"' % h for h in HEADER) + '\r\n')
        order = sorted(range(n_areas), key=lambda a: AREAS[a])
        for a in order:
            if a >= m:
                continue
            count = (m - a + n_areas - 1) // n_areas
            ctry = 'N92000002' if AREAS[a] == 'BT' else 'E92000001'
            laua = 'E06%06d' % (a + 1)
            # the columns between oshlthau and lat, and after long, are the same for a whole area
            mid_cols = {
                'nhser': 'E40000%03d' % (a % 7), 'ctry': ctry, 'rgn': 'E12000%03d' % (a % 9),
                'streg': '0', 'pcon': 'E14000%03d' % a, 'eer': 'E15000%03d' % (a % 12),
                'teclec': 'E24000%03d' % a, 'ttwa': 'E30000%03d' % a, 'pct': 'E16000%03d' % a,
                'nuts': 'E05%06d' % a, 'statsward': '00AAFA', 'oa01': 'E00%06d' % a,
                'casward': '00AAFA', 'park': 'E99999999', 'lsoa01': 'E01%06d' % a,
                'msoa01': 'E02%06d' % a, 'ur01ind': 'A', 'oac01': '1A1', 'oa11': 'E00%06d' % a,
                'lsoa11': 'E01%06d' % a, 'msoa11': 'E02%06d' % a, 'wz11': 'E33%06d' % a,
                'ccg': 'E38000%03d' % a, 'bua11': 'E34%06d' % a, 'bua22': 'E63%06d' % a,
                'ru11ind': 'A1', 'oac11': '1A1'}
            tail_cols = {
                'lep1': 'E37000%03d' % a, 'lep2': '', 'pfa': 'E23000%03d' % (a % 44),
                'imd': None, 'calncv': 'E56000%03d' % a, 'icb': 'E54000%03d' % (a % 42),
                'oa21': 'E00%06d' % a, 'lsoa21': 'E01%06d' % a, 'msoa21': 'E02%06d' % a,
                'ru21ind': 'A1'}
            mid = ','.join('"%s"' % mid_cols[h] for h in HEADER[15:HEADER.index('lat')])
            tail = ','.join(str(1 + a * 257 % 32844) if tail_cols[h] is None else '"%s"' % tail_cols[h]
                            for h in HEADER[HEADER.index('long') + 1:])
            lines = []
            for rest in range(count):
                i = rest * n_areas + a
                pcds, lat, lon, status = postcode(i, seed)
                out, inward = pcds.split(' ')
                pcd = '%-4s%s' % (out, inward)
                pcd2 = '%-5s%s' % (out, inward)
                doterm = '200512' if status == 'terminated' else ''
                if status == 'nolocation':
                    grid, lat_s, lon_s, east, north = '9', '99.999999', '0.000000', '', ''
                else:
                    grid, lat_s, lon_s = '1', '%.6f' % lat, '%.6f' % lon
                    east, north = str(int(400000 + (lon + 2) * 70000)), str(int((lat - 49.8) * 111000))
                lines.append('"%s","%s","%s","198001","%s","E99999999","E99999999","%s",'
                             '"E05%06d","E43000%03d","0",%s,%s,"%s","E16000%03d",%s,%s,%s,%s\r\n'
                             % (pcd, pcd2, pcds, doterm, laua, a * 100 + rest % 100, a, east,
                                north, grid, a, mid, lat_s, lon_s, tail))
                if len(lines) >= 10000:
                    f.write(''.join(lines))
                    lines = []
            f.write(''.join(lines))


def load_taxonomy():
    with open(os.path.join(ROOT, 'content/directory/taxonomy.json'), encoding='utf-8') as f:
        doc = json.load(f)
    by_name = {t['name']: t['taxonomy_terms'] for t in doc['taxonomies']}
    return (by_name['firstdays needs'], by_name['firstdays referral routes'],
            by_name['firstdays stages'])


KINDS = [
    ('Family Hub', ['family-hubs', 'parenting-support', 'play-and-groups']),
    ('Health Visiting Team', ['health-visiting', 'crying-and-sleep']),
    ('Community Midwives', ['maternity']),
    ('Perinatal Mental Health Team', ['perinatal-mental-health']),
    ('Parent-Infant Relationship Service', ['parent-infant-relationship']),
    ('Talking Therapies', ['perinatal-mental-health']),
    ('Infant Feeding Support', ['feeding']),
    ('Breastfeeding Drop-in', ['feeding', 'play-and-groups']),
    ('Baby Bank', ['money-and-housing']),
    ('Money Advice', ['money-and-housing']),
    ('Domestic Abuse Service', ['domestic-abuse']),
    ('Baby Loss Support', ['bereavement']),
    ('Chatter and Rhyme Time', ['speech-and-language', 'play-and-groups']),
    ('Parenting Course', ['parenting-support']),
    ('Medical Practice', ['general-practice']),
    ('Stop Smoking Service', ['stop-smoking']),
]
PLACES = ('Ash Brook Bridge Castle Dale Field Ford Gate Green Hill Holme Lea Marsh Mill Moor Oak '
          'Port Stone Thorn Well Wick Wood').split()
PREFIX = ('North South East West Upper Lower Great Little Old New High Kings Queens St Mary '
          'Bishops Long Broad').split()
ROUTE_TEXT = {
    'self-referral': 'Contact the service directly by phone, email or the online form.',
    'via-gp': 'Ask your GP to refer you.',
    'via-midwife': 'Ask your midwife to refer you.',
    'via-health-visitor': 'Ask your health visitor to refer you.',
    'professionals-only': 'A professional who knows you (GP, midwife, health visitor or social '
                          'worker) sends the referral.',
}


def write_services(path, n, m, seed, clustered):
    needs, routes, stages = load_taxonomy()
    need = {t['term']: t for t in needs}
    route = {t['term']: t for t in routes}
    stage = {t['term']: t for t in stages}
    rnd = random.Random(seed)
    pool = max(1, min(m, POOL) if clustered or not m else m)

    def new_id():
        return str(uuid.UUID(int=rnd.getrandbits(128), version=4))

    orgs = []
    for k in range(max(1, n // 5)):
        town = rnd.choice(PREFIX) + ' ' + rnd.choice(PLACES) + rnd.choice(['ton', 'by', 'ham', 'ley', ''])
        orgs.append({'id': new_id(), 'name': '%s %s' % (town, rnd.choice(
            ['Community Trust', 'Council', 'Family Charity', 'Health Partnership', 'Parents Network'])),
            'description': 'A synthetic organisation generated for benchmarks.',
            'website': 'https://org%d.example/' % k, 'email': 'hello@org%d.example' % k})

    with open(path, 'w', encoding='utf-8') as f:
        lines = []
        for k in range(n):
            sid = new_id()
            o = rnd.choice(orgs)
            kind, kneeds = rnd.choice(KINDS)
            while True:
                pcds, lat, lon, status = postcode(rnd.randrange(pool), seed)
                if status == 'live' and not pcds.startswith('BT'):
                    break
            town = o['name'].split(' ')[0] + ' ' + o['name'].split(' ')[1]
            lid, salid, cid = new_id(), new_id(), new_id()
            svc = {
                'id': sid, 'organization_id': o['id'],
                'name': '%s %s' % (town, kind),
                'description': 'Synthetic benchmark service %d: %s for families in %s, from '
                               'pregnancy to age two.' % (k, kind.lower(), town),
                'url': 'https://org.example/services/%d' % k,
                'email': 'service%d@org.example' % k,
                'status': 'active' if rnd.random() > 0.03 else 'temporarily closed',
                'assured_date': '2026-%02d-%02d' % (rnd.randint(1, 10), rnd.randint(1, 28)),
                'last_modified': '2026-10-%02dT09:00:00.000Z' % rnd.randint(1, 28),
            }
            if rnd.random() < 0.5:
                svc['minimum_age'], svc['maximum_age'] = 0, rnd.choice([1, 2, 5])
            days = rnd.choice(['MO,TU,WE,TH,FR', 'MO,WE,FR', 'TU,TH', 'SA'])
            svc['schedules'] = [{'id': new_id(), 'service_id': sid, 'service_at_location_id': salid,
                                 'freq': 'WEEKLY', 'interval': 1, 'byday': days,
                                 'opens_at': '%02d:00' % rnd.randint(8, 10),
                                 'closes_at': '%02d:30' % rnd.randint(12, 17),
                                 'description': 'Regular opening hours'}]
            svc['service_areas'] = [{'id': new_id(), 'service_id': sid, 'name': town}]
            svc['service_at_locations'] = [{
                'id': salid, 'service_id': sid, 'location_id': lid,
                'location': {'id': lid, 'location_type': 'physical', 'name': '%s Centre' % town,
                             'latitude': lat, 'longitude': lon,
                             'addresses': [{'id': new_id(), 'location_id': lid,
                                            'address_1': '%d %s Road' % (rnd.randint(1, 200), rnd.choice(PLACES)),
                                            'city': town, 'state_province': 'Synthshire',
                                            'postal_code': pcds, 'country': 'GB',
                                            'address_type': 'physical'}]}}]
            svc['organization'] = o
            svc['cost_options'] = [{'id': new_id(), 'service_id': sid, 'option': 'Free', 'amount': 0}]
            svc['contacts'] = [{'id': cid, 'service_id': sid, 'name': 'Reception',
                                'phones': [{'id': new_id(), 'contact_id': cid,
                                            'number': '01632 960%03d' % rnd.randrange(1000)}]}]
            attrs = []

            def attach(term, link_type, value=None):
                a = {'id': new_id(), 'link_id': sid, 'link_type': link_type, 'link_entity': 'service',
                     'taxonomy_term_id': term['id'], 'taxonomy_term': term}
                if value:
                    a['value'] = value
                attrs.append(a)

            for t in kneeds:
                attach(need[t], 'need')
            for s in rnd.sample(list(stage), rnd.randint(1, 3)):
                attach(stage[s], 'stage')
            for r in rnd.sample(list(route), rnd.randint(1, 2)):
                attach(route[r], 'referral_route', ROUTE_TEXT[r])
            svc['attributes'] = attrs
            lines.append(json.dumps(svc, separators=(',', ':')) + '\n')
            if len(lines) >= 5000:
                f.write(''.join(lines))
                lines = []
        f.write(''.join(lines))


def main():
    ap = argparse.ArgumentParser(description='Synthetic ORUK services and ONSPD-shaped postcodes.')
    ap.add_argument('--services', type=int, required=True, help='number of services')
    ap.add_argument('--postcodes', type=int, required=True, help='number of postcode rows')
    ap.add_argument('--out', required=True, help='output folder')
    ap.add_argument('--seed', type=int, default=1001)
    ap.add_argument('--clustered', action='store_true',
                    help='put every service in the first %d postcode rows (dense areas)' % POOL)
    args = ap.parse_args()
    if args.services < 0 or args.postcodes < 0:
        ap.error('counts must be 0 or more')
    capacity = (len(AREAS)) * DISTRICTS * PER_DISTRICT
    if args.postcodes > capacity:
        ap.error('at most %d postcodes' % capacity)
    os.makedirs(args.out, exist_ok=True)
    write_postcodes(os.path.join(args.out, 'postcodes.csv'), args.postcodes, args.seed)
    write_services(os.path.join(args.out, 'services.ndjson'), args.services, args.postcodes,
                   args.seed, args.clustered)
    print('wrote %d services and %d postcode rows to %s' % (args.services, args.postcodes, args.out))


if __name__ == '__main__':
    main()
