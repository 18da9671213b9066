import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../testing.js';
import type { Transport, TransportMessage } from '../types.js';

/**
 * Retained messages, for a transport that declares `capabilities.retain`: kept for later subscribers and
 * marked `retained` for them, the latest per topic, forgotten after an empty retained payload (which live
 * subscribers get as an empty message). A harness with `retainedOnWildcards: false` stands for a broker
 * that sends retained messages only to subscriptions without wildcards: the suite checks that it does so.
 */
export function retainedTests(context: SuiteContext): void {
  const { harness, prefix, connected, eventually, flush, expectReason } = context;
  const wildcards = harness.retainedOnWildcards !== false;

  /** Publishes retained messages and waits until a live subscriber has them: the broker has them then. */
  async function keep(
    publisher: Transport,
    live: TransportMessage[],
    messages: ReadonlyArray<readonly [string, number[]]>,
  ): Promise<void> {
    for (const [topic, bytes] of messages)
      await publisher.publish(topic, new Uint8Array(bytes), { retain: true });
    await eventually(() => live.length >= messages.length, 'the live copies of the retained messages');
  }

  /** A new client subscribed to `filters`; what it got, once `publisher`'s flush marker came after it. */
  async function newcomer(publisher: Transport, filters: readonly string[]): Promise<TransportMessage[]> {
    const c = await connected();
    const got: TransportMessage[] = [];
    for (const filter of filters) await c.subscribe(filter, (m) => got.push(m));
    await flush(publisher, c);
    return got;
  }

  /** A transport that declares no retain refuses it: that is all there is to check then. */
  async function refuses(a: Transport): Promise<boolean> {
    if (a.capabilities.retain) return false;
    await expectReason(a.publish(`${prefix()}/r`, new Uint8Array(1), { retain: true }), 'unsupported');
    return true;
  }

  const seen = (messages: TransportMessage[]) =>
    messages.map((m) => [m.topic, [...m.payload], m.retained === true] as const);

  describe('retained messages', () => {
    it('keeps one for later subscribers, marked retained there and not for live subscribers', async () => {
      const [a, b] = await Promise.all([connected(), connected()]);
      if (await refuses(a)) return;
      const topic = `${prefix()}/kept`;
      const live: TransportMessage[] = [];
      await b.subscribe(topic, (m) => live.push(m));
      await keep(a, live, [[topic, [1, 2]]]);
      expect(seen(live)).toEqual([[topic, [1, 2], false]]);
      const got = await newcomer(a, [topic]);
      await eventually(() => got.length === 1, 'the retained copy');
      expect(seen(got)).toEqual([[topic, [1, 2], true]]);
    });

    it('keeps only the latest of a topic', async () => {
      const [a, b] = await Promise.all([connected(), connected()]);
      if (await refuses(a)) return;
      const topic = `${prefix()}/latest`;
      const live: TransportMessage[] = [];
      await b.subscribe(topic, (m) => live.push(m));
      await keep(a, live, [
        [topic, [1]],
        [topic, [2]],
      ]);
      const got = await newcomer(a, [topic]);
      await eventually(() => got.length >= 1, 'the retained copy');
      expect(seen(got)).toEqual([[topic, [2], true]]);
    });

    it('forgets one cleared by an empty retained payload, which live subscribers get as an empty message', async () => {
      const [a, b] = await Promise.all([connected(), connected()]);
      if (await refuses(a)) return;
      const base = prefix();
      const [gone, stays] = [`${base}/gone`, `${base}/stays`];
      const live: TransportMessage[] = [];
      await b.subscribe(`${base}/#`, (m) => live.push(m));
      await keep(a, live, [
        [gone, [1]],
        [stays, [2]],
        [gone, []],
      ]);
      expect(seen(live)).toEqual([
        [gone, [1], false],
        [stays, [2], false],
        [gone, [], false],
      ]);
      const got = await newcomer(a, wildcards ? [`${base}/#`] : [gone, stays]);
      await eventually(() => got.length >= 1, 'the retained copy that stays');
      expect(seen(got)).toEqual([[stays, [2], true]]);
    });

    if (!wildcards)
      it('sends no retained message to a subscription with a wildcard (this broker keeps them for exact topics only)', async () => {
        const [a, b] = await Promise.all([connected(), connected()]);
        const base = prefix();
        const live: TransportMessage[] = [];
        await b.subscribe(`${base}/#`, (m) => live.push(m));
        await keep(a, live, [[`${base}/kept`, [1]]]);
        expect(await newcomer(a, [`${base}/#`, `${base}/+`])).toEqual([]);
        const exact = await newcomer(a, [`${base}/kept`]);
        await eventually(() => exact.length === 1, 'the retained copy on the exact topic');
      });
  });
}
