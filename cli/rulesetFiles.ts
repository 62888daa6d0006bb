// Reading rulesets from disk: parse, resolve a variant against its base (found by id@version
// among the JSON files beside it and under rulesets/), validate.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isOverlay, parseJson, resolveVariant, validateOverlay, validateRuleset, EngineError, text, type Problem, type Ruleset } from '../engine/index.ts';

export const BUNDLED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'rulesets');

export class FileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => `${file}${p.pointer ? ' ' + p.pointer : ''}: ${p.message.zh} (${p.message.en})`).join('\n'));
  }
}

export function readJsonFile(file: string): unknown {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? text('文件不存在', 'file not found') : code === 'EISDIR' ? text('这是一个目录，不是文件', 'is a directory, not a file') : text(`无法读取：${code}`, `cannot read: ${code}`);
    throw new FileError(file, [{ code: 'file.read', pointer: '', message: reason }]);
  }
  const parsed = parseJson(source);
  if (!parsed.ok) throw new FileError(file, parsed.problems);
  return parsed.value;
}

function jsonFilesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = join(dir, name);
    if (name.startsWith('_') || name === 'node_modules' || name === 'schema' || name === 'examples') return [];
    if (statSync(full).isDirectory()) return jsonFilesUnder(full);
    return name.endsWith('.json') ? [full] : [];
  });
}

/** Finds the file of a base ruleset by id@version near the variant, then among the bundled ones. */
function findBase(ref: string, near: string): string | undefined {
  for (const dir of [dirname(near), BUNDLED_DIR]) {
    for (const file of jsonFilesUnder(dir)) {
      try {
        const doc = JSON.parse(readFileSync(file, 'utf8')) as { id?: string; version?: string };
        if (`${doc.id}@${doc.version}` === ref && file !== near) return file;
      } catch {
        // Unreadable neighbours are not the base; the base's own errors surface when it is loaded.
      }
    }
  }
  return undefined;
}

/** Loads a ruleset file; a variant comes back resolved against its base. */
export function loadRulesetFile(file: string): Ruleset {
  const doc = readJsonFile(file);
  if (isOverlay(doc)) {
    const overlay = validateOverlay(doc);
    if (!overlay.ok) throw new FileError(file, overlay.problems);
    const baseFile = findBase(overlay.value.extends, file);
    if (!baseFile) throw new FileError(file, [{ code: 'variant.base', pointer: '/extends', message: text(`找不到基础规则集 ${overlay.value.extends}`, `base ruleset ${overlay.value.extends} not found`) }]);
    const base = loadRulesetFile(baseFile);
    let resolved: Ruleset;
    try {
      resolved = resolveVariant(base, overlay.value);
    } catch (e) {
      if (e instanceof EngineError) throw new FileError(file, e.problems);
      throw e;
    }
    const checked = validateRuleset(resolved);
    if (!checked.ok) throw new FileError(`${file} (resolved on ${overlay.value.extends})`, checked.problems);
    return checked.value;
  }
  const checked = validateRuleset(doc);
  if (!checked.ok) throw new FileError(file, checked.problems);
  return checked.value;
}

/** Every ruleset file shipped under rulesets/ (bases and variants). */
export const bundledRulesetFiles = (): string[] => jsonFilesUnder(BUNDLED_DIR).sort();
