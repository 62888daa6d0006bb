// Vitest global setup: the UIs are built once before any test file runs, so the browser tests'
// servers (started with LADDER_BUILD_UI=0, several at once) never race to rebuild dist/.
import { buildUisIfNeeded } from '../server/main.ts';

export default async function setup() {
  await buildUisIfNeeded((line) => console.log(line));
}
