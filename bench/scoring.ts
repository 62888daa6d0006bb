// Engine benchmarks: five-level scoring of the bundled CMMM ruleset beside a scorer written by
// hand for that ruleset, lint of the ruleset, and form generation for one level.
import { buildForm, lint, score, type AnswerValue, type Ruleset } from '../engine/index.ts';
import { loadRulesetFile } from '../cli/rulesetFiles.ts';

const CMMM = 'rulesets/cmmm/gbt39116-2020.json';

/** Deterministic pseudo-random answers so every run measures the same work. */
function answerSets(ruleset: Ruleset, count: number): { industryType: string; answers: Record<string, AnswerValue> }[] {
  let seed = 42;
  const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: count }, () => {
    const bias = next();
    const answers: Record<string, AnswerValue> = {};
    for (const q of ruleset.questions) {
      const r = next() * 0.6 + bias * 0.4;
      answers[q.id] = q.notApplicable && next() < 0.05 ? 'N/A' : r < 0.25 ? 'A' : r < 0.5 ? 'B' : r < 0.75 ? 'C' : 'D';
    }
    return { industryType: 'discrete', answers };
  });
}

/**
 * What a developer would write by hand for GB/T 39116 with the discrete weights: the tree and
 * option scores baked in, questions grouped once. The engine's generic plan should keep up.
 */
function handWrittenScorer(ruleset: Ruleset) {
  const OPTION: Record<string, number> = { A: 0, B: 0.5, C: 0.8, D: 1 };
  const ELEMENTS: [number, string[][]][] = [
    [0.1, [['org_strategy'], ['personnel_skill']]],
    [0.15, [['data'], ['integration'], ['infosec']]],
    [0.15, [['equipment'], ['network']]],
    [0.6, [['product_design', 'process_design'], ['procurement', 'planning_scheduling', 'production_operation', 'equipment_mgmt', 'warehousing_distribution', 'safety_env', 'energy_mgmt'], ['logistics'], ['sales'], ['customer_service', 'product_service']]],
  ];
  const byCell = new Map<string, string[]>();
  for (const q of ruleset.questions) byCell.set(`${q.subDomain}|${q.level}`, [...(byCell.get(`${q.subDomain}|${q.level}`) ?? []), q.id]);
  const cells = [1, 2, 3, 4, 5].map((level) => ELEMENTS.map(([w, domains]) => [w, domains.map((subs) => subs.map((s) => byCell.get(`${s}|${level}`) ?? []))] as const));
  return (answers: Record<string, AnswerValue>) => {
    const xs: number[] = [];
    for (const level of cells) {
      let x = 0;
      let wx = 0;
      for (const [w, domains] of level) {
        let e = 0;
        let ne = 0;
        for (const subs of domains) {
          let d = 0;
          let nd = 0;
          for (const ids of subs) {
            let sum = 0;
            let n = 0;
            for (const id of ids) {
              const a = answers[id];
              if (a === 'N/A') continue;
              sum += OPTION[a as string] ?? 0;
              n++;
            }
            if (n) {
              d += sum / n;
              nd++;
            }
          }
          if (nd) {
            e += d / nd;
            ne++;
          }
        }
        if (ne) {
          x += w * (e / ne);
          wx += w;
        }
      }
      xs.push(wx ? x / wx : 0);
    }
    let k = 0;
    while (k < 5 && xs[k] >= 0.8 - 1e-9) k++;
    return { level: k, total: k + (k < 5 ? xs[k] : 0) };
  };
}

function perSecond(label: string, fn: (i: number) => void, minMs = 1500): number {
  for (let i = 0; i < 2000; i++) fn(i); // warm up the JIT
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) for (let i = 0; i < 500; i++) fn(n++);
  const rate = n / ((performance.now() - start) / 1000);
  console.log(`  ${label.padEnd(44)} ${Math.round(rate).toLocaleString('en').padStart(10)} /s`);
  return rate;
}

function medianMs(label: string, fn: (i: number) => void, runs = 30): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)];
  console.log(`  ${label.padEnd(44)} ${median.toFixed(2).padStart(10)} ms (median of ${runs})`);
  return median;
}

export function benchEngine(): string[] {
  const ruleset = loadRulesetFile(CMMM);
  const sets = answerSets(ruleset, 1000);
  const hand = handWrittenScorer(ruleset);
  // Both scorers must agree before their speeds mean anything.
  for (const s of sets.slice(0, 50)) {
    const a = score(ruleset, s, 'summary');
    const b = hand(s.answers);
    if (a.level !== b.level || Math.abs(a.total - Math.round(b.total * 1e4) / 1e4) > 1e-9) throw new Error(`scorers disagree: ${JSON.stringify([a.level, a.total, b])}`);
  }
  console.log(`\nEngine — ${ruleset.id}@${ruleset.version}, ${ruleset.questions.length} questions, five levels per assessment, one core`);
  const engine = perSecond('engine score (summary)', (i) => score(ruleset, sets[i % sets.length], 'summary'));
  perSecond('engine score (with per-node scores)', (i) => score(ruleset, sets[i % sets.length], 'nodes'));
  const manual = perSecond('hand-written scorer', (i) => hand(sets[i % sets.length].answers));
  console.log(`  engine / hand-written = ${(engine / manual).toFixed(2)}×`);
  // Fresh copies, made outside the timing, so no per-ruleset cache helps.
  const copies = () => Array.from({ length: 30 }, () => structuredClone(ruleset));
  const forLint = copies();
  const lintMs = medianMs('lint of the bundled ruleset (cold)', (i) => lint(forLint[i]));
  const forForm = copies();
  const formMs = medianMs('form generation for level 1 (cold)', (i) => buildForm(forForm[i], { level: 1, industryType: 'discrete' }));
  const failures: string[] = [];
  if (engine < 20_000) failures.push(`scoring ${Math.round(engine)}/s < 20,000/s`);
  if (engine < 0.5 * manual) failures.push(`scoring at ${(engine / manual).toFixed(2)}× of hand-written < 0.5×`);
  if (lintMs > 50) failures.push(`lint ${lintMs.toFixed(1)} ms > 50 ms`);
  if (formMs > 5) failures.push(`form ${formMs.toFixed(2)} ms > 5 ms`);
  return failures;
}
