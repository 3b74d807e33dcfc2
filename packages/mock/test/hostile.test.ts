import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, type RestartEvent, startMock } from '../dist/index.js';
import { basicAuth, groupAlive, waitFor } from './helpers.js';

// Small limits so that each hostile case gives up in well under a second; the defaults are in the README.
const limits = {
  maxBodyBytes: 64 * 1024,
  bodyTimeoutMs: 400,
  headersTimeoutMs: 400,
  maxHeaderBytes: 8 * 1024,
  maxConnections: 20,
};

interface Raw {
  text: string;
  status: number;
  body: Record<string, unknown> | undefined;
  /** Time from connect until the server closed the connection. */
  closedAfterMs: number;
}

/** Writes `parts` (strings or functions that write) on a raw connection and collects the answer until close. */
function raw(port: number, write: (socket: Socket) => void, giveUpMs = 15_000): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms; got: ${text.slice(0, 200)}`));
    }, giveUpMs);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const payload = text.split('\r\n\r\n')[1];
      let body: Record<string, unknown> | undefined;
      try {
        body = payload ? JSON.parse(payload) : undefined;
      } catch {
        body = undefined;
      }
      resolve({ text, status, body, closedAfterMs: performance.now() - started });
    });
    socket.on('connect', () => write(socket));
  });
}

const auth = basicAuth.Authorization;

describe('the mock under hostile requests (real Prism behind the front server)', () => {
  let mock: MockServer;
  const restarts: RestartEvent[] = [];

  beforeAll(async () => {
    mock = await startMock({ limits, onRestart: (e) => restarts.push(e) });
  }, 90_000);
  afterAll(() => mock?.stop());

  const alive = async (waitMs = 20_000) => {
    const res = await fetch(`${mock.apiUrl}/products/1`, {
      headers: basicAuth,
      signal: AbortSignal.timeout(waitMs),
    });
    await res.arrayBuffer();
    return res.status;
  };

  it('answers 400 to a URL that is not percent-encoded UTF-8 (Prism died of %FF), and stays up', async () => {
    for (const path of ['/products/%FF', '/products?search=%E0%A4', '/products?search=100%', '/products/%']) {
      const res = await fetch(`${mock.apiUrl}${path}`, {
        headers: basicAuth,
        signal: AbortSignal.timeout(20_000),
      });
      expect(res.status, path).toBe(400);
      const body = await res.json();
      expect(body).toMatchObject({ code: 'wooapi_invalid_url', data: { status: 400 } });
      expect(body.message).toMatch(/not valid percent-encoded UTF-8.*encodeURIComponent/);
    }
    // The message names the escape that fails, never the rest of the value (a credential, here).
    const secret = await fetch(`${mock.apiUrl}/products?consumer_secret=cs_live%41%FF`, {
      headers: basicAuth,
    });
    const { message } = await secret.json();
    expect(message).toContain('%41%FF');
    expect(message).not.toContain('cs_live');
    const absolute = await raw(mock.port, (s) =>
      s.write(
        `GET http://127.0.0.1/wp-json/wc/v3/products?consumer_secret=cs_live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect(absolute.status).toBe(400);
    expect(absolute.text).not.toContain('cs_live');
    expect(await alive()).toBe(200);
    expect(restarts).toEqual([]);
  });

  it('answers 400 rest_invalid_json, as WordPress does, to a body that is not JSON (Prism never answered)', async () => {
    const post = (body: BodyInit) =>
      fetch(`${mock.apiUrl}/products`, {
        method: 'POST',
        headers: { ...basicAuth, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(20_000),
      });
    const syntax = await post('{"name": "broken",,}');
    expect(syntax.status).toBe(400);
    expect(await syntax.json()).toEqual({
      code: 'rest_invalid_json',
      message: 'Invalid JSON body passed.',
      data: { status: 400, json_error_code: 4, json_error_message: 'Syntax error' },
    });
    const utf8 = await post(new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
    expect(utf8.status).toBe(400);
    expect(await utf8.json()).toMatchObject({ code: 'rest_invalid_json', data: { json_error_code: 5 } });
    // A valid body still reaches Prism, which checks it against the schema.
    const good = await post(JSON.stringify({ name: 'Fine', type: 'simple', regular_price: '1.00' }));
    expect(good.status).toBe(201);
    await good.arrayBuffer();
  });

  it('answers 413 to a body over limits.maxBodyBytes, declared or streamed, without reading it all', async () => {
    const declared = await raw(mock.port, (s) =>
      s.write(
        `POST /wp-json/wc/v3/products HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{"name":"',
      ),
    );
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ code: 'wooapi_request_too_large', data: { status: 413 } });
    // A client that would stream 1 GiB: the server answers once it is over the limit and closes, so only the
    // limit plus what the sockets buffer ever left the client.
    let sent = 0;
    const streamed = await raw(mock.port, (s) => {
      s.write(
        `POST /wp-json/wc/v3/products HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n` +
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      const chunk = `${(64 * 1024).toString(16)}\r\n${'a'.repeat(64 * 1024)}\r\n`;
      const pump = () => {
        while (!s.destroyed && sent < 1024 * 1024 * 1024) {
          sent += 64 * 1024;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
      };
      pump();
    });
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    expect(await alive()).toBe(200);
  });

  it('answers 431 to headers over limits.maxHeaderBytes', async () => {
    const res = await raw(mock.port, (s) =>
      s.write(`GET /wp-json/wc/v3/products HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`),
    );
    expect(res.status).toBe(431);
    expect(res.body).toMatchObject({ code: 'wooapi_headers_too_large', data: { status: 431 } });
  });

  it('answers 408 to a body slower than limits.bodyTimeoutMs, and to headers slower than limits.headersTimeoutMs', async () => {
    const slowBody = await raw(mock.port, (s) =>
      s.write(
        `POST /wp-json/wc/v3/products HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":',
      ),
    );
    expect(slowBody.status).toBe(408);
    expect(slowBody.body).toMatchObject({ code: 'wooapi_request_timeout' });
    expect(slowBody.closedAfterMs).toBeGreaterThanOrEqual(limits.bodyTimeoutMs - 50);
    const slowHead = await raw(mock.port, (s) =>
      s.write('GET /wp-json/wc/v3/products HTTP/1.1\r\nHost: x\r\n'),
    );
    expect(slowHead.status).toBe(408);
    expect(slowHead.body).toMatchObject({ code: 'wooapi_request_timeout' });
    // An idle connection that never sends a byte is closed too.
    const idle = await raw(mock.port, () => {});
    expect(idle.closedAfterMs).toBeLessThan(10_000);
    expect(await alive()).toBe(200);
  });

  it('restarts Prism when it dies anyway, reports the restart, and answers again', async () => {
    const before = mock.pid;
    const reported = new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (restarts.length > 0) {
          clearInterval(t);
          resolve();
        }
      }, 20);
    });
    process.kill(-before, 'SIGKILL');
    await reported;
    expect(restarts[0]).toMatchObject({ restarts: 1, gaveUp: false });
    // Requests sent meanwhile wait for the new Prism instead of failing (a start takes a while on a loaded box).
    expect(await alive(80_000)).toBe(200);
    expect(mock.restarts).toBe(1);
    expect(mock.pid).not.toBe(before);
    expect(await waitFor(() => !groupAlive(before), 10_000)).toBe(true);
    expect(groupAlive(mock.pid)).toBe(true);
  }, 120_000);

  it('stop() ends the restarted Prism too', async () => {
    const pid = mock.pid;
    await mock.stop();
    expect(groupAlive(pid)).toBe(false);
    await expect(fetch(`${mock.url}/`)).rejects.toThrow();
  });
});

describe('the mock under a flood of connections', () => {
  let mock: MockServer;
  // A long head deadline: what closes connections here is the connection limit alone.
  beforeAll(async () => {
    mock = await startMock({ limits: { maxConnections: 10, headersTimeoutMs: 60_000 } });
  }, 90_000);
  afterAll(() => mock?.stop());

  it('holds at most limits.maxConnections, closes the rest at once, and answers again once the flood is over', async () => {
    const open = (n: number) =>
      Array.from({ length: n }, () => {
        const socket = connect(mock.port, '127.0.0.1');
        const state = { socket, closed: false };
        socket.on('error', () => {});
        socket.on('close', () => {
          state.closed = true;
        });
        return state;
      });
    const flood = open(40);
    expect(await waitFor(() => flood.filter((c) => c.closed).length >= 30, 10_000)).toBe(true);
    // Still full: a newcomer is closed too, while the ten held ones stay open.
    const [late] = open(1);
    expect(await waitFor(() => late!.closed, 10_000)).toBe(true);
    expect(flood.filter((c) => !c.closed)).toHaveLength(10);
    for (const c of flood) c.socket.destroy();
    // The server frees the slots as it sees the closes: the first request after that is answered.
    let status = 0;
    const deadline = Date.now() + 20_000;
    while (status !== 200 && Date.now() < deadline) {
      status = await fetch(`${mock.apiUrl}/products/1`, {
        headers: basicAuth,
        signal: AbortSignal.timeout(20_000),
      })
        .then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        })
        .catch(() => 0);
    }
    expect(status).toBe(200);
  });
});

describe('startMock limits', () => {
  it('gives up after maxRestarts exits within a minute and answers 503 wooapi_mock_unavailable, saying why', async () => {
    const events: RestartEvent[] = [];
    const mock = await startMock({ maxRestarts: 0, onRestart: (e) => events.push(e) });
    try {
      const pid = mock.pid;
      process.kill(-pid, 'SIGKILL');
      expect(await waitFor(() => events.length > 0, 20_000)).toBe(true);
      expect(events[0]).toMatchObject({ restarts: 1, gaveUp: true });
      const res = await fetch(`${mock.apiUrl}/products/1`, {
        headers: basicAuth,
        signal: AbortSignal.timeout(20_000),
      });
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({ code: 'wooapi_mock_unavailable', data: { status: 503 } });
      expect(body.message).toMatch(/Prism exited 1 time\(s\) within a minute and was not started again/);
      expect(await waitFor(() => !groupAlive(pid), 10_000)).toBe(true);
    } finally {
      await mock.stop();
    }
  }, 60_000);

  it('answers 504 when Prism does not answer within limits.answerTimeoutMs (Prism frozen with SIGSTOP)', async () => {
    const mock = await startMock({ limits: { answerTimeoutMs: 3000 } });
    try {
      // Warm up first: Prism compiles a route's validators on its first request.
      const warm = await fetch(`${mock.apiUrl}/products/1`, { headers: basicAuth });
      await warm.arrayBuffer();
      process.kill(-mock.pid, 'SIGSTOP');
      const started = performance.now();
      const res = await fetch(`${mock.apiUrl}/products/1`, {
        headers: basicAuth,
        signal: AbortSignal.timeout(30_000),
      });
      const elapsed = performance.now() - started;
      expect(res.status).toBe(504);
      expect(await res.json()).toMatchObject({ code: 'wooapi_mock_timeout', data: { status: 504 } });
      expect(elapsed).toBeGreaterThanOrEqual(2900);
      process.kill(-mock.pid, 'SIGCONT');
      // Prism works through what queued while it was frozen, then answers in time again.
      let status = 0;
      const deadline = Date.now() + 30_000;
      while (status !== 200 && Date.now() < deadline) {
        const again = await fetch(`${mock.apiUrl}/products/1`, { headers: basicAuth });
        await again.arrayBuffer();
        status = again.status;
      }
      expect(status).toBe(200);
    } finally {
      try {
        process.kill(-mock.pid, 'SIGCONT');
      } catch {}
      await mock.stop();
    }
  }, 120_000);

  it('refuses a limit it does not know, or a value that is not a positive integer', async () => {
    await expect(startMock({ limits: { maxBody: 1 } as never })).rejects.toThrow(
      /limits.maxBody is not a limit/,
    );
    await expect(startMock({ limits: { bodyTimeoutMs: -1 } })).rejects.toThrow(
      /limits.bodyTimeoutMs must be a positive integer/,
    );
  });
});
