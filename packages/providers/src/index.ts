// Public API of @codetether/providers. Export lines are added under `flock /tmp/providers-index.lock`.
export {};
