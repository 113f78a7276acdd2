// The Node.js version Floatline refuses to start below is the one package.json promises.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE, nodeAtLeast, oldNodeMessage } from '../scripts/require-node.mjs';
import { ROOT } from './helpers/server.ts';

describe('the Node.js version check', () => {
  it('matches package.json "engines"', () => {
    const engines = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).engines.node as string;
    expect(engines).toBe(`>=${MIN_NODE.replace(/\.0$/, '')}`);
  });

  it('compares versions by number', () => {
    expect(nodeAtLeast('v22.15.0')).toBe(true);
    expect(nodeAtLeast('22.23.5')).toBe(true);
    expect(nodeAtLeast('24.0.0')).toBe(true);
    expect(nodeAtLeast('v22.9.0')).toBe(false);
    expect(nodeAtLeast('20.20.2')).toBe(false);
    expect(oldNodeMessage('v20.20.2')).toMatch(/Node\.js 22\.15\.0 or newer is needed; this is Node\.js 20\.20\.2/);
  });
});
