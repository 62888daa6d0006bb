// Vitest global setup: one throwaway PostgreSQL server for the whole run (see postgresCluster.ts);
// test files get its URL with inject('postgresUrl') and create their own databases on it.
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgresCluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startPostgres();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
