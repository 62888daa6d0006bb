// `npm run bench`: prints figures beside their targets; exits 1 when a target is missed.
import { benchEngine } from './scoring.ts';

const failures = [...benchEngine()];
console.log(failures.length ? `\nTargets missed:\n  ${failures.join('\n  ')}` : '\nAll targets met.');
process.exitCode = failures.length ? 1 : 0;
