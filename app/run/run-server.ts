// Where a run that is continued (resume, re-check, retry) sends its requests, and so the API
// key. run.json lives on disk where another user or a synced folder could change it: a custom
// server it names is trusted only when the caller names the same server. Named environments
// (sandbox, production) come from our own table, never from the URL in run.json.
import * as E from 'fp-ts/Either';
import { propexoServers, resolveBaseUrl } from '../propexo/base-url.ts';
import type { RunHeader } from './run-header.ts';

/**
 * The environment to open for `header`, given what the caller named ('' for nothing), or a
 * sentence saying why not and how to go on. Never echoes anything but addresses.
 */
export function serverForRun(header: RunHeader, named: string): E.Either<string, string> {
  const { runId, environment } = header;
  const asked = named.trim();
  if (environment.name === 'practice') {
    return asked === '' || asked === 'practice'
      ? E.right('practice')
      : E.left(`Run ${runId} ran in the practice environment, not on ${asked}: leave out --env to continue it.`);
  }
  const recorded = environment.name === 'custom' ? environment.baseUrl : propexoServers[environment.name];
  if (asked === '') {
    if (environment.name !== 'custom') return E.right(environment.name);
    return E.left(
      `Run ${runId} was sent to ${recorded}, a server named only in its run.json. To send your API key there again, name it on the command line: --env ${recorded}`,
    );
  }
  const resolved = resolveBaseUrl(asked);
  if (E.isLeft(resolved)) return resolved;
  const recordedResolved = resolveBaseUrl(recorded);
  if (E.isLeft(recordedResolved) || recordedResolved.right !== resolved.right) {
    return E.left(
      `Run ${runId} was sent to ${recorded}, but --env names ${resolved.right}: a run continues on its own server. Check where the run belongs, then name its server (--env ${recorded}).`,
    );
  }
  return E.right(environment.name === 'custom' ? resolved.right : environment.name);
}
