import { describe, expect, it } from 'vitest';
import { allowedExternalUrl, HELP_URL, safelyOpenExternal } from '../../../main/external-links.ts';

describe('allowedExternalUrl', () => {
  it.each([
    ['https://docs.propexo.com/', 'https://docs.propexo.com/'],
    ['https://docs.propexo.com/api-reference/leads/update-lead#body', 'https://docs.propexo.com/api-reference/leads/update-lead#body'],
    ['https://www.propexo.com', 'https://www.propexo.com/'],
    ['https://PROPEXO.com/pricing?x=1', 'https://propexo.com/pricing?x=1'],
    [HELP_URL, HELP_URL],
  ])('allows %s', (raw, normalised) => {
    expect(allowedExternalUrl(raw)).toBe(normalised);
  });

  it.each([
    ['http: downgrade', 'http://docs.propexo.com/'],
    ['file:', 'file:///etc/passwd'],
    ['file: UNC', 'file://attacker.example/share/payload.exe'],
    ['smb:', 'smb://attacker.example/share'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['another custom scheme', 'slack://open'],
    ['credentials in the URL', 'https://user:pass@docs.propexo.com/'],
    ['user name only', 'https://docs.propexo.com@evil.example/'],
    ['another host', 'https://evil.example/'],
    ['look-alike subdomain', 'https://docs.propexo.com.evil.example/'],
    ['look-alike suffix', 'https://evilpropexo.com/'],
    ['unlisted subdomain', 'https://api.propexo.com/v1/leads'],
    ['trailing dot host', 'https://propexo.com./'],
    ['explicit port', 'https://docs.propexo.com:8443/'],
    ['backslash trick', 'https:\\\\evil.example\\docs.propexo.com'],
    ['not a URL', 'docs.propexo.com'],
    ['empty', ''],
    ['too long', `https://docs.propexo.com/${'a'.repeat(3000)}`],
  ])('refuses %s', (_name, raw) => {
    expect(allowedExternalUrl(raw)).toBeNull();
  });
});

describe('safelyOpenExternal', () => {
  it('hands allowed links to the shell and nothing else', async () => {
    const opened: string[] = [];
    const shell = { openExternal: async (url: string) => void opened.push(url) };
    expect(await safelyOpenExternal(shell, 'https://docs.propexo.com/x')).toBe(true);
    expect(await safelyOpenExternal(shell, 'file:///C:/Windows/System32/calc.exe')).toBe(false);
    expect(await safelyOpenExternal(shell, 'https://evil.example/')).toBe(false);
    expect(opened).toEqual(['https://docs.propexo.com/x']);
  });
});
