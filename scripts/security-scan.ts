// `npm run scan:security`: Electronegativity (Doyensec's static checker for Electron apps) over
//   - the sources: main/ and renderer/ together (with package.json), so the checks that look
//     across files see where navigation, permissions and the CSP are handled;
//   - the built bundles: what electron-builder packs (out/main, out/preload, out/renderer),
//     including the app/ code and libraries main bundles. Its parser predates some syntax the
//     bundles use (class private fields…), so they are scanned lowered to ES2019 by esbuild:
//     the same code, older syntax; line numbers are those of the lowered copy.
// A path given on the command line (a folder or an .asar) is scanned instead, as it is.
//
// Fails (exit 1) on any HIGH finding that scripts/security-scan-allowlist.json does not explain,
// and on any file the scanner could not parse (an unread file is an unchecked file). MEDIUM and
// LOW findings are printed, with the allowlist's reason when there is one.
//
// Offline on purpose: Electronegativity fetches translations and Electron's release list from the
// Internet at start. Our machines and CI have no Internet and tests send traffic only to
// 127.0.0.1, so it is given an HTTP client that refuses at once, and the one check that needs
// the release list (AvailableSecurityFixesGlobalCheck) is skipped: Electron's version is pinned
// in package.json and reviewed at each upgrade.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ALLOWLIST_FILE = join(ROOT, 'scripts', 'security-scan-allowlist.json');
export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Findings at or above this severity fail the scan unless the allowlist explains them. */
export const FAIL_AT: Severity = 'HIGH';
/** Needs the Internet (see above). */
const OFFLINE_EXCLUDED_CHECKS = ['availablesecurityfixesglobalcheck'];

export interface Finding {
  readonly check: string;
  readonly severity: Severity;
  readonly confidence: string;
  /** Relative to the scanned target. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly sample: string;
  readonly manualReview: boolean;
  readonly description: string;
  /** The allowlist's reason when it explains this finding. */
  readonly allowedBecause: string | null;
}

export interface TargetReport {
  readonly label: string;
  readonly input: string;
  readonly checksRun: number;
  readonly findings: readonly Finding[];
  /** Files it could not read: a failure (an unread file is an unchecked file). */
  readonly parseErrors: readonly { readonly file: string; readonly message: string }[];
  /** Files its parser read with error recovery (scanned, but worth a look). */
  readonly parseWarnings: readonly { readonly file: string; readonly message: string }[];
}

export interface ScanReport {
  readonly targets: readonly TargetReport[];
  /** HIGH findings not explained by the allowlist. */
  readonly blocking: readonly Finding[];
  readonly ok: boolean;
}

export interface AllowEntry {
  readonly check: string;
  /** Paths relative to the scanned target (sources: main/…, out/: main/index.js, …). */
  readonly files: readonly string[];
  /** When set, the finding's code sample must contain this text. */
  readonly sample?: string;
  readonly reason: string;
}

export function readAllowlist(path = ALLOWLIST_FILE): readonly AllowEntry[] {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const entries = (parsed as { findings?: unknown }).findings;
  if (!Array.isArray(entries)) throw new Error(`${path}: expected { "findings": [...] }`);
  return entries.map((entry: unknown, i): AllowEntry => {
    const e = entry as Partial<AllowEntry>;
    const where = `${path}: findings[${i}]`;
    if (typeof e.check !== 'string' || e.check === '') throw new Error(`${where}: "check" is required`);
    if (!Array.isArray(e.files) || e.files.some((f) => typeof f !== 'string')) throw new Error(`${where}: "files" must list paths`);
    if (e.sample !== undefined && typeof e.sample !== 'string') throw new Error(`${where}: "sample" must be text`);
    if (typeof e.reason !== 'string' || e.reason.trim().length < 20) throw new Error(`${where}: every allowed finding needs a reason`);
    return { check: e.check, files: e.files, reason: e.reason, ...(e.sample === undefined ? {} : { sample: e.sample }) };
  });
}

export function allowedBecause(finding: Omit<Finding, 'allowedBecause'>, allowlist: readonly AllowEntry[]): string | null {
  const entry = allowlist.find(
    (e) => e.check === finding.check && e.files.includes(finding.file) && (e.sample === undefined || finding.sample.includes(e.sample)),
  );
  return entry?.reason ?? null;
}

// ---------------------------------------------------------------------------------------------
// Electronegativity, offline

interface RawIssue {
  readonly id: string;
  readonly file: string;
  readonly location: { readonly line: number; readonly column: number };
  readonly severity: { readonly name: string };
  readonly confidence: { readonly name: string };
  readonly sample?: string;
  readonly manualReview?: boolean;
  readonly description?: string;
}

interface RawResult {
  readonly globalChecks: number;
  readonly atomicChecks: number;
  readonly errors: readonly { readonly file: string; readonly message: string; readonly tolerable: boolean }[];
  readonly issues: readonly RawIssue[];
}

type Runner = (options: Record<string, unknown>) => Promise<RawResult>;

let runner: Runner | null = null;

function electronegativity(): Runner {
  if (runner !== null) return runner;
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@doyensec/electronegativity/package.json');
  const fromPackage = createRequire(packageJson);
  // Its `got` is replaced before anything loads it: every request fails at once, no socket opens.
  const gotPath = fromPackage.resolve('got');
  const refuse = (): Promise<never> => Promise.reject(new Error('offline: Lead Importer scans without network access'));
  const offline = Object.assign(refuse, { get: refuse, head: refuse, post: refuse, stream: refuse });
  const cached = { id: gotPath, filename: gotPath, loaded: true, exports: offline } as unknown as NodeJS.Module;
  require.cache[gotPath] = cached;
  runner = fromPackage('./dist/runner.js') as Runner;
  return runner;
}

async function quietly<T>(work: () => Promise<T>): Promise<T> {
  // It reports its failed translation download on stdout; the report is ours to print.
  const log = console.log;
  console.log = () => undefined;
  try {
    return await work();
  } finally {
    console.log = log;
  }
}

export async function scanTarget(
  label: string,
  input: string,
  options: { readonly electronVersion: string; readonly allowlist: readonly AllowEntry[] },
): Promise<TargetReport> {
  const run = electronegativity();
  const result = await quietly(() =>
    run({
      input,
      isRelative: true,
      customScan: [],
      excludeFromScan: OFFLINE_EXCLUDED_CHECKS,
      electronVersionOverride: options.electronVersion,
      parserPlugins: [],
    }),
  );
  const findings = result.issues.map((issue): Finding => {
    const severity = SEVERITIES.find((s) => s === issue.severity.name);
    if (severity === undefined) throw new Error(`electronegativity: unknown severity ${issue.severity.name}`);
    const base = {
      check: issue.id,
      severity,
      confidence: issue.confidence.name,
      file: issue.file.replaceAll('\\', '/'),
      line: issue.location.line,
      column: issue.location.column,
      sample: (issue.sample ?? '').trim(),
      manualReview: issue.manualReview === true,
      description: issue.description ?? '',
    };
    return { ...base, allowedBecause: allowedBecause(base, options.allowlist) };
  });
  const problem = (e: RawResult['errors'][number]) => ({
    file: relative(input, e.file).replaceAll('\\', '/') || e.file,
    message: e.message,
  });
  const parseErrors = result.errors.filter((e) => !e.tolerable).map(problem);
  const parseWarnings = result.errors.filter((e) => e.tolerable).map(problem);
  return { label, input, checksRun: result.globalChecks + result.atomicChecks, findings, parseErrors, parseWarnings };
}

export function summarize(targets: readonly TargetReport[]): ScanReport {
  const failAt = SEVERITIES.indexOf(FAIL_AT);
  const blocking = targets.flatMap((t) => t.findings).filter((f) => SEVERITIES.indexOf(f.severity) >= failAt && f.allowedBecause === null);
  const unparsed = targets.some((t) => t.parseErrors.length > 0);
  return { targets, blocking, ok: blocking.length === 0 && !unparsed };
}

interface Staged {
  readonly dir: string;
  readonly dispose: () => void;
}

/** main/ and renderer/ (and package.json, for the Electron version) in one folder, as one app. */
function stageSources(): Staged {
  const dir = mkdtempSync(join(tmpdir(), 'lead-importer-scan-'));
  for (const part of ['main', 'renderer']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The folders of out/ that electron-builder.yml packs. */
export const SHIPPED_OUT_DIRS: readonly string[] = ['main', 'preload', 'renderer'];

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The shipped part of out/, scripts lowered to ES2019 (see the top of this file). */
function stageBundles(out: string): Staged {
  const dir = mkdtempSync(join(tmpdir(), 'lead-importer-scan-out-'));
  for (const part of SHIPPED_OUT_DIRS) cpSync(join(out, part), join(dir, part), { recursive: true });
  for (const file of filesUnder(dir).filter((f) => /\.(js|cjs|mjs)$/.test(f))) {
    const lowered = transformSync(readFileSync(file, 'utf8'), {
      loader: 'js',
      format: file.endsWith('.cjs') ? 'cjs' : 'esm',
      target: 'es2019',
      // Worker entries await at top level; that stays as it is.
      supported: { 'top-level-await': true },
      legalComments: 'inline',
    });
    writeFileSync(file, lowered.code);
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function pinnedElectronVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const version = pkg.devDependencies?.electron;
  if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version))
    throw new Error('package.json: electron must be pinned to an exact version');
  return version;
}

/** Scans `inputs`, or by default the sources and out/ (which must be built). */
export async function scan(inputs: readonly string[] = []): Promise<ScanReport> {
  const options = { electronVersion: pinnedElectronVersion(), allowlist: readAllowlist() };
  const targets: TargetReport[] = [];
  if (inputs.length > 0) {
    for (const input of inputs) {
      const path = resolve(input);
      if (!existsSync(path)) throw new Error(`nothing to scan at ${path}`);
      targets.push(await scanTarget(relative(ROOT, path) || path, path, options));
    }
    return summarize(targets);
  }
  const out = join(ROOT, 'out');
  if (SHIPPED_OUT_DIRS.some((part) => !existsSync(join(out, part))))
    throw new Error('out/ is not built: run `npm run build` first (npm run scan:security does)');
  for (const [label, stage] of [
    ['sources (main/ + renderer/)', stageSources],
    ['built bundles (out/main, out/preload, out/renderer)', () => stageBundles(out)],
  ] as const) {
    const staged = stage();
    try {
      targets.push(await scanTarget(label, staged.dir, options));
    } finally {
      staged.dispose();
    }
  }
  return summarize(targets);
}

export function formatReport(report: ScanReport): string {
  const lines: string[] = [];
  for (const target of report.targets) {
    lines.push(`Electronegativity: ${target.label}: ${target.checksRun} checks, ${target.findings.length} finding(s)`);
    for (const f of target.findings) {
      const verdict =
        f.allowedBecause !== null
          ? `reviewed: ${f.allowedBecause}`
          : SEVERITIES.indexOf(f.severity) >= SEVERITIES.indexOf(FAIL_AT)
            ? 'BLOCKING'
            : 'not reviewed yet';
      lines.push(
        `  ${f.severity.padEnd(6)} ${f.check} ${f.file}:${f.line}:${f.column}${f.sample === '' ? '' : `  ${f.sample.replace(/\s+/g, ' ').slice(0, 90)}`}`,
      );
      lines.push(`         ${verdict}`);
    }
    for (const e of target.parseErrors) lines.push(`  NOT SCANNED ${e.file}: ${e.message}`);
    for (const e of target.parseWarnings) lines.push(`  parsed with recovery ${e.file}: ${e.message}`);
  }
  lines.push(
    report.ok
      ? `No ${FAIL_AT} finding left unexplained.`
      : `FAILED: ${report.blocking.length} ${FAIL_AT} finding(s) unexplained${report.targets.some((t) => t.parseErrors.length > 0) ? ', and files that could not be scanned' : ''}.`,
  );
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const report = await scan(argv.filter((a) => a !== '--json'));
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  return report.ok ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`security scan: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 2;
    },
  );
}
