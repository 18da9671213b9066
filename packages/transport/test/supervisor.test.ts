import {
  ConnectionSupervisor,
  type DisconnectContext,
  isTransportError,
  TransportError,
  type TransportEvent,
  type WillMessage,
  type WillProvider,
} from '@nara/transport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Lets the supervisor make the will and dial: microtasks only, no time passes. */
const settle = (): Promise<void> => vi.advanceTimersByTimeAsync(0).then(() => undefined);

/** A supervisor over hooks that only record their calls: the test plays the wire. */
function supervised(options: { will?: WillProvider; dial?: (will: WillMessage | undefined) => void } = {}) {
  const dials: (WillMessage | undefined)[] = [];
  const hangUps: number[] = [];
  const disconnects: DisconnectContext[] = [];
  let finishDisconnect: (() => void) | undefined;
  const supervisor = new ConnectionSupervisor(
    {
      dial: (will) => {
        dials.push(will);
        options.dial?.(will);
      },
      hangUp: () => hangUps.push(dials.length),
      disconnect: (context) => {
        disconnects.push(context);
        if (!context.wasConnected) return undefined;
        return new Promise<void>((resolve) => {
          finishDisconnect = resolve;
        });
      },
    },
    { will: options.will, maxPayloadBytes: 8, backoff: { minMs: 100, maxMs: 800 } },
    { random: () => 0 },
  );
  const events: TransportEvent[] = [];
  supervisor.on((event) => events.push(event));
  const types = (): string[] => events.map((e) => e.type);
  /** Calls connect() and lets the attempt reach `dial`; the promise is wrapped so that it is not awaited. */
  const dialing = async (signal?: AbortSignal): Promise<{ connecting: Promise<void> }> => {
    const connecting = supervisor.connect({ signal });
    await settle();
    return { connecting };
  };
  /** A connect() that the wire accepts at once. */
  const connectNow = async (): Promise<void> => {
    const { connecting } = await dialing();
    supervisor.connected();
    await connecting;
  };
  const finish = (): void => finishDisconnect?.();
  return { supervisor, dials, hangUps, disconnects, events, types, finish, dialing, connectNow };
}

const unreachable = (): TransportError => new TransportError('unreachable', 'nobody home');
const refused = (): TransportError => new TransportError('not-authorized', 'wrong password');

describe('ConnectionSupervisor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('dials with a fresh, checked will and resolves every waiting connect() at the connection', async () => {
    let epoch = 0;
    const s = supervised({ will: () => ({ topic: 'nara/plaza/chau', payload: new Uint8Array([++epoch]) }) });
    const first = s.supervisor.connect();
    const second = s.supervisor.connect();
    await settle();
    expect(s.dials).toHaveLength(1);
    expect(s.supervisor.state).toBe('connecting');
    expect(s.supervisor.connected()).toBe(true);
    await Promise.all([first, second]);
    await s.supervisor.connect(); // already connected: at once, no new attempt
    expect(s.dials).toEqual([{ topic: 'nara/plaza/chau', payload: new Uint8Array([1]) }]);
    expect(s.types()).toEqual(['connected']);
  });

  it('retries failed attempts on the backoff schedule of the injected clock and random source, saying why', async () => {
    const s = supervised();
    const { connecting } = await s.dialing();
    expect(s.supervisor.failed(unreachable())).toBe(false);
    expect(s.supervisor.state).toBe('waiting');
    expect(s.events.at(-1)).toEqual({ type: 'reconnecting', attempt: 1, delayMs: 100, cause: unreachable() });
    await vi.advanceTimersByTimeAsync(99);
    expect(s.dials).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.dials).toHaveLength(2);
    s.supervisor.failed(unreachable());
    expect(s.events.at(-1)).toEqual({ type: 'reconnecting', attempt: 2, delayMs: 200, cause: unreachable() });
    await vi.advanceTimersByTimeAsync(200);
    s.supervisor.connected();
    await connecting;
    expect(s.types()).toEqual(['error', 'reconnecting', 'error', 'reconnecting', 'connected']);

    // A loss starts counting again from the first attempt.
    s.supervisor.lost(new TransportError('connection-lost', 'gone'));
    expect(s.events.slice(-2)).toEqual([
      { type: 'disconnected', error: new TransportError('connection-lost', 'gone') },
      {
        type: 'reconnecting',
        attempt: 1,
        delayMs: 100,
        cause: new TransportError('connection-lost', 'gone'),
      },
    ]);
    await vi.advanceTimersByTimeAsync(100);
    expect(s.dials).toHaveLength(4);
  });

  it('rejects the first connect() on a failure retrying cannot fix, and only retries it once connected', async () => {
    const s = supervised();
    const { connecting } = await s.dialing();
    expect(s.supervisor.failed(refused())).toBe(true);
    await expect(connecting).rejects.toMatchObject({ name: 'TransportError', reason: 'not-authorized' });
    expect(s.supervisor.state).toBe('idle');
    expect(s.hangUps).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);

    await s.connectNow();
    expect(s.dials).toHaveLength(2);
    s.supervisor.lost(new TransportError('connection-lost', 'gone'));
    await vi.advanceTimersByTimeAsync(100);
    expect(s.supervisor.failed(refused())).toBe(false);
    expect(s.supervisor.state).toBe('waiting');
  });

  it('stops trying when the wait for a first connection is aborted, and can be asked again', async () => {
    const s = supervised();
    const controller = new AbortController();
    const { connecting } = await s.dialing(controller.signal);
    s.supervisor.failed(unreachable());
    controller.abort(new Error('gave up'));
    await expect(connecting).rejects.toThrow('gave up');
    expect(s.supervisor.state).toBe('idle');
    expect(vi.getTimerCount()).toBe(0);
    expect(s.supervisor.connected()).toBe(false); // a late report of the abandoned attempt
    await expect(s.supervisor.connect({ signal: AbortSignal.abort(new Error('no')) })).rejects.toThrow('no');

    await s.connectNow();
    expect(s.dials).toHaveLength(2);
  });

  it('rejects the first connect() when the will cannot be made, and retries that once connected', async () => {
    let calls = 0;
    const s = supervised({
      will: () => {
        calls++;
        if (calls === 1) throw new Error('no key yet');
        if (calls === 2) return { topic: 't', payload: new Uint8Array(9) }; // over maxPayloadBytes
        if (calls === 4) return { topic: 'a/+', payload: new Uint8Array() }; // not a topic name
        return undefined;
      },
    });
    await expect(s.supervisor.connect()).rejects.toThrow('no key yet');
    await expect(s.supervisor.connect()).rejects.toMatchObject({ reason: 'payload-too-large' });
    expect(s.dials).toEqual([]);
    await s.connectNow();
    expect(s.dials).toEqual([undefined]);
    s.supervisor.lost(new TransportError('connection-lost', 'gone'));
    await vi.advanceTimersByTimeAsync(100);
    expect(s.events.at(-1)).toMatchObject({ type: 'reconnecting', attempt: 2, delayMs: 200 });
    // The attempt failed making its will: that is the cause given.
    const last = s.events.at(-1);
    expect(last?.type === 'reconnecting' && last.cause).toMatchObject({ reason: 'invalid-topic' });
    expect(s.dials).toHaveLength(1);
    expect(s.types()).toEqual([
      'error',
      'error',
      'connected',
      'disconnected',
      'reconnecting',
      'error',
      'reconnecting',
    ]);
  });

  it('counts a dial that throws as a failed attempt', async () => {
    const s = supervised({
      dial: () => {
        throw refused();
      },
    });
    const error = await s.supervisor.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTransportError(error) && error.reason).toBe('not-authorized');
    expect(s.types()).toEqual(['error']);
  });

  it('closes: rejects a pending connect(), stops the timer, disconnects, then says disconnected once', async () => {
    const pending = supervised();
    const { connecting } = await pending.dialing();
    pending.supervisor.failed(unreachable());
    await pending.supervisor.close();
    await expect(connecting).rejects.toMatchObject({ reason: 'closed' });
    expect(vi.getTimerCount()).toBe(0);
    expect(pending.disconnects).toEqual([{ wasConnected: false, signal: undefined }]);
    expect(pending.types()).toEqual(['error', 'reconnecting']);

    const s = supervised();
    await s.connectNow();
    const closing = s.supervisor.close();
    expect(s.supervisor.close()).toBe(closing);
    expect(s.supervisor.state).toBe('closed');
    expect(s.types()).toEqual(['connected']); // not before the disconnect hook is done
    s.finish();
    await closing;
    expect(s.types()).toEqual(['connected', 'disconnected']);
    s.supervisor.lost(new TransportError('connection-lost', 'late'));
    expect(s.supervisor.failed(unreachable())).toBe(false);
    expect(s.supervisor.connected()).toBe(false);
    expect(s.types()).toEqual(['connected', 'disconnected']);
    await expect(s.supervisor.connect()).rejects.toMatchObject({ reason: 'closed' });
    expect(s.disconnects).toHaveLength(1);
  });

  it('reports throwing handlers as handler-failed errors naming the filter', () => {
    const s = supervised();
    const cause = new Error('boom');
    s.supervisor.reportHandlerError(cause, 'nara/#');
    expect(s.events).toEqual([
      { type: 'error', error: new TransportError('handler-failed', 'a handler for "nara/#" threw') },
    ]);
    expect((s.events[0] as { error: Error }).error.cause).toBe(cause);
  });

  it('rejects bad hooks and options with a TypeError naming them', () => {
    const hooks = { dial: () => {}, hangUp: () => {}, disconnect: () => {} };
    const make = (h: object, o: object) =>
      new ConnectionSupervisor(h as typeof hooks, { maxPayloadBytes: 1, ...o });
    expect(() => make({ ...hooks, hangUp: 1 }, {})).toThrow(new TypeError('hooks.hangUp must be a function'));
    expect(() => make(hooks, { will: 'chau' })).toThrow(/will must be a function/);
    expect(() => make(hooks, { maxPayloadBytes: -1 })).toThrow(/maxPayloadBytes/);
    expect(() => make(hooks, { backoff: { minMs: 0 } })).toThrow(/minMs/);
  });
});
