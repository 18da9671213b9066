import { describe, expect, it } from 'vitest';
import { isTransportError } from '../errors.js';
import type { SuiteContext } from '../testing.js';
import type { TransportEvent } from '../types.js';

/** Closing, errors, reconnecting and the will. */
export function lifecycleTests(context: SuiteContext): void {
  const { harness, prefix, create, connected, eventually, flush, expectReason } = context;
  describe('close', () => {
    it("rejects publish, subscribe and connect after close with 'closed'", async () => {
      const a = await connected();
      await a.close();
      await expectReason(a.publish(`${prefix()}/late`, new Uint8Array(1)), 'closed');
      await expectReason(
        a.subscribe(`${prefix()}/late`, () => {}),
        'closed',
      );
      await expectReason(a.connect(), 'closed');
    });

    it('is idempotent, including on a transport that never connected', async () => {
      const a = await connected();
      await Promise.all([a.close(), a.close()]);
      await a.close();
      const b = await create();
      await b.close();
      await b.close();
    });

    it('delivers a message published just before close (the chau is flushed)', async () => {
      const [a, b] = await Promise.all([connected(), connected()]);
      const topic = `${prefix()}/chau`;
      const got: number[] = [];
      await b.subscribe(topic, (m) => got.push(m.payload.length));
      const last = a.publish(topic, new Uint8Array(42));
      await a.close();
      await last;
      await eventually(() => got.length === 1, 'the last message');
      expect(got).toEqual([42]);
    });

    it('calls no handler and emits no event after close', async () => {
      const [a, b] = await Promise.all([connected(), connected()]);
      const topic = `${prefix()}/after`;
      const got: number[] = [];
      await b.subscribe(topic, (m) => got.push(m.payload.length));
      const events: TransportEvent[] = [];
      await b.close();
      b.on((e) => events.push(e));
      await a.publish(topic, new Uint8Array(1));
      const c = await connected();
      await c.subscribe(topic, () => {});
      await flush(a, c);
      expect(got).toEqual([]);
      expect(events).toEqual([]);
    });

    it('rejects a pending connect when closed while connecting', async () => {
      const a = await create();
      const connecting = a.connect();
      await a.close();
      const outcome = await connecting.then(
        () => 'connected',
        (e: unknown) => (isTransportError(e) ? e.reason : 'other error'),
      );
      // The connection may have won the race with close(); it must not hang either way.
      expect(['connected', 'closed']).toContain(outcome);
    });
  });

  describe('errors', () => {
    it("rejects an invalid topic name with 'invalid-topic' and stays connected", async () => {
      const [a, b] = await Promise.all([connected(), connected()]);
      const p = prefix();
      for (const bad of [`${p}/+`, `${p}/#`, `${p}/a+b`, '', `${p}/nul\u0000`, `${p}/\ud800`])
        await expectReason(a.publish(bad, new Uint8Array(1)), 'invalid-topic');
      const got: number[] = [];
      await b.subscribe(`${p}/ok`, (m) => got.push(m.payload.length));
      await a.publish(`${p}/ok`, new Uint8Array(5));
      await eventually(() => got.length === 1, 'a message after the rejected ones');
    });

    it("rejects an invalid filter with 'invalid-filter'", async () => {
      const a = await connected();
      const p = prefix();
      for (const bad of [`${p}/#/x`, `${p}/a+`, `${p}/#a`, '', `${p}/\u0000`])
        await expectReason(
          a.subscribe(bad, () => {}),
          'invalid-filter',
        );
    });

    it('throws TypeError for a payload that is not a Uint8Array or a handler that is not a function', async () => {
      const a = await connected();
      await expect(a.publish(`${prefix()}/x`, 'text' as unknown as Uint8Array)).rejects.toThrow(TypeError);
      await expect(a.subscribe(`${prefix()}/x`, 42 as unknown as () => void)).rejects.toThrow(TypeError);
    });

    it("rejects publish before connect with 'not-connected'", async () => {
      const a = await create();
      await expectReason(a.publish(`${prefix()}/early`, new Uint8Array(1)), 'not-connected');
    });

    it('rejects with the abort reason when the signal is already aborted', async () => {
      const a = await create();
      const reason = new Error('stop');
      const signal = AbortSignal.abort(reason);
      await expect(a.connect({ signal })).rejects.toBe(reason);
      await a.connect();
      await expect(a.publish(`${prefix()}/x`, new Uint8Array(1), { signal })).rejects.toBe(reason);
      await expect(a.subscribe(`${prefix()}/x`, () => {}, { signal })).rejects.toBe(reason);
    });

    it("rejects retain with 'unsupported' when the capability is not declared", async () => {
      const a = await connected();
      if (a.capabilities.retain) return;
      await expectReason(a.publish(`${prefix()}/r`, new Uint8Array(1), { retain: true }), 'unsupported');
    });
  });

  if (harness.restartBroker !== undefined) {
    const restart = harness.restartBroker;
    describe('reconnect', () => {
      it('reconnects after a broker restart, reports each step, and keeps its subscriptions', async () => {
        const [a, b] = await Promise.all([connected(), connected()]);
        const topic = `${prefix()}/again`;
        const got: number[] = [];
        await b.subscribe(topic, (m) => got.push(m.payload[0] ?? -1));
        const events: TransportEvent[] = [];
        b.on((e) => events.push(e));
        let aBack = false;
        a.on((e) => {
          if (e.type === 'connected') aBack = true;
        });
        await restart();
        await eventually(() => aBack && events.some((e) => e.type === 'connected'), 'both reconnected');
        const types = events.map((e) => e.type);
        expect(types.indexOf('disconnected')).toBeGreaterThanOrEqual(0);
        expect(types.indexOf('reconnecting')).toBeGreaterThan(types.indexOf('disconnected'));
        expect(types.lastIndexOf('connected')).toBeGreaterThan(types.indexOf('reconnecting'));
        for (const e of events)
          if (e.type === 'reconnecting') {
            expect(e.attempt).toBeGreaterThanOrEqual(1);
            expect(e.delayMs).toBeGreaterThanOrEqual(0);
            // Why another attempt is needed: the lost connection's error, or the failed attempt's.
            expect(e.cause, 'a reconnecting event says why').toBeInstanceOf(Error);
            expect(e.cause?.message).not.toBe('');
          }
        await a.publish(topic, new Uint8Array([5]));
        await eventually(() => got.includes(5), 'a message after the restart');
      });
    });
  }

  if (harness.kill !== undefined) {
    const kill = harness.kill;
    describe('will', () => {
      it('is published when a client dies without closing, and asked for again at each connection', async () => {
        const topic = `${prefix()}/chau`;
        let calls = 0;
        const dying = await create({
          will: () => ({ topic, payload: new Uint8Array([++calls]) }),
        });
        if (!dying.capabilities.will) return;
        const watcher = await connected();
        const got: number[] = [];
        await watcher.subscribe(topic, (m) => got.push(m.payload[0] ?? -1));
        await dying.connect();
        let reconnected = false;
        dying.on((e) => {
          if (e.type === 'connected') reconnected = true;
        });
        await kill(dying);
        await eventually(() => got.includes(1), 'the will of the first connection');
        await eventually(() => reconnected, 'the reconnect after the kill');
        await kill(dying);
        await eventually(() => got.includes(2), 'the will of the second connection');
        expect(got).toEqual([1, 2]);
      });

      it('is not published when the client closes cleanly', async () => {
        const topic = `${prefix()}/chau`;
        const polite = await create({ will: () => ({ topic, payload: new Uint8Array([1]) }) });
        if (!polite.capabilities.will) return;
        const watcher = await connected();
        const got: number[] = [];
        await watcher.subscribe(topic, (m) => got.push(m.payload[0] ?? -1));
        await polite.connect();
        await polite.close();
        // A broker handles the DISCONNECT before a later publish from another client, in practice.
        const other = await connected();
        await flush(other, watcher);
        expect(got).toEqual([]);
      });
    });
  }
}
