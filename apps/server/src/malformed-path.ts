/** Whether a raw request path has a percent-escape that does not decode (`%zz`, a lone `%`, invalid UTF-8). */
export function hasMalformedEscape(path: string): boolean {
  if (!path.includes("%")) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}
