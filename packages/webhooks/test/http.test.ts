import { createServer, type Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookHandler, type WebhookHandlerOptions } from '../src/index.js';
import { createNodeWebhookHandler } from '../src/node.js';
import { deliveryHeaders, fetchToNode, listen, PRODUCT_BODY, SECRET } from './helpers.js';

function makeOptions(seen: string[]): WebhookHandlerOptions {
  return {
    secret: ['retired-secret', SECRET],
    maxBodyBytes: 64 * 1024,
    on: {
      'product.created': (e) => {
        seen.push(`created:${e.payload.id}:${e.deliveryId}`);
      },
      'product.deleted': (e) => {
        seen.push(`deleted:${e.payload.id}`);
      },
      'product.updated': () => {
        throw new Error(`boom with ${SECRET}`);
      },
    },
    onPing: (p) => {
      seen.push(`ping:${p.webhookId}`);
    },
    fallback: (e) => {
      seen.push(`fallback:${e.topic}`);
    },
  };
}

const post = (url: string, body: string, headers: Record<string, string>) =>
  fetch(url, { method: 'POST', body, headers });

interface Target {
  name: string;
  url: string;
  seen: string[];
}
const targets: Target[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  const add = async (name: string, build: (seen: string[]) => Server) => {
    const seen: string[] = [];
    const server = build(seen);
    servers.push(server);
    targets.push({ name, url: await listen(server), seen });
  };
  await add('fetch handler', (seen) => fetchToNode(createWebhookHandler(makeOptions(seen))));
  await add('node:http adapter', (seen) => createServer(createNodeWebhookHandler(makeOptions(seen))));
  await add('express (no body parser)', (seen) => {
    const app = express();
    app.post('/hooks', createNodeWebhookHandler(makeOptions(seen)));
    return createServer(app);
  });
  // The documented Express setup: route-level express.raw() ahead of a global express.json().
  await add('express.raw() route, express.json() elsewhere', (seen) => {
    const app = express();
    app.post(
      '/hooks',
      express.raw({ type: '*/*', limit: '64kb' }),
      createNodeWebhookHandler(makeOptions(seen)),
    );
    app.use(express.json());
    return createServer(app);
  });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe.each([0, 1, 2, 3])('over HTTP on 127.0.0.1: target %i', (i) => {
  const t = () => targets[i] as Target;
  const url = () => `${t().url}/hooks`;

  it('answers 200 to a delivery and runs its handler', async () => {
    const res = await post(url(), PRODUCT_BODY, deliveryHeaders(PRODUCT_BODY));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, kind: 'event', handled: true });
    expect(t().seen).toContain('created:794:8f3d1c5b2a7e4f6c9d0b1a2c3e4f5a6b');
  });

  it('answers 200 to the ping', async () => {
    const res = await post(url(), 'webhook_id=31', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(t().seen).toContain('ping:31');
  });

  it('answers 401 to a bad signature and runs nothing', async () => {
    const before = t().seen.length;
    const res = await post(url(), PRODUCT_BODY.replace('794', '795'), deliveryHeaders(PRODUCT_BODY));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_signature' });
    expect(t().seen.length).toBe(before);
  });

  it('answers 413 to an oversized body (declared length)', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(100_000) });
    const res = await post(url(), big, deliveryHeaders(big));
    expect(res.status).toBe(413);
  });

  it('sends unknown topics to the fallback', async () => {
    const body = '{"id":3}';
    const res = await post(url(), body, deliveryHeaders(body, 'booking.created'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, kind: 'unknown', handled: true });
    expect(t().seen).toContain('fallback:booking.created');
  });

  it('answers 500 when a handler throws, without its message', async () => {
    const body = PRODUCT_BODY;
    const res = await post(url(), body, deliveryHeaders(body, 'product.updated'));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('boom');
  });

  it('handles 60 concurrent deliveries, good and bad, each answered right', async () => {
    const jobs = Array.from({ length: 60 }, (_, n) => {
      const body = JSON.stringify({ id: 10_000 + n });
      switch (n % 4) {
        case 0:
          return post(url(), body, deliveryHeaders(body, 'product.deleted')).then((r) => [r.status, 200]);
        case 1:
          return post(url(), body, deliveryHeaders(body, 'product.deleted', 'wrong')).then((r) => [
            r.status,
            401,
          ]);
        case 2:
          return post(url(), `webhook_id=${n}`, { 'content-type': 'application/x-www-form-urlencoded' }).then(
            (r) => [r.status, 200],
          );
        default:
          return post(url(), body, {
            ...deliveryHeaders(body, 'product.deleted'),
            'content-type': 'text/plain',
          }).then((r) => [r.status, 415]);
      }
    });
    for (const [got, want] of await Promise.all(jobs)) expect(got).toBe(want);
    for (let n = 0; n < 60; n += 4) expect(t().seen).toContain(`deleted:${10_000 + n}`);
    expect(t().seen.filter((s) => s.startsWith('deleted:1000') || s.startsWith('deleted:100'))).toHaveLength(
      15,
    );
  });
});

describe('body limits on streamed bodies', () => {
  it.each([0, 1])('stops reading a chunked body over the limit (target %i)', async (i) => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${(targets[i] as Target).url}/hooks`, {
      method: 'POST',
      body: stream,
      headers: deliveryHeaders('{}'),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });
});

describe('misuse', () => {
  it('answers 405 to GET', async () => {
    for (const t of targets)
      expect((await fetch(`${t.url}/hooks`)).status).toBe(t.name.startsWith('express') ? 404 : 405);
  });

  it('refuses a body express.json() already parsed, saying how to mount the handler', async () => {
    const app = express();
    app.use(express.json());
    let message = '';
    app.post('/hooks', createNodeWebhookHandler({ secret: SECRET }));
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      message = err.message;
      res.status(500).end();
    });
    const server = createServer(app);
    const url = await listen(server);
    try {
      const res = await post(`${url}/hooks`, PRODUCT_BODY, deliveryHeaders(PRODUCT_BODY));
      expect(res.status).toBe(500);
      expect(message).toMatch(/express\.raw\(\)/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('needs a secret', () => {
    expect(() => createWebhookHandler({} as never)).toThrow(/secret/);
    expect(() => createNodeWebhookHandler({ secret: SECRET, on: { 'product.created': 5 as never } })).toThrow(
      /function/,
    );
  });
});
