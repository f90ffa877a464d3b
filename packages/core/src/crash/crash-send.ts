import type { CrashReport } from "./crash-report.js";

export interface SendCrashReportOptions {
  /** Default 5000 ms: a crashing CLI must not hang on a slow endpoint. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * POSTs the report as JSON to the configured `telemetry.endpoint`. Only called when an endpoint is configured;
 * throws with the endpoint's status on a non-2xx answer.
 */
export async function sendCrashReport(
  report: CrashReport,
  endpoint: string,
  options: SendCrashReportOptions = {},
): Promise<void> {
  const url = new URL(endpoint);
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`telemetry.endpoint must be an http(s) URL, got ${url.protocol}`);
  const doFetch = options.fetch ?? fetch;
  const res = await doFetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": `codetether/${report.version}` },
    body: JSON.stringify(report),
    redirect: "error",
    signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
  });
  if (!res.ok) throw new Error(`crash report endpoint ${url.origin} answered HTTP ${res.status}`);
  await res.body?.cancel();
}
