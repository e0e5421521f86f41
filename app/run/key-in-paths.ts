// A run stores its paths (run.json, the journal) and scrubs the API key from everything it
// stores. A path that holds the key would be scrubbed too, and the run could not find its file
// or folder again: such a path is refused before anything is written or sent, and the message
// names which path without showing it (it holds the key).
import { containsSecret } from '../propexo/redact.ts';

export type NamedPath = readonly [what: string, path: string | undefined];

export function keyInPaths(token: string | undefined, paths: readonly NamedPath[]): string | undefined {
  if (token === undefined) return undefined;
  for (const [what, path] of paths) {
    if (path !== undefined && containsSecret(path, [token])) {
      return `The API key appears in the ${what}'s path (not shown here, since it holds the key). A run never rewrites a path, and stores nothing that holds the key: choose a ${what} whose path does not contain it.`;
    }
  }
  return undefined;
}
