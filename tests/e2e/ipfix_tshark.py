#!/usr/bin/env python3
# ipfix_tshark.py DUMP FILE... - the tshark oracle for the IPFIX / NetFlow
# v9 parsers. For each pcap, Wireshark's dissector decodes every flow
# record (tshark -T pdml); from its fields this script derives, by the
# rules of ../shared/formats.md 1.7-1.10 written here a second time, the
# event each record should give (type, time, inside, outside, port range);
# then it runs DUMP (build/ipfix_dump) on the same file and asserts that
# the two lists agree record by record. Prints TAP, one line per file.
import calendar
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

# natEvent -> (kind, direction); kind None: "create/delete", by shape
IANA = {1: (None, 0), 2: (None, 1), 4: ('session', 0), 5: ('session', 1),
        6: ('session', 0), 7: ('session', 1), 8: ('session', 0),
        9: ('session', 1), 10: ('session', 0), 11: ('session', 1),
        14: ('addr', 0), 15: ('addr', 1), 16: ('pba', 0), 17: ('pba', 1)}
CISCO = {1: (None, 0), 2: (None, 1)}
TYPES = {('pba', 0): 'pba_alloc', ('pba', 1): 'pba_release',
         ('session', 0): 'session_create', ('session', 1): 'session_delete',
         ('addr', 0): 'addr_alloc', ('addr', 1): 'addr_release'}


def flows(path):
    """Yield (frame, version, export_s, {field: value-or-list}) per record."""
    cmd = ['tshark', '-r', path, '-d', 'udp.port==4739,cflow',
           '-d', 'udp.port==2055,cflow', '-T', 'pdml']
    out = subprocess.run(cmd, capture_output=True, check=True).stdout
    root = ET.fromstring(out)
    for fr, pkt in enumerate(root.iter('packet'), 1):
        for proto in pkt.iter('proto'):
            if proto.get('name') != 'cflow':
                continue
            ver, export = None, None
            for f in proto.iter('field'):
                n = f.get('name')
                if n == 'cflow.version' and ver is None:
                    ver = int(f.get('show'))
                if n in ('cflow.exporttime', 'cflow.unix_secs') and \
                        export is None:
                    export = int(f.get('value'), 16)
            for f in proto.iter('field'):
                if not (f.get('name') == '' and
                        (f.get('show') or '').startswith('Flow ')):
                    continue
                rec = {}
                for c in f:
                    n = c.get('name')
                    if n == 'cflow.enterprise_private_entry':
                        rec.setdefault(n, []).append(c.get('value'))
                    elif n and n not in rec:
                        rec[n] = (c.get('show'), c.get('value'))
                yield fr, ver, export, rec


def num(rec, name):
    v = rec.get(name)
    return None if v is None else int(v[1], 16)


def ms(rec, name):
    """A dateTime field as UTC ms, from tshark's text: 'Dec 14, 2017
    07:23:45.148000000 UTC'."""
    v = rec.get(name)
    if v is None:
        return None
    s = ' '.join(v[0].split())
    base, frac = s.rsplit(' ', 1)[0].split('.')
    t = calendar.timegm(time.strptime(base, '%b %d, %Y %H:%M:%S'))
    return t * 1000 + int(frac[:3])


def show(rec, name):
    v = rec.get(name)
    return None if v is None else v[0]


def expect(ver, export, rec):
    """The event a record should give, or None."""
    ne = num(rec, 'cflow.nat_event')
    fw = num(rec, 'cflow.firewall_event')
    inside = show(rec, 'cflow.srcaddrv6') or show(rec, 'cflow.srcaddr')
    xsrc = show(rec, 'cflow.post_natsource_ipv4_address') or \
        show(rec, 'cflow.post_nat_source_ipv6_address')
    sport = num(rec, 'cflow.srcport')
    xsport = num(rec, 'cflow.post_naptsource_transport_port')
    if xsport is None:
        xsport = num(rec, 'cflow.post_napt_source_transport_port')
    lo, hi = num(rec, 'cflow.port_range_start'), \
        num(rec, 'cflow.port_range_end')
    step, n = num(rec, 'cflow.port_range_step_size'), \
        num(rec, 'cflow.port_range_num_ports')
    obs = ms(rec, 'cflow.observation_time_milliseconds')
    start, end = ms(rec, 'cflow.abstimestart'), ms(rec, 'cflow.abstimeend')
    if ne is not None:
        kind, d = (IANA if ver == 10 else CISCO).get(ne, (False, 0))
        if kind is False or xsrc is None:
            return None
        if kind is None:
            kind = 'pba' if lo is not None or hi is not None else \
                'session' if xsport is not None else 'addr'
    elif fw is not None:
        if fw not in (1, 2) or xsrc is None or \
                (xsrc == inside and xsport == sport):
            return None     # identity NAT, denied, alert, update
        kind, d = 'session', fw - 1
    elif 'cflow.enterprise_private_entry' in rec and \
            (start is not None or end is not None):
        # Nokia: which time field is there says create or delete; the
        # public side is the source; the subscriber string has the inside
        sub = None
        for h in rec['cflow.enterprise_private_entry']:
            t = bytes.fromhex(h).split(b'\0')[0]
            if b'@' in t:
                sub = t.decode()
        d = 1 if end is not None else 0
        t = end if d and end is not None else start
        return (TYPES[('session', d)], t, sub.rsplit('@', 1)[1]
                if sub else '::', show(rec, 'cflow.srcaddr'), sport, sport)
    else:
        return None
    if kind == 'pba':
        if lo is None:
            return None
        if not hi and n:
            hi = lo + (n - 1) * (step or 1)
    elif kind == 'session':
        if xsport is None:
            return None
        lo = hi = xsport
    else:
        lo, hi = 0, 65535
    if obs is not None:
        t = obs
    elif d == 1 and end is not None:
        t = end
    elif start is not None:
        t = start
    elif end is not None:
        t = end
    else:
        t = export * 1000
    return (TYPES[(kind, d)], t, inside, xsrc, lo, hi)


def ours(dump, path):
    out = subprocess.run([dump, path], capture_output=True, check=True,
                         text=True).stdout.splitlines()
    evs = []
    for line in out:
        w = line.split()
        if w[0] == 'records':
            continue
        if w[1] == 'error':
            evs.append(('error', w[2]))
            continue
        evs.append((w[1], int(w[2]), w[3], w[4], int(w[5]), int(w[6])))
    return evs, out[-1]


def main():
    dump, files = sys.argv[1], sys.argv[2:]
    failed = 0
    for i, path in enumerate(files, 1):
        want, nrec = [], 0
        for fr, ver, export, rec in flows(path):
            nrec += 1
            e = expect(ver, export, rec)
            if e is not None:
                want.append(e)
        got, summary = ours(dump, path)
        name = path.rsplit('/', 1)[-1]
        if got == want:
            print('ok %d - %s: tshark %d records, %d NAT events agree'
                  ' (ours: %s)' % (i, name, nrec, len(want), summary))
            continue
        failed += 1
        print('not ok %d - %s: tshark %d events, ours %d' %
              (i, name, len(want), len(got)))
        for k in range(max(len(want), len(got))):
            w = want[k] if k < len(want) else None
            g = got[k] if k < len(got) else None
            if w != g:
                print('#   record %d: tshark %s, ours %s' % (k + 1, w, g))
                break
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
