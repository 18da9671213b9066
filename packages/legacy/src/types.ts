/**
 * The Go types of the legacy wire, with Go's JSON keys as property names (so a status prints as Go would
 * write it). Read values always have every non-`omitempty` field; absent ones were Go's zero value.
 */

/** HostStats (sensors.go): host uptime in seconds, load per CPU and CPU percent truncated to 2 decimals. */
export interface GoHostStats {
  Uptime: number;
  LoadAvg: number;
  MemAllocMB: number;
  MemSysMB: number;
  MemHeapMB: number;
  MemStackMB: number;
  NumGoroutines: number;
  NumGC: number;
  ProcCPUPercent: number;
}

export interface GoPersonality {
  Agreeableness: number;
  Sociability: number;
  Chill: number;
}

/** Aura colours as Go writes them: `#RRGGBB`, uppercase hex. */
export interface GoAura {
  primary: string;
  secondary: string;
}

export interface GoCoordinates {
  x: number;
  y: number;
  height: number;
  error: number;
}

/** NaraObservation: what one nara knows of another. Every key is `omitempty`. */
export interface NaraObservation {
  restarts?: number;
  total_uptime?: number;
  start_time?: number;
  online?: string;
  last_seen?: number;
  last_restart?: number;
  cluster_name?: string;
  cluster_emoji?: string;
  last_ping_rtt?: number;
  avg_ping_rtt?: number;
  last_ping_time?: number;
}

/** NaraStatus (nara.go), the status of a newspaper and of a howdy's `Me`. */
export interface NaraStatus {
  LicensePlate: string;
  Flair: string;
  HostStats: GoHostStats;
  Chattiness: number;
  Buzz: number;
  /** Newspapers send null; howdy's `Me` carries the whole map. */
  Observations: Record<string, NaraObservation> | null;
  Trend: string;
  TrendEmoji: string;
  Personality: GoPersonality;
  Aura: GoAura;
  Version: string;
  PublicUrl: string;
  PublicKey: string;
  ID: string;
  MeshEnabled: boolean;
  MeshIP: string;
  coordinates?: GoCoordinates | null;
  transport_mode?: string;
  event_store_total?: number;
  event_store_by_service?: Record<string, number> | null;
  event_store_critical?: number;
  memory_mode?: string;
  memory_budget_mb?: number;
  memory_max_events?: number;
  stash_stored?: number;
  stash_bytes?: number;
  stash_confidants?: number;
}

/** One neighbour a howdy tells about. Not covered by the howdy's signature. */
export interface NeighborInfo {
  Name: string;
  PublicKey: string;
  MeshIP: string;
  ID: string;
  Observation: NaraObservation;
}

/** A howdy: the answer to a hey_there (presence_howdy.go). Only `From:To:Seq` is signed. */
export interface HowdyEvent {
  From: string;
  To: string;
  Seq: number;
  You: NaraObservation;
  Neighbors: NeighborInfo[] | null;
  Me: NaraStatus;
  Signature: string;
}
