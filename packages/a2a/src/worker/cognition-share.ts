import type { CognitionStatus, MemorySnapshot } from "../cognition/cognition-types.js";
import type { CognitionShareConfig } from "./worker-config.js";

/** The `cognition` part of a worker heartbeat. */
export interface HeartbeatCognition {
  running: boolean;
  last_tick_at?: string;
  active_persona_count: number;
  events_buffered: number;
  snapshots_buffered: number;
  loop_interval_ms: number;
  latest_snapshot_at?: string;
  latest_thought?: string;
  latest_thought_model?: string;
  latest_thought_source?: string;
}

async function getJson<T>(
  url: string,
  config: CognitionShareConfig,
  fetchImpl: typeof fetch,
): Promise<T | undefined> {
  const response = await fetchImpl(url, {
    headers: config.token ? { authorization: `Bearer ${config.token}` } : {},
    signal: AbortSignal.timeout(config.timeoutMs),
  });
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  return (await response.json()) as T;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Reads the local cognition status and latest snapshot for the heartbeat. Returns undefined when
 * sharing is off or the source is unreachable within the timeout (the heartbeat is still sent).
 */
export async function readCognitionForHeartbeat(
  config: CognitionShareConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<HeartbeatCognition | undefined> {
  if (!config.enabled) return undefined;
  try {
    const status = await getJson<CognitionStatus>(
      `${config.sourceUrl}/v1/cognition/status`,
      config,
      fetchImpl,
    );
    if (!status) return undefined;
    const snapshot = await getJson<MemorySnapshot>(
      `${config.sourceUrl}/v1/cognition/snapshots/latest`,
      config,
      fetchImpl,
    ).catch(() => undefined);
    const out: HeartbeatCognition = {
      running: status.running,
      ...(status.last_tick_at ? { last_tick_at: status.last_tick_at } : {}),
      active_persona_count: status.active_persona_count,
      events_buffered: status.events_buffered,
      snapshots_buffered: status.snapshots_buffered,
      loop_interval_ms: status.loop_interval_ms,
    };
    const snapshotAt = snapshot?.generated_at ?? status.latest_snapshot_at;
    if (snapshotAt) out.latest_snapshot_at = snapshotAt;
    if (config.includeThoughts) {
      const thought = status.latest_thought ?? snapshot?.summary;
      if (thought) out.latest_thought = clip(thought, config.thoughtMaxChars);
      if (status.latest_thought_model) out.latest_thought_model = status.latest_thought_model;
      if (status.latest_thought_source) out.latest_thought_source = status.latest_thought_source;
    }
    return out;
  } catch {
    return undefined;
  }
}
