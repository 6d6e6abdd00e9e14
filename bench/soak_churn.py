"""soak_churn.py - the churn half of bench/soak.sh: conversations that drop
their connection and resume with their token on a new one, and staff
publishes through the API (login, read a flow, publish it with a changed
comment line, so each publish makes a new revision and a reload), until a
deadline. Prints one summary line; exit status 1 if anything failed.

Only the standard library and Debian's python3-websockets.
"""

import argparse
import asyncio
import http.client
import json
import sys
import time
import urllib.parse

import websockets


class Counts:
    def __init__(self):
        self.resumes = self.resume_failed = 0
        self.publishes = self.publish_failed = 0


async def recv_json(ws):
    return json.loads(await asyncio.wait_for(ws.recv(), 30))


async def resume_once(url, tenant, n):
    """Start, answer once, drop; reconnect, resume, answer once more, drop."""
    async with websockets.connect(url, max_size=None) as ws:
        await recv_json(ws)   # tenants
        await ws.send(json.dumps({"type": "start", "tenant": tenant}))
        step = await recv_json(ws)
        if step.get("type") != "step" or not step.get("choices"):
            raise RuntimeError("start: %r" % step)
        choice = step["choices"][n % len(step["choices"])]["id"]
        await ws.send(json.dumps({"type": "choose", "choice": choice}))
        step = await recv_json(ws)
        token = step["token"]
    async with websockets.connect(url, max_size=None) as ws:
        await recv_json(ws)
        await ws.send(json.dumps({"type": "resume", "token": token}))
        step = await recv_json(ws)
        if step.get("type") != "step":
            raise RuntimeError("resume: %r" % step)
        if step.get("can_back"):
            await ws.send(json.dumps({"type": "back"}))
            step = await recv_json(ws)
            if step.get("type") != "step":
                raise RuntimeError("back: %r" % step)


class StaffClient:
    def __init__(self, base, name, password):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.name, self.password = name, password
        self.cookie = self.csrf = None

    def request(self, method, path, body=None):
        h = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if self.cookie:
            h["Cookie"] = "lotse_staff=" + self.cookie
        if self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        c = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            c.request(method, path, body=data, headers=h)
            r = c.getresponse()
            raw = r.read()
            cookie = r.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0].split("=", 1)[1]
            return r.status, json.loads(raw) if raw else None
        finally:
            c.close()

    def login(self):
        status, body = self.request("POST", "/api/login",
                                    {"name": self.name, "password": self.password})
        if status != 200:
            raise RuntimeError("login: %s %r" % (status, body))
        self.csrf = body["csrf"]

    def publish(self, tenant, flow, n):
        status, cur = self.request("GET", "/api/flows/%s/%s" % (tenant, flow))
        if status == 401:
            self.login()
            status, cur = self.request("GET", "/api/flows/%s/%s" % (tenant, flow))
        if status != 200:
            raise RuntimeError("read: %s %r" % (status, cur))
        lines = [ln for ln in cur["yaml"].split("\n") if not ln.startswith("# soak ")]
        text = "\n".join(lines).rstrip("\n") + "\n# soak %d\n" % n
        status, body = self.request("PUT", "/api/flows/%s/%s" % (tenant, flow),
                                    {"yaml": text, "message": "soak %d" % n,
                                     "base_revision": cur["revision"],
                                     "base_hash": cur["hash"]})
        if status != 200:
            raise RuntimeError("publish: %s %r" % (status, body))


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--socket", required=True)
    p.add_argument("--staff", required=True)
    p.add_argument("--tenant", default="goslar")
    p.add_argument("--flow", default="main")
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--publish-every", type=float, default=30)
    p.add_argument("--resumers", type=int, default=4)
    p.add_argument("--user", default="soak")
    p.add_argument("--password", required=True)
    a = p.parse_args()
    deadline = time.monotonic() + a.seconds
    counts = Counts()
    errors = []

    async def resumer(k):
        n = k
        while time.monotonic() < deadline:
            try:
                await resume_once(a.socket, a.tenant, n)
                counts.resumes += 1
            except Exception as e:  # noqa: BLE001 - counted and reported
                counts.resume_failed += 1
                errors.append("resume: %s" % e)
            n += a.resumers
            await asyncio.sleep(0.2)

    async def publisher():
        staff = StaffClient(a.staff, a.user, a.password)
        await asyncio.to_thread(staff.login)
        n = 0
        while time.monotonic() + a.publish_every < deadline:
            await asyncio.sleep(a.publish_every)
            n += 1
            try:
                await asyncio.to_thread(staff.publish, a.tenant, a.flow, n)
                counts.publishes += 1
            except Exception as e:  # noqa: BLE001
                counts.publish_failed += 1
                errors.append("publish: %s" % e)

    await asyncio.gather(publisher(), *(resumer(k) for k in range(a.resumers)))
    for e in errors[:5]:
        print("soak_churn: " + e, file=sys.stderr)
    print("CHURN resumes=%d resume_failed=%d publishes=%d publish_failed=%d"
          % (counts.resumes, counts.resume_failed, counts.publishes, counts.publish_failed))
    return 1 if counts.resume_failed or counts.publish_failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
