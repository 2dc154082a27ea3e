import { describe, expect, it } from 'vitest';
import { rewriteVersionedUrl } from '../../src/shared/api-version.js';

describe('the /api/v1 prefix', () => {
  it('maps /api/v1/… onto /api/… and leaves every other URL alone', () => {
    expect(rewriteVersionedUrl('/api/v1/health')).toBe('/api/health');
    expect(rewriteVersionedUrl('/api/v1/searches?status=running')).toBe(
      '/api/searches?status=running',
    );
    expect(rewriteVersionedUrl('/api/v1')).toBe('/api');
    expect(rewriteVersionedUrl('/api/v1?x=1')).toBe('/api?x=1');
    expect(rewriteVersionedUrl('/api/v10/health')).toBe('/api/v10/health');
    expect(rewriteVersionedUrl('/api/v1x/health')).toBe('/api/v1x/health');
    expect(rewriteVersionedUrl('/api/health')).toBe('/api/health');
    expect(rewriteVersionedUrl('/cases/api/v1/x')).toBe('/cases/api/v1/x');
  });
});
