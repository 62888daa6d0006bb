// Renders a report model with the Handlebars template a ruleset names (templates/<name>/).
// Templates are read once and compiled; helpers are generic (numbers, dates, text).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { ReportModel } from './model.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

const compiled = new Map<string, HandlebarsTemplateDelegate>();

function engine() {
  const hb = Handlebars.create();
  hb.registerHelper('fixed', (v: unknown, digits: unknown) => (typeof v === 'number' ? v.toFixed(typeof digits === 'number' ? digits : 2) : '—'));
  hb.registerHelper('percent', (v: unknown) => (typeof v === 'number' ? `${Math.round(v * 100)}%` : '—'));
  hb.registerHelper('date', (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : ''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('zhEn', (locale: unknown, zh: unknown, en: unknown) => (locale === 'en' ? en : zh));
  hb.registerHelper('raw', (v: unknown) => new hb.SafeString(String(v ?? '')));
  return hb;
}

export interface ReportTemplateInfo {
  id: string;
  /** From the folder's optional template.json (`{ "name": { "zh", "en" } }`), else the folder name. */
  name: { zh: string; en?: string };
  /** The sections report.hbs can show (`sections.<name>`), in its order: what `report.sections` may list. */
  sections: string[];
}

/** Every folder under templates/ with a report.hbs, read afresh so that a template added to a running server shows up. */
export function reportTemplates(): ReportTemplateInfo[] {
  return readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[A-Za-z0-9_.-]+$/.test(d.name) && existsSync(join(TEMPLATES_DIR, d.name, 'report.hbs')))
    .map((d) => {
      const dir = join(TEMPLATES_DIR, d.name);
      const manifest = existsSync(join(dir, 'template.json')) ? (JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as { name?: { zh: string; en?: string } }) : {};
      const sections = [...new Set([...readFileSync(join(dir, 'report.hbs'), 'utf8').matchAll(/\bsections\.([A-Za-z0-9_]+)/g)].map((m) => m[1]))];
      return { id: d.name, name: manifest.name ?? { zh: d.name, en: d.name }, sections };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function templateFor(name: string): HandlebarsTemplateDelegate {
  const hit = compiled.get(name);
  if (hit) return hit;
  const dir = join(TEMPLATES_DIR, name);
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || !existsSync(join(dir, 'report.hbs'))) throw new Error(`report template "${name}" not found in ${TEMPLATES_DIR}`);
  const hb = engine();
  for (const file of readdirSync(join(dir, 'partials'), { withFileTypes: true }).filter((f) => f.name.endsWith('.hbs'))) {
    hb.registerPartial(file.name.replace(/\.hbs$/, ''), readFileSync(join(dir, 'partials', file.name), 'utf8'));
  }
  hb.registerPartial('styles', readFileSync(join(dir, 'report.css'), 'utf8'));
  const template = hb.compile(readFileSync(join(dir, 'report.hbs'), 'utf8'), { strict: false });
  compiled.set(name, template);
  return template;
}

export const renderReport = (template: string, model: ReportModel): string => templateFor(template)(model);
