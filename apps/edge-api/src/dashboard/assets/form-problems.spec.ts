import { fieldForPath } from './form-problems';

describe('placing API problems beside form fields', () => {
  const fields = ['$.endpoint', '$.models[0]', '$.models[0].name', '$.models[1].name', '$.providers[1]', '$.providers[1].weight'];

  it('puts a problem on the field with its exact JSON path', () => {
    expect(fieldForPath(fields, '$.providers[1].weight')).toBe('$.providers[1].weight');
    expect(fieldForPath(fields, '$.models[1].name')).toBe('$.models[1].name');
  });

  it('falls back to the nearest enclosing field, never to a look-alike prefix', () => {
    expect(fieldForPath(fields, '$.models[0].capabilities[2]')).toBe('$.models[0]');
    expect(fieldForPath(fields, '$.providers[1].model')).toBe('$.providers[1]');
    expect(fieldForPath(fields, '$.providers[12].weight')).toBeNull();
    expect(fieldForPath(fields, '$.endpointx')).toBeNull();
  });

  it('leaves problems about the whole document for the summary', () => {
    expect(fieldForPath([...fields, '$'], '$')).toBeNull();
    expect(fieldForPath(fields, '$.rotations.other.providers[0]')).toBeNull();
  });
});
