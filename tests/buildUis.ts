// Vitest global setup: the UIs are built once before any test file runs, in production mode as
// `npm run build` makes them, so the browser tests' servers (started with LADDER_BUILD_UI=0,
// several at once) never race to rebuild dist/, and a later `npm start` serves a production build.
import { buildUisIfNeeded } from '../server/uiBuild.ts';

export default async function setup() {
  await buildUisIfNeeded((line) => console.log(line));
}
