// The zod the CLI's own code uses, built to dist/zod.cjs and required on first use (scripts/zod-on-demand.ts).
export { ZodError, z } from "zod";
