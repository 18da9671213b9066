import {
  determineIdentity,
  type Identity,
  type IdentityResult,
  IdentityError as Refused,
  type ReplacedName,
} from '@nara/identity';
import { readHardwareFingerprint, readHostname } from '@nara/identity/node';
import { type Flags, type JoinConfig, resolveJoinConfig } from './config.js';
import { IdentityError } from './errors.js';
import type { CliIo } from './io.js';
import { loggerFor, startUntilShutdown, untilAborted, within } from './setup.js';
import { shellWord } from './shell.js';

/**
 * The identity from NARA_NAME/NARA_SOUL and this machine, as the Go binary resolves it; one-line errors.
 * `replaced` is set when Go's generic-name rule replaced the name, for {@link replacedNameNotice}.
 */
export function identityFor(config: JoinConfig): { identity: Identity; replaced?: ReplacedName } {
  let hardwareFingerprint: Uint8Array | undefined;
  try {
    hardwareFingerprint = readHardwareFingerprint();
  } catch {
    // Only needed to derive a native soul; without a soul the resolution below says what is missing.
  }
  let hostname = '';
  try {
    hostname = readHostname();
  } catch {}
  let resolved: IdentityResult;
  try {
    resolved = determineIdentity(
      config.name ?? '',
      config.soul?.reveal() ?? '',
      hostname,
      hardwareFingerprint,
    );
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    throw new IdentityError(refusalLine(error));
  }
  return { identity: resolved.identity, ...(resolved.replaced ? { replaced: resolved.replaced } : {}) };
}

function refusalLine(refused: Refused): string {
  switch (refused.reason) {
    case 'invalid-soul':
      return `NARA_SOUL is not a valid soul: ${refused.message}`;
    case 'not-bonded':
      return `NARA_SOUL is not bonded to this name: ${refused.message} (make one with: nara soul --name <name>)`;
    case 'empty-name':
      return 'no nara name: set NARA_NAME (or --name)';
    case 'no-hardware-fingerprint':
      return 'no soul and no hardware fingerprint to derive one from: set NARA_SOUL (make one with: nara soul)';
  }
}

/** The one line that says which rule replaced a name, with what, and how to keep the name. */
export function replacedNameNotice(replaced: ReplacedName, generated: string): string {
  const name = JSON.stringify(replaced.name);
  const what = replaced.source === 'typed' ? `the name ${name}` : `the host name ${name}`;
  return (
    `${what} ${replaced.rule}, so Go's generic-name rule replaced it with the generated name ${JSON.stringify(generated)}; ` +
    `to keep ${name}, make a soul for it (nara soul --name ${shellWord(replaced.name)}) and run with ` +
    `NARA_NAME=${shellWord(replaced.name)} NARA_SOUL=<that soul>`
  );
}

/**
 * `nara` / `nara join`: joins a plaza (the configured broker, or an embedded one) and stays until SIGINT
 * or SIGTERM, then says chau and exits 0 within 3 s.
 */
export async function runJoin(flags: Flags, io: CliIo): Promise<number> {
  const config = resolveJoinConfig(flags, io.env);
  const logger = loggerFor(config, io);
  const { identity, replaced } = identityFor(config);
  if (replaced?.source === 'typed') logger.warn(replacedNameNotice(replaced, identity.name));
  else if (replaced) logger.info(replacedNameNotice(replaced, identity.name));
  logger.info('nara', { name: identity.name, id: identity.naraId, publicKey: identity.publicKeyBase64 });
  const started = await startUntilShutdown(
    config,
    logger,
    {
      identity,
      ...(config.chattiness !== undefined ? { chattiness: config.chattiness } : {}),
      ...(config.commitment !== undefined ? { commitment: config.commitment } : {}),
      ...(config.previousKey !== undefined ? { previousKey: config.previousKey } : {}),
    },
    { shutdown: io.shutdown },
  );
  if (!started) return 0;
  const { broker, node } = started;
  await untilAborted(io.shutdown);
  logger.info('leaving', { signal: String(io.shutdown.reason ?? 'shutdown') });
  await within(node.leave(2000), 2300);
  if (broker.embedded) await within(broker.embedded.close(), 500);
  logger.info('chau');
  return 0;
}
