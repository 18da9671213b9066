import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `openssl req` arguments for a fresh unencrypted EC P-256 key. */
const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Files of a test certificate authority and what it signed, made with `openssl` at test time. */
export interface TestPki {
  readonly dir: string;
  /** PEM of the CA certificate, and its path. */
  readonly ca: string;
  readonly caPath: string;
  readonly caKeyPath: string;
}

export interface IssuedCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
  readonly key: string;
}

export type ServerCertificateKind =
  /** SANs IP:127.0.0.1, IP:::1 and DNS:localhost, valid now. */
  | 'valid'
  /** Valid SANs, but expired in 2020. */
  | 'expired'
  /** Only DNS:localhost: dialling 127.0.0.1 fails host name verification. */
  | 'no-ip-san';

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(error)}`);
  }
}

// Mosquitto drops to user `mosquitto` when started as root, so everything it reads must be world-readable.
async function readable(...paths: string[]): Promise<void> {
  for (const path of paths) await chmod(path, 0o644);
}

/** Makes a CA (EC P-256, valid one day) in `dir`. `name` keeps two CAs apart in error messages. */
export async function createCa(dir: string, name = 'nara test CA'): Promise<TestPki> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755);
  const caKeyPath = join(dir, 'ca.key');
  const caPath = join(dir, 'ca.crt');
  await openssl(
    [
      'req',
      '-x509',
      ...NEW_EC_KEY,
      '-keyout',
      caKeyPath,
      '-out',
      caPath,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await readable(caKeyPath, caPath);
  return { dir, ca: await readFile(caPath, 'utf8'), caPath, caKeyPath };
}

/**
 * Issues a certificate signed by `pki`: a server certificate of the given kind, or a client certificate
 * (`kind: 'client'`, CN = `name`).
 */
export async function issueCertificate(
  pki: TestPki,
  name: string,
  kind: ServerCertificateKind | 'client',
): Promise<IssuedCertificate> {
  const { dir } = pki;
  const keyPath = join(dir, `${name}.key`);
  const csrPath = join(dir, `${name}.csr`);
  const certPath = join(dir, `${name}.crt`);
  const extPath = join(dir, `${name}.ext`);
  await openssl(
    [
      'req',
      '-new',
      ...NEW_EC_KEY,
      '-keyout',
      keyPath,
      '-out',
      csrPath,
      '-subj',
      `/CN=${kind === 'client' ? name : 'localhost'}`,
    ],
    dir,
  );
  const san = kind === 'no-ip-san' ? 'DNS:localhost' : 'IP:127.0.0.1,IP:::1,DNS:localhost';
  const ext =
    kind === 'client'
      ? 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n'
      : `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`;
  await writeFile(extPath, ext);
  if (kind === 'expired') {
    // `openssl x509 -req` cannot backdate before OpenSSL 3.4; `openssl ca` can, with a minimal database.
    const cnf = join(dir, 'ca.cnf');
    await writeFile(join(dir, 'index.txt'), '');
    await writeFile(
      cnf,
      [
        '[ca]',
        'default_ca = test',
        '[test]',
        `database = ${join(dir, 'index.txt')}`,
        `new_certs_dir = ${dir}`,
        `certificate = ${pki.caPath}`,
        `private_key = ${pki.caKeyPath}`,
        'default_md = sha256',
        'policy = any',
        'rand_serial = yes',
        'unique_subject = no',
        '[any]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    await openssl(
      [
        'ca',
        '-batch',
        '-config',
        cnf,
        '-in',
        csrPath,
        '-out',
        certPath,
        '-extfile',
        extPath,
        '-startdate',
        '20200101000000Z',
        '-enddate',
        '20200102000000Z',
        '-notext',
      ],
      dir,
    );
  } else {
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        csrPath,
        '-CA',
        pki.caPath,
        '-CAkey',
        pki.caKeyPath,
        '-CAcreateserial',
        '-out',
        certPath,
        '-days',
        '1',
        '-sha256',
        '-extfile',
        extPath,
      ],
      dir,
    );
  }
  await readable(keyPath, certPath);
  return { certPath, keyPath, cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
}
