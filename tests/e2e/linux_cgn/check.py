#!/usr/bin/env python3
"""check.py CGNQ STORE SERVERLOG TRAFFICLOG ENDHOW - every flow the server
saw, looked up with cgnq at the time the server saw it: the verdict must be
"unique", the holder the inside address and port the subscriber used, the
public side the one the server saw, the start within 1 s of the flow, and
the end known as ENDHOW ("-": not checked). Prints TAP lines (numbered from
$TAPN + 1) and, last, "checked N".
"""
import datetime
import json
import os
import subprocess
import sys

cgnq, store, slog, tlog, endhow = sys.argv[1:6]
tapn = int(os.environ.get("TAPN", "0"))
inside = {}
for line in open(tlog):
    proto, iip, iport, pip, pport, ms = line.split()
    inside[(proto, pip, int(pport))] = (iip, int(iport))

def ms_of(text):
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)

bad = []
seen = set()
n = 0
for line in open(slog):
    proto, pip, pport, ms = line.split()
    key = (proto, pip, int(pport))
    if key in seen:         # the same flow twice (UDP re-use): one check
        continue
    seen.add(key)
    n += 1
    t = "%d.%03d" % (int(ms) // 1000, int(ms) % 1000)
    r = subprocess.run([cgnq, "--store", store, "--format", "json", "lookup",
                        pip, pport, t, "--proto", proto],
                       capture_output=True, text=True)
    why = None
    try:
        a = json.loads(r.stdout)
    except ValueError:
        a = None
    want = inside.get(key)
    if r.returncode != 0 or a is None or a["verdict"] != "unique":
        why = "exit %d: %s" % (r.returncode, r.stdout.strip()[:300] or r.stderr.strip()[:300])
    elif want is None:
        why = "the subscriber side never reported this flow"
    else:
        h = a["intervals"][0]
        if (h["inside"], h.get("inside_port", 0)) != want:
            why = "holder %s:%s, want %s:%d" % (h["inside"], h.get("inside_port"), want[0], want[1])
        elif (h["public"], h["port_lo"], h["port_hi"], h["proto"]) != (pip, int(pport), int(pport), proto):
            why = "public %s:%d-%d/%s" % (h["public"], h["port_lo"], h["port_hi"], h["proto"])
        elif abs(ms_of(h["start"]) - int(ms)) > 1000:
            why = "start %s is not within 1 s of %s" % (h["start"], t)
        elif endhow != "-" and h["end_how"] != endhow:
            why = "end_how %s, want %s" % (h["end_how"], endhow)
    if why:
        bad.append("%s %s:%s at %s: %s" % (proto, pip, pport, t, why))
for b in bad[:20]:
    print("# " + b)
tapn += 1
print("%s %d - every mapping the servers saw (%d flows) is answered exactly by cgnq%s"
      % ("not ok" if bad else "ok", tapn, n, "" if endhow == "-" else " (end: %s)" % endhow))
print("checked %d" % n)
