import { commitmentTo } from '@nara/envelope';
import { createIdentity, formatSoul, randomGeneratedSoul, randomSoul } from '@nara/identity';
import { checkName, type Flags } from './config.js';
import type { CliIo } from './io.js';
import { shellWord } from './shell.js';

/**
 * `nara soul`: a new random soul bonded to a name (or to a generated name), printed once to stdout with
 * its nara ID and public key. The one place the program ever prints a soul.
 */
export function runSoul(flags: Flags, io: CliIo): number {
  const wanted = typeof flags.name === 'string' ? checkName(flags.name, '--name') : undefined;
  const { name, soul } =
    wanted === undefined ? randomGeneratedSoul() : { name: wanted, soul: randomSoul(wanted) };
  const identity = createIdentity({ name, soul });
  const soulText = formatSoul(soul);
  // What the soul before this one names as its successor (NARA_NEXT): a digest, never the soul.
  const commitment = Buffer.from(commitmentTo(identity.publicKey)).toString('hex');
  if (flags.json === true) {
    io.stdout.write(
      `${JSON.stringify({ name, soul: soulText, id: identity.naraId, publicKey: identity.publicKeyBase64, commitment })}\n`,
    );
    return 0;
  }
  io.stdout.write(
    [
      `name:       ${name}`,
      `soul:       ${soulText}`,
      `nara ID:    ${identity.naraId}`,
      `public key: ${identity.publicKeyBase64}`,
      `commitment: ${commitment}`,
      '',
      'Keep the soul secret: whoever holds it can speak as this nara. Run it with',
      `  NARA_NAME=${shellWord(name)} NARA_SOUL=<the soul above> nara`,
      '',
      'To make it the next soul of a nara already running as this name, give that nara',
      `  NARA_NEXT=${commitment}`,
      'and keep this soul offline until the nara moves to it (with NARA_PREVIOUS=<its old public key>).',
      '',
    ].join('\n'),
  );
  return 0;
}
