import { describe, expect, it } from 'vitest';
import { readRawConfig } from '../../scripts/cli';
import { ConfigError } from '../../stacks/config';

describe('readRawConfig: the configuration every tool reads, found the way cdk synth finds it', () => {
  const files = (map: Record<string, string>) => (path: string) => {
    const text = map[path];
    if (text === undefined)
      throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return text;
  };

  it('reads the file given with --config', () => {
    expect(readRawConfig('my.json', files({ 'my.json': '{"organizationId":"o-x"}' }))).toEqual({
      organizationId: 'o-x',
    });
  });

  it('else the file named by configFile in the context of cdk.json, as bin/app.ts does', () => {
    const read = files({
      'cdk.json': '{"context":{"configFile":"org.json","orgMfaWatch":{"a":1}}}',
      'org.json': '{"b":2}',
    });
    expect(readRawConfig(undefined, read)).toEqual({ b: 2 });
  });

  it('else the orgMfaWatch context of cdk.json', () => {
    expect(readRawConfig(undefined, files({ 'cdk.json': '{"context":{"orgMfaWatch":{"a":1}}}' }))).toEqual({
      a: 1,
    });
  });

  it('reports a missing or non-JSON file as a configuration problem', () => {
    expect(() => readRawConfig('nope.json', files({}))).toThrow(ConfigError);
    expect(() => readRawConfig('bad.json', files({ 'bad.json': '{' }))).toThrow(/--config bad.json: /);
  });
});
