import { toJsonText } from "@codetether/core";
import type { AppliedObject, DeleteResult, SelfStatus } from "@codetether/k8s";
import type { CliIO } from "../io.js";

const json = (io: CliIO, value: unknown) => io.stdout.write(toJsonText(value));

export function printDeployed(io: CliIO, asJson: boolean | undefined, applied: AppliedObject[]): void {
  if (asJson) return void json(io, { applied });
  for (const a of applied)
    io.stdout.write(`${a.kind}/${a.name}${a.namespace ? ` (${a.namespace})` : ""} ${a.outcome}\n`);
}

export function printDeleted(io: CliIO, asJson: boolean | undefined, removed: DeleteResult[]): void {
  if (asJson) return void json(io, { deleted: removed });
  for (const r of removed)
    io.stdout.write(
      `${r.kind}/${r.name} (${r.namespace}) ${r.outcome === "deleted" ? "deleted" : "not found"}\n`,
    );
}

export function printStatus(io: CliIO, asJson: boolean | undefined, s: SelfStatus): void {
  if (asJson) return void json(io, s);
  if (!s.deployed) {
    io.stdout.write(
      `No Deployment ${s.name} in namespace ${s.namespace} (${s.cluster}). Deploy it with \`codetether k8s deploy\`.\n`,
    );
    return;
  }
  const r = s.replicas ?? { desired: 0, ready: 0, available: 0 };
  io.stdout.write(
    `Deployment ${s.namespace}/${s.name}: ${r.ready}/${r.desired} ready, ${r.available} available\n`,
  );
  io.stdout.write(`  image    ${s.image}\n`);
  io.stdout.write(
    `  service  ${s.service ? s.service.ports.map((p) => `${p.name} ${p.port}`).join(", ") : "missing"}\n`,
  );
  for (const p of s.pods ?? [])
    io.stdout.write(
      `  pod      ${p.name}  ${p.phase}${p.ready ? " ready" : ""}  restarts ${p.restarts}${p.healthy ? "" : `  unhealthy: ${p.reason}`}\n`,
    );
}
