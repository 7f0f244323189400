import { findDuplicateKeys } from './duplicate-keys';

describe('duplicate keys in configuration JSON', () => {
  it('names every repeated key by its path, at any depth', () => {
    const text = '{"providers":{"a":{"models":[{"name":"x","name":"y"}]},"b":{},"a":{"type":"openai"}},"x\\"y":1,"x\\"y":2}';
    expect(findDuplicateKeys(text)).toEqual([
      { path: '$.providers.a.models[0].name', message: "'name' appears more than once" },
      { path: '$.providers.a', message: "'a' appears more than once" },
      { path: '$["x\\"y"]', message: "'x\"y' appears more than once" },
    ]);
  });

  it('finds nothing in the seed documents, empty containers or invalid JSON', () => {
    expect(findDuplicateKeys('{"engineering":{"available_models":[],"fallback":"user-rotation/a","nested":{}},"x":[1,"a,]}",true,null]}')).toEqual([]);
    expect(findDuplicateKeys('{"a":')).toEqual([]);
  });
});
