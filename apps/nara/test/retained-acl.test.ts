/**
 * deploy/mosquitto-acl on a real mosquitto: with one account per nara and the ACL that lets each write only
 * its own newspaper topic, a member cannot overwrite or clear another nara's retained newspaper; a
 * newcomer still gets the genuine one. (Without the ACL a stranger can: packages/plaza/test/retained.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIdentity, randomSoul } from '@nara/identity';
import { type NaraNode, startNara } from '@nara/plaza';
import { useMosquitto } from '@nara/tooling/brokers';
import { strangerNewspaper } from '@nara/tooling/stranger';
import { newspaperTopic } from '@nara/topics';
import { createMqttTransport } from '@nara/transport-mqtt';
import { afterAll, describe, expect, it } from 'vitest';

const deploy = (file: string) =>
  readFileSync(fileURLToPath(new URL(`../../../deploy/mosquitto-acl/${file}`, import.meta.url)), 'utf8');

// The accounts, made before the broker starts: the deploy files name /etc paths, moved here.
const dir = mkdtempSync(join(tmpdir(), 'nara-acl-'));
const accounts = { ana: 'ana-password', mallory: 'mallory-password' };
for (const [i, [user, password]] of Object.entries(accounts).entries())
  execFileSync('mosquitto_passwd', ['-b', ...(i === 0 ? ['-c'] : []), join(dir, 'passwd'), user, password]);
writeFileSync(join(dir, 'acl'), deploy('nara.acl'));
// mosquitto may run as its own user: it must be able to read them.
chmodSync(dir, 0o755);
for (const file of ['passwd', 'acl']) chmodSync(join(dir, file), 0o644);
const config = deploy('mosquitto.conf')
  .replace('/etc/mosquitto/nara.passwd', join(dir, 'passwd'))
  .replace('/etc/mosquitto/nara.acl', join(dir, 'acl'));

function count(node: NaraNode, name: string, labels: Record<string, string> = {}): number {
  return (
    node.metrics
      .collect()
      .find((m) => m.name === name)
      ?.samples.filter((x) => Object.entries(labels).every(([k, v]) => x.labels[k] === v))
      .reduce((sum, x) => sum + x.value, 0) ?? 0
  );
}

describe('a plaza whose broker lets each nara write only its own topics (deploy/mosquitto-acl)', () => {
  const broker = useMosquitto({ config });
  const nodes: NaraNode[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
  });

  async function join(user: keyof typeof accounts, name?: string): Promise<NaraNode> {
    const node = await startNara(
      name ? { identity: createIdentity({ name, soul: randomSoul(name) }), heyThereMaxDelayMs: 0 } : {},
      {
        createTransport: (init) =>
          createMqttTransport({ ...init, url: broker().url, username: user, password: accounts[user] }),
      },
    );
    nodes.push(node);
    return node;
  }

  it("keeps a member from overwriting or clearing another nara's retained newspaper", async () => {
    const ana = await join('ana', 'ana');
    await expect.poll(() => ana.registry.get('ana')?.status).not.toBeNull();

    // mallory, a member with an account of her own, tries both on ana's topic, then writes her own.
    const mallory = createMqttTransport({
      url: broker().url,
      username: 'mallory',
      password: accounts.mallory,
    });
    await mallory.connect();
    const forged = strangerNewspaper(newspaperTopic('ana'), 'ana');
    await mallory.publish(newspaperTopic('ana'), forged, { retain: true });
    await mallory.publish(newspaperTopic('ana'), new Uint8Array(0), { retain: true });
    const mine = newspaperTopic('mallory');
    await mallory.publish(mine, new Uint8Array([1]), { retain: true });
    // ana hears what the broker let through, in mallory's order: once her last message (no envelope) is
    // refused, the two before it were judged by the broker.
    await expect.poll(() => count(ana, 'nara_envelopes_rejected_total')).toBeGreaterThan(0);
    expect(count(ana, 'nara_envelopes_rejected_total', { reason: 'key-mismatch' })).toBe(0);
    expect(count(ana, 'nara_newspapers_cleared_total')).toBe(0);

    // A newcomer gets ana's genuine retained newspaper.
    const newcomer = await join('mallory');
    await expect.poll(() => newcomer.registry.get('ana')?.state).toBe('ONLINE');
    expect(newcomer.registry.get('ana')?.publicKey).toBe(ana.publicKeyBase64);
    expect(count(newcomer, 'nara_envelopes_rejected_total', { reason: 'key-mismatch' })).toBe(0);
    await mallory.close();
  });
});
