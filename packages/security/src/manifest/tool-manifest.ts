import { lazySchema, SandboxPolicySchema } from "@codetether/core";
import { z } from "zod";

const relativePath = lazySchema(() =>
  z
    .string()
    .min(1)
    .refine(
      (p) => !p.startsWith("/") && !p.includes("\\") && !p.split("/").some((s) => s === ".." || s === "."),
      {
        message: "must be a relative path inside the tool directory (no '..', no leading '/')",
      },
    ),
);

export const ToolPermissionSchema = lazySchema(() =>
  z.enum(["read", "write", "exec", "network", "agent", "other"]),
);

/** `manifest.json` of a tool directory. `files` maps every shipped file to its SHA-256 (hex). */
export const ToolManifestSchema = lazySchema(() =>
  z
    .object({
      id: z.string().regex(/^[A-Za-z@][A-Za-z0-9_./@-]{0,127}$/, "letters, digits, _ . / @ -"),
      version: z.string().min(1),
      description: z.string(),
      entry: relativePath,
      files: z.record(relativePath, z.string().regex(/^[0-9a-f]{64}$/, "sha256 hex")),
      /** Tool kinds the plugin may declare (a plugin tool whose `kind` is not listed is refused). */
      permissions: z.array(ToolPermissionSchema),
      sandbox: SandboxPolicySchema,
    })
    .strict(),
);

export type ToolManifest = z.infer<typeof ToolManifestSchema>;
export type ToolManifestDraft = Omit<ToolManifest, "files">;

/** `manifest.sig`: who signed and the Ed25519 signature over the exact bytes of `manifest.json`. */
export const ManifestSignatureSchema = lazySchema(() =>
  z
    .object({
      algorithm: z.literal("ed25519"),
      public_key: z.string(),
      signature: z.string(),
    })
    .strict(),
);

export type ManifestSignature = z.infer<typeof ManifestSignatureSchema>;

export const MANIFEST_FILE = "manifest.json";
export const SIGNATURE_FILE = "manifest.sig";
