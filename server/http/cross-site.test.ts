// The cross-site rule and CORS_ORIGINS parsing, as plain functions (the whole-system
// behaviour is in test/cross-site.test.ts).
import { describe, expect, it } from 'vitest';
import { crossSiteRefusal } from './cross-site.ts';
import { readConfig } from '../config.ts';

const allowed = new Set(['https://dash.example.com']);
const host = 'floatline.corp:8000';

describe('crossSiteRefusal', () => {
  it('allows requests without Origin and Sec-Fetch-Site (curl, scripts)', () => {
    expect(crossSiteRefusal({ host }, allowed)).toBeNull();
    expect(crossSiteRefusal({}, allowed)).toBeNull();
  });

  it("allows the server's own origin and listed origins", () => {
    expect(crossSiteRefusal({ origin: 'http://floatline.corp:8000', host }, allowed)).toBeNull();
    expect(crossSiteRefusal({ origin: 'https://floatline.corp:8000', host }, allowed)).toBeNull(); // TLS proxy in front
    expect(crossSiteRefusal({ origin: 'http://floatline.corp', host: 'floatline.corp:80' }, allowed)).toBeNull();
    expect(crossSiteRefusal({ origin: 'https://dash.example.com', host, 'sec-fetch-site': 'cross-site' }, allowed)).toBeNull();
    expect(crossSiteRefusal({ host, 'sec-fetch-site': 'same-origin' }, allowed)).toBeNull();
    expect(crossSiteRefusal({ host, 'sec-fetch-site': 'none' }, allowed)).toBeNull();
    // Behind a proxy that rewrites Host, the browser's own marking still says same-origin.
    expect(
      crossSiteRefusal({ origin: 'https://floatline.corp', host: '127.0.0.1:8000', 'sec-fetch-site': 'same-origin' }, allowed),
    ).toBeNull();
  });

  it('refuses other origins, "null", and browsers marking the request cross-site or same-site without Origin', () => {
    for (const origin of [
      'https://evil.example',
      'http://floatline.corp:8001',
      'http://floatline.corp.evil.example:8000',
      'null',
      'https://dash.example.com.evil',
    ]) {
      expect(crossSiteRefusal({ origin, host }, allowed), origin).toMatch(/^Cross-site request refused: Origin .* CORS_ORIGINS$/);
    }
    expect(crossSiteRefusal({ origin: 'http://floatline.corp:8000' }, allowed)).not.toBeNull(); // no Host to compare with
    expect(crossSiteRefusal({ host, 'sec-fetch-site': 'cross-site' }, allowed)).toContain('Sec-Fetch-Site: cross-site');
    expect(crossSiteRefusal({ host, 'sec-fetch-site': 'same-site' }, allowed)).toContain('Sec-Fetch-Site: same-site');
    // A sibling host on the same site is still another origin.
    expect(crossSiteRefusal({ origin: 'https://wiki.corp', host, 'sec-fetch-site': 'same-site' }, allowed)).toContain(
      'Origin https://wiki.corp is not listed',
    );
    // The browser's marking wins over an Origin that happens to equal Host.
    expect(crossSiteRefusal({ origin: 'http://floatline.corp:8000', host, 'sec-fetch-site': 'cross-site' }, allowed)).not.toBeNull();
  });
});

describe('CORS_ORIGINS', () => {
  it('is empty (same origin only) by default', () => {
    expect(readConfig({}).corsOrigins).toEqual([]);
    expect(readConfig({ CORS_ORIGINS: ' ' }).corsOrigins).toEqual([]);
  });

  it('holds exact origins as browsers send them', () => {
    expect(readConfig({ CORS_ORIGINS: 'https://Dash.example.com:443/, http://localhost:5173' }).corsOrigins).toEqual([
      'https://dash.example.com',
      'http://localhost:5173',
    ]);
  });

  it('refuses anything that is not an origin, naming the variable', () => {
    for (const bad of [
      '*',
      'dash.example.com',
      'https://dash.example.com/app',
      'ftp://x.example',
      'null',
      'https://u@x.example',
      'https://x.example?a',
    ]) {
      expect(() => readConfig({ CORS_ORIGINS: bad }), bad).toThrow(/^CORS_ORIGINS must be a comma-separated list of origins/);
    }
  });
});
