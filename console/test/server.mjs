// Test support: the real `parley server` on a free port with a temporary data directory, and a
// small JSON client for setting up fixtures through the public API.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ADMIN_PASSWORD = 'operator-secret-1';

export async function startServer() {
  const binary = process.env.PARLEY_BINARY ?? path.resolve(import.meta.dirname, '../../build/parley');
  if (!fs.existsSync(binary)) throw new Error(`no parley binary at ${binary} (set PARLEY_BINARY)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-console-'));
  const child = spawn(binary, ['server', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--workers', '1'], {
    env: { ...process.env, PARLEY_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const info = path.join(dataDir, 'server.json');
  for (let i = 0; i < 400 && !fs.existsSync(info); i++) {
    if (child.exitCode !== null) throw new Error(`parley server exited: ${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const { url } = JSON.parse(fs.readFileSync(info, 'utf8'));
  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// A JSON client with a bearer token.
export function client(url, token = '') {
  const call = async (method, p, body) => {
    const res = await fetch(url + p, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  return {
    call,
    async login(username, password) {
      const r = await call('POST', '/api/v1/auth/login', { username, password });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
      return client(url, r.json.token);
    },
  };
}
