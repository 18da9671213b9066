/** What {@link createHeyThereAnswer} is given. */
export interface HeyThereAnswerInit {
  /** The longest random pause before answering, in ms. */
  readonly maxDelayMs: number;
  /** A uniform draw in [0, 1). */
  readonly random: () => number;
  /** Asks for the answer: the nara's newspaper, soon (its scheduler's `publishSoon`). */
  readonly answer: () => void;
}

/** Hears other naras' hey-theres; see {@link createHeyThereAnswer}. */
export interface HeyThereAnswer {
  /** Another nara said hey-there. */
  heard(): void;
  /** Drops a pending answer (disconnected, leaving, closed). */
  stop(): void;
}

/**
 * A newcomer's hey-there is answered with a newspaper soon, as the Go nara answers with howdies: after a
 * random pause of at most `maxDelayMs` (so a plaza does not answer all at once), and once for a burst of
 * hey-theres: those heard during the pause join the answer already planned. The newspaper scheduler's
 * spacing (5 s between runs brought forward) keeps a flood of hey-theres from becoming one of newspapers.
 *
 * @example
 * ```ts
 * const answer = createHeyThereAnswer({ maxDelayMs: 2000, random: Math.random, answer: () => scheduler.publishSoon() });
 * answer.heard(); // a newspaper within 2 s
 * ```
 */
export function createHeyThereAnswer(init: HeyThereAnswerInit): HeyThereAnswer {
  const { maxDelayMs, random, answer } = init;
  if (typeof maxDelayMs !== 'number' || !(maxDelayMs >= 0) || !Number.isFinite(maxDelayMs))
    throw new TypeError('the answer delay must be a finite number of ms, 0 or more');
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    heard() {
      if (timer !== undefined) return;
      timer = setTimeout(
        () => {
          timer = undefined;
          answer();
        },
        Math.floor(random() * maxDelayMs),
      );
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
