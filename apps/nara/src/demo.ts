import { randomBytes } from 'node:crypto';
import { createSigner, createVerifier, EPOCH_BYTES, signEnvelope } from '@nara/envelope';
import { createIdentity, type Identity, randomSoul } from '@nara/identity';
import type { PeerSnapshot } from '@nara/peers';
import { type NaraEvent, type NaraNode, startNara } from '@nara/plaza';
import { HEY_THERE_TOPIC, newspaperTopic } from '@nara/topics';
import type { EmbeddedBrokerHandle } from './broker.js';
import { type DemoConfig, type Flags, resolveDemoConfig } from './config.js';
import type { CliIo } from './io.js';
import type { Logger } from './logger.js';
import { mqttTransportFactory } from './mqtt.js';
import { type ServedNara, startServedNara } from './serve.js';
import { LOOPBACK_ANY_PORT, loggerFor, startEmbedded, within } from './setup.js';
import { type Column, formatAge, renderTable, Screen, STATE_COLOR, shortKey } from './view.js';

const NAMES = [
  'amber-fox',
  'basil-owl',
  'cedar-hare',
  'dusky-wren',
  'ember-lynx',
  'fern-moth',
  'ginger-yak',
  'hazel-newt',
  'indigo-elk',
  'juniper-ray',
  'kelp-otter',
  'lilac-crow',
  'maple-gecko',
  'nutmeg-ibis',
  'olive-panda',
  'pepper-koi',
  'quartz-bat',
  'rowan-seal',
  'sage-mole',
  'tansy-lark',
  'umber-wolf',
  'violet-crab',
  'willow-emu',
  'xenon-puma',
  'yarrow-toad',
  'zinnia-swan',
  'acorn-dove',
  'birch-mink',
  'clover-vole',
  'daisy-tapir',
];

/** One step of the story, at `at` seconds of story time (scaled by the story speed). */
interface Step {
  readonly at: number;
  readonly say: string;
  readonly run: () => Promise<void>;
}

interface DemoNara {
  readonly identity: Identity;
  node?: NaraNode;
  role: 'plain' | 'leaves' | 'crashes' | 'late' | 'impersonated';
}

type Row = PeerSnapshot & {
  now: number;
  verified: number;
  rejected: number;
  lastNewspaper?: number;
  role: string;
};

/**
 * `nara demo`: an embedded broker and N naras in one process, a listen-only observer whose registry is the
 * view, and a scripted story: everyone joins; an impostor claims a name with another key and is rejected;
 * one nara leaves with chau; one crashes and its will announces it; one joins late.
 */
export async function runDemo(flags: Flags, io: CliIo): Promise<number> {
  const config = resolveDemoConfig(flags, io.env);
  const table = !config.plain && io.stdout.isTTY === true;
  // On the live table, logs would tear the picture: only warnings and errors, and only to stderr.
  const logger = loggerFor(
    { logLevel: table && config.logLevel === 'info' ? 'warn' : config.logLevel, logFormat: config.logFormat },
    io,
  );
  const broker = await startEmbedded(config.preferredBrokerPort, logger);
  // The naras' own logs (every peer event, times N) would drown the story: warnings only, unless debugging.
  const naraLogger =
    config.logLevel === 'debug' ? logger : loggerFor({ logLevel: 'warn', logFormat: config.logFormat }, io);
  const demo = new Demo(config, io, naraLogger, broker, table);
  try {
    await demo.run();
  } finally {
    await demo.stop();
  }
  return 0;
}

class Demo {
  readonly #naras: DemoNara[];
  #observer: ServedNara | undefined;
  /** The dashboard line: its URL and the standalone URL (this broker over WebSockets). */
  #dashboard = '';
  readonly #started = Date.now();
  readonly #events: string[] = [];
  readonly #lastNewspaper = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #storyDone = false;
  readonly #screen: Screen;
  readonly #verifier = createVerifier();
  readonly #createTransport;

  constructor(
    readonly config: DemoConfig,
    readonly io: CliIo,
    readonly logger: Logger,
    readonly broker: EmbeddedBrokerHandle,
    readonly table: boolean,
  ) {
    this.#screen = new Screen(io.stdout);
    this.#naras = NAMES.slice(0, config.naras).map((name) => ({
      identity: createIdentity({ name, soul: randomSoul(name) }),
      role: 'plain',
    }));
    const n = this.#naras;
    n[0]!.role = 'impersonated';
    n[1]!.role = 'leaves';
    n[2]!.role = 'crashes';
    n[n.length - 1]!.role = 'late';
    // Short keepalive and reconnect window: a demo plaza lives on one machine.
    this.#createTransport = mqttTransportFactory(
      { kind: 'embedded', url: broker.url },
      { keepaliveSec: 10, backoff: { minMs: 200, maxMs: 2000 } },
      logger,
    );
  }

  #t(): string {
    return `${((Date.now() - this.#started) / 1000).toFixed(1).padStart(5)}s`;
  }

  /** One line of the story: printed at once in plain mode, kept for the live view otherwise. */
  #say(text: string): void {
    const line = `[${this.#t()}] ${text}`;
    if (this.table) {
      this.#events.push(line);
      // The view shows the newest that fit the screen; a few screens' worth is plenty to keep.
      if (this.#events.length > 200) this.#events.shift();
      this.#draw();
    } else {
      this.io.stdout.write(`${line}\n`);
    }
  }

  async #startNara(nara: DemoNara): Promise<void> {
    nara.node = await startNara(
      {
        identity: nara.identity,
        heyThereMaxDelayMs: 5000 * this.config.storySpeed,
        chattiness: 40 + Math.floor(Math.random() * 61),
        connectTimeoutMs: 10_000,
        brokerLabel: this.broker.url,
      },
      {
        createTransport: this.#createTransport,
        logger: this.logger.child({ nara: nara.identity.name }),
        verifier: this.#verifier,
      },
    );
  }

  #onObserved(event: NaraEvent): void {
    switch (event.type) {
      case 'accepted':
        if (event.kind === 'newspaper') {
          this.#lastNewspaper.set(event.name, Date.now());
          // After the story the plaza goes on: its newspapers are what happens.
          const status = (event.envelope.body as { status?: { chattiness?: unknown; buzz?: unknown } })
            .status;
          if (this.#storyDone)
            this.#say(
              `${event.name}'s newspaper: chattiness ${String(status?.chattiness ?? '?')}, buzz ${String(status?.buzz ?? '?')}`,
            );
        }
        return;
      case 'rejected':
        this.#say(
          `REJECTED a message claiming to be ${event.name ?? '?'} on ${event.topic}: ${event.reason}${event.stage === 'registry' && event.reason === 'key-mismatch' ? ' (another key than the one pinned for that name; never adopted)' : ''}`,
        );
        return;
      case 'peer': {
        const e = event.event;
        if (e.type === 'joined')
          this.#say(`${e.peer.name} joined: ONLINE (key ${shortKey(e.peer.publicKey)} pinned)`);
        else if (e.type === 'left') this.#say(`${e.peer.name} said chau: OFFLINE`);
        else if (e.type === 'missing')
          this.#say(
            `${e.peer.name} is MISSING (${e.cause === 'will' ? 'its signed will, sent by the broker' : 'silence'})`,
          );
        else if (e.type === 'returned') this.#say(`${e.peer.name} is back: ONLINE`);
        else if (e.type === 'reconnected') this.#say(`${e.peer.name} reconnected (new epoch)`);
        return;
      }
      default:
        return;
    }
  }

  #rows(): Row[] {
    const now = Date.now();
    const observer = this.#observer;
    if (!observer) return [];
    const peers = [...observer.registry.snapshot().peers].sort((a, b) => a.name.localeCompare(b.name));
    return peers.map((p) => ({
      ...p,
      now,
      ...observer.received(p.name),
      ...(this.#lastNewspaper.has(p.name) ? { lastNewspaper: this.#lastNewspaper.get(p.name)! } : {}),
      role: this.#naras.find((n) => n.identity.name === p.name)?.role ?? '',
    }));
  }

  static readonly COLUMNS: readonly Column<Row>[] = [
    { title: 'NARA', value: (r) => r.name, shrinkTo: 12 },
    { title: 'STATE', value: (r) => r.state, color: (r) => STATE_COLOR[r.state] },
    { title: 'WIRE', value: (r) => r.wire },
    { title: 'CHATTY', value: (r) => (r.status ? String(r.status.chattiness) : '-'), align: 'right' },
    {
      title: 'NEWSPAPER',
      value: (r) => (r.lastNewspaper === undefined ? '-' : `${formatAge(r.now - r.lastNewspaper)} ago`),
      align: 'right',
    },
    { title: 'VERIFIED', value: (r) => String(r.verified), align: 'right' },
    { title: 'REJECTED', value: (r) => String(r.rejected), align: 'right' },
    { title: 'KEY', value: (r) => shortKey(r.publicKey) },
  ];

  #draw(): void {
    if (!this.table) return;
    const rows = this.#rows();
    this.#screen.draw({
      header: [
        `nara demo: a plaza on ${this.broker.url} with ${this.config.naras} naras  (Ctrl-C to quit)`,
        `join it: MQTT_URL=${this.broker.url} nara   watch it: MQTT_URL=${this.broker.url} nara watch`,
        ...(this.#dashboard ? [this.#dashboard] : []),
        '',
      ],
      table:
        rows.length > 0
          ? renderTable(rows, Demo.COLUMNS, true, this.#screen.size.columns)
          : ['waiting for the first hey-there...'],
      log: { title: '\x1b[1mwhat happened\x1b[0m', lines: this.#events },
      footer: this.#storyDone
        ? '\x1b[2mThe story is over; the plaza keeps running. Ctrl-C to stop.\x1b[0m'
        : '\x1b[2mCtrl-C to stop.\x1b[0m',
    });
  }

  /** The impostor: a fresh key claiming an existing name, on hey-there and on that name's newspaper topic. */
  async #impostor(victim: Identity): Promise<void> {
    const fake = createIdentity({ name: victim.name, soul: randomSoul(victim.name) });
    const signer = createSigner(fake.soul.unsafeSeed());
    const transport = this.#createTransport({ clientId: `impostor-${randomBytes(4).toString('hex')}` });
    try {
      await transport.connect({ signal: AbortSignal.timeout(5000) });
      const epoch = new Uint8Array(randomBytes(EPOCH_BYTES));
      const base = { name: fake.name, naraId: fake.naraId, epoch };
      await transport.publish(
        HEY_THERE_TOPIC,
        signEnvelope(signer, HEY_THERE_TOPIC, {
          ...base,
          kind: 'hey-there',
          seq: 0,
          time: Date.now(),
          body: {},
        }),
      );
      const topic = newspaperTopic(fake.name);
      await transport.publish(
        topic,
        signEnvelope(signer, topic, {
          ...base,
          kind: 'newspaper',
          seq: 1,
          time: Date.now(),
          body: { status: { chattiness: 100, buzz: 182, flair: 'trust me' }, next: Date.now() + 60_000 },
        }),
      );
    } finally {
      await transport.close();
    }
  }

  #story(): Step[] {
    const n = this.#naras;
    const victim = n.find((x) => x.role === 'impersonated')!;
    const leaver = n.find((x) => x.role === 'leaves')!;
    const crasher = n.find((x) => x.role === 'crashes')!;
    const late = n.find((x) => x.role === 'late')!;
    const early = n.filter((x) => x.role !== 'late');
    return [
      {
        at: 0,
        say: `${early.length} naras connect and say hey-there after a random 0-5 s wait; each message is signed and every one is verified`,
        run: async () => {
          await Promise.all(early.map((x) => this.#startNara(x)));
        },
      },
      {
        at: 12,
        say: `an impostor connects and claims to be ${victim.identity.name}, signing with its own key`,
        run: () => this.#impostor(victim.identity),
      },
      {
        at: 22,
        say: `${leaver.identity.name} leaves on purpose: it says chau before disconnecting`,
        run: async () => {
          await leaver.node?.leave();
        },
      },
      {
        at: 32,
        say: `${crasher.identity.name} crashes: no goodbye; the broker publishes the chau it registered as its will`,
        run: async () => {
          const node = crasher.node;
          if (!node) return;
          await node.halt();
          this.broker.dropClient(node.clientId);
          await node.close();
        },
      },
      {
        at: 42,
        say: `${late.identity.name} joins late and is pinned on first use like everyone else`,
        run: () => this.#startNara(late),
      },
    ];
  }

  async #sleepUntil(storySeconds: number): Promise<boolean> {
    const at = this.#started + storySeconds * 1000 * this.config.storySpeed;
    const wait = at - Date.now();
    if (wait <= 0) return !this.io.shutdown.aborted;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.io.shutdown.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    return !this.io.shutdown.aborted;
  }

  async run(): Promise<void> {
    this.#observer = await startServedNara(
      {
        connectTimeoutMs: 10_000,
        brokerLabel: this.broker.url,
        http: this.config.http ?? LOOPBACK_ANY_PORT,
      },
      {
        createTransport: this.#createTransport,
        logger: this.logger.child({ nara: 'view' }),
        verifier: this.#verifier,
      },
    );
    this.#observer.on((e) => this.#onObserved(e));
    const http = this.#observer.http;
    this.#dashboard = http
      ? `dashboard: ${http.url}/${this.broker.wsUrl ? `   standalone, verifying in your browser: ${http.url}/?mqtt=${this.broker.wsUrl}` : ''}`
      : '';
    if (this.table) {
      this.#draw();
      this.#timer = setInterval(() => this.#draw(), 250);
    } else {
      this.io.stdout.write(
        `nara demo: embedded broker on ${this.broker.url}, ${this.config.naras} naras; another nara can join with MQTT_URL=${this.broker.url} nara\n`,
      );
      if (this.#dashboard) this.io.stdout.write(`${this.#dashboard}\n`);
    }
    for (const step of this.#story()) {
      if (!(await this.#sleepUntil(step.at))) return;
      this.#say(`story: ${step.say}`);
      try {
        await step.run();
      } catch (error) {
        this.#say(`story step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!(await this.#sleepUntil(52))) return;
    this.#storyDone = true;
    const counts = { ONLINE: 0, OFFLINE: 0, MISSING: 0 };
    for (const p of this.#observer.registry.snapshot().peers) counts[p.state] += 1;
    this.#say(
      `story complete: ${counts.ONLINE} ONLINE, ${counts.OFFLINE} OFFLINE, ${counts.MISSING} MISSING; the plaza keeps running until Ctrl-C`,
    );
    await this.#afterTheStory();
  }

  /**
   * The plaza goes on after the story: newspapers keep coming (and are told), the crashed nara comes
   * back, and every little while a nara leaves and returns, so the view is never a still picture.
   */
  async #afterTheStory(): Promise<void> {
    const crasher = this.#naras.find((x) => x.role === 'crashes');
    let at = 52;
    if (crasher) {
      at += 8;
      if (!(await this.#sleepUntil(at))) return;
      this.#say(`${crasher.identity.name} restarts after its crash, with a new epoch`);
      await this.#startNara(crasher).catch(() => {});
    }
    const movers = this.#naras.filter((x) => x.role !== 'crashes');
    for (let round = 0; !this.io.shutdown.aborted; round++) {
      const nara = movers[round % movers.length]!;
      at += 15;
      if (!(await this.#sleepUntil(at))) return;
      this.#say(`${nara.identity.name} steps out for a while: chau`);
      await nara.node?.leave().catch(() => {});
      at += 7;
      if (!(await this.#sleepUntil(at))) return;
      this.#say(`${nara.identity.name} comes back`);
      await this.#startNara(nara).catch(() => {});
    }
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#screen.leave();
    const leaving = this.#naras.map((x) => x.node?.leave(1500) ?? Promise.resolve());
    await within(Promise.allSettled([...leaving, this.#observer?.close()]), 2000);
    await within(this.broker.close(), 500);
    if (!this.table) this.io.stdout.write('demo stopped: every nara said chau\n');
  }
}
