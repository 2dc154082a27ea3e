import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, photoInput, shoot, signedInUser, test } from './support/fixtures.js';
import { ffmpegPath, referencePhoto, searchFootage } from './support/media.js';

/**
 * A live camera stand-in: ffmpeg plays the 8 s footage (person from 2 s to 5 s) in a loop at real
 * speed as an HLS stream, served over HTTP on a free loopback port.
 */
async function startLiveCamera(footage: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mpf-e2e-live-'));
  const encoder: ChildProcess = spawn(
    ffmpegPath,
    [
      ...['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', footage],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-an'],
      ...['-f', 'hls', '-hls_time', '1', '-hls_list_size', '6', '-hls_flags', 'delete_segments'],
      path.join(dir, 'index.m3u8'),
    ],
    { stdio: 'ignore' },
  );
  const server: Server = createServer((request, response) => {
    const file = path.join(dir, path.basename(request.url ?? ''));
    if (!existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/index.m3u8`;
  const deadline = Date.now() + 20_000;
  while (!existsSync(path.join(dir, 'index.m3u8')) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async stop() {
      encoder.kill('SIGKILL');
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs up, opens a case with an enrolled photo and adds the camera on the New search page. */
async function addCamera(page: Page, url: string): Promise<void> {
  await signedInUser(page.request, 'live');
  await page.goto('/searches/new');
  await page.getByLabel('First name').fill('Live');
  await page.getByLabel('Last name').fill('Person');
  await page.getByRole('button', { name: 'Save and add photos' }).click();
  await photoInput(page).setInputFiles(await referencePhoto());
  await expect(page.getByText('Live Person · 1 usable photo')).toBeVisible({ timeout: 60_000 });

  await page.getByLabel('Camera name').fill('Station entrance');
  await page.getByLabel('Stream URL').fill(url);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText(/Connected: h264, 640×360/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Add live feed' }).click();
  await expect(page.getByText('1 video selected')).toBeVisible();
}

test('a live camera URL is tested, then added to the search', async ({ page }) => {
  const camera = await startLiveCamera(await searchFootage(8));
  try {
    await addCamera(page, camera.url);
    await expect(page.getByText('Station entrance', { exact: true })).toBeVisible();
    await page.getByLabel('Stream URL').fill('http://127.0.0.1:9/nothing.m3u8');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Connection test failed' })).toBeVisible(
      {
        timeout: 30_000,
      },
    );
    await shoot(page, 'new-search-live-feed');
  } finally {
    await camera.stop();
  }
});

test('a search on a live camera plays its relay and finds the person live', async ({ page }) => {
  const camera = await startLiveCamera(await searchFootage(8));
  try {
    await addCamera(page, camera.url);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page).toHaveURL(/\/searches\/[0-9a-f-]{36}$/);

    // hls.js plays the server's relay of the feed once its first segments exist.
    const player = page.getByTestId('featured-player').locator('video');
    await expect
      .poll(() => player.evaluate((v) => (v as { readyState: number }).readyState), {
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('video-progress').getByText('online')).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByTestId('match-item').first()).toBeVisible({ timeout: 60_000 });
    await shoot(page, 'search-progress-live', false);

    await page.getByRole('button', { name: 'Cancel search' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel the search' }).click();
    await expect(page.getByTestId('search-status')).toHaveText('cancelled');
  } finally {
    await camera.stop();
  }
});
