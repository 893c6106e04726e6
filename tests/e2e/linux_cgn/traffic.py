#!/usr/bin/env python3
"""traffic.py N SERVER TCPPORT UDPPORT SRC... - the subscribers, run in
the subscriber namespace: N flows, alternating TCP and UDP, round robin
over the source addresses SRC. Prints one line per flow,
"proto inside_ip inside_port public_ip public_port epoch_ms", the public
side as the server reported it. Each UDP flow sends a distinct payload
(the pairing digest of the two-rule mode keys on it, as real traffic
would)."""
import socket
import sys
import time

n, server, tport, uport = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
srcs = sys.argv[5:]
for i in range(n):
    src = srcs[i % len(srcs)]
    now = int(time.time() * 1000)
    if i % 2 == 0:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((src, 0))
        s.settimeout(5)
        s.connect((server, tport))
        reply = s.recv(100)
        proto = "tcp"
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((src, 0))
        s.settimeout(5)
        s.sendto(b"flow %d" % i, (server, uport))
        reply = s.recv(100)
        proto = "udp"
    inside = s.getsockname()
    s.close()
    pub = reply.decode().split()[1]
    pip, pport = pub.rsplit(":", 1)
    print("%s %s %d %s %s %d" % (proto, inside[0], inside[1], pip, pport, now), flush=True)
