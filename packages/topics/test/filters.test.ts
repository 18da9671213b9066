import { compileFilter, matchesFilter, validateFilter, validateTopicName } from '@nara/topics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The examples of MQTT 3.1.1 (OASIS Standard, 29 October 2014), section 4.7, plus its non-normative
// comments, as [filter, topic, matches].
const spec: Array<[string, string, boolean]> = [
  // 4.7.1.2 Multi-level wildcard
  ['sport/tennis/player1/#', 'sport/tennis/player1', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
  ['sport/#', 'sport', true],
  ['#', 'sport/tennis/player1', true],
  ['#', 'sport', true],
  ['#', '/', true],
  // 4.7.1.3 Single-level wildcard
  ['sport/tennis/+', 'sport/tennis/player1', true],
  ['sport/tennis/+', 'sport/tennis/player2', true],
  ['sport/tennis/+', 'sport/tennis/player1/ranking', false],
  ['sport/+', 'sport', false],
  ['sport/+', 'sport/', true],
  ['+/+', '/finance', true],
  ['/+', '/finance', true],
  ['+', '/finance', false],
  ['+/tennis/#', 'sport/tennis', true],
  ['sport/+/player1', 'sport/tennis/player1', true],
  // 4.7.2 Topics beginning with $
  ['#', '$SYS/broker/clients', false],
  ['+/monitor/Clients', '$SYS/monitor/Clients', false],
  ['$SYS/#', '$SYS/monitor/Clients', true],
  ['$SYS/monitor/+', '$SYS/monitor/Clients', true],
  // 4.7.3 Topic semantics: case-sensitive, spaces allowed, leading / is a distinct level
  ['ACCOUNTS', 'accounts', false],
  ['Accounts payable', 'Accounts payable', true],
  ['/finance', 'finance', false],
  ['finance', '/finance', false],
];

describe('MQTT filter matching', () => {
  it.each(spec)('filter %j against topic %j gives %s', (filter, topic, expected) => {
    expect(matchesFilter(filter, topic)).toBe(expected);
  });

  it.each(['sport/tennis#', 'sport/tennis/#/ranking', 'sport+', 'sp#ort/x', '', 'a\u0000b'])(
    'refuses the invalid filter %j',
    (filter) => {
      expect(validateFilter(filter).ok).toBe(false);
      expect(() => compileFilter(filter)).toThrow(expect.objectContaining({ name: 'InvalidFilterError' }));
    },
  );

  it('accepts the valid wildcard filters of the spec', () => {
    for (const filter of ['#', '+', '+/+', 'sport/+/player1', '+/tennis/#', 'nara/#', '/']) {
      expect(validateFilter(filter)).toEqual({ ok: true });
    }
  });

  it('never matches a topic that itself contains a wildcard', () => {
    expect(matchesFilter('#', 'a/+')).toBe(false);
    expect(matchesFilter('a/+', 'a/#')).toBe(false);
  });

  it('agrees with a reference matcher on random topics and filters', () => {
    const level = fc.constantFrom('a', 'b', '', '$x');
    const topic = fc
      .array(level, { minLength: 1, maxLength: 4 })
      .map((l) => l.join('/'))
      .filter((t) => t.length > 0);
    const filterLevel = fc.constantFrom('a', 'b', '', '+', '$x');
    const filter = fc
      .tuple(fc.array(filterLevel, { minLength: 0, maxLength: 4 }), fc.boolean())
      .filter(([l, multi]) => l.length > 0 || multi)
      .map(([l, multi]) => (multi ? [...l, '#'] : l).join('/'))
      .filter((f) => f.length > 0);
    fc.assert(fc.property(filter, topic, (f, t) => matchesFilter(f, t) === reference(f, t)));
  });
});

describe('topic names', () => {
  it('refuses wildcards, NUL and empty topics for publishing', () => {
    expect(validateTopicName('nara/plaza/chau')).toEqual({ ok: true });
    expect(validateTopicName('nara/+')).toMatchObject({ ok: false, reason: 'wildcard' });
    expect(validateTopicName('nara/#')).toMatchObject({ ok: false, reason: 'wildcard' });
    expect(validateTopicName('a\u0000')).toMatchObject({ ok: false, reason: 'null-character' });
    expect(validateTopicName('')).toMatchObject({ ok: false, reason: 'empty' });
    expect(validateTopicName('x'.repeat(70_000))).toMatchObject({ ok: false, reason: 'too-long' });
  });
});

/** Straight from the spec's wording, level by level, recursively: slow but obviously right. */
function reference(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const go = (f: string[], t: string[]): boolean => {
    if (f.length === 0) return t.length === 0;
    const [head, ...rest] = f;
    if (head === '#') return true;
    if (t.length === 0) return false;
    const [th, ...trest] = t;
    return (head === '+' || head === th) && go(rest, trest);
  };
  return go(filter.split('/'), topic.split('/'));
}
