import { MAX_NAME_BYTES } from '@nara/topics';

/** The name rules of `@nara/topics` in one sentence, for errors and `--help`. */
export const NAME_RULES = `1 to ${MAX_NAME_BYTES} bytes of UTF-8 (NFC), visible characters only: no spaces, no control characters, no "/", "+" or "#", not starting with "$"`;

/** Go's generic-name rule, as `--help` states it. */
export const GENERIC_NAME_NOTE =
  'Without a soul, a name (or host name) containing localhost, raspberry, debian, ubuntu, nixos or nara,\n' +
  'or made of 12+ hex digits, is replaced by a name generated from the soul, as the Go nara does (it says\n' +
  'so in one line); a soul made with `nara soul --name NAME` keeps NAME.';
