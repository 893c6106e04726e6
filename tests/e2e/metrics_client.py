#!/usr/bin/env python3
"""metrics_client.py - the e2e tests' HTTP client for cgnlogd's metrics
endpoint (curl may be absent): raw sockets, so malformed and slow requests
can be sent too.

  metrics_client.py scrape PORT      validate the exposition strictly;
                                     print "name{labels} value" per sample
  metrics_client.py raw PORT         the body as it is
  metrics_client.py status PORT REQ  send REQ (\\r\\n escapes), print the
                                     status code and the body length
  metrics_client.py idle PORT N      hold N silent connections, then scrape:
                                     print the scrape's status
  metrics_client.py linger PORT SECS connect, send nothing; print how many
                                     seconds until the server closed

Exit 1 with a message on stderr when the exposition is not well formed.
"""
import re
import socket
import sys
import time

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"'
SAMPLE = re.compile(r'^(%s)(\{%s(?:,%s)*\})? (\S+)$' % (NAME, LABEL, LABEL))
HELP = re.compile(r'^# HELP (%s) (\S.*)$' % NAME)
TYPE = re.compile(r'^# TYPE (%s) (counter|gauge)$' % NAME)


def request(port, raw, timeout=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(raw)
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("ascii").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if int(headers["content-length"]) != len(body) and \
            not raw.startswith(b"HEAD"):
        fail("Content-Length %s but %d bytes" %
             (headers["content-length"], len(body)))
    return status, headers, body


def fail(msg):
    sys.stderr.write("metrics_client: %s\n" % msg)
    sys.exit(1)


def validate(text):
    """Every line of the text format 0.0.4, strictly: each family has HELP
    then TYPE before its samples, once; a sample belongs to the family
    above it; no series twice; values are numbers; the text ends in \\n."""
    if not text.endswith("\n"):
        fail("the body does not end with a newline")
    families, series, out = set(), set(), []
    helped = typed = None
    for n, line in enumerate(text[:-1].split("\n"), 1):
        m = HELP.match(line)
        if m:
            if m.group(1) in families:
                fail("line %d: family %s twice" % (n, m.group(1)))
            families.add(m.group(1))
            helped, typed = m.group(1), None
            continue
        m = TYPE.match(line)
        if m:
            if m.group(1) != helped or typed is not None:
                fail("line %d: TYPE without its HELP: %s" % (n, line))
            typed = m.group(1)
            if m.group(2) == "counter" and not typed.endswith("_total"):
                fail("line %d: counter %s without _total" % (n, typed))
            if m.group(2) == "gauge" and typed.endswith("_total"):
                fail("line %d: gauge %s named _total" % (n, typed))
            continue
        m = SAMPLE.match(line)
        if not m:
            fail("line %d: not a sample: %r" % (n, line))
        if m.group(1) != typed:
            fail("line %d: %s outside its family (%s)" % (n, m.group(1),
                                                          typed))
        float(m.group(3))
        key = m.group(1) + (m.group(2) or "")
        if key in series:
            fail("line %d: %s twice" % (n, key))
        series.add(key)
        out.append("%s %s" % (key, m.group(3)))
    return out


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    if cmd == "scrape":
        status, headers, body = request(
            port, b"GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")
        if status != 200:
            fail("status %d" % status)
        if headers.get("content-type") != \
                "text/plain; version=0.0.4; charset=utf-8":
            fail("content type %r" % headers.get("content-type"))
        print("\n".join(validate(body.decode("utf-8"))))
    elif cmd == "raw":
        _, _, body = request(port, b"GET /metrics HTTP/1.0\r\n\r\n")
        sys.stdout.write(body.decode("utf-8"))
    elif cmd == "status":
        raw = sys.argv[3].encode().decode("unicode_escape").encode("latin1")
        status, headers, body = request(port, raw)
        print(status, len(body))
    elif cmd == "idle":
        held = [socket.create_connection(("127.0.0.1", port))
                for _ in range(int(sys.argv[3]))]
        time.sleep(0.2)
        status, _, body = request(port, b"GET /metrics HTTP/1.0\r\n\r\n")
        validate(body.decode("utf-8"))
        print(status)
        for s in held:
            s.close()
    elif cmd == "linger":
        s = socket.create_connection(("127.0.0.1", port))
        s.settimeout(float(sys.argv[3]))
        t0 = time.monotonic()
        try:
            got = s.recv(1)
        except socket.timeout:
            got = None
        print("open" if got is None else
              "%d" % round(time.monotonic() - t0))


if __name__ == "__main__":
    main()
