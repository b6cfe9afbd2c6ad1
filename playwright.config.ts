import { defineConfig } from '@playwright/test';

/*
 * Browser tests drive the real demo (app on :3000, backend on :7007) in
 * Debian's Chromium. App and backend start as separate processes so that a
 * test can restart the backend alone as another user. Playwright's own browser download cannot run here, so the
 * executable is the system one (override with CHROMIUM_PATH).
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  outputDir: 'node_modules/.cache/e2e-test-results',
  webServer: [
    {
      // The backend under a supervisor that the MVP phases test asks to
      // restart signed in as a stakeholder (scripts/e2e-backend.mjs).
      command: 'node scripts/e2e-backend.mjs',
      url: 'http://localhost:7007/api/freeboard/health',
      reuseExistingServer: true,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
    },
    {
      command: 'yarn start app',
      url: 'http://localhost:3000',
      reuseExistingServer: true,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    actionTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    viewport: { width: 1440, height: 1000 },
  },
});
