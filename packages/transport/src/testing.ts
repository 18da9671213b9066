/**
 * The compliance suite of the transport contract. A transport passes it to be used by the plaza; running
 * it takes a few lines in a vitest file:
 *
 * ```ts
 * import { transportComplianceTests } from '@nara/transport/testing';
 * transportComplianceTests('my transport', { create: (options) => createMyTransport(options) });
 * ```
 *
 * It needs `vitest` (an optional peer dependency of this package: the runtime entry does not use it).
 *
 * @packageDocumentation
 */
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { isTransportError, type TransportErrorReason } from './errors.js';
import { deliveryTests } from './testing/delivery.js';
import { lifecycleTests } from './testing/lifecycle.js';
import { retainedTests } from './testing/retained.js';
import type { Transport, WillProvider } from './types.js';

/** What the suite asks of a transport under test. */
export interface ComplianceHarness {
  /**
   * A new, not yet connected transport on the shared broker or bus. Reconnect and will tests need a short
   * backoff window (tens to hundreds of milliseconds): the suite waits on real time for reconnects.
   */
  create(options: { will?: WillProvider | undefined }): Transport | Promise<Transport>;
  /**
   * Kills `transport`'s connection the way a crashed process would (the socket destroyed, no DISCONNECT).
   * With it, and `capabilities.will`, the suite checks that the will is delivered.
   */
  kill?(transport: Transport): void | Promise<void>;
  /** Stops the broker and starts it again on the same address. With it, the suite checks reconnection. */
  restartBroker?(): void | Promise<void>;
  /** Called once before and after the suite (start and stop a broker, say). */
  setup?(): void | Promise<void>;
  teardown?(): void | Promise<void>;
  /** The largest payload to send; defaults to the smaller of `capabilities.maxPayloadBytes` and 1 MiB. */
  largestPayloadToTest?: number;
  /**
   * `false` for a broker that sends retained messages only to subscriptions without wildcards (RabbitMQ
   * 3.x): the suite then checks exactly that. Default true, as MQTT says.
   */
  retainedOnWildcards?: boolean;
  /** How long to wait for a message or an event, in ms. Default 5,000. */
  waitMs?: number;
}

/** What the groups of the suite share: the harness and the helpers built on it. */
export interface SuiteContext {
  readonly harness: ComplianceHarness;
  readonly waitMs: number;
  /** A fresh topic prefix per test, so that nothing from one test reaches another. */
  prefix(): string;
  create(options?: { will?: WillProvider | undefined }): Promise<Transport>;
  connected(options?: { will?: WillProvider | undefined }): Promise<Transport>;
  /** Resolves when `check` passes, polling on short timers; fails after `waitMs`. */
  eventually(check: () => boolean, what: string): Promise<void>;
  /**
   * Publishes a marker from `publisher` that `subscriber` hears on its own subscription; once it arrives,
   * everything `publisher` sent before it has arrived too (per-publisher ordering), so a test can assert
   * that something was NOT delivered without sleeping.
   */
  flush(publisher: Transport, subscriber: Transport): Promise<void>;
  expectReason(promise: Promise<unknown>, reason: TransportErrorReason): Promise<void>;
}

/**
 * Registers the compliance tests for one transport with vitest: delivery, filters and wildcards (with
 * `$` topics), unsubscribe, binary payloads of every size up to the limit, ordering per publisher,
 * retained messages (kept, replaced, cleared; or refused when not declared), close
 * semantics, errors, and, when the harness can do it, reconnection and the will.
 *
 * @example
 * ```ts
 * import { createMemoryBus } from '@nara/transport';
 * import { transportComplianceTests } from '@nara/transport/testing';
 *
 * const bus = createMemoryBus();
 * transportComplianceTests('memory', {
 *   create: ({ will }) => bus.createTransport({ will, backoff: { minMs: 5, maxMs: 40 } }),
 *   kill: (t) => (t as ReturnType<typeof bus.createTransport>).simulateCrash(),
 *   restartBroker: () => { bus.stop(); bus.start(); },
 * });
 * ```
 */
export function transportComplianceTests(name: string, harness: ComplianceHarness): void {
  const waitMs = harness.waitMs ?? 5_000;
  const open: Transport[] = [];
  let run = 0;
  const suiteId = Math.random().toString(36).slice(2, 8);

  /** A fresh topic prefix per test, so that nothing from one test reaches another. */
  const prefix = (): string => `compliance/${suiteId}-${++run}`;

  const create = async (options: { will?: WillProvider | undefined } = {}): Promise<Transport> => {
    const transport = await harness.create(options);
    open.push(transport);
    return transport;
  };
  const connected = async (options: { will?: WillProvider | undefined } = {}): Promise<Transport> => {
    const transport = await create(options);
    await transport.connect();
    return transport;
  };

  /** Resolves when `check` passes, polling on microtasks and short timers; fails after `waitMs`. */
  const eventually = async (check: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + waitMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${waitMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  /**
   * Publishes a marker from `publisher` that `subscriber` hears on its own subscription; once it arrives,
   * everything `publisher` sent before it has arrived too (per-publisher ordering), so a test can assert
   * that something was NOT delivered without sleeping.
   */
  const flush = async (publisher: Transport, subscriber: Transport): Promise<void> => {
    const topic = `${prefix()}/flush`;
    let arrived = false;
    const off = await subscriber.subscribe(topic, () => {
      arrived = true;
    });
    await publisher.publish(topic, new Uint8Array([0]));
    await eventually(() => arrived, 'a flush marker');
    await off();
  };

  const expectReason = async (promise: Promise<unknown>, reason: TransportErrorReason): Promise<void> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, `expected a rejection with reason ${reason}`).toBeDefined();
    expect(isTransportError(error) ? error.reason : error).toBe(reason);
  };

  const context: SuiteContext = {
    harness,
    waitMs,
    prefix,
    create,
    connected,
    eventually,
    flush,
    expectReason,
  };

  describe(`transport compliance: ${name}`, () => {
    if (harness.setup !== undefined) beforeAll(() => harness.setup?.());
    if (harness.teardown !== undefined) afterAll(() => harness.teardown?.());
    afterEach(async () => {
      const closing = open.splice(0).map((t) => t.close().catch(() => {}));
      await Promise.all(closing);
    });
    deliveryTests(context);
    retainedTests(context);
    lifecycleTests(context);
  });
}
