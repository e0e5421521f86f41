// Checks, before anything is sent, that the results file and error report asked for can be
// written where they were asked for: finding out after sending 100,000 rows is too late.
import { open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as E from 'fp-ts/Either';
import { describeFsError, errorCode } from './run-fs.ts';

export interface ReportTarget {
  /** What the file is, for the message ("results file", "error report"). */
  readonly what: string;
  readonly path: string;
}

async function checkOne({ what, path }: ReportTarget): Promise<E.Either<string, string>> {
  const folder = dirname(path);
  const refuse = (why: string): E.Either<string, string> =>
    E.left(`Cannot write the ${what} ${path}: ${why}. Nothing was sent; choose another path.`);
  try {
    if ((await stat(path)).isDirectory()) return refuse('it is a folder');
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') return refuse(describeFsError(error));
  }
  try {
    if (!(await stat(folder)).isDirectory()) return refuse(`${folder} is not a folder`);
  } catch (error) {
    return refuse(errorCode(error) === 'ENOENT' ? `the folder ${folder} does not exist` : describeFsError(error));
  }
  // The report is written beside its target and renamed into place: prove a file can be made there.
  const probe = join(folder, `.${basename(path)}.${process.pid}.probe`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } catch (error) {
    return refuse(describeFsError(error));
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  return E.right(path);
}

/** The first report path that cannot be written, as a message; Right when all can be. */
export async function checkReportPaths(targets: readonly ReportTarget[]): Promise<E.Either<string, void>> {
  for (const target of targets) {
    const checked = await checkOne(target);
    if (E.isLeft(checked)) return checked;
  }
  return E.right(undefined);
}

export const reportTargets = (paths: { readonly resultsPath?: string; readonly errorsPath?: string }): ReportTarget[] => [
  ...(paths.resultsPath !== undefined ? [{ what: 'results file', path: paths.resultsPath }] : []),
  ...(paths.errorsPath !== undefined ? [{ what: 'error report', path: paths.errorsPath }] : []),
];
