import { violations } from './support/axe.js';
import { expect, signedInUser, test, uploadVideo } from './support/fixtures.js';
import { referencePhoto, searchFootage } from './support/media.js';
import { viewports } from './support/pages.js';
import { readFileSync } from 'node:fs';

test("the case page lists its searches and best sightings; the case's details reach the results page", async ({
  page,
}) => {
  const user = await signedInUser(page.request, 'casepage');
  const headers = { 'x-csrf-token': user.csrfToken };
  const created = await page.request.post('/api/missing-persons', {
    headers,
    data: {
      firstName: 'Grace',
      lastName: 'Hopper',
      gender: 'female',
      heightCm: 168,
      weightKg: 61,
      lastSeenLocation: 'Central station, platform 3',
      notes: 'Wears a navy coat',
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const caseId = ((await created.json()) as { id: string }).id;
  const photo = await page.request.post(`/api/missing-persons/${caseId}/photos`, {
    headers,
    multipart: {
      photos: {
        name: 'grace.jpg',
        mimeType: 'image/jpeg',
        buffer: readFileSync(await referencePhoto()),
      },
    },
  });
  expect(photo.status(), await photo.text()).toBeLessThan(300);

  await page.goto(`/cases/${caseId}`);
  await expect(page.getByText('No search for Grace yet')).toBeVisible();
  await expect(page.getByText('No sighting yet')).toBeVisible();

  const videoId = await uploadVideo(page.request, user, await searchFootage(8), 'Platform 3');
  const search = await page.request.post('/api/searches', {
    headers,
    data: { missingPersonId: caseId, videoIds: [videoId], preset: 'fast' },
  });
  const searchId = ((await search.json()) as { id: string }).id;
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`/api/searches/${searchId}`)).json()) as { status: string })
          .status,
      { timeout: 120_000 },
    )
    .toBe('completed');

  for (const viewport of Object.values(viewports)) {
    await page.setViewportSize(viewport);
    await page.goto(`/cases/${caseId}`);
    const facts = page.getByTestId('case-facts');
    await expect(facts).toContainText('female');
    await expect(facts).toContainText('168 cm');
    await expect(facts).toContainText('61 kg');
    await expect(facts).toContainText('Central station, platform 3');
    await expect(facts).toContainText('Wears a navy coat');
    const row = page.getByTestId('case-search');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('completed');
    await expect(row).toContainText('1 match');
    await expect(row).toContainText('100% analysed');
    await expect(page.getByTestId('case-sighting')).toHaveCount(1);
    await expect(page.getByTestId('case-sighting')).toContainText('Platform 3');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      viewport.width,
    );
    expect(await violations(page)).toEqual([]);
  }

  await page.getByTestId('case-sighting').click();
  await expect(page).toHaveURL(`/searches/${searchId}/results`);
  const header = page.getByTestId('case-facts');
  await expect(header).toContainText('female');
  await expect(header).toContainText('168 cm');
  await expect(header).toContainText('Wears a navy coat');
  await page.getByRole('link', { name: 'Open the case' }).click();
  await expect(page).toHaveURL(`/cases/${caseId}`);
  await page.getByTestId('case-search').getByRole('link').click();
  await expect(page).toHaveURL(`/searches/${searchId}/results`);
});
