// Test doubles for RunFs: a recording/faulting wrapper over the real file system, and an
// in-memory file system that models what survives a crash (only fsync'd bytes and
// directory entries made durable by a directory fsync; an unsynced append may survive in
// part, or as zeros).
import { posix } from 'node:path';
import type { OpenFlags, RunFileHandle, RunFs } from '../../../app/run/run-fs.ts';

export function fsError(code: string, path = ''): Error {
  return Object.assign(new Error(`${code}: simulated failure, '${path}'`), { code });
}

export type OpName =
  | 'open'
  | 'write'
  | 'read'
  | 'sync'
  | 'ftruncate'
  | 'close'
  | 'size'
  | 'readFile'
  | 'rename'
  | 'mkdir'
  | 'readdir'
  | 'stat'
  | 'truncate'
  | 'unlink'
  | 'rmdir'
  | 'syncDir';

export interface Op {
  readonly op: OpName;
  readonly path: string;
  /** write: the bytes asked for. */
  readonly data?: Uint8Array;
  readonly flags?: OpenFlags;
}

export interface Fault {
  readonly error: Error;
  /** write only: write this many bytes first (a short write before the disk filled up). */
  readonly writeFirst?: number;
}

export interface RecordingOptions {
  /** Makes an operation fail. */
  readonly inject?: (op: Op) => Fault | undefined;
  /** Holds an operation back until the returned promise settles (a slow disk). */
  readonly gate?: (op: Op) => Promise<void> | undefined;
}

/** Wraps `base`: records every operation in `log` (when it starts); may delay or fail one. */
export function recordingFs(base: RunFs, options: RecordingOptions = {}): { fs: RunFs; log: Op[] } {
  const log: Op[] = [];
  const inject = options.inject ?? (() => undefined);
  const gate = options.gate ?? (() => undefined);
  const run = async <T>(op: Op, action: () => Promise<T>): Promise<T> => {
    log.push(op);
    await gate(op);
    const fault = inject(op);
    if (fault !== undefined) throw fault.error;
    return action();
  };
  const fs: RunFs = {
    async open(path, flags) {
      const handle = await run({ op: 'open', path, flags }, () => base.open(path, flags));
      const wrapped: RunFileHandle = {
        async write(data) {
          const op: Op = { op: 'write', path, data };
          log.push(op);
          await gate(op);
          const fault = inject(op);
          if (fault !== undefined) {
            if (fault.writeFirst !== undefined) await handle.write(data.subarray(0, fault.writeFirst));
            throw fault.error;
          }
          await handle.write(data);
        },
        read: (position, length) => run({ op: 'read', path }, () => handle.read(position, length)),
        sync: () => run({ op: 'sync', path }, () => handle.sync()),
        truncate: (length) => run({ op: 'ftruncate', path }, () => handle.truncate(length)),
        size: () => run({ op: 'size', path }, () => handle.size()),
        close: () => run({ op: 'close', path }, () => handle.close()),
      };
      return wrapped;
    },
    readFile: (path) => run({ op: 'readFile', path }, () => base.readFile(path)),
    rename: (from, to) => run({ op: 'rename', path: `${from} -> ${to}` }, () => base.rename(from, to)),
    mkdir: (path, options) => run({ op: 'mkdir', path }, () => base.mkdir(path, options)),
    readdir: (path) => run({ op: 'readdir', path }, () => base.readdir(path)),
    stat: (path) => run({ op: 'stat', path }, () => base.stat(path)),
    truncate: (path, length) => run({ op: 'truncate', path }, () => base.truncate(path, length)),
    unlink: (path) => run({ op: 'unlink', path }, () => base.unlink(path)),
    rmdir: (path) => run({ op: 'rmdir', path }, () => base.rmdir(path)),
    syncDir: (path) => run({ op: 'syncDir', path }, () => base.syncDir(path)),
  };
  return { fs, log };
}

// ---- in-memory file system with crash semantics ----------------------------------------------

interface Inode {
  data: Uint8Array;
  /** What an fsync made durable. */
  synced: Uint8Array;
}
interface Dir {
  entries: Map<string, Node>;
  /** The entries a directory fsync made durable. */
  synced: Map<string, Node>;
}
type Node = { readonly kind: 'file'; readonly inode: Inode } | { readonly kind: 'dir'; readonly dir: Dir };

const newDir = (): Dir => ({ entries: new Map(), synced: new Map() });

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

/** What happens to bytes appended but not fsync'd when the machine goes down. */
export type CrashMode =
  | { readonly unsynced: 'lost' }
  | { readonly unsynced: 'torn'; readonly keep: number }
  | { readonly unsynced: 'zeros'; readonly keep: number };

/** Operations that change the disk: `hangAt` counts these. */
const mutating = new Set<OpName>(['open', 'write', 'sync', 'ftruncate', 'rename', 'mkdir', 'truncate', 'unlink', 'rmdir', 'syncDir']);

export class MemoryFs implements RunFs {
  private root: Dir = newDir();
  private mutations = 0;
  /** Bumped by crash(): handles opened before it belong to the dead process and never answer. */
  private epoch = 0;
  /** The n-th (0-based) mutating operation never completes: the process "dies" right there. */
  hangAt: number | undefined;
  private hungResolve: (() => void) | undefined;
  /** Resolves when the hang point is reached. */
  readonly hung: Promise<void> = new Promise((resolve) => (this.hungResolve = resolve));
  readonly log: Op[] = [];

  /** Creates directories that are already durable (the world before the test). */
  seedDir(path: string): void {
    let dir = this.root;
    for (const name of parts(path)) {
      let node = dir.entries.get(name);
      if (node === undefined) {
        node = { kind: 'dir', dir: newDir() };
        dir.entries.set(name, node);
        dir.synced.set(name, node);
      }
      if (node.kind !== 'dir') throw new Error(`${path}: not a directory`);
      dir = node.dir;
    }
  }

  /** How many mutating operations have run so far. */
  get mutationCount(): number {
    return this.mutations;
  }

  /** The machine goes down and comes back: only durable state remains. */
  crash(mode: CrashMode = { unsynced: 'lost' }): void {
    this.epoch += 1;
    const seen = new Set<Inode>();
    const recover = (dir: Dir) => {
      dir.entries = new Map(dir.synced);
      for (const node of dir.entries.values()) {
        if (node.kind === 'dir') recover(node.dir);
        else if (!seen.has(node.inode)) {
          seen.add(node.inode);
          const inode = node.inode;
          if (mode.unsynced !== 'lost' && inode.data.length > inode.synced.length && startsWith(inode.data, inode.synced)) {
            const extra = inode.data.subarray(
              inode.synced.length,
              inode.synced.length + Math.min(mode.keep, inode.data.length - inode.synced.length),
            );
            inode.data = concat(inode.synced, mode.unsynced === 'torn' ? extra : new Uint8Array(extra.length));
          } else {
            inode.data = inode.synced.slice();
          }
          inode.synced = inode.data.slice();
        }
      }
    };
    recover(this.root);
    this.hangAt = undefined;
  }

  /** The file's current bytes as text (tests look, they do not go through RunFs). */
  text(path: string): string | undefined {
    const node = this.lookup(path);
    return node?.kind === 'file' ? new TextDecoder().decode(node.inode.data) : undefined;
  }

  exists(path: string): boolean {
    return this.lookup(path) !== undefined;
  }

  private step<T>(op: Op, action: () => T, epoch = this.epoch): Promise<T> {
    if (epoch !== this.epoch) return new Promise<T>(() => undefined);
    this.log.push(op);
    if (mutating.has(op.op)) {
      const index = this.mutations++;
      if (this.hangAt !== undefined && index >= this.hangAt) {
        this.hungResolve?.();
        return new Promise<T>(() => undefined);
      }
    }
    try {
      return Promise.resolve(action());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private lookup(path: string): Node | undefined {
    let node: Node = { kind: 'dir', dir: this.root };
    for (const name of parts(path)) {
      if (node.kind !== 'dir') return undefined;
      const next = node.dir.entries.get(name);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  private parentOf(path: string): { dir: Dir; name: string } {
    const names = parts(path);
    const name = names.pop();
    const parent = this.lookup(`/${names.join('/')}`);
    if (name === undefined || parent === undefined) throw fsError('ENOENT', path);
    if (parent.kind !== 'dir') throw fsError('ENOTDIR', path);
    return { dir: parent.dir, name };
  }

  private file(path: string): Inode {
    const node = this.lookup(path);
    if (node === undefined) throw fsError('ENOENT', path);
    if (node.kind !== 'file') throw fsError('EISDIR', path);
    return node.inode;
  }

  private dir(path: string): Dir {
    const node = this.lookup(path);
    if (node === undefined) throw fsError('ENOENT', path);
    if (node.kind !== 'dir') throw fsError('ENOTDIR', path);
    return node.dir;
  }

  open(path: string, flags: OpenFlags): Promise<RunFileHandle> {
    return this.step({ op: 'open', path, flags }, () => {
      if (this.lookup(path) !== undefined) {
        if (flags === 'wx') throw fsError('EEXIST', path);
        return this.handle(path, this.file(path), flags);
      }
      if (flags === 'r') throw fsError('ENOENT', path);
      const { dir, name } = this.parentOf(path);
      const inode: Inode = { data: new Uint8Array(0), synced: new Uint8Array(0) };
      dir.entries.set(name, { kind: 'file', inode });
      return this.handle(path, inode, flags);
    });
  }

  private handle(path: string, inode: Inode, flags: OpenFlags): RunFileHandle {
    let position = 0;
    const epoch = this.epoch;
    const step = <T>(op: Op, action: () => T) => this.step(op, action, epoch);
    return {
      write: (data) =>
        step({ op: 'write', path, data }, () => {
          if (flags === 'r') throw fsError('EBADF', path);
          if (flags === 'a+') inode.data = concat(inode.data, data);
          else {
            const before = inode.data.subarray(0, position);
            inode.data = concat(concat(before, data), inode.data.subarray(position + data.length));
            position += data.length;
          }
        }),
      read: (pos, length) => step({ op: 'read', path }, () => inode.data.slice(pos, pos + length)),
      sync: () =>
        step({ op: 'sync', path }, () => {
          inode.synced = inode.data.slice();
        }),
      truncate: (length) =>
        step({ op: 'ftruncate', path }, () => {
          inode.data =
            length <= inode.data.length ? inode.data.slice(0, length) : concat(inode.data, new Uint8Array(length - inode.data.length));
        }),
      size: () => step({ op: 'size', path }, () => inode.data.length),
      close: () => step({ op: 'close', path }, () => undefined),
    };
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.step({ op: 'readFile', path }, () => this.file(path).data.slice());
  }

  rename(from: string, to: string): Promise<void> {
    return this.step({ op: 'rename', path: `${from} -> ${to}` }, () => {
      const source = this.parentOf(from);
      const node = source.dir.entries.get(source.name);
      if (node === undefined) throw fsError('ENOENT', from);
      const target = this.parentOf(to);
      source.dir.entries.delete(source.name);
      target.dir.entries.set(target.name, node);
    });
  }

  mkdir(path: string, options?: { readonly recursive?: boolean }): Promise<void> {
    return this.step({ op: 'mkdir', path }, () => {
      if (options?.recursive === true) {
        let dir = this.root;
        for (const name of parts(path)) {
          let node = dir.entries.get(name);
          if (node === undefined) {
            node = { kind: 'dir', dir: newDir() };
            dir.entries.set(name, node);
          }
          if (node.kind !== 'dir') throw fsError('EEXIST', path);
          dir = node.dir;
        }
        return;
      }
      const { dir, name } = this.parentOf(path);
      if (dir.entries.has(name)) throw fsError('EEXIST', path);
      dir.entries.set(name, { kind: 'dir', dir: newDir() });
    });
  }

  readdir(path: string): Promise<string[]> {
    return this.step({ op: 'readdir', path }, () => [...this.dir(path).entries.keys()]);
  }

  stat(path: string): Promise<{ size: number; isDirectory: boolean }> {
    return this.step({ op: 'stat', path }, () => {
      const node = this.lookup(path);
      if (node === undefined) throw fsError('ENOENT', path);
      return node.kind === 'dir' ? { size: 0, isDirectory: true } : { size: node.inode.data.length, isDirectory: false };
    });
  }

  truncate(path: string, length: number): Promise<void> {
    return this.step({ op: 'truncate', path }, () => {
      const inode = this.file(path);
      inode.data = inode.data.slice(0, length);
    });
  }

  unlink(path: string): Promise<void> {
    return this.step({ op: 'unlink', path }, () => {
      const { dir, name } = this.parentOf(path);
      const node = dir.entries.get(name);
      if (node === undefined) throw fsError('ENOENT', path);
      if (node.kind === 'dir') throw fsError('EISDIR', path);
      dir.entries.delete(name);
    });
  }

  rmdir(path: string): Promise<void> {
    return this.step({ op: 'rmdir', path }, () => {
      const { dir, name } = this.parentOf(path);
      const node = dir.entries.get(name);
      if (node === undefined) throw fsError('ENOENT', path);
      if (node.kind !== 'dir') throw fsError('ENOTDIR', path);
      if (node.dir.entries.size > 0) throw fsError('ENOTEMPTY', path);
      dir.entries.delete(name);
    });
  }

  syncDir(path: string): Promise<void> {
    return this.step({ op: 'syncDir', path }, () => {
      const dir = this.dir(path);
      dir.synced = new Map(dir.entries);
    });
  }
}

function parts(path: string): string[] {
  return posix
    .normalize(path)
    .split('/')
    .filter((p) => p !== '' && p !== '.');
}
