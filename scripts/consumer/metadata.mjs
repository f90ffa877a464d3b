// Package metadata checks shared by check:publish and its self-test.

/** What a user of the published package relies on that publint does not check. */
export function metadataProblems(manifest, listing) {
  const problems = [];
  if (!manifest.license) problems.push("no license");
  if (!manifest.repository?.url || !manifest.repository?.directory)
    problems.push("repository needs url and directory");
  if (!manifest.engines?.node) problems.push("no engines.node");
  if (!Array.isArray(manifest.files)) problems.push("no files list (would publish everything)");
  if (!listing.includes("package/README.md")) problems.push("no README.md in the tarball");
  if (manifest.exports?.["."] && manifest.sideEffects === undefined)
    problems.push("sideEffects is not declared");
  for (const [key, value] of Object.entries(manifest.exports ?? {})) {
    if (key !== "./package.json" && typeof value === "object" && !value.types)
      problems.push(`exports["${key}"] has no types`);
  }
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {}))
      if (String(range).startsWith("workspace:")) problems.push(`${field}.${dep} is still ${range}`);
  }
  return problems;
}
