#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader: no build step between a change and `npx ladder`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/ladder.ts');
process.exitCode = await main(process.argv.slice(2));
