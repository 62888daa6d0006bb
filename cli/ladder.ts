// `ladder`: a thin command-line shell over the engine.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkAnswers,
  checkTailoring,
  diffRulesets,
  lint,
  localized,
  resultView,
  runRulesetTests,
  score,
  Ruleset as RulesetSchema,
  Overlay as OverlaySchema,
  type AnswerSet,
  type EnterpriseFacts,
  type Problem,
  type Ruleset,
  type Severity,
} from '../engine/index.ts';
import { BUNDLED_DIR, FileError, loadRulesetFile, readJsonFile } from './rulesetFiles.ts';
import { basename } from 'node:path';
import { readQuestionSheet, writeQuestionSheet } from './questionSheetFile.ts';
import { withQuestionBank } from '../server/questionWorkbook.ts';
import { cmdStore, TransferError } from './storeTransfer.ts';
import { loadReference } from '../server/reference.ts';
import { reportModel } from '../server/report/model.ts';
import { renderReport, reportTemplates, TEMPLATES_DIR } from '../server/report/render.ts';
import { ReportModelSchema } from '../server/report/modelSchema.ts';

const REPORT_MODEL_SCHEMA = join(TEMPLATES_DIR, 'report-model.schema.json');
import { PdfRenderer } from '../server/report/pdf.ts';
import { ChromiumMissing } from '../server/chromium.ts';
import type { Diagnosis } from '../server/store/types.ts';

/** Lint knows the report templates under templates/, as the server does. */
const lintContext = () => ({ reportTemplates: reportTemplates() });

const USAGE = `ladder — 成熟度自评估规则集工具 / maturity ruleset tool

  ladder lint <ruleset.json>...                      检查规则集 / lint rulesets
  ladder score <ruleset.json> <answers.json> [--explain] [--en]
                                                     结果（与结果页、报告相同）以 JSON 输出 / the result as the result page and report tell it, JSON on stdout
  ladder diff <a.json> <b.json> [--json]             比较两个规则集 / semantic diff
  ladder test <ruleset.json>...                      运行规则集内的测试用例 / run the ruleset's stored tests
  ladder report <ruleset.json> <answers.json> --out report.pdf|report.html
                                                     生成报告（无需服务器）/ render the report without a server
  ladder questions export <ruleset.json> --out bank.xlsx
  ladder questions import <ruleset.json> <bank.xlsx> --out new-ruleset.json
                                                     题库与权重表导出/导入 Excel / question bank and weight tables to and from Excel
  ladder migrate                                     在 DATABASE_URL 上执行数据库迁移 / apply PostgreSQL migrations
  ladder export [--out dump.jsonl]                   导出全部数据（默认 stdout）/ export all data (stdout by default)
  ladder import <dump.jsonl>                         导入到空的存储 / import into an empty store
      数据来源/去向与服务器相同：DATABASE_URL 时为 PostgreSQL，否则为 LADDER_DATA_DIR（./data）；
      可用 --database-url URL 或 --data-dir DIR 指定 / the store is the server's (DATABASE_URL, else
      LADDER_DATA_DIR or ./data), or give --database-url URL or --data-dir DIR
  ladder api-types                                   生成界面使用的 API 类型 ui/api/schema.ts / regenerate the UIs' API types
  ladder schema                                      重新生成 rulesets/schema/*.json 与报告数据模型 / regenerate the JSON Schemas (rulesets, the report model)
  ladder demo                                        检查并试算内置 CMMM 规则集 / lint and score the bundled CMMM ruleset

answers.json: { "industryType": "discrete", "excluded": ["d.design"], "answers": { "L1-1.1.1": "D", … } }
  for report also, optionally: "enterprise": { "name", "creditCode", "industry": "C35", "region": "520100" },
  "indicators": { "yield": { "value": 5, "formula": "…" } }
"N/A" answers "企业不涉及此题目" where a question offers it.`;

class UsageError extends Error {}

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');
const show = (p: Problem) => `${p.pointer || '/'}  ${p.message.zh}（${p.message.en}）`;

function readAnswers(file: string): AnswerSet {
  const doc = readJsonFile(file) as Partial<AnswerSet> | null;
  const problems: Problem[] = [];
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) problems.push({ code: 'answers.shape', pointer: '', message: { zh: '答案文件应为 JSON 对象', en: 'the answers file must be a JSON object' } });
  else {
    if (typeof doc.industryType !== 'string') problems.push({ code: 'answers.industryType', pointer: '/industryType', message: { zh: '缺少行业类型 industryType', en: 'industryType is missing' } });
    if (!doc.answers || typeof doc.answers !== 'object' || Array.isArray(doc.answers)) problems.push({ code: 'answers.answers', pointer: '/answers', message: { zh: '缺少答案对象 answers', en: 'answers must be an object' } });
    if (doc.excluded !== undefined && (!Array.isArray(doc.excluded) || doc.excluded.some((x) => typeof x !== 'string')))
      problems.push({ code: 'answers.excluded', pointer: '/excluded', message: { zh: 'excluded 应为字符串数组', en: 'excluded must be an array of strings' } });
  }
  if (problems.length) throw new FileError(file, problems);
  return doc as AnswerSet;
}

const SEVERITY_WORDS: Record<Severity, string> = { error: '错误 error', warning: '警告 warning', info: '信息 note' };

function cmdLint(files: string[]): number {
  if (!files.length) throw new UsageError('lint 需要至少一个规则集文件 / lint needs at least one ruleset file');
  let errors = 0;
  for (const file of files) {
    const ruleset = loadRulesetFile(file);
    const findings = lint(ruleset, lintContext());
    const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
    errors += count('error');
    for (const f of findings) out(`${file}  ${SEVERITY_WORDS[f.severity]}  ${f.code}  ${show(f)}`);
    out(`${file}: ${ruleset.id}@${ruleset.version} — ${ruleset.questions.length} 题 questions, ${count('error')} 错误 errors, ${count('warning')} 警告 warnings, ${count('info')} 信息 notes`);
  }
  return errors ? 1 : 0;
}

/** What an answers file may say about the enterprise: the cover of a report, and the facts tailoring rules and policies read. */
type AnswersFile = AnswerSet & {
  enterprise?: Partial<Record<'name' | 'creditCode' | 'industry' | 'region' | 'enterpriseType' | 'sizeBand', string>>;
  indicators?: Diagnosis['indicators'];
};

/** The answers file checked as the server checks a diagnosis: the answers, and the tailoring under the enterprise's facts. */
async function checkedAnswers(ruleset: Ruleset, answersFile: string): Promise<{ answerSet: AnswersFile; facts: EnterpriseFacts }> {
  const answerSet = readAnswers(answersFile) as AnswersFile;
  const given = answerSet.enterprise ?? {};
  const reference = loadReference();
  const facts: EnterpriseFacts = {
    industryType: answerSet.industryType,
    ...(given.enterpriseType ? { enterpriseType: given.enterpriseType } : {}),
    ...(given.industry ? { industry: given.industry } : {}),
    ...(given.region && reference.regionPath(given.region) ? { regionPath: reference.regionPath(given.region)! } : {}),
    ...(given.sizeBand ? { sizeBand: given.sizeBand } : {}),
  };
  const problems = [...checkAnswers(ruleset, answerSet), ...(await checkTailoring(ruleset, answerSet.excluded ?? [], facts))];
  if (problems.length) throw new FileError(answersFile, problems);
  return { answerSet, facts };
}

async function cmdScore(args: string[], flags: Set<string>): Promise<number> {
  const [rulesetFile, answersFile] = args;
  if (!rulesetFile || !answersFile) throw new UsageError('score 需要规则集文件和答案文件 / score needs a ruleset file and an answers file');
  const ruleset = loadRulesetFile(rulesetFile);
  const { answerSet, facts } = await checkedAnswers(ruleset, answersFile);
  // The engine's view of the result, as the result page and the report tell it.
  const view = await resultView(ruleset, { ...answerSet, facts, trace: flags.has('--explain') }, flags.has('--en') ? 'en' : 'zh');
  out(JSON.stringify(view, null, 2));
  return 0;
}

function cmdDiff(args: string[], flags: Set<string>): number {
  const [a, b] = args;
  if (!a || !b) throw new UsageError('diff 需要两个规则集文件 / diff needs two ruleset files');
  const changes = diffRulesets(loadRulesetFile(a), loadRulesetFile(b));
  if (flags.has('--json')) out(JSON.stringify(changes, null, 2));
  else {
    const brief = (v: unknown) => {
      const s = JSON.stringify(v);
      return s === undefined ? '' : s.length > 80 ? s.slice(0, 77) + '…' : s;
    };
    for (const c of changes) {
      const sign = c.op === 'added' ? '+' : c.op === 'removed' ? '-' : '~';
      out(`${sign} [${c.category}] ${c.path}${c.op === 'changed' ? `: ${brief(c.before)} → ${brief(c.after)}` : c.op === 'added' ? `: ${brief(c.after)}` : ''}`);
    }
    out(`${changes.length} 处差异 changes`);
  }
  return 0;
}

function cmdTest(files: string[]): number {
  if (!files.length) throw new UsageError('test 需要至少一个规则集文件 / test needs at least one ruleset file');
  let failed = 0;
  let passed = 0;
  for (const file of files) {
    const ruleset = loadRulesetFile(file);
    for (const outcome of runRulesetTests(ruleset)) {
      const t = ruleset.tests!.find((x) => x.id === outcome.id)!;
      if (outcome.passed) passed++;
      else failed++;
      out(`${outcome.passed ? '✓' : '✗'} ${file} ${outcome.id} ${localized(t.name)}${outcome.passed ? '' : '\n    ' + outcome.failures.join('\n    ')}`);
    }
  }
  out(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

async function cmdReport(args: string[], argv: string[]): Promise<number> {
  const [rulesetFile, answersFile] = args;
  const outAt = argv.indexOf('--out');
  const target = outAt >= 0 ? argv[outAt + 1] : undefined;
  if (!rulesetFile || !answersFile || !target || !/\.(pdf|html)$/.test(target)) throw new UsageError('report 需要规则集、答案文件和 --out 文件（.pdf 或 .html）/ report needs a ruleset, an answers file and --out FILE (.pdf or .html)');
  const ruleset = loadRulesetFile(rulesetFile);
  const { answerSet, facts } = await checkedAnswers(ruleset, answersFile);
  const reference = loadReference();
  const given = answerSet.enterprise ?? {};
  const locale = argv.includes('--en') ? 'en' : 'zh';
  const t = (x?: { zh: string; en?: string }) => (x ? localized(x, locale) : '');
  const region = given.region ? reference.regionPath(given.region) : undefined;
  const division = given.industry ? reference.division(given.industry) : undefined;
  // Without a server there is no enterprise record: the cover says what the answers file gives.
  const cover = {
    name: given.name ?? '—',
    creditCode: given.creditCode ?? '—',
    industry: division ? `${division.division.code} ${t(division.division.name)}` : (given.industry ?? '—'),
    region: region ? region.map((c) => t(reference.regionName(c))).join(' ') : '—',
    sizeBand: '—',
    industryType: t(ruleset.industryTypes.find((x) => x.id === answerSet.industryType)?.name),
  };
  const now = new Date();
  const view = await resultView(ruleset, { ...answerSet, indicators: answerSet.indicators ?? {}, facts, finishedAt: now.toISOString() }, locale);
  const model = reportModel({ ruleset, view, cover, id: basename(answersFile).replace(/\W/g, '').padEnd(8, '0'), history: [], locale, generatedAt: now });
  const html = renderReport(ruleset.report.template, model);
  if (target.endsWith('.html')) writeFileSync(target, html);
  else {
    const pdf = new PdfRenderer();
    try {
      writeFileSync(target, await pdf.render(html, model.title));
    } catch (e) {
      if (e instanceof ChromiumMissing) {
        err(e.message);
        return 2;
      }
      throw e;
    } finally {
      await pdf.close();
    }
  }
  out(`${target}: ${model.title} — ${model.result.levelName}, S = ${model.result.total.text}`);
  return 0;
}

async function cmdQuestions(args: string[], argv: string[]): Promise<number> {
  const [action, rulesetFile, sheetFile] = args;
  const outAt = argv.indexOf('--out');
  const target = outAt >= 0 ? argv[outAt + 1] : undefined;
  if (action === 'export' && rulesetFile && target?.endsWith('.xlsx')) {
    const ruleset = loadRulesetFile(rulesetFile);
    await writeQuestionSheet(target, ruleset);
    out(`${target}: ${ruleset.questions.length} 题 questions, ${ruleset.scoring.weightSets.length} 个权重集 weight sets`);
    return 0;
  }
  if (action === 'import' && rulesetFile && sheetFile && target?.endsWith('.json')) {
    const ruleset = loadRulesetFile(rulesetFile);
    const bank = await readQuestionSheet(sheetFile);
    const updated = withQuestionBank(ruleset, bank);
    const findings = lint(updated, lintContext()).filter((f) => f.severity === 'error');
    for (const f of findings) err(`${sheetFile}  错误 error  ${f.code}  ${show(f)}`);
    if (findings.length) return 1;
    writeFileSync(target, JSON.stringify(updated, null, 2) + '\n');
    const changes = diffRulesets(ruleset, updated);
    const weights = bank.weightSets ? `, ${bank.weightSets.length} 个权重集 weight sets` : '';
    out(`${target}: ${bank.questions.length} 题 questions${weights}, ${changes.length} 处差异 changes against ${rulesetFile}`);
    return 0;
  }
  throw new UsageError('用法 usage: ladder questions export <ruleset> --out bank.xlsx | ladder questions import <ruleset> <bank.xlsx> --out new.json');
}

function cmdSchema(): number {
  const dir = join(BUNDLED_DIR, 'schema');
  const write = (name: string, schema: unknown) => writeFileSync(join(dir, name), JSON.stringify(schema, null, 2) + '\n');
  write('ruleset.schema.json', RulesetSchema);
  write('overlay.schema.json', OverlaySchema);
  writeFileSync(REPORT_MODEL_SCHEMA, JSON.stringify(ReportModelSchema, null, 2) + '\n');
  out(`wrote ${dir}/ruleset.schema.json, overlay.schema.json, ${REPORT_MODEL_SCHEMA}`);
  return 0;
}

async function cmdDemo(): Promise<number> {
  const file = join(BUNDLED_DIR, 'cmmm', 'gbt39116-2020.json');
  const ruleset: Ruleset = loadRulesetFile(file);
  const findings = lint(ruleset, lintContext());
  const errors = findings.filter((f) => f.severity === 'error');
  out(`${localized(ruleset.title)}  ${ruleset.id}@${ruleset.version}`);
  out(`  ${ruleset.questions.length} 题 questions · ${ruleset.levels.length} 级 levels · lint: ${errors.length} 错误 errors, ${findings.filter((f) => f.severity === 'warning').length} 警告 warnings`);
  const answersFile = join(BUNDLED_DIR, 'cmmm', 'examples', 'answers-level2.json');
  const { answerSet, facts } = await checkedAnswers(ruleset, answersFile);
  const [zh, en] = await Promise.all([resultView(ruleset, { ...answerSet, facts }, 'zh'), resultView(ruleset, { ...answerSet, facts }, 'en')]);
  out(`\n示例企业 example enterprise (${answersFile}):`);
  zh.levels.forEach((l, i) => out(`  ${l.code} ${l.name.padEnd(4, '　')} X=${(l.score?.text ?? '—').padStart(4)}  ${l.outcomeText} ${en.levels[i].outcomeText}`));
  out(`  等级 level: ${zh.levelName} ${en.levelName} · S = ${zh.total.text} (${zh.band?.label ?? ''} ${zh.band?.range ?? ''})`);
  if (zh.gap) out(`  距${zh.gap.targetName}还差 ${zh.gap.shortfall.text}：最少改 ${zh.gap.changes.length} 题可达到 / ${zh.gap.changes.length} answer changes reach ${en.gap!.targetName}`);
  out(`\n更多 more: npx ladder --help`);
  return errors.length ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const [command, ...args] = argv.filter((a) => !a.startsWith('--'));
  try {
    switch (command) {
      case 'lint':
        return cmdLint(args);
      case 'api-types': {
        const { apiTypes, API_TYPES_FILE } = await import('./apiTypes.ts');
        writeFileSync(API_TYPES_FILE, await apiTypes());
        out(`wrote ${API_TYPES_FILE}`);
        return 0;
      }
      case 'score':
        return await cmdScore(args, flags);
      case 'diff':
        return cmdDiff(args, flags);
      case 'test':
        return cmdTest(args);
      case 'schema':
        return cmdSchema();
      case 'report':
        return await cmdReport(args, argv);
      case 'questions':
        return await cmdQuestions(args, argv);
      case 'demo':
        return await cmdDemo();
      case 'migrate':
      case 'export':
      case 'import':
        return await cmdStore(command, args, argv, err);
      case undefined:
        if (flags.has('--help') || flags.has('-h')) {
          out(USAGE);
          return 0;
        }
        throw new UsageError('缺少命令 / missing command');
      default:
        throw new UsageError(`未知命令 "${command}" / unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof FileError) {
      err(e.message);
      return 2;
    }
    if (e instanceof TransferError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}
