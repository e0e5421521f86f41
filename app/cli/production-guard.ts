// Writing to production changes real leads in real property-management systems, so every
// command that writes there asks first on a terminal, or needs --yes. Without a terminal and
// without --yes it refuses: a script never writes to production through a slip of --env.
import type { CliIo } from './io.ts';

export type ProductionAnswer = { readonly go: true } | { readonly go: false; readonly refused: string | null };

/**
 * `refused` is the message to end with when nobody could be asked; null when the user was
 * asked and said no.
 */
export async function confirmProduction(
  io: CliIo,
  options: { readonly yes: boolean; readonly what: string; readonly question: string },
): Promise<ProductionAnswer> {
  if (options.yes) return { go: true };
  if (!io.confirm) return { go: false, refused: `${options.what} needs confirmation: run it on a terminal, or pass --yes` };
  return (await io.confirm(options.question)) ? { go: true } : { go: false, refused: null };
}
