import { connectorEnvSchema } from './connector-env';

const parse = (value?: string) => connectorEnvSchema.parse(value === undefined ? {} : { CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: value }).CONNECTOR_ALLOW_PRIVATE_ENDPOINTS;

describe('CONNECTOR_ALLOW_PRIVATE_ENDPOINTS', () => {
  it('is off by default in distributed mode', () => {
    expect(parse()).toEqual({ all: false, pools: [] });
    expect(parse('false')).toEqual({ all: false, pools: [] });
  });

  it('takes true for every pool of the process, or a list of pools', () => {
    expect(parse('true')).toEqual({ all: true, pools: [] });
    expect(parse('lan, gpu-box')).toEqual({ all: false, pools: ['lan', 'gpu-box'] });
  });

  it('rejects anything else', () => {
    expect(connectorEnvSchema.safeParse({ CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: 'lan; rm' }).success).toBe(false);
  });
});
