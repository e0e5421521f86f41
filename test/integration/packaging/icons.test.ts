// The icon set in build/ is what `npm run icons` makes from build/icon.svg (committed so that
// packaging needs no generator), in formats each platform reads, and the configuration uses it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_DIR, encodeIco, ICNS_ENTRIES, ICO_SIZES, iconFiles, PNG_SIZES, readSource, renderIcon } from '../../../scripts/icons.ts';
import { readBuilderConfig } from './support/builder-config.ts';
import { ROOT } from './support/built-app.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

interface IcoImage {
  readonly declared: number;
  readonly bitCount: number;
  readonly data: Buffer;
}

function readIco(ico: Buffer): IcoImage[] {
  expect(ico.readUInt16LE(0)).toBe(0);
  expect(ico.readUInt16LE(2)).toBe(1);
  const count = ico.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const entry = 6 + 16 * i;
    const length = ico.readUInt32LE(entry + 8);
    const offset = ico.readUInt32LE(entry + 12);
    expect(offset + length).toBeLessThanOrEqual(ico.length);
    return { declared: ico.readUInt8(entry) || 256, bitCount: ico.readUInt16LE(entry + 6), data: ico.subarray(offset, offset + length) };
  });
}

/** The RGBA pixels (top row first) of a 32-bit BMP icon entry. */
function bmpPixels(bmp: Buffer): { size: number; rgba: Buffer } {
  expect(bmp.readUInt32LE(0)).toBe(40);
  const size = bmp.readInt32LE(4);
  expect(bmp.readInt32LE(8)).toBe(size * 2);
  expect(bmp.readUInt16LE(14)).toBe(32);
  const rgba = Buffer.alloc(size * size * 4);
  for (let row = 0; row < size; row++) {
    for (let x = 0; x < size; x++) {
      const from = 40 + ((size - 1 - row) * size + x) * 4;
      const to = (row * size + x) * 4;
      rgba[to] = bmp[from + 2];
      rgba[to + 1] = bmp[from + 1];
      rgba[to + 2] = bmp[from];
      rgba[to + 3] = bmp[from + 3];
    }
  }
  return { size, rgba };
}

function readIcns(icns: Buffer): { type: string; data: Buffer }[] {
  expect(icns.toString('latin1', 0, 4)).toBe('icns');
  expect(icns.readUInt32BE(4)).toBe(icns.length);
  const entries: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < icns.length;) {
    const length = icns.readUInt32BE(at + 4);
    expect(length).toBeGreaterThan(8);
    entries.push({ type: icns.toString('latin1', at, at + 4), data: icns.subarray(at + 8, at + length) });
    at += length;
  }
  return entries;
}

describe('the icon set in build/', () => {
  const svg = readSource();
  const expected = iconFiles(svg);

  it('is exactly what `npm run icons` makes from build/icon.svg (run it after editing the SVG)', () => {
    expect(expected.size).toBeGreaterThan(0);
    for (const [path, bytes] of expected) {
      const file = join(BUILD_DIR, path);
      expect(existsSync(file), `build/${path} is missing: run npm run icons`).toBe(true);
      expect(readFileSync(file).equals(bytes), `build/${path} is not what build/icon.svg gives: run npm run icons`).toBe(true);
    }
    // Nothing generated that the script no longer makes.
    const onDisk = readdirSync(join(BUILD_DIR, 'icons')).map((f) => `icons/${f}`);
    expect(onDisk.sort()).toEqual([...expected.keys()].filter((p) => p.startsWith('icons/')).sort());
  });

  it('has a PNG of every size for Linux, named by its size', () => {
    for (const size of PNG_SIZES)
      expect(pngSize(readFileSync(join(BUILD_DIR, 'icons', `${size}x${size}.png`)))).toEqual({ width: size, height: size });
    expect(pngSize(readFileSync(join(BUILD_DIR, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  it('has a Windows .ico with 32-bit images from 16 to 256 px, the 256 px one as PNG', () => {
    const images = readIco(readFileSync(join(BUILD_DIR, 'icon.ico')));
    expect(images.map((i) => i.declared)).toEqual([...ICO_SIZES]);
    for (const image of images) {
      expect(image.bitCount).toBe(32);
      if (image.declared === 256) expect(pngSize(image.data)).toEqual({ width: 256, height: 256 });
      else expect(bmpPixels(image.data).size).toBe(image.declared);
    }
  });

  it('stores the small .ico images as straight-alpha pixels of the rendering', () => {
    const icon = renderIcon(svg, 32);
    const [image] = readIco(encodeIco([icon]));
    expect(bmpPixels(image.data).rgba.equals(icon.rgba)).toBe(true);
    // The rounded corners are partly transparent, and straight alpha keeps their colour: the
    // corner pixels' colour is the tile's, not darkened towards black as premultiplied would be.
    const corner = [...Array(32 * 32).keys()].map((i) => i * 4).filter((i) => icon.rgba[i + 3] > 0 && icon.rgba[i + 3] < 96);
    expect(corner.length).toBeGreaterThan(0);
    for (const i of corner) expect(Math.max(icon.rgba[i], icon.rgba[i + 1], icon.rgba[i + 2])).toBeGreaterThan(90);
  });

  it('has a macOS .icns with PNG entries from 16 px to 1024 px', () => {
    const entries = readIcns(readFileSync(join(BUILD_DIR, 'icon.icns')));
    expect(entries.map((e) => e.type)).toEqual(ICNS_ENTRIES.map(([type]) => type));
    entries.forEach((entry, i) => {
      const size = ICNS_ENTRIES[i][1];
      expect(pngSize(entry.data), entry.type).toEqual({ width: size, height: size });
    });
  });

  it('is what electron-builder.yml points each platform to', () => {
    const config = readBuilderConfig();
    expect(config.directories?.buildResources).toBe('build');
    expect(config.mac?.icon).toBe('build/icon.icns');
    expect(config.win?.icon).toBe('build/icon.ico');
    expect(config.linux?.icon).toBe('build/icons');
    for (const path of [config.mac?.icon, config.win?.icon, config.linux?.icon]) expect(existsSync(join(ROOT, String(path)))).toBe(true);
  });
});
