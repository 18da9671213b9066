import { describe, expect, it } from 'vitest';
import { NewspaperReplayGuard } from '../src/index.js';

const SIG_A = 'Des9OkxGvsQVwMJ8I7Wz8+4GKugAUH7hAFtYhKZf1IDGezgzAEWJ7D9Jk/xJ5XJmf8kVw29WGNIDypEEkRiZBw==';
const SIG_B = 'AAAAOkxGvsQVwMJ8I7Wz8+4GKugAUH7hAFtYhKZf1IDGezgzAEWJ7D9Jk/xJ5XJmf8kVw29WGNIDypEEkRiZBw==';
const SIG_C = 'BBBBOkxGvsQVwMJ8I7Wz8+4GKugAUH7hAFtYhKZf1IDGezgzAEWJ7D9Jk/xJ5XJmf8kVw29WGNIDypEEkRiZBw==';

describe('the newspaper replay guard', () => {
  it('refuses the same signature again (identical bytes)', () => {
    const guard = new NewspaperReplayGuard();
    guard.accept('jojo', SIG_A, 1000, 0);
    expect(guard.check('jojo', SIG_A, 1000, 60_000)).toBe('identical');
    expect(guard.check('ana', SIG_A, 1000, 60_000)).toBeNull();
  });

  it('refuses an uptime that went down with no room for a reboot in between', () => {
    const guard = new NewspaperReplayGuard();
    guard.accept('jojo', SIG_A, 10_000, 0);
    expect(guard.check('jojo', SIG_B, 5_000, 60_000)).toBe('uptime-backwards');
    // 60 s later an uptime of 50 s fits a reboot: that is allowed
    expect(guard.check('jojo', SIG_B, 50, 60_000)).toBeNull();
  });

  it('refuses an uptime that grew faster than the clock, and accepts one that kept pace', () => {
    const guard = new NewspaperReplayGuard();
    guard.accept('jojo', SIG_A, 10_000, 0);
    expect(guard.check('jojo', SIG_B, 10_100, 60_000)).toBe('uptime-too-fast');
    expect(guard.check('jojo', SIG_B, 10_060, 60_000)).toBeNull();
    guard.accept('jojo', SIG_B, 10_060, 60_000);
    expect(guard.check('jojo', SIG_C, 10_060, 61_000)).toBeNull();
  });

  it('stays bounded in senders and forgets on request', () => {
    const guard = new NewspaperReplayGuard({ maxSenders: 2 });
    guard.accept('a', SIG_A, 1, 0);
    guard.accept('b', SIG_A, 1, 0);
    guard.accept('c', SIG_A, 1, 0);
    expect(guard.size).toBe(2);
    expect(guard.check('a', SIG_A, 1, 0)).toBeNull();
    guard.forget('b');
    expect(guard.size).toBe(1);
  });
});
