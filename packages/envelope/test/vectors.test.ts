import { readFileSync } from 'node:fs';
import { createVerifier, decodeEnvelope, REJECT_REASONS } from '@nara/envelope/node';
import { describe, expect, it } from 'vitest';
import { buildVectors, serialize, VECTOR_FILES } from '../scripts/generate-vectors.js';
import { fromHex, invalidVectors, project, validVectors } from './vectors.js';

const backends = ['node', 'noble', 'sodium'] as const;

describe('the committed vectors', () => {
  it('are exactly what the generator produces from its fixed seeds', () => {
    const { valid, invalid, succession } = buildVectors();
    expect(readFileSync(VECTOR_FILES.valid, 'utf8')).toBe(serialize(valid));
    expect(readFileSync(VECTOR_FILES.invalid, 'utf8')).toBe(serialize(invalid));
    expect(readFileSync(VECTOR_FILES.succession, 'utf8')).toBe(serialize(succession));
  });

  it('have at least 110 invalid cases, each naming a known reason, with unique names', () => {
    expect(invalidVectors.length).toBeGreaterThanOrEqual(110);
    for (const v of invalidVectors) expect(REJECT_REASONS).toContain(v.expect);
    const names = [...validVectors, ...invalidVectors].map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('cover every envelope kind and every checkpoint op among the valid ones', () => {
    const kinds = new Set(validVectors.map((v) => v.content.kind));
    expect([...kinds].sort()).toEqual([
      'chau',
      'checkpoint',
      'hey-there',
      'newspaper',
      'stash-refresh',
      'succession',
    ]);
    const ops = validVectors.flatMap((v) =>
      v.content.kind === 'checkpoint' ? [(v.content.body as { op: string }).op] : [],
    );
    expect(ops.sort()).toEqual(['final', 'propose', 'vote']);
  });
});

describe.each(backends)('every vector on the %s backend', (backend) => {
  const verifier = createVerifier({ backend });

  it.each(validVectors.map((v) => [v.name, v] as const))(
    'accepts valid vector %s with its content',
    (_, v) => {
      const result = verifier.verify(v.topic, fromHex(v.envelope));
      if (!result.ok) throw new Error(`${v.name}: ${result.reason} (${result.detail})`);
      const { topic, publicKey, bytes, ...content } = result.envelope;
      expect(topic).toBe(v.topic);
      expect(publicKey).toEqual(fromHex(v.publicKey));
      expect(bytes).toEqual(fromHex(v.envelope));
      expect(project(content)).toEqual(v.content);
    },
  );

  it.each(invalidVectors.map((v) => [v.name, v.expect, v] as const))(
    'rejects invalid vector %s with %s',
    (_, expected, v) => {
      const result = verifier.verify(v.topic, fromHex(v.envelope));
      expect(result.ok ? 'accepted' : result.reason).toBe(expected);
    },
  );
});

describe('decodeEnvelope on the vectors', () => {
  it('decodes every valid vector to the same content, marked unverified', () => {
    for (const v of validVectors) {
      const decoded = decodeEnvelope(fromHex(v.envelope));
      if (!decoded.ok) throw new Error(`${v.name}: ${decoded.reason}`);
      const { publicKey, signature, bytes, verified, ...content } = decoded.envelope;
      expect(verified).toBe(false);
      expect(signature).toHaveLength(64);
      expect(publicKey).toEqual(fromHex(v.publicKey));
      expect(project(content)).toEqual(v.content);
    }
  });
});
