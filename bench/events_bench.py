"""Driver of bench/events.sh: starts `parley server` on a temporary data directory, measures
durable ingestion with wrk and publish -> webhook latency with a local sink."""
import http.client, http.server, json, os, re, shutil, signal, statistics, subprocess, sys
import tempfile, threading, time

build, smoke = sys.argv[1], sys.argv[2] == "1"
duration = "1s" if smoke else "10s"
connections = 4 if smoke else 32
latency_events = 20 if smoke else 1000
latency_rate = 100 if smoke else 200  # events/s offered while measuring latency

data = tempfile.mkdtemp(prefix="parley-events-bench-")
out_dir = os.path.join(build, "bench", "out")
os.makedirs(out_dir, exist_ok=True)
cores = os.cpu_count() or 1
server_cpus = "0" if cores < 2 else f"0-{cores - 2}"
client_cpus = "0" if cores < 2 else str(cores - 1)
env = dict(os.environ, PARLEY_ADMIN_PASSWORD="bench-password")
server = subprocess.Popen(
    ["taskset", "-c", server_cpus, os.path.join(build, "parley"), "server", "--listen",
     "127.0.0.1:0", "--data-dir", data, "--max-concurrent-invocations", "100000",
     "--max-invocations-per-second", "100000000"],
    env=env, stdout=open(os.path.join(data, "log"), "w"), stderr=subprocess.STDOUT)

arrivals = {}  # event id -> monotonic arrival time at the sink
arrivals_lock = threading.Lock()


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now = time.monotonic()
        try:
            event_id = json.loads(body).get("eventId")
        except ValueError:
            event_id = None
        with arrivals_lock:
            arrivals.setdefault(event_id, now)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
threading.Thread(target=sink.serve_forever, daemon=True).start()

try:
    for _ in range(600):
        if os.path.exists(os.path.join(data, "server.json")):
            break
        time.sleep(0.05)
    url = json.load(open(os.path.join(data, "server.json")))["url"]
    host, port = url[len("http://"):].split(":")
    conn = http.client.HTTPConnection(host, int(port))

    def api(method, path, body=None, content_type="application/json", token=None):
        headers = {"Content-Type": content_type}
        if token:
            headers["Authorization"] = "Bearer " + token
        conn.request(method, path, body if isinstance(body, (str, bytes)) or body is None
                     else json.dumps(body), headers)
        r = conn.getresponse()
        text = r.read()
        if r.status >= 300:
            raise SystemExit(f"{method} {path}: {r.status} {text[:300]!r}")
        return json.loads(text) if text else None

    token = api("POST", "/api/v1/auth/login", {"username": "admin", "password": "bench-password"})["token"]
    acct = "/api/v1/accounts/default"
    api("POST", acct + "/event-types", {"id": "bench.ingest"}, token=token)  # nothing bound
    api("POST", acct + "/event-types", {"id": "bench.latency"}, token=token)
    api("POST", acct + "/functions", {"name": "deliver", "eventId": "bench.latency",
        "code": "async function lambda(input) { return { n: input.payload.n }; }"}, token=token)
    api("POST", acct + "/functions/deliver/deploy", token=token)
    api("PUT", acct + "/settings",
        {"resultWebhookUrl": f"http://127.0.0.1:{sink.server_address[1]}/hook"}, token=token)

    # 1. Publish -> delivery latency at a steady offered rate, one event per request, measured
    # first, on an empty queue (the ingestion runs below leave a backlog of undelivered events).
    sent = {}
    interval = 1.0 / latency_rate
    start = time.monotonic()
    for i in range(latency_events):
        target = start + i * interval
        delay = target - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        event_id = f"lat-{i}"
        sent[event_id] = time.monotonic()
        api("POST", acct + "/events", json.dumps({"specversion": "1.0", "id": event_id,
            "source": "bench", "type": "bench.latency", "subject": f"conv-{i % 50}",
            "data": {"n": i}}), "application/cloudevents+json", token)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with arrivals_lock:
            if all(k in arrivals for k in sent):
                break
        time.sleep(0.05)
    with arrivals_lock:
        lat_ms = sorted((arrivals[k] - t) * 1000 for k, t in sent.items() if k in arrivals)
    def pct(p):
        return lat_ms[min(len(lat_ms) - 1, int(round(p / 100 * (len(lat_ms) - 1))))] if lat_ms else float("nan")
    latency = {"events": latency_events, "delivered": len(lat_ms), "rate_per_s": latency_rate,
               "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": lat_ms[-1] if lat_ms else float("nan")}

    # 2. Durable ingestion with wrk: every request is a new event (ids from a per-thread counter).
    def run_wrk(name, batch):
        script = os.path.join(data, name + ".lua")
        with open(script, "w") as f:
            f.write(f"""
local counter = 0
local thread_id = tostring(math.random(1, 1e9))
local batch = {batch}
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer {token}"
wrk.headers["Content-Type"] = batch > 1 and "application/cloudevents-batch+json" or "application/cloudevents+json"
local function event()
  counter = counter + 1
  return '{{"specversion":"1.0","id":"' .. thread_id .. '-' .. counter ..
         '","source":"bench","type":"bench.ingest","subject":"s' .. (counter % 100) ..
         '","data":{{"n":' .. counter .. '}}}}'
end
request = function()
  if batch == 1 then return wrk.format(nil, "{acct}/events", nil, event()) end
  local parts = {{}}
  for i = 1, batch do parts[i] = event() end
  return wrk.format(nil, "{acct}/events", nil, "[" .. table.concat(parts, ",") .. "]")
end
""")
        text = subprocess.run(
            ["taskset", "-c", client_cpus, "wrk", "-t1", f"-c{connections}", f"-d{duration}",
             "--latency", "-s", script, url + acct + "/events"],
            check=True, capture_output=True, text=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        def lat(p):
            m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, text, re.M)
            return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
        return {"requests_per_s": rps, "events_per_s": rps * batch, "p50_ms": lat(50),
                "p99_ms": lat(99), "errors": int(non2xx.group(1)) if non2xx else 0}

    single = run_wrk("single", 1)
    batch = run_wrk("batch", 100)

    result = {"smoke": smoke, "cores": cores, "connections": connections, "duration": duration,
              "ingest_single": single, "ingest_batch_100": batch, "publish_to_webhook": latency}
    json.dump(result, open(os.path.join(out_dir, "events.json"), "w"), indent=2)
    print("\n== async events" + (" (smoke run: figures are meaningless)" if smoke else ""))
    print(f"durable ingestion, single events   {single['events_per_s']:10.0f} events/s  "
          f"(p50 {single['p50_ms']:.2f} ms, p99 {single['p99_ms']:.2f} ms per request, "
          f"{connections} connections, errors {single['errors']})")
    print(f"durable ingestion, batches of 100  {batch['events_per_s']:10.0f} events/s  "
          f"(p50 {batch['p50_ms']:.2f} ms, p99 {batch['p99_ms']:.2f} ms per request, errors {batch['errors']})")
    print(f"publish -> webhook latency         p50 {latency['p50_ms']:.1f} ms, p99 {latency['p99_ms']:.1f} ms, "
          f"max {latency['max_ms']:.1f} ms  ({latency['delivered']}/{latency_events} events at {latency_rate}/s)")
finally:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    sink.shutdown()
    shutil.rmtree(data, ignore_errors=True)
