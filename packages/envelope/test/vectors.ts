import { readFileSync } from 'node:fs';
import type { RejectReason } from '@nara/envelope';

export interface ValidVector {
  name: string;
  description: string;
  topic: string;
  envelope: string;
  publicKey: string;
  content: Record<string, unknown>;
}

export interface InvalidVector {
  name: string;
  description: string;
  topic: string;
  envelope: string;
  expect: RejectReason;
  concerns: string;
}

const load = (file: string) =>
  JSON.parse(readFileSync(new URL(`../vectors/${file}`, import.meta.url), 'utf8'));

export const validFile = load('valid.json') as { maxBytes: number; vectors: ValidVector[] };
export const invalidFile = load('invalid.json') as { maxBytes: number; vectors: InvalidVector[] };
export const validVectors = validFile.vectors;
export const invalidVectors = invalidFile.vectors;

export const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The JSON projection the vectors use: byte strings as hex. */
export function project(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(project);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, project(v)]));
  return value;
}
