import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/recognition/presets.js';
import { bearer } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

describe('search presets', () => {
  const t = useTestApp(testDialects[0]!);

  it('tell a search form each preset and the calibrated threshold the server applies', async () => {
    const user = await signUp(t.baseUrl);
    const response = await fetch(`${t.baseUrl}/api/searches/presets`, {
      headers: bearer(user.token),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      defaultPreset: 'balanced',
      presets: (['fast', 'balanced', 'thorough'] as const).map((preset) => ({
        preset,
        sampledFps: PRESETS[preset].sampledFps,
        detector: PRESETS[preset].detector,
        threshold: PRESETS[preset].threshold,
      })),
    });
  });

  it('are only shown to signed-in users', async () => {
    expect((await fetch(`${t.baseUrl}/api/searches/presets`)).status).toBe(401);
  });
});
