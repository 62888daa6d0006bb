// `npm run bench`: prints figures beside their targets; exits 1 when a target is missed.
// `npm run bench -- engine`, `-- server`, `-- reports`, `-- dashboard`, `-- designer`, `-- postgres` or
// `-- reliability` or `-- evidence` runs one part. Reliability (issue 12): acknowledged saves across kill -9 with more
// open diagnoses than the diagnosis cache holds, the fuzz of bad requests, the access-control matrix,
// and answer saves during a login flood with production password hashing.
import { benchEngine } from './scoring.ts';
import { benchServer } from './server.ts';
import { benchReports } from './reports.ts';
import { benchDashboard } from './dashboard.ts';
import { benchDesigner } from './designer.ts';
import { benchPostgres } from './postgres.ts';
import { benchReliability } from './reliability.ts';
import { benchEvidence } from './evidence.ts';

const only = process.argv[2];
const failures = [
  ...(only && only !== 'engine' ? [] : benchEngine()),
  ...(only && only !== 'server' ? [] : await benchServer()),
  ...(only && only !== 'reports' ? [] : await benchReports()),
  ...(only && only !== 'dashboard' ? [] : await benchDashboard()),
  ...(only && only !== 'designer' ? [] : await benchDesigner()),
  ...(only && only !== 'postgres' ? [] : await benchPostgres()),
  ...(only && only !== 'reliability' ? [] : await benchReliability()),
  ...(only && only !== 'evidence' ? [] : await benchEvidence()),
];
console.log(failures.length ? `\nTargets missed:\n  ${failures.join('\n  ')}` : '\nAll targets met.');
process.exitCode = failures.length ? 1 : 0;
