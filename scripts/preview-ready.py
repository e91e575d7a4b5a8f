#!/usr/bin/env python3
"""Time from saving a record to the preview having the new site, as a text editor saves.

Usage: python3 scripts/preview-ready.py BIN SITE RECORD OUTPUT PORT SAVES

Starts `BIN --root SITE serve --output OUTPUT --port PORT`, then SAVES times: writes
RECORD in place with its first name changed, and times until `/__clusterdir/wait`
answers (what the browser waits for before it reloads). The first save warms the
preview's caches and is not counted. RECORD is put back at the end. Prints the median,
the least and the most, and the median rebuild time `serve` reports.
"""
import json
import re
import statistics
import subprocess
import sys
import time
import urllib.request

binary, site, record, output, port, saves = sys.argv[1:7]
serve = subprocess.Popen(
    [binary, "--root", site, "--today", "2025-07-01", "serve", "--force",
     "--port", port, "--output", output],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def get(path):
    return urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60).read()


for _ in range(600):  # the first build: wait until the preview answers
    try:
        get("/__clusterdir/status")
        break
    except OSError:
        time.sleep(0.1)
original = open(record, encoding="utf-8").read()
ready = []
try:
    for i in range(int(saves) + 1):
        time.sleep(0.3)
        seen = json.loads(get("/__clusterdir/status"))["version"]
        started = time.perf_counter()
        with open(record, "w", encoding="utf-8") as f:
            f.write(original.replace('name = "', f'name = "Changed {i} ', 1))
        get(f"/__clusterdir/wait?v={seen}")
        if i:
            ready.append((time.perf_counter() - started) * 1000)
finally:
    with open(record, "w", encoding="utf-8") as f:
        f.write(original)
    time.sleep(0.3)
    serve.terminate()
printed = serve.communicate()[0]
rebuilt = [float(ms) for ms in re.findall(r"Rebuilt in ([0-9.]+) ms", printed)][1:]
print(f"ready: median {statistics.median(ready):.1f} ms, least {min(ready):.1f}, "
      f"most {max(ready):.1f}; rebuild median {statistics.median(rebuilt):.1f} ms")
