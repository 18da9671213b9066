import { createMemoryBus, type MemoryTransport, type Transport } from '@nara/transport';
import { transportComplianceTests } from '@nara/transport/testing';

const bus = createMemoryBus();

transportComplianceTests('memory', {
  create: ({ will }) => bus.createTransport({ will, backoff: { minMs: 5, maxMs: 40 } }),
  kill: (transport: Transport) => (transport as MemoryTransport).simulateCrash(),
  restartBroker: () => {
    bus.stop();
    bus.start();
  },
});

// A bus that keeps no retained messages stands for a broker without them: retain is refused, not ignored.
const plainBus = createMemoryBus({ retain: false });
transportComplianceTests('memory, keeping no retained messages', {
  create: ({ will }) => plainBus.createTransport({ will, backoff: { minMs: 5, maxMs: 40 } }),
});
