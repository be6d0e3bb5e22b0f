#!/usr/bin/env python3
"""Parley against a plain Node.js http server and workerd, in one run on this machine.

    bench/compare/compare.py --parley BUILD/parley --workerd PATH [--smoke] [--out DIR]

The same three functions (functions/*.js, each defines handle(payload)) run on every system:
  - Parley: `parley server`, each function created, deployed and invoked over HTTP with a bearer
    token (auth on, records written, the function in a runtime-worker process);
  - Node.js: one `http` server calling handle() directly (node_server.js);
  - workerd: one worker per function, each on its own socket.
Every system answers the same request body ({"headers":[],"payload":...}) with the same JSON, which
is checked before anything is measured. Servers run on CPU 0, wrk on CPU 1 (when there are two).

Measured: warm throughput and latency (wrk, keep-alive, fixed connections and duration), cold start
(a new function to its first response) for Parley and workerd, and RSS per loaded function with N
functions loaded (N=1000; Parley counts the server plus its runtime-worker children). Prints a
table of Parley/peer ratios and writes compare.json and compare.md to --out. Asserts nothing
about the figures: a failing system or a wrong answer is an error, a slow one is not.
"""
import argparse
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FUNCTIONS = ['trivial', 'template', 'transform']


# ---------------------------------------------------------------- inputs

def payloads():
    rnd = random.Random(8)
    names = ['Ada', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Frances', 'Edsger', 'Radia']
    cities = ['Zürich', 'Lisbon', 'Osaka', 'Toronto', 'Nairobi', 'São Paulo', 'Oslo', 'Austin']
    rows = [{'id': i + 1, 'name': '%s <%s> & co' % (rnd.choice(names), rnd.choice(names)),
             'email': '%s%d@example.com' % (rnd.choice(names).lower(), i), 'city': rnd.choice(cities),
             'amount': round(rnd.uniform(1, 5000), 2), 'active': rnd.random() < 0.7} for i in range(20)]
    orders = []
    countries = ['CH', 'PT', 'JP', 'CA', 'KE', 'BR', 'NO', 'US', 'DE', 'IN']
    i = 0
    while len(json.dumps({'orders': orders})) < 50 * 1024:
        cid = rnd.randrange(60)
        orders.append({
            'id': 'ord-%05d' % i, 'status': rnd.choice(['open', 'shipped', 'cancelled', 'open']),
            'createdAt': '2026-11-%02dT%02d:%02d:00Z' % (rnd.randrange(1, 29), rnd.randrange(24), rnd.randrange(60)),
            'customer': {'id': 'c%03d' % cid, 'name': 'customer %d' % cid, 'country': countries[cid % 10]},
            'items': [{'sku': 'sku-%d' % rnd.randrange(1000), 'qty': rnd.randrange(1, 5),
                       'price': round(rnd.uniform(0.5, 300), 2)} for _ in range(rnd.randrange(1, 4))],
            'tags': rnd.sample(['gift', 'internal', 'express', 'b2b', 'promo'], 2)})
        i += 1
    orders.pop()
    return {'trivial': {'n': 41}, 'template': {'title': 'Quarterly <accounts> & totals', 'rows': rows},
            'transform': {'orders': orders}}


def body_of(payload):
    return json.dumps({'headers': [], 'payload': payload}, separators=(',', ':'))


def source(fn):
    with open(os.path.join(HERE, 'functions', fn + '.js')) as f:
        return f.read()


# ---------------------------------------------------------------- processes and HTTP

class Proc:
    def __init__(self, argv, cpus, log, env=None, cwd=None):
        self.log = open(log, 'wb')
        self.p = subprocess.Popen(['taskset', '-c', cpus] + argv, stdout=self.log, stderr=subprocess.STDOUT,
                                  env=env, cwd=cwd, start_new_session=True)

    def stop(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGTERM)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, signal.SIGKILL)
                self.p.wait()
        self.log.close()

    def rss_kib(self, with_children=False):
        pids = [self.p.pid]
        if with_children:
            pids += descendants(self.p.pid)
        return sum(rss_kib(p) for p in pids)


def descendants(pid):
    out = []
    try:
        for tid in os.listdir('/proc/%d/task' % pid):
            with open('/proc/%d/task/%s/children' % (pid, tid)) as f:
                for c in f.read().split():
                    out.append(int(c))
                    out += descendants(int(c))
    except OSError:
        pass
    return out


def rss_kib(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            m = re.search(r'^VmRSS:\s+(\d+) kB', f.read(), re.M)
            return int(m.group(1)) if m else 0
    except OSError:
        return 0


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if proc.p.poll() is not None:
            sys.exit('%s exited during start-up (see %s)' % (what, proc.log.name))
        try:
            socket.create_connection(('127.0.0.1', port), 0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    sys.exit('%s did not listen on %d within %ds' % (what, port, timeout))


class Client:
    """One keep-alive HTTP connection."""

    def __init__(self, port, token=None):
        self.c = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
        self.token = token

    def call(self, method, path, body=None, expect=200):
        headers = {'Content-Type': 'application/json'}
        if self.token:
            headers['Authorization'] = 'Bearer ' + self.token
        data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
        self.c.request(method, path, body=data, headers=headers)
        r = self.c.getresponse()
        text = r.read()
        if r.status != expect:
            sys.exit('%s %s answered %d: %s' % (method, path, r.status, text[:300]))
        return text


# ---------------------------------------------------------------- the three systems

class Parley:
    name = 'Parley'

    def __init__(self, binary, tmp, cpus, tag):
        self.data = os.path.join(tmp, 'parley-' + tag)
        os.makedirs(self.data)
        env = dict(os.environ, PARLEY_ADMIN_PASSWORD='bench-password')
        self.proc = Proc([binary, 'server', '--listen', '127.0.0.1:0', '--data-dir', self.data,
                          '--max-concurrent-invocations', '100000',
                          '--max-invocations-per-second', '100000000',
                          '--max-functions-per-account', '100000'],
                         cpus, os.path.join(tmp, 'parley-%s.log' % tag), env=env)
        info = os.path.join(self.data, 'server.json')
        end = time.time() + 60
        while not os.path.exists(info):
            if self.proc.p.poll() is not None or time.time() > end:
                sys.exit('parley server did not start (see %s)' % self.proc.log.name)
            time.sleep(0.02)
        time.sleep(0.05)
        with open(info) as f:
            url = json.load(f)['url']
        self.port = int(url.rsplit(':', 1)[1].strip('/'))
        c = Client(self.port)
        self.token = json.loads(c.call('POST', '/api/v1/auth/login',
                                       {'username': 'admin', 'password': 'bench-password'}))['token']
        self.client = Client(self.port, self.token)
        self.fns = '/api/v1/accounts/default/functions'

    @staticmethod
    def code(fn_source):
        return fn_source + '\nasync function lambda(input) { return handle(input.payload); }\n'

    def add(self, name, fn_source, deploy=True, one_request=False):
        """Create the function; deploy it with a second request, or in the same one
        (one_request: POST /functions?deploy=true)."""
        path = self.fns + ('?deploy=true' if one_request else '')
        self.client.call('POST', path, {'name': name, 'code': self.code(fn_source)}, expect=201)
        if deploy and not one_request:
            self.client.call('POST', '%s/%s/deploy' % (self.fns, name))

    def path(self, name):
        return '%s/%s/invoke' % (self.fns, name)

    def headers(self):
        return {'Authorization': 'Bearer ' + self.token}

    def rss_kib(self):
        return self.proc.rss_kib(with_children=True)


NODE_SERVER = r'''
const http = require('http');
const fns = {};
for (const [name, file] of JSON.parse(process.env.FUNCTIONS)) fns['/' + name] = require(file).handle;
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const fn = fns[req.url];
    if (!fn) { res.writeHead(404); res.end(); return; }
    let out;
    try {
      out = JSON.stringify(fn(JSON.parse(Buffer.concat(chunks).toString()).payload));
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: String(e) }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(out);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
'''


class Node:
    name = 'Node.js'

    def __init__(self, tmp, cpus, functions, tag):
        d = os.path.join(tmp, 'node-' + tag)
        os.makedirs(d)
        files = []
        for name, src in functions:
            path = os.path.join(d, name + '.js')
            with open(path, 'w') as f:
                f.write(src + '\nmodule.exports = { handle };\n')
            files.append([name, path])
        with open(os.path.join(d, 'server.js'), 'w') as f:
            f.write(NODE_SERVER)
        self.port = free_port()
        env = dict(os.environ, PORT=str(self.port), FUNCTIONS=json.dumps(files))
        self.proc = Proc(['node', os.path.join(d, 'server.js')], cpus, os.path.join(tmp, 'node-%s.log' % tag), env=env)
        wait_port(self.port, self.proc, 'node')

    def path(self, name):
        return '/' + name

    def headers(self):
        return {}

    def rss_kib(self):
        return self.proc.rss_kib()


WORKER_WRAPPER = '''
export default {
  async fetch(request) {
    const body = await request.json();
    return new Response(JSON.stringify(handle(body.payload)), { headers: { 'Content-Type': 'application/json' } });
  },
};
'''
ROUTER = '''
export default {
  async fetch(request, env) {
    const name = new URL(request.url).pathname.slice(1);
    const target = env[name];
    return target ? target.fetch(request) : new Response('no such worker', { status: 404 });
  },
};
'''
LOADER = '''
let n = 0;
export default {
  async fetch(request, env) {
    const code = await request.text();
    const worker = env.LOADER.get('fn' + n++, async () => ({
      compatibilityDate: '2025-06-01', mainModule: 'worker.js', modules: { 'worker.js': code } }));
    return worker.getEntrypoint().fetch(new Request('http://fn/', { method: 'POST', body: '{"headers":[],"payload":{"n":41}}' }));
  },
};
'''


class Workerd:
    """workerd with one worker per function, each on its own socket (ports), or behind a router
    worker with a service binding per function (router=True, one port), plus a loader worker for
    cold starts (loader=True)."""
    name = 'workerd'

    def __init__(self, binary, tmp, cpus, functions, tag, router=False, loader=False):
        d = os.path.join(tmp, 'workerd-' + tag)
        os.makedirs(d)
        services, sockets, bindings = [], [], []
        self.ports = {}
        for name, src in functions:
            with open(os.path.join(d, name + '.js'), 'w') as f:
                f.write(src + WORKER_WRAPPER)
            services.append('(name = "%s", worker = (modules = [(name = "worker.js", esModule = embed "%s.js")], '
                            'compatibilityDate = "2025-06-01"))' % (name, name))
            if router:
                bindings.append('(name = "%s", service = "%s")' % (name, name))
            else:
                self.ports[name] = free_port()
                sockets.append('(name = "s-%s", address = "127.0.0.1:%d", http = (), service = "%s")'
                               % (name, self.ports[name], name))
        if router:
            with open(os.path.join(d, 'router.js'), 'w') as f:
                f.write(ROUTER)
            services.append('(name = "router", worker = (modules = [(name = "router.js", esModule = embed "router.js")], '
                            'compatibilityDate = "2025-06-01", bindings = [%s]))' % ', '.join(bindings))
            self.router_port = free_port()
            sockets.append('(name = "router", address = "127.0.0.1:%d", http = (), service = "router")' % self.router_port)
        if loader:
            with open(os.path.join(d, 'loader.js'), 'w') as f:
                f.write(LOADER)
            services.append('(name = "loader", worker = (modules = [(name = "loader.js", esModule = embed "loader.js")], '
                            'compatibilityDate = "2025-06-01", compatibilityFlags = ["experimental"], '
                            'bindings = [(name = "LOADER", workerLoader = (id = "dynamic"))]))')
            self.loader_port = free_port()
            sockets.append('(name = "loader", address = "127.0.0.1:%d", http = (), service = "loader")' % self.loader_port)
        with open(os.path.join(d, 'config.capnp'), 'w') as f:
            f.write('using Workerd = import "/workerd/workerd.capnp";\n'
                    'const config :Workerd.Config = (\n  services = [\n    %s\n  ],\n  sockets = [\n    %s\n  ],\n);\n'
                    % (',\n    '.join(services), ',\n    '.join(sockets)))
        self.proc = Proc([binary, 'serve', '--experimental', os.path.join(d, 'config.capnp')], cpus,
                         os.path.join(tmp, 'workerd-%s.log' % tag), cwd=d)
        for port in list(self.ports.values()) + ([self.router_port] if router else []) + \
                ([self.loader_port] if loader else []):
            wait_port(port, self.proc, 'workerd', timeout=300)

    def path(self, name):
        return '/'

    def headers(self):
        return {}

    def port_of(self, name):
        return self.ports[name]

    def rss_kib(self):
        return self.proc.rss_kib(with_children=True)


# ---------------------------------------------------------------- measurements

def run_wrk(port, path, body, headers, args, tmp, label):
    script = os.path.join(tmp, 'wrk-%s.lua' % label)
    body_file = os.path.join(tmp, 'body-%s.json' % label)
    with open(body_file, 'w') as f:
        f.write(body)
    with open(script, 'w') as f:
        f.write('local f = io.open("%s", "rb")\nwrk.body = f:read("*a")\nf:close()\n' % body_file)
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
        for k, v in headers.items():
            f.write('wrk.headers["%s"] = "%s"\n' % (k, v))
    cmd = ['taskset', '-c', args.client_cpus, 'wrk', '-t1', '-c%d' % args.connections, '-d' + args.duration,
           '--latency', '-s', script, 'http://127.0.0.1:%d%s' % (port, path)]
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

    def lat(p):
        m = re.search(r'^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$' % p, text, re.M)
        return float(m.group(1)) * {'us': 1, 'ms': 1000, 's': 1e6}[m.group(2)]
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', text).group(1))
    bad = re.search(r'Non-2xx or 3xx responses: (\d+)', text)
    errs = re.search(r'Socket errors: (.*)', text)
    if bad or errs:
        sys.exit('wrk saw errors against %s: %s' % (label, text))
    return {'rps': rps, 'p50_us': lat(50), 'p99_us': lat(99)}


def warm(args, tmp, bodies, expected, parley_bin, workerd_bin):
    """Throughput and latency, each system with its three functions warm."""
    fns = [(f, source(f)) for f in FUNCTIONS]
    p = Parley(parley_bin, tmp, args.server_cpus, 'warm')
    n = Node(tmp, args.server_cpus, fns, 'warm') if 'node' in args.systems else None
    w = Workerd(workerd_bin, tmp, args.server_cpus, fns, 'warm') if workerd_bin and 'workerd' in args.systems else None
    results = {}
    try:
        for f, src in fns:
            p.add(f, src)
        systems = [('parley', p, p.port, p.path)] if 'parley' in args.systems else []
        if n:
            systems.append(('node', n, n.port, n.path))
        if w:
            systems.append(('workerd', w, None, w.path))
        for f in FUNCTIONS:
            if args.function and f != args.function:
                continue
            results[f] = {}
            for key, s, port, path in systems:
                port = port or w.port_of(f)
                c = Client(port, getattr(s, 'token', None))
                for _ in range(args.warmup):
                    got = json.loads(c.call('POST', path(f), bodies[f]))
                if got != expected[f]:
                    sys.exit('%s answered %s differently: %s' % (s.name, f, json.dumps(got)[:300]))
                results[f][key] = run_wrk(port, path(f), bodies[f], s.headers(), args, tmp, '%s-%s' % (key, f))
                print('  %-9s %-8s %8.0f req/s  p50 %7.0f µs  p99 %7.0f µs' % (
                    f, key, results[f][key]['rps'], results[f][key]['p50_us'], results[f][key]['p99_us']), flush=True)
    finally:
        for s in (p, n, w):
            if s:
                s.proc.stop()
    return results


def cold(args, tmp, parley_bin, workerd_bin):
    """A new function to its first response. Parley: create with ?deploy=true (code in the
    request, saved and deployed in it) and the first invoke, two requests on one keep-alive
    connection; also create, deploy and invoke as three requests, and deploy + invoke of code
    already saved. workerd: one request to a loader worker that loads a new worker (a new
    isolate, the code compiled) through the Worker Loader API and forwards the request to it.

    Two pacings, the same for both systems: back to back (each sample starts as soon as the last
    one answered: a server saturated with new code) and paced (args.cold_gap_ms of quiet before
    each sample, outside the timed part: new code arriving at a server that is not busy with
    other new code, as deploys do). Parley builds its sandboxes ahead of time in quiet moments,
    so the two differ for it; they show what that buys and what it costs when there is no
    quiet."""
    out = {}
    n = itertools.count(1)  # a new function (worker) per sample, across both systems' runs
    p = Parley(parley_bin, tmp, args.server_cpus, 'cold')
    try:
        for key, one_request in (('parley_', True), ('parley_3req_', False)):
            def create_and_invoke(i, one_request=one_request):
                p.add('cold%d' % i, 'function handle(payload) { return { ok: true, n: payload.n, v: %d }; }' % i,
                      one_request=one_request)
                return json.loads(p.client.call('POST', p.path('cold%d' % i), body_of({'n': 41})))
            for mode, s in cold_samples(args, n, lambda i: None, create_and_invoke,
                                        lambda i: {'ok': True, 'n': 41, 'v': i}).items():
                out[key + mode] = s

        # Deploy + first invoke only, the part comparable to loading a worker; created untimed.
        def create(i):
            p.add('cold%d' % i, 'function handle(payload) { return { ok: true, n: payload.n, w: %d }; }' % i,
                  deploy=False)

        def deploy_and_invoke(i):
            p.client.call('POST', '%s/cold%d/deploy' % (p.fns, i))
            return json.loads(p.client.call('POST', p.path('cold%d' % i), body_of({'n': 41})))
        for mode, s in cold_samples(args, n, create, deploy_and_invoke,
                                    lambda i: {'ok': True, 'n': 41, 'w': i}).items():
            out['parley_deploy_' + mode] = s
    finally:
        p.proc.stop()
    if workerd_bin and 'workerd' in args.systems:
        w = Workerd(workerd_bin, tmp, args.server_cpus, [], 'cold', loader=True)
        try:
            c = Client(w.loader_port)

            def load_and_answer(i):
                src = 'function handle(payload) { return { ok: true, n: payload.n, v: %d }; }' % i
                return json.loads(c.call('POST', '/', src + WORKER_WRAPPER))
            for mode, s in cold_samples(args, itertools.count(1), lambda i: None, load_and_answer,
                                        lambda i: {'ok': True, 'n': 41, 'v': i}).items():
                out['workerd_' + mode] = s
        finally:
            w.proc.stop()
    return out


def cold_samples(args, numbers, prepare, timed, expected):
    """args.cold samples in each pacing ('b2b': none, 'paced': args.cold_gap_ms of quiet before
    each). Sample i (from `numbers`): prepare(i) untimed, the quiet, then timed(i), whose answer
    must equal expected(i). Returns {pacing: summary}."""
    out = {}
    for mode, gap in (('b2b', 0.0), ('paced', args.cold_gap_ms / 1000.0)):
        ms = []
        for _ in range(args.cold):
            i = next(numbers)
            prepare(i)
            time.sleep(gap)
            t0 = time.perf_counter()
            got = timed(i)
            ms.append((time.perf_counter() - t0) * 1000)
            assert got == expected(i), got
        out[mode] = summary(ms)
    return out


def summary(ms):
    ms = sorted(ms)
    return {'p50_ms': statistics.median(ms), 'max_ms': ms[-1], 'n': len(ms)}


def memory(args, tmp, parley_bin, workerd_bin):
    """RSS per loaded function: (RSS with N distinct functions loaded and invoked once − RSS with
    none) / N. Each function is the trivial one with a distinct constant."""
    n = args.functions
    srcs = [('f%d' % i, 'function handle(payload) { return { ok: true, n: payload.n, i: %d }; }' % i)
            for i in range(n)]
    out = {}

    def settle():
        time.sleep(1.0)

    p = Parley(parley_bin, tmp, args.server_cpus, 'mem')
    try:
        settle()
        base = p.rss_kib()
        for name, src in srcs:
            p.add(name, src)
            p.client.call('POST', p.path(name), body_of({'n': 1}))
        settle()
        total = p.rss_kib()
        out['parley'] = {'base_kib': base, 'loaded_kib': total, 'per_function_kib': (total - base) / n}
    finally:
        p.proc.stop()

    def peer(key, make, port_of):
        empty = make([], 'mem0')
        settle()
        base = empty.rss_kib()
        empty.proc.stop()
        s = make(srcs, 'mem')
        try:
            c = Client(port_of(s))
            for name, _ in srcs:
                c.call('POST', '/' + name, body_of({'n': 1}))
            settle()
            total = s.rss_kib()
            out[key] = {'base_kib': base, 'loaded_kib': total, 'per_function_kib': (total - base) / n}
        finally:
            s.proc.stop()

    if 'node' in args.systems:
        peer('node', lambda fns, tag: Node(tmp, args.server_cpus, fns, tag), lambda s: s.port)
    if workerd_bin and 'workerd' in args.systems:
        peer('workerd', lambda fns, tag: Workerd(workerd_bin, tmp, args.server_cpus, fns, tag, router=True),
             lambda s: s.router_port)
    return out


# ---------------------------------------------------------------- report

def table(res, args):
    lines = []
    peers = [k for k in ('node', 'workerd') if k in res['warm'][FUNCTIONS[0]]]
    names = {'parley': 'Parley', 'node': 'Node.js', 'workerd': 'workerd'}
    head = '| function | system | req/s | p50 µs | p99 µs |'
    lines += [head, '|---|---|---|---|---|']
    for f in FUNCTIONS:
        for k in ['parley'] + peers:
            r = res['warm'][f][k]
            lines.append('| %s | %s | %.0f | %.0f | %.0f |' % (f, names[k], r['rps'], r['p50_us'], r['p99_us']))
    lines += ['', '| Parley / peer | throughput (goal: ≥ 1.5 Node, ≥ 1.2 workerd) | p50 | p99 (goal: ≤ 1) |',
              '|---|---|---|---|']
    for f in FUNCTIONS:
        for k in peers:
            a, b = res['warm'][f]['parley'], res['warm'][f][k]
            lines.append('| %s vs %s | **%.2f** | %.2f | **%.2f** |' % (
                f, names[k], a['rps'] / b['rps'], a['p50_us'] / b['p50_us'], a['p99_us'] / b['p99_us']))
    c = res['cold']
    lines += ['', '| cold start, new function → first response (median of %d; max) | back to back ms | paced (%d ms quiet before each) ms |' % (args.cold, args.cold_gap_ms),
              '|---|---|---|']
    def cell(key):
        return '%.2f (max %.2f)' % (c[key]['p50_ms'], c[key]['max_ms'])
    lines += ['| Parley: create and deploy (one request: `?deploy=true`) + first invoke (2 requests) | %s | %s |' % (cell('parley_b2b'), cell('parley_paced')),
              '| Parley: create, deploy, first invoke (3 requests) | %s | %s |' % (cell('parley_3req_b2b'), cell('parley_3req_paced')),
              '| Parley: deploy + first invoke (code already saved) | %s | %s |' % (cell('parley_deploy_b2b'), cell('parley_deploy_paced'))]
    if 'workerd_b2b' in c:
        def ratio(a, b):
            return c[a]['p50_ms'] / c[b]['p50_ms']
        lines += ['| workerd: Worker Loader, new worker + first response (1 request) | %s | %s |' % (cell('workerd_b2b'), cell('workerd_paced')),
                  '| ratio Parley create?deploy=true + invoke / workerd (goal: ≤ 0.5) | **%.2f** | **%.2f** |' % (
                      ratio('parley_b2b', 'workerd_b2b'), ratio('parley_paced', 'workerd_paced')),
                  '| ratio Parley create, deploy, invoke (3 requests) / workerd | %.2f | %.2f |' % (
                      ratio('parley_3req_b2b', 'workerd_b2b'), ratio('parley_3req_paced', 'workerd_paced')),
                  '| ratio Parley deploy+invoke / workerd | %.2f | %.2f |' % (
                      ratio('parley_deploy_b2b', 'workerd_b2b'), ratio('parley_deploy_paced', 'workerd_paced'))]
    m = res['memory']
    lines += ['', '| RSS with %d functions loaded | baseline MiB | loaded MiB | KiB per function |' % args.functions,
              '|---|---|---|---|']
    for k in ['parley'] + peers:
        if k in m:
            r = m[k]
            lines.append('| %s | %.1f | %.1f | %.0f |' % (names[k], r['base_kib'] / 1024, r['loaded_kib'] / 1024, r['per_function_kib']))
    for k in peers:
        if k in m:
            lines.append('| ratio Parley / %s | | | %.2f |' % (names[k], m['parley']['per_function_kib'] / m[k]['per_function_kib']))
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--parley', required=True)
    ap.add_argument('--workerd', default='')
    ap.add_argument('--out', default='.')
    ap.add_argument('--smoke', action='store_true')
    ap.add_argument('--duration', default='10s')
    ap.add_argument('--connections', type=int, default=32)
    ap.add_argument('--functions', type=int, default=1000)
    ap.add_argument('--cold', type=int, default=20)
    ap.add_argument('--cold-gap-ms', type=int, default=20,
                    help='quiet before each paced cold-start sample (both systems)')
    ap.add_argument('--only', default='', help='comma list of phases: warm,cold,memory')
    ap.add_argument('--systems', default='parley,node,workerd',
                    help='comma list of the systems measured (e.g. parley alone, to compare two '
                         'builds; no ratios are printed then). Parley\'s cold start and memory '
                         'are measured whatever the list; the peers\' only when listed')
    ap.add_argument('--function', default='', help='the warm phase on this function only')
    args = ap.parse_args()
    args.systems = set(args.systems.split(','))
    args.warmup = 200
    if args.smoke:
        args.duration, args.connections, args.functions, args.cold, args.warmup = '1s', 4, 5, 2, 3
    cores = os.cpu_count()
    args.server_cpus, args.client_cpus = ('0', '1') if cores >= 2 else ('0', '0')
    for tool in ('wrk', 'taskset', 'node'):
        if not shutil.which(tool):
            sys.exit('%s is needed' % tool)
    args.parley = os.path.abspath(args.parley)
    workerd = os.path.abspath(args.workerd) if args.workerd and os.access(args.workerd, os.X_OK) else ''
    if not workerd:
        print('workerd is not available: comparing against Node.js only', file=sys.stderr)
    pl = payloads()
    bodies = {f: body_of(pl[f]) for f in FUNCTIONS}
    expected = {}
    for f in FUNCTIONS:  # the reference answer: the function run by Node directly
        js = source(f) + '\nprocess.stdout.write(JSON.stringify(handle(JSON.parse(require("fs").readFileSync(0)).payload)));'
        expected[f] = json.loads(subprocess.run(['node', '-e', js], input=bodies[f], capture_output=True,
                                                text=True, check=True).stdout)
    phases = set((args.only or 'warm,cold,memory').split(','))
    tmp = tempfile.mkdtemp(prefix='parley-compare-')
    res = {'machine': {'cores': cores, 'server_cpus': args.server_cpus, 'client_cpus': args.client_cpus},
           'wrk': {'connections': args.connections, 'duration': args.duration, 'threads': 1},
           'body_bytes': {f: len(bodies[f]) for f in FUNCTIONS}, 'functions_loaded': args.functions}
    try:
        print('== warm (wrk -t1 -c%d -d%s, servers on CPU %s, wrk on CPU %s)' % (
            args.connections, args.duration, args.server_cpus, args.client_cpus), flush=True)
        res['warm'] = warm(args, tmp, bodies, expected, args.parley, workerd) if 'warm' in phases else None
        print('== cold start (%d samples)' % args.cold, flush=True)
        res['cold'] = cold(args, tmp, args.parley, workerd) if 'cold' in phases else None
        print('== memory (%d functions)' % args.functions, flush=True)
        res['memory'] = memory(args, tmp, args.parley, workerd) if 'memory' in phases else None
    except BaseException:
        print('logs kept in %s' % tmp, file=sys.stderr)
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'compare.json'), 'w') as f:
        json.dump(res, f, indent=1)
    if phases == {'warm', 'cold', 'memory'} and len(args.systems) == 3 and not args.function:
        md = table(res, args)
        with open(os.path.join(args.out, 'compare.md'), 'w') as f:
            f.write(md + '\n')
        print('\n' + md)
    else:
        print(json.dumps(res, indent=1))


if __name__ == '__main__':
    main()
