#!/usr/bin/env node
// Standalone scripted OpenAI-compatible server (needs `npx tsup` in packages/testing first).
import { main } from "../dist/index.js";

process.exitCode = await main(process.argv.slice(2));
