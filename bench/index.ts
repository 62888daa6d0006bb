// `npm run bench`: prints figures beside their targets; exits 1 when a target is missed.
// `npm run bench -- engine`, `-- server` or `-- reports` runs one part.
import { benchEngine } from './scoring.ts';
import { benchServer } from './server.ts';
import { benchReports } from './reports.ts';

const only = process.argv[2];
const failures = [
  ...(only && only !== 'engine' ? [] : benchEngine()),
  ...(only && only !== 'server' ? [] : await benchServer()),
  ...(only && only !== 'reports' ? [] : await benchReports()),
];
console.log(failures.length ? `\nTargets missed:\n  ${failures.join('\n  ')}` : '\nAll targets met.');
process.exitCode = failures.length ? 1 : 0;
