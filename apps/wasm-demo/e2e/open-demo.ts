import type { Browser, Page } from 'playwright-core';

/** A page of the demo with what it logged: console errors, page errors, failed and made requests. */
export interface OpenedDemo {
  page: Page;
  errors: string[];
  requests: string[];
}

/**
 * Opens the demo at `url` in a fresh browser context (so with empty IndexedDB) and waits until the
 * gallery is classified (or a notice shows), collecting console errors, page errors and requests.
 */
export async function openDemo(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
): Promise<OpenedDemo> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    errors.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`),
  );
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  await waitForDemo(page);
  return { page, errors, requests };
}

/** Waits until the demo has classified its gallery (or shows a notice), after a load or reload. */
export async function waitForDemo(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.body.dataset['galleryReady'] === 'true' || !!document.querySelector('#notice:not([hidden])'),
    undefined,
    { timeout: 120_000 },
  );
}
