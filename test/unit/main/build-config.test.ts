// The page's CSP and the build settings that the security model depends on.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin, UserConfig } from 'vite';
import { describe, expect, it } from 'vitest';
import config, { devServerCsp } from '../../../electron.vite.config.ts';
import { bundlePaths } from '../../../main/bundle.ts';
import { CONTENT_SECURITY_POLICY } from '../../../main/csp.ts';

const indexHtml = readFileSync(fileURLToPath(new URL('../../../renderer/index.html', import.meta.url)), 'utf8');

function metaPolicy(html: string): string {
  const metas = [...html.matchAll(/<meta\b[^>]*>/gis)]
    .map((m) => m[0])
    .filter((tag) => /http-equiv\s*=\s*"Content-Security-Policy"/i.test(tag));
  expect(metas).toHaveLength(1);
  const content = /content\s*=\s*"([^"]*)"/i.exec(metas[0]);
  if (content === null) throw new Error('CSP meta without content');
  return content[1];
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
}

describe('the CSP of renderer/index.html', () => {
  const policy = directives(metaPolicy(indexHtml));

  it('allows no inline or evaluated code anywhere', () => {
    for (const values of policy.values()) {
      expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain("'unsafe-eval'");
      expect(values).not.toContain("'unsafe-hashes'");
      expect(values).not.toContain("'wasm-unsafe-eval'");
      expect(values).not.toContain('*');
    }
  });

  it('locks down every directive', () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
    expect(policy.get('font-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('is the policy main sends as a header', () => {
    expect(metaPolicy(indexHtml)).toBe(CONTENT_SECURITY_POLICY);
  });

  it('has no inline script or style for the policy to block', () => {
    const scripts = [...indexHtml.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body.trim()).toBe('');
    }
    expect(indexHtml).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });
});

describe('electron.vite.config.ts', () => {
  it('builds the preload as one CommonJS file with its dependencies inside', () => {
    const preload = config.preload?.build;
    expect(preload?.externalizeDeps).toBe(false);
    expect(preload?.isolatedEntries).toBe(true);
    const input = preload?.rolldownOptions?.input as Record<string, string>;
    expect(Object.values(input).map((p) => p.replaceAll('\\', '/'))).toEqual([expect.stringMatching(/\/main\/preload\.ts$/)]);
    expect(preload?.rolldownOptions?.output).toMatchObject({ format: 'cjs', entryFileNames: '[name].cjs' });
  });

  it('puts the preload where main looks for it', () => {
    const input = config.preload?.build?.rolldownOptions?.input as Record<string, string>;
    expect(Object.keys(input)).toEqual(['index']);
    expect(bundlePaths('/x/out/main').preload.replaceAll('\\', '/')).toBe('/x/out/preload/index.cjs');
    const mainInput = config.main?.build?.rolldownOptions?.input as Record<string, string>;
    expect(Object.keys(mainInput)).toEqual(['index']);
  });

  it('relaxes the page policy only for the dev server', async () => {
    const plugin = devServerCsp();
    expect(plugin.apply).toBe('serve');
    const transform = plugin.transformIndexHtml as (html: string) => string;
    const relaxed = directives(metaPolicy(transform(indexHtml)));
    expect(relaxed.get('script-src')).toContain("'unsafe-inline'");
    expect(relaxed.get('connect-src')).toContain('ws://localhost:*');
    expect(relaxed.get('object-src')).toEqual(["'none'"]);
    const plugins = (config.renderer as UserConfig).plugins?.flat() as Plugin[];
    expect(plugins.map((p) => p.name)).toContain('lead-importer:dev-server-csp');
  });
});
