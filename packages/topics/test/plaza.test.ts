import {
  buildTopic,
  CHAU_TOPIC,
  CHECKPOINT_OPS,
  checkpointTopic,
  escapeNameLevel,
  HEY_THERE_TOPIC,
  MAX_NAME_BYTES,
  matchesFilter,
  newspaperTopic,
  PLAZA_FILTER,
  type PlazaTopic,
  parseTopic,
  STASH_REFRESH_TOPIC,
  unescapeNameLevel,
} from '@nara/topics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const name = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .filter((s) => parseTopic(newspaperTopicOrNull(s) ?? '').ok);

function newspaperTopicOrNull(s: string): string | null {
  try {
    return newspaperTopic(s);
  } catch {
    return null;
  }
}

const plazaTopic: fc.Arbitrary<PlazaTopic> = fc.oneof(
  fc.constant({ kind: 'hey-there' } as const),
  fc.constant({ kind: 'chau' } as const),
  fc.constant({ kind: 'stash-refresh' } as const),
  name.map((n) => ({ kind: 'newspaper', name: n }) as const),
  fc
    .tuple(name, fc.constantFrom(...CHECKPOINT_OPS))
    .map(([subject, op]) => ({ kind: 'checkpoint', subject, op }) as const),
);

describe('names with "." and "%" in a topic level', () => {
  it('travel escaped (%2E, %25), since brokers treat "." specially, and parse back to the name', () => {
    expect(newspaperTopic('bravo.local')).toBe('nara/plaza/newspaper/bravo%2Elocal');
    expect(newspaperTopic('100%.sure')).toBe('nara/plaza/newspaper/100%25%2Esure');
    expect(checkpointTopic('a.b', 'vote')).toBe('nara/checkpoint/a%2Eb/vote');
    expect(parseTopic('nara/plaza/newspaper/bravo%2Elocal')).toEqual({
      ok: true,
      topic: { kind: 'newspaper', name: 'bravo.local' },
    });
    // Host names as the Go nara takes them for names, and a maximal name of dots, survive the round trip.
    for (const n of ['raspberrypi.local', 'nas.home.arpa', 'a%2Eb', '.'.repeat(MAX_NAME_BYTES)])
      expect(parseTopic(newspaperTopic(n))).toEqual({ ok: true, topic: { kind: 'newspaper', name: n } });
  });

  it('is one-to-one: every valid name has one level, and unescaping gives it back', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '.', '%', '2', 'E', '5') }), (n) => {
        expect(unescapeNameLevel(escapeNameLevel(n))).toBe(n);
      }),
    );
  });

  it('accepts a literal "." (sent before the escaping, where brokers carry it) and refuses other "%"', () => {
    expect(parseTopic('nara/plaza/newspaper/bravo.local')).toMatchObject({
      ok: true,
      topic: { name: 'bravo.local' },
    });
    for (const level of ['a%2e', 'a%', 'a%41', '%2', 'a%252'])
      expect(parseTopic(`nara/plaza/newspaper/${level}`), level).toMatchObject({
        ok: level === 'a%252',
        ...(level === 'a%252' ? {} : { reason: 'invalid-name' }),
      });
  });
});

describe('plaza topics', () => {
  it('builds the seed spec topic names', () => {
    expect(HEY_THERE_TOPIC).toBe('nara/plaza/hey-there');
    expect(CHAU_TOPIC).toBe('nara/plaza/chau');
    expect(STASH_REFRESH_TOPIC).toBe('nara/plaza/stash_refresh');
    expect(newspaperTopic('jojo')).toBe('nara/plaza/newspaper/jojo');
    expect(checkpointTopic('jojo', 'vote')).toBe('nara/checkpoint/jojo/vote');
    expect(PLAZA_FILTER).toBe('nara/#');
  });

  it('gives back the parts when a built topic is parsed', () => {
    fc.assert(
      fc.property(plazaTopic, (t) => {
        const parsed = parseTopic(buildTopic(t));
        expect(parsed).toEqual({ ok: true, topic: t });
      }),
    );
  });

  it('parses topics given as raw UTF-8 bytes the same as strings', () => {
    fc.assert(
      fc.property(plazaTopic, (t) => {
        const topic = buildTopic(t);
        expect(parseTopic(new TextEncoder().encode(topic))).toEqual(parseTopic(topic));
      }),
    );
  });

  it('puts every built topic under the plaza subscription', () => {
    fc.assert(fc.property(plazaTopic, (t) => matchesFilter(PLAZA_FILTER, buildTopic(t))));
  });

  it('refuses to build a topic from a name that would corrupt it', () => {
    for (const bad of ['a/b', '+', '#', 'a\u0000', '', '$x']) {
      expect(() => newspaperTopic(bad)).toThrow(expect.objectContaining({ name: 'InvalidNameError' }));
      expect(() => checkpointTopic(bad, 'final')).toThrow(
        expect.objectContaining({ name: 'InvalidNameError' }),
      );
    }
    expect(() => checkpointTopic('jojo', 'delete' as never)).toThrow(TypeError);
  });

  it.each([
    ['nara/plaza/hey_there', 'unknown-topic'],
    ['nara/newspaper/jojo', 'unknown-topic'],
    ['nara/plaza/newspaper/', 'invalid-name'],
    ['nara/plaza/newspaper/a/b', 'invalid-name'],
    ['nara/plaza/newspaper/+', 'invalid-name'],
    ['nara/plaza/newspaper/bad\u0001', 'invalid-name'],
    ['nara/checkpoint/propose', 'unknown-topic'],
    ['nara/checkpoint/jojo/delete', 'unknown-checkpoint-op'],
    ['nara/checkpoint//vote', 'invalid-name'],
    ['nara/checkpoint/a/b/vote', 'invalid-name'],
    ['nara', 'unknown-topic'],
    ['nara/', 'unknown-topic'],
    ['other/plaza/chau', 'outside-plaza'],
    ['', 'outside-plaza'],
    [`nara/plaza/newspaper/${'a'.repeat(MAX_NAME_BYTES * 4)}`, 'too-long'],
  ])('rejects %j with reason %s', (topic, reason) => {
    expect(parseTopic(topic)).toMatchObject({ ok: false, reason });
  });

  it('rejects invalid UTF-8 in a byte topic with reason invalid-utf8', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('nara/plaza/newspaper/'), 0xff]);
    expect(parseTopic(bytes)).toMatchObject({ ok: false, reason: 'invalid-utf8' });
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => typeof parseTopic(s).ok === 'boolean'));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => typeof parseTopic(b).ok === 'boolean'));
    fc.assert(fc.property(fc.anything(), (v) => typeof parseTopic(v as string).ok === 'boolean'));
  });

  it('does not echo a long hostile topic in its message', () => {
    const parsed = parseTopic(`nara/${'x'.repeat(60)}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message.length).toBeLessThan(80);
  });
});
