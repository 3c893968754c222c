// Browser benchmarks (run by `npm run bench`, never by `npm test`): the e2e setup with `*.bench.ts` files.
import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

export default defineConfig({ ...base, testDir: '.', testMatch: '**/*.bench.ts', timeout: 300_000 });
