// Generated enterprises with diagnoses, for the demo (`npm start -- --demo`) and for benchmarks.
// Everything goes through the engine, so generated data is what real use would have produced.
import { randomUUID } from 'node:crypto';
import { applicableQuestions, score, startState, submitIndicators, submitLevel, submitTailoring, type AnswerValue, type Ruleset } from '../engine/index.ts';
import type { Context } from './context.ts';
import { hashPassword } from './accounts/password.ts';
import { rulesetForEnterprise } from './catalog.ts';
import type { Diagnosis, Enterprise, User } from './store/types.ts';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A valid unified social credit code made from a number (the check character computed per GB 32100). */
export function creditCodeFor(n: number, region = '310000'): string {
  let body = `91${region}`;
  let x = n;
  for (let i = 0; i < 9; i++) {
    body += CHARSET[x % 31];
    x = Math.floor(x / 31);
  }
  const sum = WEIGHTS.reduce((s, w, i) => s + w * CHARSET.indexOf(body[i]), 0);
  return body + CHARSET[(31 - (sum % 31)) % 31];
}

/** A pseudo-random generator so populations are the same run after run. */
export function seeded(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

/** Answers the ruleset level by level with a given strength (0..1), as an enterprise would, up to the first level not reached. */
export async function finishedDiagnosis(ruleset: Ruleset, enterprise: Enterprise, user: User, strength: number, random: () => number, at: Date): Promise<Diagnosis> {
  const facts = { industryType: enterprise.industryType, regionPath: enterprise.regionPath };
  const tailored = await submitTailoring(ruleset, startState(), [], facts);
  if (!tailored.ok) throw new Error('tailoring refused');
  let state = tailored.state;
  const answers: Record<string, AnswerValue> = {};
  const levelResults: Diagnosis['levelResults'] = [];
  while (state.phase.phase === 'answering') {
    const level: number = state.phase.level;
    for (const q of applicableQuestions(ruleset, { excluded: state.excluded, industryType: enterprise.industryType, level })) {
      const r = random() * 0.5 + strength * 0.7 - level * 0.08;
      answers[q.id] = r < 0.3 ? 'A' : r < 0.5 ? 'B' : r < 0.7 ? 'C' : 'D';
    }
    const t = submitLevel(ruleset, state, { industryType: enterprise.industryType, answers });
    if (!t.ok) throw new Error('level refused');
    levelResults.push({ level, score: t.level!.score ?? 0, reached: !!t.level!.reached, threshold: t.level!.threshold, submittedAt: at.toISOString() });
    state = t.state;
  }
  const { fields, notApplicableValue, notApplicableFormula } = ruleset.flow.indicators;
  const indicators = Object.fromEntries(fields.map((f) => [f.id, { value: notApplicableValue, formula: notApplicableFormula }]));
  if (state.phase.phase === 'indicators') {
    const t = submitIndicators(ruleset, state, indicators);
    if (!t.ok) throw new Error('indicators refused');
    state = t.state;
  }
  const result = score(ruleset, { industryType: enterprise.industryType, answers, levels: state.submitted }, 'nodes');
  const iso = at.toISOString();
  return { id: randomUUID(), enterpriseId: enterprise.id, userId: user.id, rulesetId: ruleset.id, rulesetVersion: ruleset.version, status: 'finished', state, answers, indicators, levelResults, result, revision: 1, startedAt: iso, finishedAt: iso, updatedAt: iso };
}

export interface PopulationOptions {
  count: number;
  /** Username prefix; users are `${prefix}${n}` with `password`. */
  prefix: string;
  password: string;
  seed?: number;
  /** Also give each enterprise a diagnosis in progress at level 1 (what benchmarks save answers to). */
  inProgress?: boolean;
  /** How well every enterprise answers (0..1); random per enterprise when absent. */
  strength?: number;
  /** Province or city codes to place enterprises in (a province: any of its cities); anywhere when absent. */
  regions?: string[];
  /** Finished diagnoses per enterprise (default 1): the first a day after registering, the others later, each answered a little better or worse. */
  finished?: number;
}

export async function generatePopulation(ctx: Context, options: PopulationOptions) {
  const random = seeded(options.seed ?? 7);
  const passwordHash = await hashPassword(options.password);
  const provinces = ctx.reference.regions.filter((r) => r.children?.length);
  const divisions = ctx.reference.industries.find((s) => s.code === 'C')!.divisions;
  const users: User[] = [];
  const enterprises: Enterprise[] = [];
  const diagnoses: Diagnosis[] = [];
  const now = ctx.now();
  const places = options.regions?.flatMap((code) => {
    const path = ctx.reference.regionPath(code);
    if (!path) throw new Error(`unknown region ${code}`);
    const children = path.length === 1 ? provinces.find((p) => p.code === code)?.children : undefined;
    return children ? children.map((c) => [code, c.code]) : [path];
  });
  const place = (): string[] => {
    if (places) return places[Math.floor(random() * places.length)];
    const province = provinces[Math.floor(random() * provinces.length)];
    return [province.code, province.children![Math.floor(random() * province.children!.length)].code];
  };
  for (let n = 0; n < options.count; n++) {
    const regionPath = place();
    const region = regionPath.at(-1)!;
    const division = divisions[Math.floor(random() * divisions.length)];
    const createdAt = new Date(now.getTime() - Math.floor(random() * 720) * 86_400_000);
    const enterprise: Enterprise = {
      id: randomUUID(),
      name: `${ctx.reference.regionName(region)!.zh}示例制造企业${n + 1}号`,
      creditCode: creditCodeFor(n + (options.seed ?? 7) * 1_000_003, regionPath[0]),
      enterpriseType: ctx.reference.enterpriseTypes[0].id,
      industry: division.code,
      industryType: division.industryType ?? ctx.reference.defaultIndustryType,
      sizeBand: ctx.reference.sizeBands[Math.floor(random() * ctx.reference.sizeBands.length)].id,
      revenue: Math.round(random() * 100000),
      region,
      regionPath,
      createdAt: createdAt.toISOString(),
    };
    const user: User = { id: randomUUID(), username: `${options.prefix}${n + 1}`, passwordHash, role: 'enterprise', mobile: `139${String(10_000_000 + n).slice(-8)}`, email: `${options.prefix}${n + 1}@example.com`, enterpriseId: enterprise.id, createdAt: enterprise.createdAt };
    const record = await rulesetForEnterprise(ctx, enterprise);
    if (!record) throw new Error('no ruleset published');
    const strength = options.strength ?? random();
    const first = createdAt.getTime() + 86_400_000;
    diagnoses.push(await finishedDiagnosis(record.document, enterprise, user, strength, random, new Date(first)));
    const later = Array.from({ length: (options.finished ?? 1) - 1 }, () => first + random() * Math.max(0, now.getTime() - first)).sort((a, b) => a - b);
    for (const at of later) diagnoses.push(await finishedDiagnosis(record.document, enterprise, user, Math.min(1, Math.max(0, strength + (random() - 0.4) * 0.3)), random, new Date(at)));
    if (options.inProgress) {
      const tailored = await submitTailoring(record.document, startState(), [], { industryType: enterprise.industryType });
      if (!tailored.ok) throw new Error('tailoring refused');
      const iso = now.toISOString();
      diagnoses.push({ id: randomUUID(), enterpriseId: enterprise.id, userId: user.id, rulesetId: record.id, rulesetVersion: record.version, status: 'inProgress', state: tailored.state, answers: {}, indicators: {}, levelResults: [], revision: 1, startedAt: iso, updatedAt: iso });
    }
    users.push(user);
    enterprises.push(enterprise);
  }
  await ctx.store.importRecords({ users, enterprises, diagnoses });
  return { users, enterprises, diagnoses };
}
