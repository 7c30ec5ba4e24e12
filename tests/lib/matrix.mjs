// Helpers for tests that ask many principals many questions (tests/e2e/authz-matrix.test.mjs):
// a stateless caller per principal, a bounded pool, named locks and a small ZIP reader.
import { inflateRawSync } from 'node:zlib';

// One principal's way of asking: nothing, a session cookie (with or without its CSRF token
// on writes) or a bearer API token. Unlike Client (server.mjs) it never changes its
// credentials from an answer's Set-Cookie, so many requests can share it.
export class Caller {
  constructor(base, { cookie = null, csrf = null, bearer = null, sendCsrf = true } = {}) {
    Object.assign(this, { base, cookie, csrf, bearer, sendCsrf });
  }

  // {method, path, body?, raw?, contentType?, headers?} → {status, headers, text, json, bytes}
  async call({ method = 'GET', path, body, raw, contentType, headers = {} }) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.cookie && this.sendCsrf && this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    let payload;
    if (raw !== undefined) {
      payload = raw;
      h['content-type'] = contentType ?? 'application/octet-stream';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = contentType ?? 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, headers: res.headers, text, json, bytes };
  }

  get(path) { return this.call({ path }); }
}

// Signs in and returns {caller, user, cookie, csrf}; throws unless the sign-in succeeds.
export async function signIn(base, email, password) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`sign-in ${email}: ${res.status} ${text}`);
  // The cookie's name as the server sets it (a __Host- prefix included).
  const m = /([\w-]*gmg_session)=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
  const json = JSON.parse(text);
  const cookie = `${m[1]}=${m[2]}`;
  return { caller: new Caller(base, { cookie, csrf: json.csrf_token }), user: json.user, cookie, csrf: json.csrf_token };
}

// Runs task(item) for every item, at most `width` at a time; resolves to the results in order.
export async function runPool(items, width, task) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

// Named mutual exclusion: `await locks.with('org:iom', fn)` runs fn alone among holders of that name.
export class Locks {
  constructor() { this.tails = new Map(); }

  async with(name, fn) {
    if (!name) return fn();
    const before = this.tails.get(name) ?? Promise.resolve();
    let release;
    const mine = new Promise((r) => { release = r; });
    const tail = before.then(() => mine);
    this.tails.set(name, tail);
    await before;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}

// The entries of a ZIP file (an XLSX workbook) as {name → Buffer}, read from the central directory.
export function unzip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a ZIP file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad ZIP central directory');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    out[name] = method === 8 ? inflateRawSync(data) : Buffer.from(data);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
