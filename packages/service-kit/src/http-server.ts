import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * Readiness with the reasons behind it. `details` are lines for operators (what is wrong, since
 * when, what to do); they are shown whatever `ready` is, so a service can stay ready while it
 * reports a stall. They never carry personal data.
 */
export interface Readiness {
  readonly ready: boolean;
  readonly details?: readonly string[];
}

export interface HealthChecks {
  /** The process is alive and not wedged. */
  live(): boolean;
  /** The service is connected and consuming; a load balancer may send it work. */
  ready(): boolean | Readiness | Promise<boolean | Readiness>;
}

function readinessBody(r: boolean | Readiness): { ok: boolean; body: string } {
  const { ready, details = [] } = typeof r === 'boolean' ? { ready: r } : r;
  return { ok: ready, body: `${ready ? 'ready' : 'not ready'}\n${details.map((d) => `${d}\n`).join('')}` };
}

/** Serves /healthz, /readyz (first line `ready` or `not ready`, then one line per detail) and /metrics (Prometheus text format). */
export async function startHttpServer(port: number, registry: Registry, health: HealthChecks): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (path === '/healthz') return reply(health.live() ? 200 : 503, health.live() ? 'ok\n' : 'not live\n');
    if (path === '/readyz') {
      Promise.resolve(health.ready())
        .then((r) => {
          const { ok, body } = readinessBody(r);
          reply(ok ? 200 : 503, body);
        })
        .catch(() => reply(503, 'not ready\n'));
      return;
    }
    if (path === '/metrics') {
      registry
        .metrics()
        .then((text) => reply(200, text, registry.contentType))
        .catch((e: Error) => reply(500, `metrics failed: ${e.message}\n`));
      return;
    }
    reply(404, 'not found: try /healthz, /readyz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
