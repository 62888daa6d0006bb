import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Cheap password hashing in tests; production keeps scrypt's N = 2^17.
    // Every JSON answer of the API is held to its declared schema (server/http/routes.ts).
    env: { LADDER_SCRYPT_LOG_N: '12', LADDER_VALIDATE_RESPONSES: '1' },
    testTimeout: 30_000,
    globalSetup: ['tests/buildUis.ts', 'tests/postgresSetup.ts'],
    hookTimeout: 60_000,
  },
});
