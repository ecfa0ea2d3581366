#!/usr/bin/env python3
"""Dial visitors back: receive Vitrina's `callback.requested` webhook, verify it (Standard
Webhooks v1, HMAC-SHA256) and ask Asterisk, through the Asterisk Manager Interface, to call the
shop's operators first and then bridge the visitor's number.

Standard library only. Configuration from the environment:

  VITRINA_WEBHOOK_SECRET  whsec_… of the webhook endpoint pointing here (required)
  LISTEN                  address:port to listen on (default 127.0.0.1:8088)
  AMI_HOST, AMI_PORT      the Asterisk manager (default 127.0.0.1:5038)
  AMI_USER, AMI_SECRET    a manager user with the "originate" write permission
  OPERATORS_CHANNEL       what rings first: the operators' queue or phone (default Local/operators@callback)
  OUTBOUND_CONTEXT        dialplan context that dials the visitor's E.164 number (default callback-out)
  CALLER_ID               caller id shown to the visitor (default "Shop <+70000000000>")

Scheduled requests (made outside business hours) are acknowledged and left to the shop's
scheduler: only requests with status "new" are dialled at once.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_S = 5 * 60
E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
MAX_BODY = 256 * 1024


def secret_bytes(secret):
    if not secret.startswith("whsec_"):
        raise ValueError("VITRINA_WEBHOOK_SECRET must start with whsec_")
    return base64.b64decode(secret[len("whsec_"):])


def verify(secret, headers, body, now=None):
    """True when the Standard Webhooks v1 signature matches and the timestamp is recent."""
    msg_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not msg_id or not stamp.isdigit():
        return False
    now = time.time() if now is None else now
    if abs(now - int(stamp)) > TOLERANCE_S:
        return False
    signed = msg_id.encode() + b"." + stamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(secret, signed, hashlib.sha256).digest()).decode()
    for item in signatures.split(" "):
        version, _, value = item.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


def ami_originate(phone, callback_id, env=os.environ):
    """Logs in to AMI, originates the call, logs off; raises on a refusal."""
    host = env.get("AMI_HOST", "127.0.0.1")
    port = int(env.get("AMI_PORT", "5038"))
    with socket.create_connection((host, port), timeout=10) as s:
        f = s.makefile("rwb")
        f.readline()  # "Asterisk Call Manager/…"

        def action(fields):
            for key, value in fields:
                # A value never carries a line break: AMI would read it as a new header.
                if "\r" in value or "\n" in value:
                    raise ValueError("line break in an AMI field")
                f.write(f"{key}: {value}\r\n".encode())
            f.write(b"\r\n")
            f.flush()
            reply = {}
            while True:
                line = f.readline().decode(errors="replace").rstrip("\r\n")
                if not line:
                    break
                key, _, value = line.partition(": ")
                reply[key] = value
            return reply

        login = action([("Action", "Login"), ("Username", env.get("AMI_USER", "vitrina")),
                        ("Secret", env.get("AMI_SECRET", ""))])
        if login.get("Response") != "Success":
            raise RuntimeError("AMI login refused: " + login.get("Message", ""))
        reply = action([
            ("Action", "Originate"),
            ("ActionID", callback_id),
            ("Channel", env.get("OPERATORS_CHANNEL", "Local/operators@callback")),
            ("Context", env.get("OUTBOUND_CONTEXT", "callback-out")),
            ("Exten", phone),
            ("Priority", "1"),
            ("CallerID", env.get("CALLER_ID", "Shop <+70000000000>")),
            ("Timeout", "30000"),
            ("Variable", "VITRINA_CALLBACK_ID=" + callback_id),
            ("Async", "true"),
        ])
        action([("Action", "Logoff")])
        if reply.get("Response") != "Success":
            raise RuntimeError("AMI originate refused: " + reply.get("Message", ""))


def make_handler(secret, originate=ami_originate):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.send_response(413)
                self.end_headers()
                return
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            # Verify before parsing: a forged body is never read.
            if not verify(secret, headers, body):
                self.send_response(401)
                self.end_headers()
                return
            event = json.loads(body)
            data = event.get("data", {})
            if event.get("type") == "callback.requested" and data.get("status") == "new":
                phone = data.get("phone", "")
                callback_id = data.get("id", "")
                if not E164.match(phone) or not re.match(r"^cb_[0-9A-Za-z]+$", callback_id):
                    self.send_response(422)
                    self.end_headers()
                    return
                try:
                    originate(phone, callback_id)
                except Exception as e:  # Vitrina retries on a non-2xx answer
                    print(json.dumps({"level": "error", "msg": "originate failed", "callback": callback_id,
                                      "error": str(e)}), flush=True)
                    self.send_response(502)
                    self.end_headers()
                    return
                print(json.dumps({"level": "info", "msg": "originated", "callback": callback_id}), flush=True)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass  # one line per call above; never the phone number or the body

    return Handler


def main():
    secret = secret_bytes(os.environ["VITRINA_WEBHOOK_SECRET"])
    host, _, port = os.environ.get("LISTEN", "127.0.0.1:8088").rpartition(":")
    server = ThreadingHTTPServer((host, int(port)), make_handler(secret))
    print(json.dumps({"level": "info", "msg": "listening", "port": server.server_address[1]}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
