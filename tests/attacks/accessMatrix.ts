// The access-control matrix: every operation of /api/openapi.json, as every actor, on every id
// that belongs to someone else (and, for operations without ids, with the actor's missing role or
// foreign region), sent to a real HTTP server. A 2xx or 3xx to a request the actor has no right
// to is a success of the attack; so is a legitimate read whose answer carries another's ids.
//
// No test framework here: the access-control test (tests/server/accessMatrix.test.ts) and the
// reliability benchmark both call seedWorld and runAccessMatrix.
//
// The permission model — what IS a right, so that rights by design are not counted (read from
// server/auth.ts, server/rulesetAccess.ts, server/dashboard/regionScope.ts and the routes):
//
// - Anonymous: only the operations the document leaves without `security`, and among those no
//   draft (a draft is a 404 to whoever may not edit it, in ruleset-diff too).
// - An enterprise and its diagnoses (and reports): read by the enterprise's own users, by an
//   administrator of a region on its path or of a group it belongs to, and by platform
//   administrators; written (tailoring, answers, level submits, indicators) only by the
//   enterprise's own users (canWrite), never by an administrator. Starting a diagnosis and its
//   eligibility: enterprise users only. GET /api/diagnoses gives an enterprise user its own list
//   whatever `enterprise` says; others need `enterprise` naming one they may read.
// - Regions: the tree is public. Liaisons (read and write), a sub-platform (read) and a group's
//   members (read): platform administrators and administrators of the region or one above it.
//   A sub-platform is set up only by that very region's administrator or a platform
//   administrator. Creating, renaming and removing regions, adding and removing group members:
//   platform administrators only, and only regions the platform created (GB/T 2260 regions
//   never change, whoever asks).
// - Dashboard, its enterprise table and targets: platform administrators anywhere, a region
//   administrator for its region and those below (no region: its own); benchmark marks on
//   enterprises the administrator may read.
// - Rulesets: published versions are public and never change (no PUT, DELETE, publish or a new
//   POST of the same id@version, by anyone). A draft is read, edited, published or discarded by
//   authors and platform administrators (any draft), and by a region administrator when it is a
//   variant whose regions all lie within its own (before and after the change) and whose owner
//   is its region or one below. The stored record and the question workbook of a published
//   version: the authoring roles (author, region and platform administrators). New national
//   drafts: authors and platform administrators, under an id no region owns; variants: authors
//   and platform administrators, or a region administrator for regions within its own under an
//   id that is new or owned within its region. Report previews and reading question workbooks:
//   the authoring roles.
// - Accounts: anyone registers, logs in, logs out, asks for a reset code or a username; nobody
//   registers a taken username or credit code, logs in with a wrong password, changes its
//   password without the current one, resets with a wrong code or uses a setup link once an
//   administrator exists. Creating staff accounts: platform administrators any role, a region
//   administrator region administrators for its region or one below. `GET /api/session`,
//   `/api/home` and `/api/account`: any signed-in user; its own profile and a new mobile (a code
//   sent to it): an enterprise's user; confirming a mobile with a wrong code: nobody.
// - Administration (/api/admin/…): lists for platform and region administrators (a region asked
//   for: as the dashboard). A user is managed (read, disabled, enabled, its password reset, its
//   sessions ended) by platform administrators, and by a region administrator when it is a region
//   administrator of its region or one below, or a user of an enterprise it may read; an
//   enterprise is read, disabled and enabled by whoever reads it among the administrators.
// - Support requests (list, read, status, reply): platform administrators all, a region
//   administrator those of its region or one below (a region asked for: as the dashboard); those
//   without a region are the platform's. The audit log: platform and region administrators (each
//   its own scope, checked by tests/server/audit.test.ts).
// - Formal assessment: assessment bodies are accredited, changed and given assessors by platform
//   administrators only; the list of bodies is read by platform administrators, enterprises and
//   assessors; a body's assessors are listed for platform administrators and the body's managers.
//   An application is read by its enterprise, by its body's assessors, by administrators who read
//   its enterprise and by platform administrators (so an assessor reads the enterprises that
//   applied to its body); only enterprises apply and read their application form; only the body's
//   managers accept or decline; only the enterprise withdraws. An assessor gets nothing else.
// - Anything the model does not name: reads and writes of the resource its ids name follow the
//   rules above; an operation without ids is for signed-in platform administrators only (for
//   everyone when public), so a new route is attacked until someone writes its right down here.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { Ajv } from 'ajv';
import { applicableQuestions, type Question, type Ruleset } from '../../engine/index.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { creditCodeFor } from '../../server/population.ts';
import type { Role as StoreRole, Store } from '../../server/store/types.ts';

export type Role = 'anonymous' | StoreRole;

/** An actor as the caller describes it: its session and what it owns (ids of others are everything else). */
export interface ActorSpec {
  name: string;
  role: Role;
  /** The Cookie header of its session (`ladder_sid=…`); none for anonymous. */
  cookie?: string;
  /** A region administrator's region. */
  region?: string;
  /** An assessor's body, and whether it is one of the body's managers. */
  body?: string;
  bodyManager?: boolean;
  owns?: {
    enterprises?: string[];
    diagnoses?: string[];
    /** Drafts it created, as `id@version`. */
    rulesets?: string[];
    /** Regions it looks after or created (region administrators' regions, the platform's custom regions). */
    regions?: string[];
  };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

interface OpenApiOperation {
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}

type JsonSchema = Record<string, any>;

export interface Finding {
  actor: string;
  method: string;
  path: string;
  status: number;
  /** The OpenAPI operation, e.g. `PUT /api/diagnoses/{id}/answers`. */
  operation: string;
  target?: string;
  reason: string;
}

export interface Sent {
  actor: string;
  method: string;
  path: string;
  operation: string;
  kind: 'attempt' | 'probe';
  /** What the request was about when the path does not say (an id or region in the body). */
  target?: string;
  status: number;
  /** The error code of a refusal (`error.code`), and its message. */
  code?: string;
  message?: string;
}

export interface MatrixResult {
  /** Requests the actor had no right to make: each must be refused. */
  attempts: number;
  successes: Finding[];
  /** Rights by design that were sent anyway (reads, harmless public calls) and checked for others' ids in the answer. */
  probes: number;
  /** Rights by design not sent (writes the actor may make). */
  skipped: number;
  /** Per operation of the document (`METHOD /api/path`): what was sent. */
  operations: Record<string, { attempts: number; probes: number }>;
  sent: Sent[];
}

export interface MatrixOptions {
  baseUrl: string;
  openapi: OpenApiDocument;
  actors: ActorSpec[];
  /** Requests in flight at once (default 8). */
  concurrency?: number;
}

/** A mobile no seeded account has: reset requests and username recoveries with it match nobody, liaisons written with it are the matrix's. */
export const PROBE_MOBILE = '13000000000';
const PASSWORD = 'Matrix12345';
const WRONG_PASSWORD = 'Wrong123456';

// ---------------------------------------------------------------------------------------------
// HTTP

interface Reply {
  status: number;
  text: string;
  json: any;
  cookie?: string;
}

async function send(baseUrl: string, method: string, path: string, options: { cookie?: string; body?: unknown; type?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'accept-language': 'en' };
  if (options.cookie) headers.cookie = options.cookie;
  // What a browser on the platform's own pages sends, so a write is judged on who sends it, not refused as cross-site.
  if (method.toUpperCase() !== 'GET') headers.origin = new URL(baseUrl).origin;
  let body: string | Blob | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = options.type ?? 'application/json';
    body = options.body instanceof Uint8Array ? new Blob([new Uint8Array(options.body)]) : JSON.stringify(options.body);
  }
  const res = await fetch(baseUrl + path, { method: method.toUpperCase(), headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('ladder_sid=') && c !== 'ladder_sid=');
  return { status: res.status, text, json, cookie };
}

async function expectOk(reply: Promise<Reply>, what: string): Promise<Reply> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`access matrix: ${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// The world: the actors and what they own, completed by reads each owner may make.

interface Actor extends ActorSpec {
  userId?: string;
  username?: string;
  enterpriseId?: string;
}

interface Enterprise {
  id: string;
  name: string;
  creditCode: string;
  region: string;
  regionPath: string[];
  groups: string[];
  industryType: string;
  owner: Actor;
}

interface Diagnosis {
  id: string;
  enterprise: Enterprise;
  /** The level being answered (else 1): what level paths and queries name. */
  level: number;
  /** A real answer to a question of that level. */
  answers: Record<string, unknown>;
  /** A real indicator of its ruleset. */
  indicator: string;
}

interface RulesetRef {
  id: string;
  version: string;
  status: 'draft' | 'published';
  variant: boolean;
  regions: string[];
  /** The region whose administrators own it, or 'platform'. */
  owner: string;
  document: Ruleset;
  /** The stored revision, which a save must name (so an attempt is refused for who sends it, not for being stale). */
  revision: number;
}

interface Region {
  code: string;
  path: string[];
  kind: string;
  custom: boolean;
}

interface SupportRef {
  id: string;
  region?: string;
}

/** An application for a formal assessment, as the platform administrator lists it. */
interface ApplicationRef {
  id: string;
  bodyId: string;
  enterprise: Enterprise;
}

/** An evidence file of an application (seeded in the store, one per application). */
interface EvidenceRef {
  id: string;
  application: ApplicationRef;
}

interface World {
  /** Assessment bodies and applications to them (seeded by the platform). */
  bodies: string[];
  applications: ApplicationRef[];
  evidence: EvidenceRef[];
  actors: Actor[];
  enterprises: Enterprise[];
  diagnoses: Diagnosis[];
  /** The actors' drafts and one published version (which nobody changes). */
  rulesets: RulesetRef[];
  published: RulesetRef;
  regions: Region[];
  tree: Map<string, Region>;
  usernames: { username: string; actor: Actor }[];
  workbook: Uint8Array;
  /** Support requests as the platform administrator lists them (region: whose administrators handle it; none: the platform's). */
  supportRequests: SupportRef[];
  /** Certificate numbers the public lookup finds (the seed registers them). */
  certificates: string[];
}

async function prepare(baseUrl: string, specs: ActorSpec[]): Promise<World> {
  const tree = new Map<string, Region>();
  const walk = (nodes: { code: string; kind: string; custom?: boolean; children?: unknown[] }[], above: string[]) => {
    for (const n of nodes) {
      const path = [...above, n.code];
      tree.set(n.code, { code: n.code, path, kind: n.kind, custom: !!n.custom });
      walk((n.children ?? []) as typeof nodes, path);
    }
  };
  walk((await expectOk(send(baseUrl, 'GET', '/api/regions'), 'GET /api/regions')).json.regions, []);

  const actors: Actor[] = [];
  for (const spec of specs) {
    const actor: Actor = { ...spec };
    if (spec.role !== 'anonymous') {
      if (!spec.cookie) throw new Error(`access matrix: ${spec.name} has no session cookie`);
      const me = (await expectOk(send(baseUrl, 'GET', '/api/session', { cookie: spec.cookie }), `${spec.name}'s session`)).json.user;
      if (me.role !== spec.role || (spec.role === 'regionAdmin' && me.region !== spec.region))
        throw new Error(`access matrix: ${spec.name} is described as ${spec.role} ${spec.region ?? ''} but its session is ${me.role} ${me.region ?? ''}`);
      Object.assign(actor, { userId: me.id, username: me.username, enterpriseId: me.enterpriseId, region: me.region });
    }
    actors.push(actor);
  }

  const enterprises: Enterprise[] = [];
  for (const actor of actors)
    for (const id of actor.owns?.enterprises ?? []) {
      const e = (await expectOk(send(baseUrl, 'GET', `/api/enterprises/${id}`, { cookie: actor.cookie }), `enterprise ${id} read by ${actor.name}`)).json;
      enterprises.push({ id: e.id, name: e.name, creditCode: e.creditCode, region: e.region, regionPath: e.regionPath, groups: e.groups ?? [], industryType: e.industryType, owner: actor });
    }

  const documents = new Map<string, Ruleset>();
  const documentOf = async (id: string, version: string, cookie?: string) => {
    const key = `${id}@${version}`;
    if (!documents.has(key)) documents.set(key, (await expectOk(send(baseUrl, 'GET', `/api/rulesets/${id}/${version}`, { cookie }), `ruleset ${key}`)).json);
    return documents.get(key)!;
  };

  const diagnoses: Diagnosis[] = [];
  for (const actor of actors)
    for (const id of actor.owns?.diagnoses ?? []) {
      const d = (await expectOk(send(baseUrl, 'GET', `/api/diagnoses/${id}`, { cookie: actor.cookie }), `diagnosis ${id} read by ${actor.name}`)).json;
      const enterprise = enterprises.find((e) => e.id === actor.enterpriseId);
      if (!enterprise) throw new Error(`access matrix: ${actor.name} owns diagnosis ${id} but no enterprise`);
      const ruleset = await documentOf(d.ruleset.id, d.ruleset.version, actor.cookie);
      const level = d.phase?.phase === 'answering' ? d.phase.level : 1;
      const question = applicableQuestions(ruleset, { excluded: d.excluded ?? [], industryType: enterprise.industryType, level })[0] ?? ruleset.questions.find((q) => q.level === level)!;
      diagnoses.push({ id, enterprise, level, answers: { [question.id]: answerTo(question) }, indicator: ruleset.flow.indicators.fields[0]?.id ?? 'indicator' });
    }

  const rulesets: RulesetRef[] = [];
  for (const actor of actors)
    for (const ref of actor.owns?.rulesets ?? []) {
      const [id, version] = ref.split('@');
      const r = (await expectOk(send(baseUrl, 'GET', `/api/rulesets/${id}/${version}/record`, { cookie: actor.cookie }), `ruleset ${ref} read by ${actor.name}`)).json;
      rulesets.push({ id, version, status: r.status, variant: !!r.overlay, regions: r.regions, owner: actor.role === 'regionAdmin' ? actor.region! : 'platform', document: r.document, revision: r.revision });
    }

  const list: { id: string; version: string; status: string; regions: string[]; extends?: string }[] = (await expectOk(send(baseUrl, 'GET', '/api/rulesets'), 'GET /api/rulesets')).json;
  const national = list.find((r) => r.status === 'published' && !r.extends && !r.regions.length);
  if (!national) throw new Error('access matrix: no published national ruleset');
  const published: RulesetRef = { id: national.id, version: national.version, status: 'published', variant: false, regions: [], owner: 'platform', document: await documentOf(national.id, national.version), revision: 1 };
  rulesets.push(published);

  // A real question workbook, so that an upload is refused for who sends it, not for what.
  const author = actors.find((a) => a.role === 'rulesetAuthor' || a.role === 'platformAdmin');
  let workbook: Uint8Array = new TextEncoder().encode('not a workbook');
  if (author) {
    const res = await fetch(`${baseUrl}/api/rulesets/${published.id}/${published.version}/questions.xlsx`, { headers: { cookie: author.cookie! } });
    if (res.ok) workbook = new Uint8Array(await res.arrayBuffer());
  }

  const codes = new Set<string>();
  for (const a of actors) {
    if (a.region) codes.add(a.region);
    for (const c of a.owns?.regions ?? []) codes.add(c);
  }
  for (const e of enterprises) for (const c of [...e.regionPath, ...e.groups]) codes.add(c);
  const regions = [...codes].map((c) => {
    const r = tree.get(c);
    if (!r) throw new Error(`access matrix: region ${c} is not in the region tree`);
    return r;
  });

  const usernames = actors.filter((a) => a.username).map((a) => ({ username: a.username!, actor: a }));
  const platform = actors.find(isPlatform);
  const supportRequests: SupportRef[] = platform
    ? (await expectOk(send(baseUrl, 'GET', '/api/support-requests?pageSize=200', { cookie: platform.cookie }), 'support requests')).json.items.map((r: { id: string; region: { code: string } | null }) => ({ id: r.id, ...(r.region ? { region: r.region.code } : {}) }))
    : [];
  const certificates: string[] = (await expectOk(send(baseUrl, 'GET', `/api/certificate-lookup?q=${encodeURIComponent(CERTIFICATE_HOLDER)}`), 'certificates')).json.items.map((c: { number: string }) => c.number);
  const bodies: string[] = platform ? (await expectOk(send(baseUrl, 'GET', '/api/assessment-bodies', { cookie: platform.cookie }), 'assessment bodies')).json.map((x: { id: string }) => x.id) : [];
  const applications: ApplicationRef[] = platform
    ? (await expectOk(send(baseUrl, 'GET', '/api/assessment-applications?pageSize=200', { cookie: platform.cookie }), 'assessment applications')).json.items.flatMap((x: { id: string; body: { id: string }; enterprise: { id: string } }) => {
        const enterprise = enterprises.find((e) => e.id === x.enterprise.id);
        return enterprise ? [{ id: x.id, bodyId: x.body.id, enterprise }] : [];
      })
    : [];
  const evidence: EvidenceRef[] = [];
  for (const application of platform ? applications : [])
    for (const x of (await expectOk(send(baseUrl, 'GET', `/api/assessment-applications/${application.id}/evidence`, { cookie: platform!.cookie }), 'evidence files')).json.items as { id: string }[])
      evidence.push({ id: x.id, application });
  return { actors, enterprises, diagnoses, rulesets, published, regions, tree, usernames, workbook, supportRequests, certificates, bodies, applications, evidence };
}

function answerTo(q: Question): unknown {
  if (q.kind === 'multiple') return [q.options![0].id];
  if (q.kind === 'number') return (q as { min?: number }).min ?? 0;
  if (q.kind === 'text') return 'access matrix';
  return q.options?.[0]?.id ?? 'N/A';
}

// ---------------------------------------------------------------------------------------------
// The permission model (see the list at the top).

const isPlatform = (a: Actor) => a.role === 'platformAdmin';
const isAuthor = (a: Actor) => a.role === 'rulesetAuthor';
const isRegionAdmin = (a: Actor) => a.role === 'regionAdmin' && !!a.region;
const authoring = (a: Actor) => isAuthor(a) || isPlatform(a) || isRegionAdmin(a);

class Model {
  constructor(private readonly w: World) {}

  within(code: string, ancestor: string | undefined) {
    return !!ancestor && !!this.w.tree.get(code)?.path.includes(ancestor);
  }

  readsEnterprise(a: Actor, e: Enterprise) {
    if (isPlatform(a)) return true;
    if (a.role === 'enterprise') return a.enterpriseId === e.id;
    return isRegionAdmin(a) && (e.regionPath.includes(a.region!) || e.groups.includes(a.region!));
  }

  writesEnterprise(a: Actor, e: Enterprise) {
    return a.role === 'enterprise' && a.enterpriseId === e.id;
  }

  looksAfter(a: Actor, r: Region) {
    return isPlatform(a) || (isRegionAdmin(a) && r.path.includes(a.region!));
  }

  /** A region administrator acting for the owner of an id (its region or one below). */
  actsFor(a: Actor, owner: string) {
    if (isAuthor(a) || isPlatform(a)) return true;
    return isRegionAdmin(a) && owner !== 'platform' && this.within(owner, a.region);
  }

  editsRuleset(a: Actor, r: RulesetRef) {
    if (r.status !== 'draft') return false;
    if (isAuthor(a) || isPlatform(a)) return true;
    return isRegionAdmin(a) && r.variant && r.regions.length > 0 && r.regions.every((c) => this.within(c, a.region)) && this.actsFor(a, r.owner);
  }

  readsRuleset(a: Actor, r: RulesetRef) {
    return r.status === 'published' || this.editsRuleset(a, r);
  }

  inspectsRuleset(a: Actor, r: RulesetRef) {
    return r.status === 'published' ? authoring(a) : this.editsRuleset(a, r);
  }

  /** Administration of a user: see the list at the top. */
  managesUser(a: Actor, target: Actor) {
    if (isPlatform(a)) return true;
    if (!isRegionAdmin(a)) return false;
    if (target.role === 'regionAdmin') return !!target.region && this.within(target.region, a.region);
    const firm = target.role === 'enterprise' ? this.w.enterprises.find((e) => e.id === target.enterpriseId) : undefined;
    return !!firm && this.readsEnterprise(a, firm);
  }

  /** A support request: platform administrators, and those of its region or one above (none: the platform's alone). */
  handlesSupport(a: Actor, r: SupportRef) {
    return isPlatform(a) || (isRegionAdmin(a) && !!r.region && this.within(r.region, a.region));
  }

  /** One of a body's assessors; with `manager`, one of those who accept and decline its applications. */
  staffOf(a: Actor, bodyId: string, manager = false) {
    return a.role === 'assessor' && a.body === bodyId && (!manager || !!a.bodyManager);
  }

  readsApplication(a: Actor, ap: ApplicationRef) {
    if (a.role === 'enterprise') return a.enterpriseId === ap.enterprise.id;
    if (a.role === 'assessor') return this.staffOf(a, ap.bodyId);
    return (isPlatform(a) || isRegionAdmin(a)) && this.readsEnterprise(a, ap.enterprise);
  }

  /** An enterprise the actor reads, itself or through an application to the actor's body. */
  seesEnterprise(a: Actor, e: Enterprise) {
    return this.readsEnterprise(a, e) || this.w.applications.some((ap) => ap.enterprise === e && this.staffOf(a, ap.bodyId));
  }

  dashboard(a: Actor, region: Region | undefined) {
    return isPlatform(a) || (isRegionAdmin(a) && (!region || this.within(region.code, a.region)));
  }

  /** Whether `a` may make this request (a right by design). */
  allows(a: Actor, op: Operation, b: Binding): boolean {
    const signedIn = a.role !== 'anonymous';
    switch (op.key) {
      // Accounts: the targets are others' usernames and credit codes, wrong passwords and codes.
      case 'POST /api/accounts':
      case 'POST /api/session':
      case 'PUT /api/session/password':
      case 'POST /api/password-reset/confirm':
      case 'POST /api/setup':
      case 'POST /api/account/mobile/confirm':
        return false;
      case 'DELETE /api/session':
      case 'POST /api/password-reset/request':
      case 'POST /api/username-recovery':
      case 'GET /api/reference':
      case 'GET /api/regions':
      case 'GET /api/report-templates':
      case 'GET /api/rulesets':
        return true;
      case 'GET /api/session':
      case 'GET /api/home':
      case 'GET /api/account':
        return signedIn;
      // One's own account (no ids): its profile and a new mobile, an enterprise's users only.
      case 'PATCH /api/account/profile':
      case 'POST /api/account/mobile':
        return a.role === 'enterprise';
      case 'GET /api/support-requests':
        return this.dashboard(a, b.queryRegion);
      case 'GET /api/audit':
        return isPlatform(a) || isRegionAdmin(a);
      case 'GET /api/certificate-lookup':
        return true;
      case 'POST /api/certificates':
      case 'PUT /api/certificates/{number}/status':
        return isPlatform(a);
      case 'GET /api/support-requests/{id}':
      case 'PUT /api/support-requests/{id}/status':
      case 'POST /api/support-requests/{id}/replies':
        return this.handlesSupport(a, b.supportRequest!);
      case 'GET /api/enterprises':
        return isPlatform(a) || isRegionAdmin(a);
      case 'GET /api/assessment-bodies':
        return isPlatform(a) || a.role === 'enterprise' || a.role === 'assessor';
      case 'POST /api/assessment-bodies':
      case 'PUT /api/assessment-bodies/{id}':
      case 'POST /api/assessment-bodies/{id}/assessors':
        return isPlatform(a);
      case 'GET /api/assessment-bodies/{id}/assessors':
        return isPlatform(a) || this.staffOf(a, b.body!, true);
      case 'GET /api/assessment-form':
      case 'POST /api/assessment-applications':
        return a.role === 'enterprise';
      case 'GET /api/assessment-applications':
        return isPlatform(a) || isRegionAdmin(a) || a.role === 'enterprise' || a.role === 'assessor';
      case 'GET /api/assessment-applications/{id}':
      case 'GET /api/assessment-applications/{id}/pre-assessment-options':
        return this.readsApplication(a, b.application!);
      case 'GET /api/assessment-applications/{id}/requirements':
      case 'PUT /api/assessment-applications/{id}/assignments':
      case 'PUT /api/assessment-applications/{id}/requirements/{requirement}/score':
      case 'POST /api/assessment-applications/{id}/requirements/{requirement}/requests':
        // Only a team's members (and, reading, the enterprise and the platform) once the pre-assessment found it ready; the seeded applications are not.
        return false;
      case 'POST /api/assessment-applications/{id}/accept':
      case 'POST /api/assessment-applications/{id}/decline':
        return this.staffOf(a, b.application!.bodyId, true);
      case 'POST /api/assessment-applications/{id}/withdraw':
        return a.role === 'enterprise' && a.enterpriseId === b.application!.enterprise.id;
      case 'PUT /api/assessment-applications/{id}/team':
        return this.staffOf(a, b.application!.bodyId, true);
      case 'GET /api/assessment-applications/{id}/evidence':
        return this.readsApplication(a, b.application!);
      case 'POST /api/assessment-applications/{id}/evidence':
        return a.role === 'enterprise' && a.enterpriseId === b.application!.enterprise.id;
      case 'GET /api/evidence/{id}/content':
        return this.readsApplication(a, b.evidence!.application);
      case 'DELETE /api/evidence/{id}':
        return a.role === 'enterprise' && a.enterpriseId === b.evidence!.application.enterprise.id;
      case 'PUT /api/assessment-applications/{id}/pre-assessment':
        // Only a team's chief assessor, and the seeded applications have no team yet.
        return false;
      case 'POST /api/users':
        // A region administrator for b.region, or (no region) a platform administrator.
        return isPlatform(a) || (!!b.region && isRegionAdmin(a) && this.within(b.region.code, a.region));
      case 'GET /api/admin/users':
      case 'GET /api/admin/enterprises':
        return this.dashboard(a, b.queryRegion);
      case 'GET /api/admin/users/{id}':
      case 'POST /api/admin/users/{id}/disable':
      case 'POST /api/admin/users/{id}/enable':
      case 'POST /api/admin/users/{id}/password-reset':
      case 'DELETE /api/admin/users/{id}/sessions':
        return this.managesUser(a, b.account!);
      case 'GET /api/admin/enterprises/{id}':
      case 'POST /api/admin/enterprises/{id}/disable':
      case 'POST /api/admin/enterprises/{id}/enable':
        return (isPlatform(a) || isRegionAdmin(a)) && this.readsEnterprise(a, b.enterprise!);
      case 'POST /api/regions':
      case 'POST /api/regions/{code}/members':
      case 'DELETE /api/regions/{code}/members/{enterpriseId}':
        return isPlatform(a);
      case 'PATCH /api/regions/{code}':
      case 'DELETE /api/regions/{code}':
        return isPlatform(a) && b.region!.custom;
      case 'GET /api/regions/{code}/liaisons':
      case 'PUT /api/regions/{code}/liaisons':
      case 'GET /api/regions/{code}/sub-platform':
      case 'GET /api/regions/{code}/members':
        return this.looksAfter(a, b.region!);
      case 'PUT /api/regions/{code}/sub-platform':
        return isPlatform(a) || (isRegionAdmin(a) && a.region === b.region!.code);
      case 'POST /api/rulesets':
        // A version that exists is never replaced by a create (409 ruleset_exists), whoever asks.
        return (isAuthor(a) || isPlatform(a)) && !b.ruleset;
      case 'POST /api/rulesets/variants': {
        if (isAuthor(a) || isPlatform(a)) return true;
        const regions = variantRegions(a, b);
        return isRegionAdmin(a) && regions.every((c) => this.within(c, a.region)) && (!b.ruleset || this.actsFor(a, b.ruleset.owner));
      }
      case 'GET /api/rulesets/{id}/{version}':
        return this.readsRuleset(a, b.ruleset!);
      case 'GET /api/ruleset-diff':
        return this.readsRuleset(a, b.ruleset!);
      case 'GET /api/rulesets/{id}/{version}/record':
      case 'GET /api/rulesets/{id}/{version}/questions.xlsx':
        return this.inspectsRuleset(a, b.ruleset!);
      case 'PUT /api/rulesets/{id}/{version}':
        return this.editsRuleset(a, b.ruleset!) && (!b.region || !isRegionAdmin(a) || this.within(b.region.code, a.region));
      case 'DELETE /api/rulesets/{id}/{version}':
      case 'POST /api/rulesets/{id}/{version}/publish':
        return this.editsRuleset(a, b.ruleset!);
      case 'POST /api/question-sheet':
      case 'POST /api/report-preview':
        return authoring(a);
      case 'GET /api/diagnoses':
        // An enterprise user gets its own list whatever the query says.
        return a.role === 'enterprise' || (!!b.queryEnterprise && this.readsEnterprise(a, b.queryEnterprise));
      case 'GET /api/diagnoses/eligibility':
      case 'POST /api/diagnoses':
        return a.role === 'enterprise';
      case 'GET /api/dashboard':
      case 'GET /api/dashboard/enterprises':
      case 'PUT /api/dashboard/targets':
        return this.dashboard(a, b.queryRegion);
      case 'PUT /api/dashboard/enterprises/{id}/benchmark':
        return isPlatform(a) || (isRegionAdmin(a) && this.readsEnterprise(a, b.enterprise!));
    }
    // Not named above: by the resource its ids name.
    const read = op.method === 'get';
    if (b.diagnosis) return read ? this.readsEnterprise(a, b.diagnosis.enterprise) : this.writesEnterprise(a, b.diagnosis.enterprise);
    if (b.enterprise) return read ? this.readsEnterprise(a, b.enterprise) : this.writesEnterprise(a, b.enterprise);
    if (b.ruleset) return read ? this.readsRuleset(a, b.ruleset) : this.editsRuleset(a, b.ruleset);
    if (b.region) return read ? this.looksAfter(a, b.region) : isPlatform(a);
    return op.public || isPlatform(a);
  }

  /** Strings the actor must never get back: ids, credit codes and names of what it may not read, others' usernames. */
  secrets(a: Actor): { text: string; what: string }[] {
    const out: { text: string; what: string }[] = [];
    for (const ap of this.w.applications) if (!this.readsApplication(a, ap)) out.push({ text: ap.id, what: `${ap.enterprise.name}'s application for an assessment` });
    for (const ev of this.w.evidence) if (!this.readsApplication(a, ev.application)) out.push({ text: ev.id, what: `an evidence file of ${ev.application.enterprise.name}` });
    for (const e of this.w.enterprises)
      if (!this.seesEnterprise(a, e)) out.push({ text: e.id, what: `enterprise ${e.name}'s id` }, { text: e.creditCode, what: `enterprise ${e.name}'s credit code` }, { text: e.name, what: `enterprise ${e.name}'s name` });
    for (const d of this.w.diagnoses) if (!this.readsEnterprise(a, d.enterprise)) out.push({ text: d.id, what: `${d.enterprise.name}'s diagnosis id` });
    const publishedIds = new Set(this.w.rulesets.filter((r) => r.status === 'published').map((r) => r.id));
    for (const r of this.w.rulesets) if (!this.readsRuleset(a, r) && !publishedIds.has(r.id)) out.push({ text: r.id, what: `the draft ${r.id}@${r.version}` });
    for (const r of this.w.supportRequests) if (!this.handlesSupport(a, r)) out.push({ text: r.id, what: `support request ${r.id} (${r.region ?? 'the platform'})` });
    for (const u of this.w.usernames) if (u.actor !== a && !this.managesUser(a, u.actor) && u.username.length >= 6) out.push({ text: u.username, what: `${u.actor.name}'s username` });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Operations and their targets.

interface Operation {
  key: string;
  method: string;
  path: string;
  public: boolean;
  pathParams: string[];
  requiredQuery: string[];
  optionalQuery: string[];
  body?: { type: string; schema?: JsonSchema };
}

/** What one request is about. */
interface Binding {
  diagnosis?: Diagnosis;
  enterprise?: Enterprise;
  ruleset?: RulesetRef;
  region?: Region;
  queryRegion?: Region;
  queryEnterprise?: Enterprise;
  /** Another actor's username (accounts). */
  user?: { username: string; actor: Actor };
  /** Another actor's account (administration of users). */
  account?: Actor;
  supportRequest?: SupportRef;
  certificate?: string;
  /** An assessment body's id; an application. */
  body?: string;
  application?: ApplicationRef;
  evidence?: EvidenceRef;
  label?: string;
}

function operations(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const type = Object.keys(content)[0];
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        public: !op.security?.length,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        requiredQuery: params.filter((p) => p.in === 'query' && p.required).map((p) => p.name),
        optionalQuery: params.filter((p) => p.in === 'query' && !p.required).map((p) => p.name),
        ...(type ? { body: { type, schema: content[type].schema } } : {}),
      });
    }
  return ops;
}

type Slot = 'diagnosis' | 'enterprise' | 'ruleset' | 'region' | 'user' | 'supportRequest' | 'certificate' | 'body' | 'application' | 'evidence';

/** Which kind of resource a path parameter names. */
function slotOf(op: Operation, name: string): Slot | 'level' | 'version' | 'requirement' {
  if (name === 'level') return 'level';
  // A requirement is a question id of the ruleset: the same for every actor, like a level.
  if (name === 'requirement') return 'requirement';
  if (name === 'version') return 'version';
  if (name === 'code' || name === 'region') return 'region';
  if (name === 'enterpriseId') return 'enterprise';
  if (name === 'diagnosisId') return 'diagnosis';
  if (name === 'number' && op.path.startsWith('/api/certificates/')) return 'certificate';
  if (name === 'id') {
    const before = op.path.split(`/{${name}}`)[0].split('/').at(-1);
    if (before === 'diagnoses') return 'diagnosis';
    if (before === 'enterprises' || before === 'members') return 'enterprise';
    if (before === 'rulesets') return 'ruleset';
    if (before === 'regions') return 'region';
    if (before === 'users') return 'user';
    if (before === 'support-requests') return 'supportRequest';
    if (before === 'assessment-bodies') return 'body';
    if (before === 'assessment-applications') return 'application';
    if (before === 'evidence') return 'evidence';
  }
  throw new Error(`access matrix: no way to fill the parameter {${name}} of ${op.key}: teach slotOf what it names`);
}

function cartesian(lists: Binding[][]): Binding[] {
  return lists.reduce<Binding[]>((acc, list) => acc.flatMap((b) => list.map((x) => ({ ...b, ...x }))), [{}]);
}

function targets(op: Operation, w: World): Binding[] {
  const lists: Binding[][] = [];
  const slots = new Set<Slot>();
  for (const p of op.pathParams) {
    const s = slotOf(op, p);
    if (s === 'level' || s === 'version' || s === 'requirement') continue;
    if (slots.has(s)) throw new Error(`access matrix: ${op.key} names two ${s}s`);
    slots.add(s);
  }
  if (op.requiredQuery.includes('a')) slots.add('ruleset');
  for (const q of op.requiredQuery) if (!['a', 'b', 'level', 'q', 'requirement', 'name'].includes(q)) throw new Error(`access matrix: no way to fill the required query parameter ${q} of ${op.key}`);
  if (slots.has('diagnosis')) lists.push(w.diagnoses.map((diagnosis) => ({ diagnosis })));
  if (slots.has('enterprise')) lists.push(w.enterprises.map((enterprise) => ({ enterprise })));
  if (slots.has('ruleset')) lists.push(w.rulesets.map((ruleset) => ({ ruleset })));
  if (slots.has('region')) lists.push(w.regions.map((region) => ({ region })));
  if (slots.has('user')) lists.push(w.actors.filter((x) => x.userId).map((account) => ({ account })));
  if (slots.has('supportRequest')) lists.push(w.supportRequests.map((supportRequest) => ({ supportRequest })));
  if (slots.has('certificate')) lists.push(w.certificates.map((certificate) => ({ certificate })));
  if (slots.has('body')) lists.push(w.bodies.map((body) => ({ body })));
  if (slots.has('application')) lists.push(w.applications.map((application) => ({ application })));
  if (slots.has('evidence')) lists.push(w.evidence.map((evidence) => ({ evidence })));
  if (op.optionalQuery.includes('region')) lists.push([{}, ...w.regions.map((queryRegion) => ({ queryRegion }))]);
  if (op.optionalQuery.includes('enterprise')) lists.push([{}, ...w.enterprises.map((queryEnterprise) => ({ queryEnterprise }))]);
  // Operations whose ids travel in the body.
  switch (op.key) {
    case 'PUT /api/rulesets/{id}/{version}':
      // Besides every ruleset as it is, each draft variant moved into each region: one's own draft
      // may not be moved into another's region.
      return [
        ...w.rulesets.map((ruleset) => ({ ruleset })),
        ...w.rulesets.filter((r) => r.status === 'draft' && r.variant).flatMap((ruleset) => w.regions.filter((r) => !r.custom && !ruleset.regions.includes(r.code)).map((region) => ({ ruleset, region, label: 'its regions changed' }))),
      ];
    case 'POST /api/accounts':
      lists.push([...w.enterprises.map((enterprise) => ({ enterprise, label: 'its credit code' })), ...w.usernames.map((user) => ({ user, label: 'its username' }))]);
      break;
    case 'POST /api/session':
    case 'POST /api/password-reset/request':
    case 'POST /api/password-reset/confirm':
      lists.push(w.usernames.map((user) => ({ user })));
      break;
    case 'POST /api/username-recovery':
      lists.push(w.enterprises.map((enterprise) => ({ enterprise })));
      break;
    case 'POST /api/regions/{code}/members':
      lists.push(w.enterprises.map((enterprise) => ({ enterprise })));
      break;
    case 'POST /api/users':
      lists.push([{ label: 'a platform administrator' }, ...w.regions.map((region) => ({ region, label: 'a region administrator for it' }))]);
      break;
    case 'POST /api/regions':
      lists.push(w.regions.filter((r) => r.kind !== 'group' && r.kind !== 'park').map((region) => ({ region, label: 'as parent' })));
      break;
    case 'POST /api/rulesets':
      // A new id, each draft's id@version, and a published id@version (which never changes).
      lists.push([{}, ...w.rulesets.map((ruleset) => ({ ruleset, label: 'its id and version' }))]);
      break;
    case 'POST /api/rulesets/variants':
      lists.push([
        // A ruleset's regions are GB/T 2260 codes: parks and groups the platform created take none.
        ...w.regions.filter((r) => !r.custom).map((region) => ({ region })),
        ...w.rulesets.filter((r) => r.status === 'draft').map((ruleset) => ({ ruleset, label: 'its id' })),
      ]);
      break;
  }
  return cartesian(lists);
}

/** What a request whose ids travel in its body is about. */
function describe(b: Binding): string | undefined {
  const parts = [
    b.user && `the username of ${b.user.actor.name}`,
    b.account && `the account of ${b.account.name}`,
    b.enterprise && `enterprise ${b.enterprise.name}`,
    b.ruleset && `${b.ruleset.status} ${b.ruleset.id}@${b.ruleset.version}`,
    b.region && `region ${b.region.code}`,
  ].filter(Boolean);
  return parts.length ? `${parts.join(', ')}${b.label ? ` (${b.label})` : ''}` : undefined;
}

/** The regions a variant request names: the target region, or for an id taken over the attacker's own. */
function variantRegions(a: Actor, b: Binding): string[] {
  if (b.region) return [b.region.code];
  return [a.region ?? b.ruleset?.regions[0] ?? '110000'];
}

// ---------------------------------------------------------------------------------------------
// Request bodies: the schema's required properties with plausible values, then what the target
// makes real (others' ids, a real question of the ruleset, a whole ruleset document).

let fresh = 0;
const freshName = (prefix: string) => `${prefix}${Date.now().toString(36)}${++fresh}`;

const HINTS: Record<string, () => unknown> = {
  username: () => freshName('matrix_'),
  password: () => PASSWORD,
  passwordConfirm: () => PASSWORD,
  mobile: () => PROBE_MOBILE,
  email: () => 'matrix@example.com',
  creditCode: () => creditCodeFor(randomInt(1, 2 ** 40)),
  enterpriseName: () => freshName('矩阵越权测试企业'),
  enterpriseType: () => 'production',
  industry: () => 'C35',
  sizeBand: () => '100-200',
  region: () => '110000',
  version: () => '9.9.9',
  id: () => freshName('matrix-'),
  token: () => 'matrix-guessed-setup-token',
  code: () => '000000',
  zh: () => '越权测试',
  en: () => 'access matrix',
  name: () => '越权测试',
  post: () => '科员',
  notice: () => '越权测试',
  industryType: () => 'discrete',
};

function sample(schema: JsonSchema | undefined, name = ''): unknown {
  if (!schema || typeof schema !== 'object') return {};
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(options)) return sample(options.find((o: JsonSchema) => o.type !== 'null') ?? options[0], name);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key], key);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items, name));
    case 'string':
      return (HINTS[name]?.() as string | undefined) ?? 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    default:
      return {};
  }
}

function registration(b: Binding, region: string) {
  return {
    username: b.user?.username ?? freshName('matrix_'),
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    mobile: PROBE_MOBILE,
    email: 'matrix@example.com',
    enterpriseName: freshName('矩阵越权测试企业'),
    creditCode: b.enterprise?.creditCode ?? creditCodeFor(randomInt(1, 2 ** 40)),
    enterpriseType: 'production',
    industry: 'C35',
    sizeBand: '100-200',
    revenue: 1000,
    region: b.enterprise?.region ?? region,
  };
}

function bodyFor(op: Operation, a: Actor, b: Binding, w: World): Record<string, unknown> | undefined {
  const base = `${w.published.id}@${w.published.version}`;
  const values = (d: Diagnosis) => ({ values: { [d.indicator]: { value: 0, formula: '无' } } });
  switch (op.key) {
    case 'POST /api/accounts':
      return registration(b, w.enterprises[0]?.region ?? '110000');
    case 'POST /api/session':
      return { username: b.user!.username, password: WRONG_PASSWORD };
    case 'PUT /api/session/password':
      return { currentPassword: WRONG_PASSWORD, password: PASSWORD, passwordConfirm: PASSWORD };
    case 'POST /api/password-reset/request':
      return { username: b.user!.username, mobile: PROBE_MOBILE };
    case 'POST /api/password-reset/confirm':
      return { username: b.user!.username, code: '000000', password: PASSWORD, passwordConfirm: PASSWORD };
    case 'POST /api/username-recovery':
      return { enterpriseName: b.enterprise!.name, creditCode: b.enterprise!.creditCode, mobile: PROBE_MOBILE };
    case 'POST /api/users':
      return { username: freshName('matrix_'), password: PASSWORD, passwordConfirm: PASSWORD, ...(b.region ? { role: 'regionAdmin', region: b.region.code } : { role: 'platformAdmin' }) };
    case 'POST /api/admin/users/{id}/password-reset':
      return {};
    case 'POST /api/regions':
      return { parent: b.region!.code, kind: 'park', name: { zh: freshName('越权园区') } };
    case 'PUT /api/regions/{code}/liaisons':
      return { liaisons: [{ name: '越权联络员', post: '科员', mobile: PROBE_MOBILE }] };
    case 'PUT /api/regions/{code}/sub-platform':
      return { enabled: true, name: { zh: '越权子平台' }, notice: { zh: '越权公告' } };
    case 'POST /api/regions/{code}/members':
      return { creditCode: b.enterprise!.creditCode };
    case 'POST /api/rulesets': {
      const { extends: _extends, ...national } = w.published.document as Ruleset & { extends?: string };
      return { document: { ...national, id: b.ruleset?.id ?? freshName('matrix-national-'), version: b.ruleset?.version ?? '1.0.0', status: 'draft', regions: [] } };
    }
    case 'POST /api/rulesets/variants':
      return { base, id: b.ruleset?.id ?? freshName('matrix-variant-'), version: b.ruleset?.version ?? '1.0.0', overlay: { regions: variantRegions(a, b), title: { zh: '越权变体', en: 'access matrix variant' } } };
    case 'PUT /api/rulesets/{id}/{version}':
      return { document: b.region ? { ...b.ruleset!.document, regions: [b.region.code] } : b.ruleset!.document, revision: b.ruleset!.revision };
    case 'POST /api/report-preview':
      return { document: w.published.document, industryType: w.published.document.industryTypes[0].id, answers: {} };
    case 'POST /api/diagnoses':
      return { acknowledgeWarnings: true };
    case 'POST /api/diagnoses/{id}/tailoring':
      return { excluded: [] };
    case 'PUT /api/diagnoses/{id}/answers':
      return { answers: b.diagnosis!.answers };
    case 'PUT /api/diagnoses/{id}/indicators':
    case 'POST /api/diagnoses/{id}/indicators/submit':
      return values(b.diagnosis!);
    case 'PUT /api/dashboard/enterprises/{id}/benchmark':
      return { benchmark: true };
    case 'PUT /api/dashboard/targets':
      return { targets: [{ level: 2, share: 0.5 }] };
    case 'PUT /api/support-requests/{id}/status':
      return { status: 'rejected' };
    case 'POST /api/support-requests/{id}/replies':
      return { text: '越权答复', sms: true, status: 'resolved' };
    case 'POST /api/certificates':
      return {
        number: 'MATRIX-FORGED-1',
        enterpriseName: '越权登记企业',
        creditCode: w.enterprises[0]?.creditCode ?? '91320200MA0000000X',
        ruleset: `${w.published.id}@${w.published.version}`,
        level: 1,
        scope: '全部能力域',
        body: '越权评估机构',
        issuedAt: '2025-01-01',
        validUntil: '2099-12-31',
      };
    case 'PUT /api/certificates/{number}/status':
      return { status: 'revoked', reason: '越权撤销' };
    case 'POST /api/assessment-bodies':
      return { name: '越权评估机构', creditCode: creditCodeFor(randomInt(1, 2 ** 40)), accreditation: { number: 'MATRIX-AB', validUntil: '2099-12-31' } };
    case 'PUT /api/assessment-bodies/{id}':
      return { status: 'suspended' };
    case 'POST /api/assessment-bodies/{id}/assessors':
      return { username: freshName('matrix_'), certificateNumber: 'MATRIX-PG', bodyManager: true };
    case 'POST /api/assessment-applications':
      return { body: w.bodies[0] ?? randomUUID(), targetLevel: 1, values: { contact: '越权申请' } };
    case 'POST /api/assessment-applications/{id}/accept':
      return { contractDate: '2026-12-01' };
    case 'POST /api/assessment-applications/{id}/decline':
      return { reason: '越权拒绝' };
    case 'PUT /api/assessment-applications/{id}/team':
      return { chief: a.userId ?? randomUUID(), members: [a.userId ?? randomUUID()] };
    case 'PUT /api/assessment-applications/{id}/pre-assessment':
      return { excluded: [], ready: true, note: '越权预评估' };
    case 'PUT /api/assessment-applications/{id}/assignments':
      return { assignments: { [w.published.document.questions[0].id]: [a.userId ?? randomUUID()] } };
    case 'PUT /api/assessment-applications/{id}/requirements/{requirement}/score':
      return { option: 'A', finding: '越权打分' };
    case 'POST /api/assessment-applications/{id}/requirements/{requirement}/requests':
      return { text: '越权索要材料' };
  }
  if (!op.body) return undefined;
  return sample(op.body.schema) as Record<string, unknown>;
}

function urlFor(op: Operation, b: Binding, w: World): string {
  const level = String(b.diagnosis?.level ?? 1);
  let path = op.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => {
    switch (slotOf(op, name)) {
      case 'diagnosis':
        return b.diagnosis!.id;
      case 'enterprise':
        return b.enterprise!.id;
      case 'ruleset':
        return encodeURIComponent(b.ruleset!.id);
      case 'version':
        return encodeURIComponent(b.ruleset!.version);
      case 'region':
        return encodeURIComponent(b.region!.code);
      case 'user':
        return b.account!.userId!;
      case 'supportRequest':
        return b.supportRequest!.id;
      case 'certificate':
        return encodeURIComponent(b.certificate!);
      case 'body':
        return b.body!;
      case 'application':
        return b.application!.id;
      case 'evidence':
        return b.evidence!.id;
      case 'level':
        return level;
      case 'requirement':
        return encodeURIComponent(w.published.document.questions[0].id);
    }
  });
  const query = new URLSearchParams();
  for (const q of op.requiredQuery) {
    if (q === 'level') query.set('level', level);
    else if (q === 'q') query.set('q', '1');
    else if (q === 'a') query.set('a', `${b.ruleset!.id}@${b.ruleset!.version}`);
    else if (q === 'b') query.set('b', `${w.published.id}@${w.published.version}`);
    // An evidence upload: a real question of the ruleset, a file name of an accepted type.
    else if (q === 'requirement') query.set('requirement', w.published.document?.questions?.[0]?.id ?? 'L1-1.1');
    else if (q === 'name') query.set('name', 'matrix.pdf');
  }
  if (b.queryRegion) query.set('region', b.queryRegion.code);
  if (b.queryEnterprise) query.set('enterprise', b.queryEnterprise.id);
  const qs = query.toString();
  if (qs) path += `?${qs}`;
  return path;
}

// ---------------------------------------------------------------------------------------------
// The run.

interface Planned {
  actor: Actor;
  op: Operation;
  kind: 'attempt' | 'probe';
  url: string;
  target?: string;
  body?: Record<string, unknown> | Uint8Array;
  cookie?: string;
  /** 0 reads, 1 writes, 2 what destroys (DELETE, publish): a successful attack cannot hide later ones. */
  phase: number;
}

/** Public calls that are rights by design for everyone yet worth sending: their answer must not give away others' data. */
/** The name certificates seeded for the matrix carry, so the world finds them by it. */
const CERTIFICATE_HOLDER = '矩阵证书企业';

const HARMLESS = new Set(['DELETE /api/session', 'POST /api/password-reset/request', 'POST /api/username-recovery']);

const ajv = new Ajv({ allErrors: true, strict: false });

export async function runAccessMatrix(options: MatrixOptions): Promise<MatrixResult> {
  const { baseUrl, openapi } = options;
  const w = await prepare(baseUrl, options.actors);
  const model = new Model(w);
  const ops = operations(openapi);
  const result: MatrixResult = { attempts: 0, successes: [], probes: 0, skipped: 0, operations: Object.fromEntries(ops.map((o) => [o.key, { attempts: 0, probes: 0 }])), sent: [] };
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();

  const planned: Planned[] = [];
  for (const op of ops) {
    const bindings = targets(op, w);
    for (const actor of w.actors)
      for (const b of bindings) {
        let kind: Planned['kind'];
        let cookie = actor.cookie;
        if (op.key === 'DELETE /api/session') {
          // Logging oneself out is a right; an anonymous caller with a made-up session id must not log anyone out.
          if (actor.role !== 'anonymous') {
            result.skipped += 1;
            continue;
          }
          cookie = `ladder_sid=${randomUUID()}`;
          kind = 'probe';
        } else if (!model.allows(actor, op, b)) kind = 'attempt';
        else if (HARMLESS.has(op.key) || (op.method === 'get' && !op.path.endsWith('.pdf'))) kind = 'probe';
        else {
          result.skipped += 1;
          continue;
        }
        let body: Planned['body'];
        if (op.body && op.body.type !== 'application/json') body = w.workbook;
        else {
          body = bodyFor(op, actor, b, w);
          if (op.body && body) {
            const key = op.key;
            if (!validators.has(key)) validators.set(key, ajv.compile(op.body.schema ?? {}));
            const validate = validators.get(key)!;
            if (!validate(body)) throw new Error(`access matrix: the body built for ${op.key} does not fit its schema: ${ajv.errorsText(validate.errors)}`);
          }
        }
        const phase = op.method === 'delete' || op.path.endsWith('/publish') ? 2 : op.method === 'get' ? 0 : 1;
        planned.push({ actor, op, kind, url: urlFor(op, b, w), ...(op.body ? { target: describe(b) } : {}), body, cookie, phase });
      }
  }

  const secrets = new Map(w.actors.map((a) => [a, model.secrets(a)]));
  const run = async (p: Planned) => {
    const reply = await send(baseUrl, p.op.method, p.url, { cookie: p.cookie, body: p.body, type: p.op.body?.type });
    const error = reply.json?.error;
    const sent: Sent = {
      actor: p.actor.name,
      method: p.op.method.toUpperCase(),
      path: p.url,
      operation: p.op.key,
      kind: p.kind,
      ...(p.target ? { target: p.target } : {}),
      status: reply.status,
      ...(error?.code ? { code: String(error.code), message: String(error.message) } : {}),
    };
    const finding = (reason: string): Finding => ({ actor: sent.actor, method: sent.method, path: sent.path, status: sent.status, operation: p.op.key, ...(p.target ? { target: p.target } : {}), reason });
    result.sent.push(sent);
    result.operations[p.op.key][p.kind === 'attempt' ? 'attempts' : 'probes'] += 1;
    if (p.kind === 'attempt') {
      result.attempts += 1;
      if (reply.status >= 200 && reply.status < 400) result.successes.push(finding('a request the actor has no right to was not refused'));
    } else {
      result.probes += 1;
      if (reply.status >= 200 && reply.status < 400) {
        const leaked = secrets.get(p.actor)!.filter((s) => reply.text.includes(s.text));
        if (leaked.length) result.successes.push(finding(`the answer gives away ${leaked.map((s) => s.what).join(', ')}`));
      }
    }
  };

  const concurrency = options.concurrency ?? 8;
  for (const phase of [0, 1, 2]) {
    const queue = planned.filter((p) => p.phase === phase);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < queue.length) await run(queue[next++]);
      }),
    );
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// A world to attack: two enterprises in two provinces, each with a finished and an in-progress
// diagnosis; the two provinces' administrators, each with a draft variant, liaisons, a benchmark
// and targets (Zhejiang's also a sub-platform); an author with a national draft; a platform
// administrator with a park and an enterprise group it created (enterprise B a member).

export async function seedWorld(options: { baseUrl: string; store: Pick<Store, 'createAccount' | 'createAssessmentApplication' | 'addEvidence'> }): Promise<ActorSpec[]> {
  const { baseUrl, store } = options;
  const tag = Date.now().toString(36).slice(-5) + randomInt(100, 999);
  const call = (method: string, path: string, cookie?: string, body?: unknown) => expectOk(send(baseUrl, method, path, { cookie, body }), `${method} ${path}`);

  const staff = async (username: string, role: StoreRole, region?: string) => {
    await store.createAccount({ id: randomUUID(), username, passwordHash: await hashPassword(PASSWORD), role, ...(region ? { region } : {}), createdAt: new Date().toISOString() });
    return (await call('POST', '/api/session', undefined, { username, password: PASSWORD })).cookie!;
  };
  const platform = await staff(`matrix-admin-${tag}`, 'platformAdmin');
  const author = await staff(`matrix-author-${tag}`, 'rulesetAuthor');
  const js = await staff(`matrix-js-admin-${tag}`, 'regionAdmin', '320000');
  const zj = await staff(`matrix-zj-admin-${tag}`, 'regionAdmin', '330000');

  const enterprise = async (letter: string, region: string) => {
    const reply = await call('POST', '/api/accounts', undefined, {
      ...registration({}, region),
      username: `matrix-firm-${letter}-${tag}`,
      mobile: '13912345678',
      enterpriseName: `矩阵${letter === 'a' ? '甲' : '乙'}智能装备有限公司${tag}`,
      region,
    });
    const cookie = reply.cookie!;
    const id: string = reply.json.enterprise.id;
    // A finished diagnosis (level 1 answered with the lowest option, so the indicators page
    // follows), then one in progress on level 1.
    const finished = (await call('POST', '/api/diagnoses', cookie, { acknowledgeWarnings: true })).json;
    const ruleset: Ruleset = (await call('GET', `/api/rulesets/${finished.ruleset.id}/${finished.ruleset.version}`)).json;
    await call('POST', `/api/diagnoses/${finished.id}/tailoring`, cookie, { excluded: [] });
    const industryType = reply.json.enterprise.industryType;
    const lowest = (q: Question) => (q.kind === 'single' ? [...q.options!].sort((x, y) => (x.score ?? 0) - (y.score ?? 0))[0].id : answerTo(q));
    const answers = Object.fromEntries(applicableQuestions(ruleset, { excluded: [], industryType, level: 1 }).map((q) => [q.id, lowest(q)]));
    await call('PUT', `/api/diagnoses/${finished.id}/answers`, cookie, { answers });
    await call('POST', `/api/diagnoses/${finished.id}/levels/1/submit`, cookie);
    const { fields, notApplicableValue, notApplicableFormula } = ruleset.flow.indicators;
    const values = Object.fromEntries(fields.map((f) => [f.id, { value: notApplicableValue ?? 0, formula: notApplicableFormula ?? '无' }]));
    const done = (await call('POST', `/api/diagnoses/${finished.id}/indicators/submit`, cookie, { values })).json;
    if (done.diagnosis.status !== 'finished') throw new Error('access matrix: the seeded diagnosis did not finish');
    const open = (await call('POST', '/api/diagnoses', cookie, { acknowledgeWarnings: true })).json;
    await call('POST', `/api/diagnoses/${open.id}/tailoring`, cookie, { excluded: [] });
    const first = Object.entries(answers)[0];
    await call('PUT', `/api/diagnoses/${open.id}/answers`, cookie, { answers: { [first[0]]: first[1] } });
    return { cookie, id, creditCode: reply.json.enterprise.creditCode as string, ruleset: `${finished.ruleset.id}@${finished.ruleset.version}`, diagnoses: [open.id as string, finished.id as string] };
  };
  const a = await enterprise('a', '320200');
  const b = await enterprise('b', '330100');

  // Draft variants of the national ruleset for each province's administrator, a national draft for the author.
  const base = a.ruleset;
  const variant = async (cookie: string, id: string, regions: string[]) => {
    await call('POST', '/api/rulesets/variants', cookie, { base, id, version: '1.0.0', overlay: { regions, title: { zh: `矩阵变体 ${id}`, en: `Matrix variant ${id}` } } });
    return `${id}@1.0.0`;
  };
  const jsDraft = await variant(js, `matrix-js-${tag}`, ['320200']);
  const zjDraft = await variant(zj, `matrix-zj-${tag}`, ['330000']);
  const [baseId, baseVersion] = base.split('@');
  const national: Ruleset & { extends?: string } = (await call('GET', `/api/rulesets/${baseId}/${baseVersion}`)).json;
  const { extends: _extends, ...document } = national;
  const authorDraftId = `matrix-national-${tag}`;
  await call('POST', '/api/rulesets', author, { document: { ...document, id: authorDraftId, version: '1.0.0', status: 'draft', regions: [] } });

  // What each province's administrator keeps for its region.
  for (const [cookie, code, enterpriseId] of [
    [js, '320000', a.id],
    [zj, '330000', b.id],
  ] as const) {
    await call('PUT', `/api/regions/${code}/liaisons`, cookie, { liaisons: [{ name: `联络员${code}`, post: '处长', mobile: '13812345678', unit: '经信厅' }] });
    await call('PUT', `/api/dashboard/enterprises/${enterpriseId}/benchmark`, cookie, { benchmark: true });
    await call('PUT', `/api/dashboard/targets?region=${code}`, cookie, { targets: [{ level: 2, share: 0.3 }] });
  }
  await call('PUT', '/api/regions/330000/sub-platform', zj, { enabled: true, name: { zh: '浙江省智能制造自诊断' }, notice: { zh: '请各企业按时完成自诊断。' } });

  // The platform's own regions: a park in Hangzhou, an enterprise group with enterprise B in it.
  const park = (await call('POST', '/api/regions', platform, { parent: '330100', kind: 'park', name: { zh: `矩阵测试园区${tag}` } })).json.code as string;
  const group = (await call('POST', '/api/regions', platform, { kind: 'group', name: { zh: `矩阵测试集团${tag}` } })).json.code as string;
  await call('POST', `/api/regions/${group}/members`, platform, { creditCode: b.creditCode });

  // A certificate registered for enterprise A (the public lookup finds it; only the platform changes it).
  await call('POST', '/api/certificates', platform, {
    number: `MATRIX-${tag}`.toUpperCase().replace(/[^A-Z0-9-]/g, '').slice(0, 40),
    enterpriseName: `${CERTIFICATE_HOLDER}${tag}`,
    creditCode: a.creditCode,
    ruleset: `${baseId}@${baseVersion}`,
    level: 1,
    scope: '全部能力域',
    body: '矩阵测试评估机构',
    issuedAt: '2025-01-01',
    validUntil: '2099-12-31',
  });

  // Two assessment bodies, each with a manager, and an application of each enterprise to one of
  // them (put in the store: the bundled ruleset declares no assessment scheme to apply with).
  const assessmentBody = async (n: number) =>
    (await call('POST', '/api/assessment-bodies', platform, { name: `矩阵评估机构${n}${tag}`, creditCode: creditCodeFor(randomInt(1, 2 ** 40)), accreditation: { number: `MATRIX-AB-${n}`, validUntil: '2099-12-31' } })).json.id as string;
  const bodyA = await assessmentBody(1);
  const bodyB = await assessmentBody(2);
  const manager = async (bodyId: string, n: number) => {
    const username = `matrix-assessor-${n}-${tag}`;
    const created = (await call('POST', `/api/assessment-bodies/${bodyId}/assessors`, platform, { username, certificateNumber: `MATRIX-PG-${n}`, bodyManager: true })).json;
    return (await call('POST', '/api/session', undefined, { username, password: created.temporaryPassword })).cookie!;
  };
  const managerA = await manager(bodyA, 1);
  const managerB = await manager(bodyB, 2);
  for (const [firm, bodyId, regions] of [
    [a, bodyA, ['320000', '320200']],
    [b, bodyB, ['330000', '330100', group]],
  ] as const) {
    const applicationId = randomUUID();
    await store.createAssessmentApplication({
      id: applicationId,
      enterpriseId: firm.id,
      bodyId,
      regions: [...regions],
      rulesetId: baseId,
      rulesetVersion: baseVersion,
      targetLevel: 2,
      values: { contact: '矩阵联系人' },
      status: 'submitted',
      submittedBy: randomUUID(),
      createdAt: new Date().toISOString(),
    });
    // An evidence file of each (in the store: the seeded applications are not accepted, so nobody may upload).
    const content = Buffer.from(`%PDF-1.7\nmatrix evidence ${applicationId}\n%%EOF\n`);
    await store.addEvidence(
      { id: randomUUID(), applicationId, requirement: 'L1-1.1', name: '矩阵证据.pdf', type: 'pdf', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), uploadedBy: randomUUID(), uploadedAt: new Date().toISOString() },
      content,
      { maxFiles: 10 },
    );
  }

  // Support requests: one about each enterprise (its region's administrators handle it), one about nothing registered (the platform's).
  for (const firm of [a, b, { creditCode: creditCodeFor(randomInt(1, 2 ** 40)) }])
    await call('POST', '/api/username-recovery', undefined, { enterpriseName: `矩阵找回用户名${tag}`, creditCode: firm.creditCode, mobile: PROBE_MOBILE });

  return [
    { name: 'anonymous', role: 'anonymous' },
    { name: 'enterprise A (320200)', role: 'enterprise', cookie: a.cookie, owns: { enterprises: [a.id], diagnoses: a.diagnoses } },
    { name: 'enterprise B (330100)', role: 'enterprise', cookie: b.cookie, owns: { enterprises: [b.id], diagnoses: b.diagnoses } },
    { name: 'region admin R1 (320000)', role: 'regionAdmin', region: '320000', cookie: js, owns: { rulesets: [jsDraft], regions: ['320000'] } },
    { name: 'region admin R2 (330000)', role: 'regionAdmin', region: '330000', cookie: zj, owns: { rulesets: [zjDraft], regions: ['330000'] } },
    { name: 'ruleset author', role: 'rulesetAuthor', cookie: author, owns: { rulesets: [`${authorDraftId}@1.0.0`] } },
    { name: 'platform admin', role: 'platformAdmin', cookie: platform, owns: { regions: [park, group] } },
    { name: 'assessor manager of body A', role: 'assessor', cookie: managerA, body: bodyA, bodyManager: true },
    { name: 'assessor manager of body B', role: 'assessor', cookie: managerB, body: bodyB, bodyManager: true },
  ];
}
