#!/usr/bin/env python3
"""A team that does not write Rust uses the emulator binary from Python,
with the standard library only: start it, send a message with plain HTTP,
read it back, set a fault and see it.

    python3 kaleyra-emulator/tests/python/from_python.py [path/to/kaleyra-emulator]

The binary defaults to target/debug/kaleyra-emulator (`cargo build -p
kaleyra-emulator`). Exits non-zero, saying what went wrong, on any failure.
"""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "kaleyra-emulator")
TO = "+919876543210"
SID = "HXPYTHONTEST01"
API_KEY = "python-test-key-0001"
V1_NUMBER = "+912025550100"


def fail(message):
    print("from_python: FAILED: " + message, file=sys.stderr)
    sys.exit(1)


def start():
    """Starts the binary on a free port; answers the process and its base URL."""
    env = dict(os.environ, KALEYRA_EMULATOR_API_KEY=API_KEY)
    process = subprocess.Popen(
        [BINARY, "--port", "0", "--templates", os.path.join(ROOT, "templates"),
         "--sid", SID, "--seed", "7", "--callback-delay-ms", "10"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    # Never wait forever for the first line.
    timer = threading.Timer(30, process.kill)
    timer.start()
    first = process.stdout.readline()
    timer.cancel()
    found = re.search(r"listening on (http://\S+)", first)
    if not found:
        process.kill()
        fail("the emulator did not say where it listens: %r" % first)
    # Keep reading its output so it never blocks on a full pipe.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, found.group(1)


def request(method, url, body=None, headers=None):
    """Answers (status, headers, JSON body) for any status."""
    data = None
    headers = dict(headers or {})
    if isinstance(body, dict) and headers.get("content-type") == "application/json":
        data = json.dumps(body).encode()
    elif isinstance(body, dict):
        data = urllib.parse.urlencode(body).encode()
        headers["content-type"] = "application/x-www-form-urlencoded"
    call = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=10) as answer:
            return answer.status, answer.headers, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def wait_ready(base):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _, body = request("GET", base + "/emulator/ready")
            if status == 200 and body["ready"]:
                return body
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.1)
    fail("the emulator was not ready within 30 s")


def send(base, text):
    return request(
        "POST", base + "/v1/" + SID + "/messages",
        {"from": V1_NUMBER, "to": TO, "type": "text", "channel": "whatsapp", "body": text},
        {"api-key": API_KEY},
    )


def main():
    process, base = start()
    try:
        ready = wait_ready(base)
        if ready["sid"] != SID or API_KEY in json.dumps(ready):
            fail("the readiness answer is not the account's, or shows the key: %r" % ready)

        # Send, and read the message back.
        status, _, body = send(base, "Namaste 🙏, your order has shipped")
        if status != 200:
            fail("the send answered %d: %r" % (status, body))
        message_id = body["data"][0]["message_id"]
        _, _, stored = request("GET", base + "/emulator/messages?to=" + urllib.parse.quote(TO))
        if [m["body"] for m in stored if m["id"] == message_id] != ["Namaste 🙏, your order has shipped"]:
            fail("message %s was not stored as sent: %r" % (message_id, stored))

        # Set a fault: the next send is refused with 429 and Retry-After.
        status, _, fault = request(
            "POST", base + "/emulator/faults",
            {"action": {"kind": "error", "code": "WA429", "retry_after_secs": 2}, "times": 1},
            {"content-type": "application/json"},
        )
        if status != 201:
            fail("setting the fault answered %d: %r" % (status, fault))
        status, headers, body = send(base, "again")
        if (status, body.get("code"), headers.get("Retry-After")) != (429, "WA429", "2"):
            fail("the fault was not seen: HTTP %d, %r, Retry-After %r" % (status, body, headers.get("Retry-After")))
        _, _, refused = request("GET", base + "/emulator/refused")
        if refused[0]["fault"]["fault_id"] != fault["id"]:
            fail("the refusal does not name its fault: %r" % refused[0])

        # Used up: the next send is accepted again.
        status, _, body = send(base, "and again")
        if status != 200:
            fail("the send after the fault answered %d: %r" % (status, body))
        print("from_python: ok (sent %s, saw fault %s)" % (message_id, fault["id"]))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            fail("the emulator did not stop on SIGTERM")
    if process.returncode != 0:
        fail("the emulator exited with %d" % process.returncode)


if __name__ == "__main__":
    main()
