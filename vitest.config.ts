import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Cheap password hashing in tests; production keeps scrypt's N = 2^17.
    env: { LADDER_SCRYPT_LOG_N: '12' },
    testTimeout: 30_000,
    globalSetup: ['tests/buildUis.ts', 'tests/postgresSetup.ts'],
    hookTimeout: 60_000,
  },
});
