import { scanMessages } from './privacy-detectors';

describe('privacy detectors', () => {
  it('flags an AWS key in a stack trace and reports where, not what', () => {
    const signals = scanMessages([{ content: 'Error at init: aws_access_key_id=AKIAIOSFODNN7EXAMPLE failed' }]);
    expect(signals.map((s) => s.detector)).toContain('aws_access_key');
    expect(JSON.stringify(signals)).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('leaves a plain question alone', () => {
    expect(scanMessages([{ content: 'How do I reverse a list in Python?' }])).toEqual([]);
  });
});
