#!/usr/bin/env python3
"""servers.py ADDR TCPPORT UDPPORT LOG - the far end of the lab, run in the
"internet" namespace: a TCP and a UDP server that answer each client with
"PEER ip:port", the source address they saw after the CGN's SNAT, and log
one line per flow, "proto ip port epoch_ms", to LOG: the ground truth that
tests/e2e/linux_cgn.sh checks the collector against. Prints "ready" once
both sockets listen. Stops on SIGTERM."""
import selectors
import signal
import socket
import sys
import time

addr, tport, uport, logpath = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
log = open(logpath, "w", buffering=1)
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind((addr, tport))
tcp.listen(512)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind((addr, uport))
sel = selectors.DefaultSelector()
sel.register(tcp, selectors.EVENT_READ)
sel.register(udp, selectors.EVENT_READ)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
print("ready", flush=True)
while True:
    for key, _ in sel.select():
        now = int(time.time() * 1000)
        if key.fileobj is tcp:
            c, peer = tcp.accept()
            log.write("tcp %s %d %d\n" % (peer[0], peer[1], now))
            c.sendall(b"PEER %s:%d\n" % (peer[0].encode(), peer[1]))
            c.close()
        else:
            data, peer = udp.recvfrom(2048)
            log.write("udp %s %d %d\n" % (peer[0], peer[1], now))
            udp.sendto(b"PEER %s:%d" % (peer[0].encode(), peer[1]), peer)
