/** The topics a verifier or signer has seen, parsed once each. */
import { type PlazaTopic, parseTopic } from '@nara/topics';
import { reject } from './rejections.js';
import type { Rejection } from './types.js';

/** A topic as the verifiers cache it: parsed, its bytes as external AAD, or the rejection it earns. */
export interface TopicEntry {
  topic: PlazaTopic | null;
  aad: Uint8Array;
  rejection: Rejection | null;
}

const encoder = new TextEncoder();

function topicEntry(topic: string): TopicEntry {
  const parsed = parseTopic(topic);
  return parsed.ok
    ? { topic: parsed.topic, aad: encoder.encode(topic), rejection: null }
    : { topic: null, aad: new Uint8Array(0), rejection: reject('bad-topic', parsed.message) };
}
/** The topics a verifier or signer has seen, as {@link TopicEntry}s: at most 1024, cleared when full. */
export class TopicCache {
  private readonly entries = new Map<string, TopicEntry>();

  get(topic: string): TopicEntry {
    const hit = this.entries.get(topic);
    if (hit !== undefined) return hit;
    const entry = topicEntry(topic);
    if (this.entries.size >= 1024) this.entries.clear();
    this.entries.set(topic, entry);
    return entry;
  }
}
