import { createServer, connect as netConnect } from 'node:net';
import { MetricsRegistry } from '@nara/plaza';
import { describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../src/broker.js';
import { startStatusServer } from '../src/http.js';
import { createLogger } from '../src/logger.js';
import { renderPrometheus } from '../src/prometheus.js';
import { Secret } from '../src/secret.js';

function capture(format: 'json' | 'pretty', secrets: string[] = [], level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    format,
    level,
    write: (l) => lines.push(l),
    secrets,
    color: false,
    clock: () => 0,
  });
  return { logger, lines };
}

describe('the logger', () => {
  it('writes one JSON object per line when not on a terminal', () => {
    const { logger, lines } = capture('json');
    logger.child({ nara: 'ana' }).info('connected', { broker: 'mqtt://127.0.0.1:1883' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      msg: 'connected',
      nara: 'ana',
      broker: 'mqtt://127.0.0.1:1883',
    });
  });

  it('writes readable text on a terminal', () => {
    const { logger, lines } = capture('pretty');
    logger.warn('disconnected', { attempt: 2, why: 'socket closed' });
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN {2}disconnected attempt=2 why="socket closed"\n$/);
  });

  it('drops lines below the level', () => {
    const { logger, lines } = capture('json');
    logger.debug('noise');
    logger.error('bad');
    expect(lines.map((l) => JSON.parse(l).level)).toEqual(['error']);
  });

  it('never prints a secret, whatever field, message or error it hides in', () => {
    const soul = '6iZE6ov6ids43ZDaW8cMaPwBmNtpTXYZqRNTaN8sJAr36UtoN2HnmQm';
    for (const format of ['json', 'pretty'] as const) {
      const { logger, lines } = capture(format, [soul, 'hunter2-pw'], 'debug');
      logger.info(`oops ${soul}`, {
        soul,
        password: 'hunter2-pw',
        nested: { deeper: { text: `x${soul}y` } },
        error: new Error(`failed with hunter2-pw`),
        secret: new Secret('another'),
        wrapped: new Secret(soul),
      });
      const all = lines.join('');
      expect(all).not.toContain(soul);
      expect(all).not.toContain('hunter2-pw');
      expect(all).not.toContain('another');
      expect(all).toContain('[redacted]');
    }
  });
});

describe('metrics', () => {
  it('renders counters with labels and gauges in the Prometheus text format', () => {
    const m = new MetricsRegistry();
    const c = m.counter('nara_envelopes_rejected_total', 'Rejected.', [{ reason: 'bad-signature' }]);
    c.inc({ reason: 'key-mismatch' });
    c.inc({ reason: 'key-mismatch' });
    m.gauge('nara_peers', 'Peers.', () => [{ labels: { state: 'ONLINE' }, value: 2 }]);
    expect(renderPrometheus(m)).toBe(
      [
        '# HELP nara_envelopes_rejected_total Rejected.',
        '# TYPE nara_envelopes_rejected_total counter',
        'nara_envelopes_rejected_total{reason="bad-signature"} 0',
        'nara_envelopes_rejected_total{reason="key-mismatch"} 2',
        '# HELP nara_peers Peers.',
        '# TYPE nara_peers gauge',
        'nara_peers{state="ONLINE"} 2',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values', () => {
    const m = new MetricsRegistry();
    m.counter('x_total', 'X.').inc({ v: 'a"b\\c\nd' });
    expect(renderPrometheus(m)).toContain('x_total{v="a\\"b\\\\c\\nd"} 1');
  });
});

describe('the embedded broker', () => {
  it('falls back to a free port when the preferred one is taken, and listens on loopback only', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    const broker = await startEmbeddedBroker({ preferredPort: taken });
    try {
      expect(broker.fellBack).toBe(true);
      expect(broker.port).not.toBe(taken);
      expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
      await new Promise<void>((resolve, reject) => {
        const socket = netConnect(broker.port, '127.0.0.1', () => {
          socket.destroy();
          resolve();
        });
        socket.on('error', reject);
      });
    } finally {
      await broker.close();
      blocker.close();
    }
  });
});

describe('the status server', () => {
  it('serves /peers, /metrics and /healthz, and nothing else', async () => {
    let ok = true;
    const server = await startStatusServer(
      { host: '127.0.0.1', port: 0 },
      { peers: () => [{ name: 'ana' }], metrics: () => 'x 1\n', health: () => ({ ok }) },
    );
    try {
      const peers = await fetch(`${server.url}/peers`);
      expect(peers.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await peers.json()).toEqual([{ name: 'ana' }]);
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
      expect(await metrics.text()).toBe('x 1\n');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      ok = false;
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
      expect((await fetch(`${server.url}/peers`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
