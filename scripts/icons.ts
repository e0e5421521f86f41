// `npm run icons`: renders every icon the installers use from the one source, build/icon.svg,
// and writes them beside it. The output is committed, so packaging needs no generator (and no
// native renderer) at build time; test/integration/packaging/icons.test.ts fails when the
// committed files are not exactly what this script makes from the current SVG.
//
//   build/icons/NxN.png  Linux (electron-builder takes the size from the file name)
//   build/icon.png       1024 px, the fallback electron-builder looks for
//   build/icon.ico       Windows: BMP entries up to 128 px (what every Windows shell reads),
//                        a PNG entry for 256 px (Vista and later)
//   build/icon.icns      macOS: PNG entries, 16 px to 1024 px (512@2x)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

export const BUILD_DIR = fileURLToPath(new URL('../build/', import.meta.url));
export const SOURCE = 'icon.svg';

export const PNG_SIZES: readonly number[] = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES: readonly number[] = [16, 24, 32, 48, 64, 128, 256];
/** ICO entries at or above this size are stored as PNG, smaller ones as 32-bit BMP. */
const ICO_PNG_FROM = 256;
/** macOS icon types that hold a PNG, with their pixel size (iconutil's set, plus icp4/icp5). */
export const ICNS_ENTRIES: readonly (readonly [type: string, size: number])[] = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16@2x
  ['ic12', 64], // 32@2x
  ['ic07', 128],
  ['ic13', 256], // 128@2x
  ['ic08', 256],
  ['ic14', 512], // 256@2x
  ['ic09', 512],
  ['ic10', 1024], // 512@2x
];

export interface RenderedIcon {
  readonly size: number;
  readonly png: Buffer;
  /** RGBA, straight (not premultiplied) alpha, top row first. */
  readonly rgba: Buffer;
}

/** Renders the SVG at `size` × `size` pixels. */
export function renderIcon(svg: string, size: number): RenderedIcon {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render();
  if (image.width !== size || image.height !== size)
    throw new Error(`${SOURCE}: rendered ${image.width}×${image.height} for ${size}×${size}; the SVG must be square`);
  return { size, png: image.asPng(), rgba: unpremultiply(image.pixels) };
}

/** resvg hands out premultiplied RGBA; BMP icons want straight alpha. */
function unpremultiply(pixels: Buffer): Buffer {
  const out = Buffer.from(pixels);
  for (let i = 0; i < out.length; i += 4) {
    const a = out[i + 3];
    if (a === 0 || a === 255) continue;
    for (let c = 0; c < 3; c++) out[i + c] = Math.min(255, Math.round((out[i + c] * 255) / a));
  }
  return out;
}

/** A Windows .ico holding `icons` (each at most 256 px). */
export function encodeIco(icons: readonly RenderedIcon[]): Buffer {
  const payloads = icons.map((icon) => (icon.size >= ICO_PNG_FROM ? icon.png : icoBitmap(icon)));
  const header = Buffer.alloc(6 + 16 * icons.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1: icon
  header.writeUInt16LE(icons.length, 4);
  let offset = header.length;
  icons.forEach((icon, i) => {
    if (icon.size > 256) throw new Error(`an .ico entry is at most 256 px, not ${icon.size}`);
    const entry = 6 + 16 * i;
    header.writeUInt8(icon.size === 256 ? 0 : icon.size, entry); // 0 means 256
    header.writeUInt8(icon.size === 256 ? 0 : icon.size, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3);
    header.writeUInt16LE(1, entry + 4); // planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(payloads[i].length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += payloads[i].length;
  });
  return Buffer.concat([header, ...payloads]);
}

/** BITMAPINFOHEADER + bottom-up BGRA pixels + the 1-bit AND mask (set where transparent). */
function icoBitmap({ size, rgba }: RenderedIcon): Buffer {
  const maskStride = Math.ceil(size / 32) * 4;
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // colour rows + mask rows
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  info.writeUInt32LE(0, 16); // BI_RGB
  info.writeUInt32LE(size * size * 4 + maskStride * size, 20);
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskStride * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y; // bottom-up
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = (row * size + x) * 4;
      pixels[to] = rgba[from + 2];
      pixels[to + 1] = rgba[from + 1];
      pixels[to + 2] = rgba[from];
      pixels[to + 3] = rgba[from + 3];
      if (rgba[from + 3] === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([info, pixels, mask]);
}

/** A macOS .icns of PNG entries. */
export function encodeIcns(entries: readonly { readonly type: string; readonly png: Buffer }[]): Buffer {
  const chunks = entries.map(({ type, png }) => {
    if (!/^[a-z0-9]{4}$/.test(type)) throw new Error(`not an icns type: ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

/** Every generated file, by path relative to build/. */
export function iconFiles(svg: string): Map<string, Buffer> {
  const sizes = [...new Set([...PNG_SIZES, ...ICO_SIZES, ...ICNS_ENTRIES.map(([, size]) => size)])];
  const rendered = new Map(sizes.map((size) => [size, renderIcon(svg, size)]));
  const at = (size: number): RenderedIcon => {
    const icon = rendered.get(size);
    if (icon === undefined) throw new Error(`no rendering at ${size} px`);
    return icon;
  };
  const files = new Map<string, Buffer>();
  for (const size of PNG_SIZES) files.set(`icons/${size}x${size}.png`, at(size).png);
  files.set('icon.png', at(1024).png);
  files.set('icon.ico', encodeIco(ICO_SIZES.map(at)));
  files.set('icon.icns', encodeIcns(ICNS_ENTRIES.map(([type, size]) => ({ type, png: at(size).png }))));
  return files;
}

export function readSource(buildDir = BUILD_DIR): string {
  return readFileSync(join(buildDir, SOURCE), 'utf8');
}

function main(): void {
  const svg = readSource();
  for (const [path, bytes] of iconFiles(svg)) {
    const target = join(BUILD_DIR, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    console.log(
      `build/${path}  ${bytes.length.toLocaleString('en-US')} bytes  sha256 ${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
