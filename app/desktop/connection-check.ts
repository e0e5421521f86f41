// "Test connection": one cheap request (the write logs, one entry) with the stored key. The
// answer says whether Propexo took the key; it never contains the key (the client redacts it
// from anything it returns, and no message here is built from it).
import { createPropexoClient, PropexoConfigError } from '../propexo/client.ts';
import type { PropexoFetch } from '../propexo/http-fetch.ts';
import type { CredentialEnvironment } from '../shared/contract.ts';
import type { CredentialTestResult } from '../shared/views.ts';
import { ENVIRONMENT_LABEL } from './desktop-errors.ts';

export interface CredentialTestDeps {
  readonly getToken: (environment: CredentialEnvironment) => Promise<string | undefined>;
  /** Where the environment's requests go: its Propexo server, or a local simulator in tests. */
  readonly baseUrl: string;
  readonly fetch?: PropexoFetch;
  readonly timeoutMs?: number;
}

export async function testCredentials(environment: CredentialEnvironment, deps: CredentialTestDeps): Promise<CredentialTestResult> {
  const label = ENVIRONMENT_LABEL[environment];
  const token = await deps.getToken(environment);
  if (token === undefined || token === '') return { ok: false, message: `No API key is stored for ${label}: add it in Send settings.` };
  let client;
  try {
    client = createPropexoClient({ baseUrl: deps.baseUrl, token, fetch: deps.fetch, timeoutMs: deps.timeoutMs ?? 15_000 });
  } catch (error) {
    if (error instanceof PropexoConfigError) return { ok: false, message: `${error.message}.` };
    throw error;
  }
  const answer = await client.writeLogs({ limit: 1 });
  if (answer.ok) return { ok: true, message: `The key works: ${label} accepted it.` };
  const error = answer.error;
  switch (error.kind) {
    case 'auth':
      return {
        ok: false,
        message: `Propexo refused the key (${error.status}): check that it is the ${label} key and that it is still active.`,
      };
    case 'throttled':
      return { ok: false, message: 'Propexo is limiting requests for this key right now (429): try again in a minute.' };
    case 'retryable':
      return error.status === undefined
        ? { ok: false, message: `Could not reach Propexo: ${error.message}.` }
        : { ok: false, message: `Propexo could not answer (${error.status}): try again in a few minutes.` };
    case 'rejected':
    case 'unexpected':
      return { ok: false, message: `Propexo answered ${error.status ?? 'with an error'}: ${error.message}` };
    case 'cancelled':
      return { ok: false, message: `Could not reach Propexo: ${error.message}.` };
  }
}
