import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedEvent } from '../src/web/events.js';
import { EventStream } from '../src/web/stream.js';

const snapshot = (): FeedEvent => ({
  type: 'snapshot',
  at: 1,
  source: 'served',
  self: null,
  connected: true,
  peers: [],
});
const link = (connected: boolean): FeedEvent => ({ type: 'link', at: 2, connected });

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(stream: EventStream): Promise<string> {
  server = createServer((req, res) => stream.attach(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
}

/** Reads the stream until `count` events came, then closes it: [id, event type] each. */
async function read(url: string, count: number, lastId?: string): Promise<[string, string][]> {
  const controller = new AbortController();
  const res = await fetch(url, {
    signal: controller.signal,
    headers: lastId ? { 'last-event-id': lastId } : {},
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const events: [string, string][] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let cut = text.indexOf('\n\n');
    while (cut >= 0) {
      const frame = text.slice(0, cut);
      text = text.slice(cut + 2);
      const id = /^id: (.*)$/m.exec(frame)?.[1];
      const type = /^event: (.*)$/m.exec(frame)?.[1];
      if (id && type) events.push([id, type]);
      cut = text.indexOf('\n\n');
    }
  }
  controller.abort();
  return events;
}

describe('the dashboard event stream', () => {
  it('starts with a snapshot, then every event with an id of this run', async () => {
    const stream = new EventStream(snapshot);
    const url = await serve(stream);
    const reading = read(url, 3);
    await new Promise((r) => setTimeout(r, 100));
    stream.push(link(false));
    stream.push(link(true));
    const got = await reading;
    expect(got.map(([, t]) => t)).toEqual(['snapshot', 'link', 'link']);
    expect(got.map(([id]) => id)).toEqual([`${stream.boot}-0`, `${stream.boot}-1`, `${stream.boot}-2`]);
    stream.close();
  });

  it('gives a client that reconnects with Last-Event-ID what it missed, without a snapshot', async () => {
    const stream = new EventStream(snapshot);
    const url = await serve(stream);
    for (let i = 0; i < 5; i++) stream.push(link(i % 2 === 0));
    const got = await read(url, 3, `${stream.boot}-2`);
    expect(got).toEqual([
      [`${stream.boot}-3`, 'link'],
      [`${stream.boot}-4`, 'link'],
      [`${stream.boot}-5`, 'link'],
    ]);
    stream.close();
  });

  it('sends a fresh snapshot for an id of another run, a future id, or one too old to replay', async () => {
    const stream = new EventStream(snapshot);
    const url = await serve(stream);
    for (let i = 0; i < 5000; i++) stream.push(link(true));
    for (const lastId of ['0badc0de-3', `${stream.boot}-99999`, `${stream.boot}-1`, 'nonsense'])
      expect((await read(url, 1, lastId))[0]).toEqual([`${stream.boot}-5000`, 'snapshot']);
    stream.close();
  });
});
