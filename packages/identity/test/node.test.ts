import { determineIdentity, hashHardware, nameFromSoul, nativeSoulGenerated } from '@nara/identity';
import {
  collectSoulFragments,
  type MachineSources,
  readHardwareFingerprint,
  readHostId,
  readHostname,
} from '@nara/identity/node';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';

// A fake Linux machine: files by path, /sys/class/net links by name.
function machine(
  files: Record<string, string>,
  links?: string[],
  extra: Partial<MachineSources> = {},
): MachineSources {
  return {
    readFile: (path) => files[path],
    listDirectory: (path) => (path === '/sys/class/net' ? links : undefined),
    networkInterfaces: () => ({}),
    env: {},
    hostname: () => 'box.example.org',
    ...extra,
  };
}

const link = (name: string, address: string, flags = '0x1003', type = '1') => ({
  [`/sys/class/net/${name}/address`]: `${address}\n`,
  [`/sys/class/net/${name}/flags`]: `${flags}\n`,
  [`/sys/class/net/${name}/type`]: `${type}\n`,
});

describe('readHostId, as gopsutil v3 host.Info().HostID on Linux', () => {
  it('prefers the DMI product UUID, lower-cased', () => {
    const sources = machine({
      '/sys/class/dmi/id/product_uuid': 'ABCDEF01-2345-6789-ABCD-EF0123456789\n',
      '/etc/machine-id': '0123456789abcdef0123456789abcdef\n',
    });
    expect(readHostId(sources)).toBe('abcdef01-2345-6789-abcd-ef0123456789');
  });

  it('falls back to /etc/machine-id with dashes when the product UUID cannot be read (not root)', () => {
    const sources = machine({ '/etc/machine-id': '0123456789abcdef0123456789abcdef\n' });
    expect(readHostId(sources)).toBe('01234567-89ab-cdef-0123-456789abcdef');
  });

  it('skips a machine ID that is not 32 characters and takes the boot ID, lower-cased', () => {
    const sources = machine({
      '/etc/machine-id': 'short\n',
      '/proc/sys/kernel/random/boot_id': 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE\n',
    });
    expect(readHostId(sources)).toBe('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
  });

  it('is empty when nothing can be read', () => {
    expect(readHostId(machine({}))).toBe('');
  });

  it('honours HOST_SYS, HOST_ETC and HOST_PROC as gopsutil does', () => {
    const sources = machine({ '/host/etc/machine-id': '0123456789abcdef0123456789abcdef' }, undefined, {
      env: { HOST_ETC: '/host/etc' },
    });
    expect(readHostId(sources)).toBe('01234567-89ab-cdef-0123-456789abcdef');
  });
});

describe('collectSoulFragments, as eljojo/nara CollectSoulFragments', () => {
  it('takes en*, eth* and wlan* links with a non-zero address, loopback excluded, sorted, comma-joined', () => {
    const sources = machine(
      {
        ...link('wlan0', 'f0:00:00:00:00:01', '0x1002'), // down: Go still lists it
        ...link('eth0', 'a4:bb:6d:00:11:22'),
        ...link('enp3s0', '52:54:00:12:34:56'),
        ...link('lo', '00:00:00:00:00:00', '0x9', '772'),
        ...link('docker0', '02:42:ac:11:00:02'),
        ...link('veth1', 'aa:aa:aa:aa:aa:aa'),
        ...link('eth1', '00:00:00:00:00:00'),
        ...link('enlo', '11:22:33:44:55:66', '0x9'),
      },
      ['wlan0', 'eth0', 'enp3s0', 'lo', 'docker0', 'veth1', 'eth1', 'enlo'],
    );
    expect(collectSoulFragments(sources)).toBe('52:54:00:12:34:56,a4:bb:6d:00:11:22,f0:00:00:00:00:01');
  });

  it('ignores the IP address Linux reports as the hardware address of an IP tunnel', () => {
    const sources = machine({ ...link('eth9', '0a:00:00:01', '0x91', '768') }, ['eth9']);
    expect(collectSoulFragments(sources)).toBe('');
  });

  it('falls back to os.networkInterfaces() where /sys/class/net cannot be listed', () => {
    const sources = machine({}, undefined, {
      networkInterfaces: () => ({
        lo: [{ mac: '00:00:00:00:00:00', internal: true }],
        en0: [
          { mac: 'A4:BB:6D:00:11:22', internal: false },
          { mac: 'A4:BB:6D:00:11:22', internal: false },
        ],
        utun0: [{ mac: '00:00:00:00:00:00', internal: false }],
        eth0: [{ mac: '00:00:00:00:00:00', internal: false }],
      }),
    });
    expect(collectSoulFragments(sources)).toBe('a4:bb:6d:00:11:22');
  });
});

describe('readHardwareFingerprint', () => {
  it('is SHA-256 of "{HostID}-{MACs}", as the Go binary computes it', () => {
    const sources = machine(
      { '/etc/machine-id': '0123456789abcdef0123456789abcdef\n', ...link('eth0', 'a4:bb:6d:00:11:22') },
      ['eth0'],
    );
    const expected = hashHardware('01234567-89ab-cdef-0123-456789abcdef-a4:bb:6d:00:11:22');
    expect(bytesToHex(readHardwareFingerprint(sources))).toBe(bytesToHex(expected));
  });

  it('reads this machine: 32 bytes, the same on every call', () => {
    const first = readHardwareFingerprint();
    expect(first).toHaveLength(32);
    expect(bytesToHex(readHardwareFingerprint())).toBe(bytesToHex(first));
  });
});

describe('readHostname, and determineIdentity on this machine', () => {
  it('cuts the host name at the first dot, as the Go binary does', () => {
    expect(readHostname(machine({}))).toBe('box');
    expect(readHostname(machine({}, undefined, { hostname: () => 'nixos' }))).toBe('nixos');
  });

  it("gives the Go binary's identity from the machine's host name and fingerprint", () => {
    const sources = machine({ '/etc/machine-id': '0123456789abcdef0123456789abcdef' }, [], {
      hostname: () => 'raspberrypi.local',
    });
    const hw = readHardwareFingerprint(sources);
    const onMachine = determineIdentity('', '', readHostname(sources), hw);
    expect(onMachine).toMatchObject({ mode: 'generated', isNative: true });
    expect(onMachine.name).toBe(nameFromSoul(nativeSoulGenerated(hw)));
  });
});
