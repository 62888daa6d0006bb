// The Store contract, run against every backend: what the routes rely on, including the
// invariants that must hold when requests race (and, on PostgreSQL, when they arrive at different
// instances sharing one database).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resultProfile, score, type AnswerValue } from '../../engine/index.ts';
import { PROFILE_VERSION } from '../../server/store/records.ts';
import {
  ConflictError,
  DUMP_KINDS,
  MAX_PAGE_SIZE,
  NotFoundError,
  type AuditEntry,
  type Certificate,
  type Diagnosis,
  type DumpRecord,
  type Enterprise,
  type ResetCode,
  type RulesetRecord,
  type Session,
  type Store,
  type SupportRequest,
  type User,
} from '../../server/store/types.ts';
import type { AssessmentApplication, AssessmentBody } from '../../server/store/assessmentRecords.ts';
import type { EvidenceFile } from '../../server/store/evidenceRecords.ts';
import { createHash } from 'node:crypto';
import { smallRuleset } from '../fixtures/small.ts';
import { backends, type Backend } from './storeBackends.ts';

// ---- builders ---------------------------------------------------------------------------------

/** Minutes after a fixed instant, as the ISO strings the routes store. */
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString();

/** A valid UUID (what the routes use as ids) whose order is chosen by the test. */
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

let serial = 0;

function user(overrides: Partial<User> = {}): User {
  serial += 1;
  return { id: randomUUID(), username: `user${serial}`, passwordHash: `scrypt$hash${serial}`, role: 'enterprise', createdAt: at(serial), ...overrides };
}

function enterprise(overrides: Partial<Enterprise> = {}): Enterprise {
  serial += 1;
  return {
    id: randomUUID(),
    name: `测试制造有限公司${serial}`,
    creditCode: `91320200MA${String(serial).padStart(8, '0')}`,
    enterpriseType: 'production',
    industry: 'C35',
    industryType: 'discrete',
    sizeBand: '100-200',
    revenue: 5000,
    region: '320211',
    regionPath: ['320000', '320200', '320211'],
    createdAt: at(serial),
    ...overrides,
  };
}

/** An enterprise user with their enterprise, as registration creates them. */
function account(overrides: { user?: Partial<User>; enterprise?: Partial<Enterprise> } = {}) {
  const firm = enterprise(overrides.enterprise);
  return { user: user({ enterpriseId: firm.id, mobile: '13912345678', email: 'contact@example.com', ...overrides.user }), enterprise: firm };
}

function diagnosis(enterpriseId: string, overrides: Partial<Diagnosis> = {}): Diagnosis {
  serial += 1;
  return {
    id: randomUUID(),
    enterpriseId,
    userId: randomUUID(),
    rulesetId: 'small',
    rulesetVersion: '1.0.0',
    status: 'inProgress',
    state: { phase: { phase: 'answering', level: 1 }, excluded: [], submitted: [] },
    answers: {},
    indicators: {},
    levelResults: [],
    revision: 1,
    startedAt: at(serial),
    updatedAt: at(serial),
    ...overrides,
  };
}

// Level 1 reached, level 2 not: the profile is then level 2's (the first not reached, the small
// ruleset declaring nothing else), so a store that profiled the highest level reached would show.
const finalAnswers: Record<string, AnswerValue> = { 'L1-1.1': 'D', 'L1-1.2': 'C', 'L1-2.1': 'D', 'L1-2.2': 'D', 'L1-3.1': 'C', 'L2-1.1': 'B', 'L2-2.1': 'C', 'L2-3.1': 'C' };
const finalResult = score(smallRuleset(), { industryType: 'discrete', answers: finalAnswers, levels: [1, 2] }, 'nodes');
/** The profile a store keeps for `finalResult`: the engine's, made under the pinned ruleset. */
const finalProfile = { ...resultProfile(smallRuleset(), finalResult)!, v: PROFILE_VERSION };
/** The diagnoses' pinned ruleset, which a store reads to make a finished diagnosis's profile. */
const pinned = () => ({ id: 'small', version: '1.0.0', status: 'published' as const, document: { ...smallRuleset(), status: 'published' as const }, regions: [] });

/** What the submit route turns a diagnosis into after its last page, scored by the engine. */
function finished(d: Diagnosis, finishedAt = at(10_000)): Diagnosis {
  return {
    ...d,
    status: 'finished',
    state: { phase: { phase: 'finished' }, excluded: [], submitted: [1, 2] },
    answers: finalAnswers,
    indicators: { yield: { value: 3.5, formula: '(96.5 - 93) / 100' } },
    levelResults: finalResult.levels.map((l) => ({ level: l.level, score: l.score ?? 0, reached: l.reached === true, threshold: l.threshold, submittedAt: finishedAt })),
    result: finalResult,
    finishedAt,
  };
}

function rulesetRecord(version: string, status: RulesetRecord['status'], overrides: Partial<RulesetRecord> = {}): RulesetRecord {
  return { id: 'small', version, status, document: { ...smallRuleset(), version, status }, regions: [], ...overrides };
}

const admitAll = async () => ({ ok: true as const });

/** The rejection of `promise` (failing the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

async function collect(records: AsyncIterable<DumpRecord>): Promise<DumpRecord[]> {
  const out: DumpRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

async function* iterate(records: DumpRecord[]): AsyncIterable<DumpRecord> {
  yield* records;
}

// ---- the suite --------------------------------------------------------------------------------

describe.each(backends)('$name store', (backend) => {
  const opened = new Set<Store>();

  afterEach(async () => {
    const stores = [...opened];
    opened.clear();
    await Promise.all(stores.map((s) => s.close()));
  });

  async function shut(store: Store) {
    opened.delete(store);
    await store.close();
  }

  /** A new empty store of `on`. */
  async function fresh(on: Backend = backend) {
    const { store, open } = await on.create();
    opened.add(store);
    const track = async () => {
      const s = await open();
      opened.add(s);
      return s;
    };
    return {
      store,
      /**
       * The same data opened again: a restart on lowdb (`store` is closed first, and must not be
       * used after), a second instance beside `store` on PostgreSQL.
       */
      async reopen(): Promise<Store> {
        if (on.name === 'lowdb') await shut(store);
        return track();
      },
      /** Another instance sharing the data on PostgreSQL; lowdb serves one process, so `store` itself. */
      async peer(): Promise<Store> {
        return on.name === 'lowdb' ? store : track();
      },
    };
  }

  describe('ping', () => {
    it('answers while open, with no migration pending, and refuses once closed', async () => {
      const { store } = await fresh();
      await expect(store.ping()).resolves.toEqual({ pendingMigrations: [] });
      await shut(store);
      await expect(store.ping()).rejects.toThrow(/closed/);
    });
  });

  describe('accounts', () => {
    it('creates an enterprise user with their enterprise, and a user without one', async () => {
      const { store } = await fresh();
      const { user: owner, enterprise: firm } = account();
      const author = user({ role: 'rulesetAuthor' });
      await store.createAccount(owner, firm);
      await store.createAccount(author);
      expect(await store.getUser(owner.id)).toEqual(owner);
      expect(await store.getUser(author.id)).toEqual(author);
      expect(await store.getEnterprise(firm.id)).toEqual(firm);
      expect(await store.findEnterpriseByCreditCode(firm.creditCode)).toEqual(firm);
      expect(await store.findUsersOfEnterprise(firm.id)).toEqual([owner]);
      expect(await store.getUser(randomUUID())).toBeUndefined();
      expect(await store.getEnterprise(randomUUID())).toBeUndefined();
      expect(await store.findEnterpriseByCreditCode('91000000000000000X')).toBeUndefined();
    });

    it('finds users by username whatever the case, and refuses a username that differs only in case', async () => {
      const { store } = await fresh();
      const alice = user({ username: 'Alice.Wang' });
      await store.createAccount(alice);
      expect(await store.findUserByUsername('alice.wang')).toEqual(alice);
      expect(await store.findUserByUsername('ALICE.WANG')).toEqual(alice);
      expect(await store.findUserByUsername('alice')).toBeUndefined();

      const error = await rejection(store.createAccount(user({ username: 'ALICE.wang' })));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'username_taken', field: 'username' });
      expect(await store.countUsers()).toBe(1);
    });

    it('refuses a registered credit code, storing neither the user nor the enterprise of a refused account', async () => {
      const { store } = await fresh();
      const first = account();
      await store.createAccount(first.user, first.enterprise);

      // Same credit code: the new user must not be left behind without an enterprise.
      const sameCode = account({ enterprise: { creditCode: first.enterprise.creditCode } });
      const error = await rejection(store.createAccount(sameCode.user, sameCode.enterprise));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'credit_code_registered' });
      expect(await store.findUserByUsername(sameCode.user.username)).toBeUndefined();
      expect(await store.getEnterprise(sameCode.enterprise.id)).toBeUndefined();

      // Taken username: the new enterprise must not be registered by a failed sign-up.
      const sameName = account({ user: { username: first.user.username.toUpperCase() } });
      expect(await rejection(store.createAccount(sameName.user, sameName.enterprise))).toMatchObject({ code: 'username_taken' });
      expect(await store.findEnterpriseByCreditCode(sameName.enterprise.creditCode)).toBeUndefined();
      expect(await store.getUser(sameName.user.id)).toBeUndefined();

      expect(await store.countUsers()).toBe(1);
      expect(await store.listEnterprises()).toEqual([first.enterprise]);
    });

    it('counts users by role', async () => {
      const { store } = await fresh();
      for (const role of ['enterprise', 'enterprise', 'regionAdmin', 'platformAdmin'] as const) await store.createAccount(user({ role }));
      expect(await store.countUsers()).toBe(4);
      expect(await store.countUsers('enterprise')).toBe(2);
      expect(await store.countUsers('regionAdmin')).toBe(1);
      expect(await store.countUsers('rulesetAuthor')).toBe(0);
    });

    it('keeps a changed password and contact details, also when opened again', async () => {
      const { store, reopen } = await fresh();
      const { user: owner, enterprise: firm } = account();
      await store.createAccount(owner, firm);
      await store.updateUser(owner.id, { passwordHash: 'scrypt$new', mobile: '13800000000' });
      const changed = { ...owner, passwordHash: 'scrypt$new', mobile: '13800000000' };
      expect(await store.getUser(owner.id)).toEqual(changed);
      // Login looks users up by name: that lookup must see the new password too.
      expect(await store.findUserByUsername(owner.username)).toEqual(changed);

      const again = await reopen();
      expect(await again.getUser(owner.id)).toEqual(changed);
      expect(await again.findUserByUsername(owner.username)).toEqual(changed);
      await expect(again.updateUser(randomUUID(), { mobile: '13800000001' })).rejects.toBeInstanceOf(NotFoundError);
    });

    it("changes an enterprise's groups, and refuses an unknown enterprise", async () => {
      const { store, reopen } = await fresh();
      const firm = enterprise();
      await store.createAccount(user({ enterpriseId: firm.id }), firm);
      await store.updateEnterprise(firm.id, { groups: ['group-1', 'group-2'] });
      expect(await store.getEnterprise(firm.id)).toEqual({ ...firm, groups: ['group-1', 'group-2'] });
      expect(await store.listEnterprises({ regionPrefix: ['group-2'] })).toEqual([{ ...firm, groups: ['group-1', 'group-2'] }]);
      await store.updateEnterprise(firm.id, { groups: [] });
      expect(await store.listEnterprises({ regionPrefix: ['group-2'] })).toEqual([]);
      await expect(store.updateEnterprise(randomUUID(), { groups: ['group-1'] })).rejects.toBeInstanceOf(NotFoundError);

      const again = await reopen();
      expect((await again.getEnterprise(firm.id))!.groups ?? []).toEqual([]);
    });

    it("changes an enterprise's profile and region (found under the new region, no longer under the old), keeping its name and credit code", async () => {
      const { store, reopen } = await fresh();
      const firm = enterprise();
      await store.createAccount(user({ enterpriseId: firm.id }), firm);
      const profile = { enterpriseType: 'service', industry: 'C26', industryType: 'process', sizeBand: '300-1000', revenue: 12000, region: '330106', regionPath: ['330000', '330100', '330106'] };
      await store.updateEnterprise(firm.id, profile);
      const changed = { ...firm, ...profile };
      expect(await store.getEnterprise(firm.id)).toEqual(changed);
      expect(await store.findEnterpriseByCreditCode(firm.creditCode)).toEqual(changed);
      expect(await store.listEnterprises({ regionPrefix: ['330100'] })).toEqual([changed]);
      expect(await store.listEnterprises({ regionPrefix: ['320200'] })).toEqual([]);
      await expect(store.updateEnterprise(randomUUID(), { revenue: 1 })).rejects.toBeInstanceOf(NotFoundError);

      const again = await reopen();
      expect(await again.getEnterprise(firm.id)).toEqual(changed);
      expect(await again.listEnterprises({ regionPrefix: ['330000'] })).toEqual([changed]);
    });

    it('finds the region administrators of exactly one region', async () => {
      const { store } = await fresh();
      const wuxi1 = user({ role: 'regionAdmin', region: '320200' });
      const wuxi2 = user({ role: 'regionAdmin', region: '320200' });
      await store.createAccount(wuxi1);
      await store.createAccount(user({ role: 'regionAdmin', region: '320000' }));
      await store.createAccount(user({ role: 'regionAdmin', region: '320211' }));
      await store.createAccount(wuxi2);
      // An enterprise user carrying a region field is not an administrator.
      await store.createAccount(user({ role: 'enterprise', region: '320200' }));
      const found = await store.findRegionAdministrators('320200');
      expect(found.map((u) => u.id).sort()).toEqual([wuxi1.id, wuxi2.id].sort());
      expect(found.find((u) => u.id === wuxi1.id)).toEqual(wuxi1);
      expect(await store.findRegionAdministrators('110000')).toEqual([]);
    });

    it('lists enterprises in the order they registered, filtered by region or group', async () => {
      const { store } = await fresh();
      // Ids that sort the other way round, so an ordering by id shows.
      const wuxi = enterprise({ id: uuid(3), region: '320211', regionPath: ['320000', '320200', '320211'] });
      const suzhou = enterprise({ id: uuid(2), region: '320500', regionPath: ['320000', '320500'] });
      const beijing = enterprise({ id: uuid(1), region: '110105', regionPath: ['110000', '110105'], groups: ['group-x'] });
      for (const e of [wuxi, suzhou, beijing]) await store.createAccount(user({ enterpriseId: e.id }), e);

      expect(await store.listEnterprises()).toEqual([wuxi, suzhou, beijing]);
      expect(await store.listEnterprises({})).toEqual([wuxi, suzhou, beijing]);
      expect(await store.listEnterprises({ regionPrefix: ['320000'] })).toEqual([wuxi, suzhou]);
      expect(await store.listEnterprises({ regionPrefix: ['320200'] })).toEqual([wuxi]);
      expect(await store.listEnterprises({ regionPrefix: ['110105', '320500'] })).toEqual([suzhou, beijing]);
      expect(await store.listEnterprises({ regionPrefix: ['group-x'] })).toEqual([beijing]);
      // A region in a group's list and in a region path: listed once.
      expect(await store.listEnterprises({ regionPrefix: ['group-x', '110000'] })).toEqual([beijing]);
      // Region codes match whole codes, never as text prefixes.
      expect(await store.listEnterprises({ regionPrefix: ['32'] })).toEqual([]);
      expect(await store.listEnterprises({ regionPrefix: [] })).toEqual([]);
    });
  });

  describe('administration', () => {
    it('lists users newest first, a page at a time with the number matching, filtered by role, name or mobile, state and region', async () => {
      const { store } = await fresh();
      const wuxiFirm = account({ user: { username: 'Wuxi.Owner', mobile: '13911112222' }, enterprise: { region: '320211', regionPath: ['320000', '320200', '320211'] } });
      const grouped = account({ user: { username: 'group.member', mobile: '13733334444' }, enterprise: { region: '110105', regionPath: ['110000', '110105'], groups: ['G7'] } });
      const wuxiAdmin = user({ role: 'regionAdmin', region: '320200', username: 'wuxi.admin' });
      const districtAdmin = user({ role: 'regionAdmin', region: '320211', username: 'district.admin' });
      const author = user({ role: 'rulesetAuthor', username: 'author1' });
      await store.createAccount(wuxiFirm.user, wuxiFirm.enterprise);
      await store.createAccount(grouped.user, grouped.enterprise);
      for (const u of [wuxiAdmin, districtAdmin, author]) await store.createAccount(u);
      const page = { offset: 0, limit: 50 };
      const ids = async (filter: Partial<Parameters<Store['listUsers']>[0]>) => (await store.listUsers({ ...page, ...filter })).items.map((u) => u.username);

      expect(await store.listUsers(page)).toEqual({ total: 5, items: [author, districtAdmin, wuxiAdmin, grouped.user, wuxiFirm.user] });
      expect(await store.listUsers({ offset: 1, limit: 2 })).toEqual({ total: 5, items: [districtAdmin, wuxiAdmin] });
      expect(await store.listUsers({ offset: 10, limit: 2 })).toEqual({ total: 5, items: [] });
      expect(await ids({ role: 'regionAdmin' })).toEqual(['district.admin', 'wuxi.admin']);
      expect(await ids({ q: 'ADMIN' })).toEqual(['district.admin', 'wuxi.admin']);
      expect(await ids({ q: '3333' })).toEqual(['group.member']);
      // Own region, the enterprise's region path, the enterprise's groups; whole codes only.
      expect(await ids({ regions: ['320200', '320211'] })).toEqual(['district.admin', 'wuxi.admin', 'Wuxi.Owner']);
      expect(await ids({ regions: ['320211'] })).toEqual(['district.admin', 'Wuxi.Owner']);
      expect(await ids({ groups: ['G7'] })).toEqual(['group.member']);
      expect(await ids({ regions: ['G7'] })).toEqual([]);
      expect(await ids({ regions: ['320211'], groups: ['G7'] })).toEqual(['district.admin', 'group.member', 'Wuxi.Owner']);
      expect(await ids({ regions: ['32'] })).toEqual([]);
      expect(await ids({ regions: [] })).toEqual([]);
      expect(await ids({ groups: [] })).toEqual([]);
      expect((await store.listUsers({ ...page, role: 'enterprise', regions: ['320000'], q: 'owner' })).total).toBe(1);

      await store.updateUser(wuxiAdmin.id, { disabledAt: at(500) });
      expect(await ids({ disabled: true })).toEqual(['wuxi.admin']);
      expect(await ids({ disabled: false })).toEqual(['author1', 'district.admin', 'group.member', 'Wuxi.Owner']);
    });

    it('gives no session to a disabled user or a user of a disabled enterprise, and gives it back once enabled, seen by another instance', async () => {
      const { store, peer } = await fresh();
      const admin = user({ role: 'regionAdmin', region: '320200' });
      const firm = account();
      await store.createAccount(admin);
      await store.createAccount(firm.user, firm.enterprise);
      const adminSession: Session = { id: randomUUID(), userId: admin.id, createdAt: at(0), expiresAt: at(600) };
      const firmSession: Session = { id: randomUUID(), userId: firm.user.id, createdAt: at(0), expiresAt: at(600) };
      await store.createSession(adminSession);
      await store.createSession(firmSession);
      const other = await peer();

      await store.updateUser(admin.id, { disabledAt: at(1) });
      expect(await store.getUser(admin.id)).toEqual({ ...admin, disabledAt: at(1) });
      expect(await other.sessionUser(adminSession.id, at(2))).toBeUndefined();
      expect(await store.sessionUser(adminSession.id, at(2))).toBeUndefined();
      await store.updateUser(admin.id, { disabledAt: undefined });
      expect((await other.getUser(admin.id))!.disabledAt).toBeUndefined();
      expect((await other.sessionUser(adminSession.id, at(3)))?.user.id).toBe(admin.id);

      await store.updateEnterprise(firm.enterprise.id, { disabledAt: at(4) });
      expect((await other.getEnterprise(firm.enterprise.id))!.disabledAt).toBe(at(4));
      expect(await other.sessionUser(firmSession.id, at(5))).toBeUndefined();
      expect(await store.sessionUser(firmSession.id, at(5))).toBeUndefined();
      await store.updateEnterprise(firm.enterprise.id, { disabledAt: undefined });
      expect((await other.sessionUser(firmSession.id, at(6)))?.user.id).toBe(firm.user.id);
    });
  });

  describe('sessions', () => {
    const session = (): Session => ({ id: randomUUID(), userId: randomUUID(), createdAt: at(0), expiresAt: at(60) });

    it('gives a session until it expires, and not after it is deleted', async () => {
      const { store } = await fresh();
      const s = session();
      const other = session();
      await store.createSession(s);
      await store.createSession(other);
      expect(await store.getSession(s.id, at(1))).toEqual(s);
      expect(await store.getSession(s.id, at(59.99))).toEqual(s);
      expect(await store.getSession(s.id, at(60))).toBeUndefined();
      expect(await store.getSession(s.id, at(120))).toBeUndefined();
      expect(await store.getSession(randomUUID(), at(1))).toBeUndefined();

      await store.deleteSession(s.id);
      expect(await store.getSession(s.id, at(1))).toBeUndefined();
      // Logging out one session leaves the others.
      expect(await store.getSession(other.id, at(1))).toEqual(other);
    });

    it("gives a live session's user, and no one for an expired, unknown or deleted session", async () => {
      const { store } = await fresh();
      const u = user();
      await store.createAccount(u);
      const s: Session = { id: randomUUID(), userId: u.id, createdAt: at(0), expiresAt: at(60) };
      await store.createSession(s);
      expect(await store.sessionUser(s.id, at(1))).toEqual({ session: s, user: u });
      expect(await store.sessionUser(s.id, at(60))).toBeUndefined();
      expect(await store.sessionUser(randomUUID(), at(1))).toBeUndefined();
      await store.deleteSession(s.id);
      expect(await store.sessionUser(s.id, at(1))).toBeUndefined();
    });

    it('is seen through the store opened again (another instance), and a logout too', async () => {
      const { store, reopen } = await fresh();
      const kept = session();
      const loggedOut = session();
      await store.createSession(kept);
      await store.createSession(loggedOut);
      await store.deleteSession(loggedOut.id);
      const again = await reopen();
      expect(await again.getSession(kept.id, at(1))).toEqual(kept);
      expect(await again.getSession(loggedOut.id, at(1))).toBeUndefined();
    });

    it('ends a session idle since before `idleSince`, and a touch starts its idle time again, seen by the store opened again', async () => {
      const { store, reopen } = await fresh();
      const u = user();
      await store.createAccount(u);
      const s: Session = { id: randomUUID(), userId: u.id, createdAt: at(0), expiresAt: at(600) };
      await store.createSession(s);
      expect(await store.getSession(s.id, at(1), at(-1))).toEqual(s);
      expect(await store.getSession(s.id, at(1), at(0))).toBeUndefined();
      expect(await store.sessionUser(s.id, at(1), at(0))).toBeUndefined();
      await store.touchSession(s.id, at(30));
      expect(await store.getSession(s.id, at(31), at(29))).toEqual({ ...s, lastSeenAt: at(30) });
      expect(await store.sessionUser(s.id, at(31), at(29))).toEqual({ session: { ...s, lastSeenAt: at(30) }, user: u });
      expect(await store.getSession(s.id, at(31), at(30))).toBeUndefined();
      // The absolute end stands whatever the activity.
      await store.touchSession(s.id, at(599));
      expect(await store.getSession(s.id, at(600), at(598))).toBeUndefined();
      const again = await reopen();
      expect((await again.getSession(s.id, at(599.5), at(598)))?.lastSeenAt).toBe(at(599));
      // Touching a session that is gone changes nothing.
      await again.touchSession(randomUUID(), at(1));
    });

    it("keeps a user's newest sessions when a login says how many, and never touches another user's", async () => {
      const { store, reopen } = await fresh();
      const [u, other] = [user(), user()];
      await store.createAccount(u);
      await store.createAccount(other);
      const theirs: Session = { id: randomUUID(), userId: other.id, createdAt: at(0), expiresAt: at(600) };
      await store.createSession(theirs, 3);
      const mine = Array.from({ length: 6 }, (_, i): Session => ({ id: randomUUID(), userId: u.id, createdAt: at(i + 1), expiresAt: at(600) }));
      for (const s of mine) await store.createSession(s, 3);
      const alive = async (st: Store) => (await Promise.all(mine.map((s) => st.getSession(s.id, at(10))))).map((s) => !!s);
      expect(await alive(store)).toEqual([false, false, false, true, true, true]);
      expect(await store.getSession(theirs.id, at(10))).toEqual(theirs);
      expect(await alive(await reopen())).toEqual([false, false, false, true, true, true]);
    });

    it("ends every session of a user but the one kept, and no one else's", async () => {
      const { store, reopen } = await fresh();
      const [u, other] = [user(), user()];
      await store.createAccount(u);
      await store.createAccount(other);
      const mine = Array.from({ length: 3 }, (_, i): Session => ({ id: randomUUID(), userId: u.id, createdAt: at(i), expiresAt: at(600) }));
      const theirs: Session = { id: randomUUID(), userId: other.id, createdAt: at(0), expiresAt: at(600) };
      for (const s of [...mine, theirs]) await store.createSession(s);
      expect(await store.deleteUserSessions(u.id, mine[1].id)).toBe(2);
      const again = await reopen();
      for (const st of [store, again]) {
        expect(await st.getSession(mine[0].id, at(10))).toBeUndefined();
        expect(await st.getSession(mine[1].id, at(10))).toEqual(mine[1]);
        expect(await st.getSession(mine[2].id, at(10))).toBeUndefined();
        expect(await st.getSession(theirs.id, at(10))).toEqual(theirs);
      }
      expect(await again.deleteUserSessions(u.id)).toBe(1);
      expect(await again.getSession(mine[1].id, at(10))).toBeUndefined();
    });
  });

  describe('reset codes', () => {
    const code = (userId: string, codeHash: string, expiresAt = at(10)): ResetCode => ({ userId, codeHash, expiresAt, attempts: 0 });

    it("replaces a user's previous code, and removes a code once it matched", async () => {
      const { store } = await fresh();
      const userId = randomUUID();
      await store.putResetCode(code(userId, 'first'));
      await store.putResetCode(code(userId, 'second'));
      expect(await store.consumeResetCode(userId, (c) => c.codeHash === 'first', 5, at(1))).toBe(false);
      expect(await store.consumeResetCode(userId, (c) => c.codeHash === 'second', 5, at(1))).toBe(true);
      // Used once: the same code cannot reset the password again.
      expect(await store.consumeResetCode(userId, (c) => c.codeHash === 'second', 5, at(1))).toBe(false);
    });

    it('counts wrong attempts, also across instances, and refuses even the right code after the last one', async () => {
      const { store, reopen } = await fresh();
      const userId = randomUUID();
      const otherUser = randomUUID();
      await store.putResetCode(code(userId, 'right'));
      await store.putResetCode(code(otherUser, 'other'));
      const checks: number[] = [];
      const wrong = (c: ResetCode) => (checks.push(c.attempts), false);
      expect(await store.consumeResetCode(userId, wrong, 3, at(1))).toBe(false);
      expect(await store.consumeResetCode(userId, wrong, 3, at(1))).toBe(false);
      const again = await reopen();
      expect(await again.consumeResetCode(userId, wrong, 3, at(1))).toBe(false);
      expect(checks).toHaveLength(3);
      expect(await again.consumeResetCode(userId, (c) => c.codeHash === 'right', 3, at(1))).toBe(false);
      // Another user's attempts are their own.
      expect(await again.consumeResetCode(otherUser, (c) => c.codeHash === 'other', 3, at(1))).toBe(true);
    });

    it('ignores an expired code', async () => {
      const { store } = await fresh();
      const userId = randomUUID();
      await store.putResetCode(code(userId, 'right', at(10)));
      const check = vi.fn(() => true);
      expect(await store.consumeResetCode(userId, check, 5, at(10))).toBe(false);
      expect(await store.consumeResetCode(userId, check, 5, at(11))).toBe(false);
      expect(check).not.toHaveBeenCalled();
    });

    it('accepts a support request', async () => {
      const { store } = await fresh();
      const request: SupportRequest = { id: randomUUID(), kind: 'usernameRecovery', enterpriseName: '测试制造有限公司', creditCode: '91320200MA00000001', mobile: '13912345678', createdAt: at(0) };
      await expect(store.addSupportRequest(request)).resolves.toBeUndefined();
      await expect(store.addSupportRequest({ ...request, id: randomUUID(), matchedUserId: randomUUID() })).resolves.toBeUndefined();
    });
  });

  describe('support requests', () => {
    const request = (n: number, overrides: Partial<SupportRequest> = {}): SupportRequest => ({
      id: uuid(n),
      kind: 'usernameRecovery',
      enterpriseName: `测试制造有限公司${n}`,
      creditCode: `91320200MA${String(n).padStart(8, '0')}`,
      mobile: `1391234${String(n).padStart(4, '0')}`,
      createdAt: at(n),
      status: 'open',
      replies: [],
      ...overrides,
    });
    const page = { offset: 0, limit: 50 };
    const ids = (list: { items: SupportRequest[] }) => list.items.map((r) => r.id);

    it('reads a request kept before requests had a status as open with no replies, and lists the newest first', async () => {
      const { store } = await fresh();
      const old: SupportRequest = { id: uuid(1), kind: 'usernameRecovery', enterpriseName: '老企业', creditCode: '91320200MA00000001', mobile: '13912340001', createdAt: at(1) };
      await store.addSupportRequest(old);
      await store.addSupportRequest(request(3));
      await store.addSupportRequest(request(2));
      const list = await store.listSupportRequests({}, page);
      expect(list.total).toBe(3);
      expect(ids(list)).toEqual([uuid(3), uuid(2), uuid(1)]);
      expect(list.items[2]).toEqual({ ...old, status: 'open', replies: [] });
      expect(await store.getSupportRequest(uuid(1))).toEqual({ ...old, status: 'open', replies: [] });
      expect(await store.listSupportRequests({ status: 'open' }, page)).toMatchObject({ total: 3 });
      expect(await store.getSupportRequest(uuid(9))).toBeUndefined();
    });

    it('filters by status, kind, regions (with or without those that have none) and text, and pages', async () => {
      const { store } = await fresh();
      await store.addSupportRequest(request(1, { region: '320200' }));
      await store.addSupportRequest(request(2, { region: '320211', status: 'resolved', enterpriseName: '无锡精工机械' }));
      await store.addSupportRequest(request(3));
      await store.addSupportRequest(request(4, { region: '330100', creditCode: '91330100MA0000000X' }));
      expect(ids(await store.listSupportRequests({ regions: ['320200', '320211'] }, page))).toEqual([uuid(2), uuid(1)]);
      expect(ids(await store.listSupportRequests({ regions: ['320200'], withoutRegion: true }, page))).toEqual([uuid(3), uuid(1)]);
      expect(ids(await store.listSupportRequests({ withoutRegion: true }, page))).toEqual([uuid(3)]);
      expect(ids(await store.listSupportRequests({ regions: [] }, page))).toEqual([]);
      expect(ids(await store.listSupportRequests({ status: 'resolved' }, page))).toEqual([uuid(2)]);
      expect(ids(await store.listSupportRequests({ status: 'open', regions: ['320211'] }, page))).toEqual([]);
      expect(ids(await store.listSupportRequests({ kind: 'usernameRecovery' }, page))).toHaveLength(4);
      expect(ids(await store.listSupportRequests({ text: '精工' }, page))).toEqual([uuid(2)]);
      expect(ids(await store.listSupportRequests({ text: '0000000x' }, page))).toEqual([uuid(4)]);
      expect(ids(await store.listSupportRequests({ text: '13912340003' }, page))).toEqual([uuid(3)]);
      expect(ids(await store.listSupportRequests({ text: '100%' }, page))).toEqual([]);
      const second = await store.listSupportRequests({}, { offset: 1, limit: 2 });
      expect(second.total).toBe(4);
      expect(ids(second)).toEqual([uuid(3), uuid(2)]);
    });

    it('gives at most MAX_PAGE_SIZE requests a page, whatever is asked', async () => {
      const { store } = await fresh();
      for (let n = 1; n <= MAX_PAGE_SIZE + 5; n += 1) await store.addSupportRequest(request(n));
      const list = await store.listSupportRequests({}, { offset: 0, limit: 10_000 });
      expect(list.total).toBe(MAX_PAGE_SIZE + 5);
      expect(list.items).toHaveLength(MAX_PAGE_SIZE);
    });

    it('changes the status and adds replies, seen by the store opened again, and refuses an unknown request', async () => {
      const { store, reopen } = await fresh();
      await store.addSupportRequest(request(1, { region: '320200' }));
      const reply = { at: at(10), by: 'admin-1', text: '您的用户名已通过短信发送。', sentBySms: true };
      const changed = await store.updateSupportRequest(uuid(1), { at: at(10), status: 'inProgress', reply });
      expect(changed).toMatchObject({ status: 'inProgress', replies: [reply], updatedAt: at(10), region: '320200' });
      await store.updateSupportRequest(uuid(1), { at: at(11), status: 'resolved' });
      const second = { at: at(12), by: 'admin-2', text: '已结案。', sentBySms: false };
      await store.updateSupportRequest(uuid(1), { at: at(12), reply: second });
      const again = await reopen();
      expect(await again.getSupportRequest(uuid(1))).toMatchObject({ status: 'resolved', replies: [reply, second], updatedAt: at(12) });
      expect(ids(await again.listSupportRequests({ status: 'resolved' }, page))).toEqual([uuid(1)]);
      expect(ids(await again.listSupportRequests({ status: 'open' }, page))).toEqual([]);
      expect(await rejection(again.updateSupportRequest(uuid(2), { at: at(13), status: 'resolved' }))).toBeInstanceOf(NotFoundError);
    });

    it('changes a request kept before requests had a status', async () => {
      const { store } = await fresh();
      await store.addSupportRequest({ id: uuid(1), kind: 'usernameRecovery', enterpriseName: '老企业', creditCode: '91320200MA00000001', mobile: '13912340001', createdAt: at(1) });
      expect(await store.updateSupportRequest(uuid(1), { at: at(2), status: 'rejected' })).toMatchObject({ status: 'rejected', replies: [], updatedAt: at(2) });
      expect(ids(await store.listSupportRequests({ status: 'rejected' }, page))).toEqual([uuid(1)]);
    });
  });

  describe('audit log', () => {
    const entry = (minutes: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({ at: at(minutes), actor: 'admin-1', action: 'region.create', target: '320200P1', ...overrides });
    const page = { offset: 0, limit: 50 };
    const times = (list: { items: AuditEntry[] }) => list.items.map((e) => e.at);

    it('gives entries newest first (the later written first at the same time), with their region, and pages', async () => {
      const { store } = await fresh();
      await store.audit(entry(1));
      await store.audit(entry(3, { region: '320000' }));
      await store.audit(entry(2, { action: 'first' }));
      await store.audit(entry(2, { action: 'second' }));
      const all = await store.queryAudit({}, page);
      expect(all.total).toBe(4);
      expect(all.items.map((e) => e.action)).toEqual(['region.create', 'second', 'first', 'region.create']);
      expect(all.items[0]).toEqual(entry(3, { region: '320000' }));
      const second = await store.queryAudit({}, { offset: 1, limit: 2 });
      expect(second.total).toBe(4);
      expect(second.items.map((e) => e.action)).toEqual(['second', 'first']);
    });

    it('filters by actor, action prefix, target, time range and regions, all together', async () => {
      const { store, peer } = await fresh();
      await store.audit(entry(1, { actor: 'admin-1', action: 'region.create', target: 'A', region: '320200' }));
      await store.audit(entry(2, { actor: 'admin-2', action: 'region.rename', target: 'B', region: '320211' }));
      await store.audit(entry(3, { actor: 'admin-1', action: 'ruleset.publish', target: 'small@1.0.0' }));
      await store.audit(entry(4, { actor: undefined, action: 'setup.adminFromLink', target: 'u1' }));
      await store.audit(entry(5, { actor: 'admin-2', action: 'regions_x', target: 'C', region: '330100' }));
      const other = await peer();
      const actions = async (filter: Parameters<Store['queryAudit']>[0]) => (await other.queryAudit(filter, page)).items.map((e) => e.action);
      expect(await actions({ actor: 'admin-1' })).toEqual(['ruleset.publish', 'region.create']);
      expect(await actions({ actionPrefix: 'region.' })).toEqual(['region.rename', 'region.create']);
      expect(await actions({ actionPrefix: 'region_' })).toEqual([]);
      expect(await actions({ actionPrefix: 'region%' })).toEqual([]);
      expect(await actions({ target: 'small@1.0.0' })).toEqual(['ruleset.publish']);
      expect(await actions({ from: at(2), to: at(4) })).toEqual(['ruleset.publish', 'region.rename']);
      expect(await actions({ regions: ['320200', '320211'] })).toEqual(['region.rename', 'region.create']);
      expect(await actions({ regions: [] })).toEqual([]);
      expect(await actions({ regions: ['320200', '320211'], actor: 'admin-2', actionPrefix: 'region', from: at(2) })).toEqual(['region.rename']);
      expect(times(await other.queryAudit({ to: at(2) }, page))).toEqual([at(1)]);
    });

    it('gives at most MAX_PAGE_SIZE entries a page, whatever is asked', async () => {
      const { store } = await fresh();
      for (let n = 1; n <= MAX_PAGE_SIZE + 5; n += 1) await store.audit(entry(n));
      const list = await store.queryAudit({}, { offset: 0, limit: 10_000 });
      expect(list.total).toBe(MAX_PAGE_SIZE + 5);
      expect(list.items).toHaveLength(MAX_PAGE_SIZE);
      expect(list.items[0].at).toBe(at(MAX_PAGE_SIZE + 5));
    });
  });

  describe('certificates', () => {
    const certificate = (n: number, over: Partial<Certificate> = {}): Certificate => ({
      id: randomUUID(),
      number: `CMMM-2026-${String(n).padStart(5, '0')}`,
      enterpriseName: `示例制造有限公司${n}`,
      creditCode: `91320200MA0000000${n}`,
      region: '320200',
      level: 2,
      levelName: '二级（规范级）',
      scope: '全部能力域',
      standard: 'GB/T 39116-2020',
      body: { name: '示例评估机构' },
      issuedAt: '2026-03-15',
      validUntil: '2029-03-14',
      utcOffsetMinutes: 480,
      source: 'registered',
      createdAt: at(n),
      ...over,
    });

    it('keeps a certificate, finds it by number (any case), by part of the name or by the whole credit code, also when opened again', async () => {
      const { store, reopen } = await fresh();
      const a = certificate(1);
      const b = certificate(2, { enterpriseName: '无锡精工科技有限公司' });
      await store.addCertificate(a);
      await store.addCertificate(b);
      expect(await store.getCertificate(a.id)).toEqual(a);
      expect(await store.findCertificates({ number: 'cmmm-2026-00001', limit: 10 })).toEqual([a]);
      expect(await store.findCertificates({ text: '精工', limit: 10 })).toEqual([b]);
      expect(await store.findCertificates({ text: a.creditCode, limit: 10 })).toEqual([a]);
      // Part of a credit code finds nothing: a lookup by code needs the whole code.
      expect(await store.findCertificates({ text: a.creditCode.slice(0, 10), limit: 10 })).toEqual([]);
      expect(await store.findCertificates({ text: '示例制造', limit: 10 })).toEqual([a]);
      expect(await store.findCertificates({ text: '有限公司', limit: 1 })).toHaveLength(1);
      const again = await reopen();
      expect(await again.getCertificate(b.id)).toEqual(b);
      expect(await again.findCertificates({ number: b.number, limit: 10 })).toEqual([b]);
    });

    it('refuses a number given before, keeping the first', async () => {
      const { store } = await fresh();
      const a = certificate(1);
      await store.addCertificate(a);
      const error = await rejection(store.addCertificate(certificate(1, { enterpriseName: '另一家' })));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'certificate_number_taken', field: 'number' });
      expect(await store.findCertificates({ number: a.number, limit: 10 })).toEqual([a]);
    });

    it('changes a certificate under its lock (suspended, revoked), seen when opened again, and refuses an unknown one', async () => {
      const { store, reopen } = await fresh();
      const a = certificate(1);
      await store.addCertificate(a);
      const changes = await Promise.all(Array.from({ length: 5 }, (_, i) => store.updateCertificate(a.id, (c) => ({ ...c, statusReason: `${c.statusReason ?? ''}${i}` }))));
      expect(changes).toHaveLength(5);
      expect([...(await store.getCertificate(a.id))!.statusReason!].sort().join('')).toBe('01234');
      await store.updateCertificate(a.id, (c) => ({ ...c, revokedAt: at(9) }));
      const again = await reopen();
      expect((await again.getCertificate(a.id))!.revokedAt).toBe(at(9));
      await expect(again.updateCertificate(randomUUID(), (c) => c)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('goes out in an export and comes back from it', async () => {
      const { store } = await fresh();
      const a = certificate(1);
      await store.addCertificate(a);
      const lines: DumpRecord[] = [];
      for await (const r of store.exportRecords()) lines.push(r);
      expect(lines).toContainEqual({ kind: 'certificate', certificate: a });
      const { store: other } = await fresh();
      await other.importDump((async function* () {
        yield* lines;
      })());
      expect(await other.getCertificate(a.id)).toEqual(a);
    });
  });

  describe('formal assessment: bodies, assessors, applications', () => {
    const body = (n: number, over: Partial<AssessmentBody> = {}): AssessmentBody => ({
      id: randomUUID(),
      name: `评估机构${n}`,
      creditCode: `91110000BODY${String(n).padStart(6, '0')}`,
      accreditation: { number: `CMMM-AB-${n}`, validUntil: '2028-12-31' },
      status: 'active',
      createdAt: at(n),
      ...over,
    });
    const application = (enterpriseId: string, bodyId: string, n: number, over: Partial<AssessmentApplication> = {}): AssessmentApplication => ({
      id: randomUUID(),
      enterpriseId,
      bodyId,
      regions: ['320000', '320200', '320211'],
      rulesetId: 'small',
      rulesetVersion: '1.0.0',
      targetLevel: 2,
      values: { contact: '张三' },
      status: 'submitted',
      submittedBy: randomUUID(),
      createdAt: at(n),
      ...over,
    });

    it('accredits bodies (one per credit code), changes them, lists them in order, also when opened again', async () => {
      const { store, reopen } = await fresh();
      const a = body(1, { regions: ['320000'] });
      const b = body(2);
      await store.createAssessmentBody(a);
      await store.createAssessmentBody(b);
      const error = await rejection(store.createAssessmentBody(body(3, { creditCode: a.creditCode })));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'body_registered', field: 'creditCode' });
      const suspended = await store.updateAssessmentBody(a.id, { status: 'suspended', updatedAt: at(5) });
      expect(suspended).toEqual({ ...a, status: 'suspended', updatedAt: at(5) });
      await expect(store.updateAssessmentBody(randomUUID(), { status: 'active', updatedAt: at(6) })).rejects.toBeInstanceOf(NotFoundError);
      const again = await reopen();
      expect(await again.listAssessmentBodies()).toEqual([suspended, b]);
      expect(await again.getAssessmentBody(b.id)).toEqual(b);
      expect(await again.getAssessmentBody(randomUUID())).toBeUndefined();
    });

    it("finds a body's assessors and no one else", async () => {
      const { store } = await fresh();
      const a = body(1);
      await store.createAssessmentBody(a);
      const manager = user({ role: 'assessor', bodyId: a.id, assessorCertificate: 'PG-001', bodyManager: true, affiliations: ['91320200MA00000001'] });
      const other = user({ role: 'assessor', bodyId: randomUUID(), assessorCertificate: 'PG-002' });
      await store.createAccount(manager);
      await store.createAccount(other);
      await store.createAccount(user({ role: 'platformAdmin' }));
      expect(await store.findAssessors(a.id)).toEqual([manager]);
    });

    it('keeps applications, one open per enterprise, lists them by enterprise, body and region, newest first', async () => {
      const { store, peer } = await fresh();
      const [b1, b2] = [body(1), body(2)];
      await store.createAssessmentBody(b1);
      await store.createAssessmentBody(b2);
      const e1 = randomUUID();
      const e2 = randomUUID();
      const first = application(e1, b1.id, 1);
      await store.createAssessmentApplication(first);
      // A second open one, even at another instance, is refused.
      const other = await peer();
      const error = await rejection(other.createAssessmentApplication(application(e1, b2.id, 2)));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'application_open' });
      const second = application(e2, b2.id, 3, { regions: ['110000', '110100'] });
      await store.createAssessmentApplication(second);
      const page = { offset: 0, limit: 10 };
      expect(await other.listAssessmentApplications({}, page)).toEqual({ total: 2, items: [second, first] });
      expect(await other.listAssessmentApplications({ bodyId: b1.id }, page)).toEqual({ total: 1, items: [first] });
      expect(await other.listAssessmentApplications({ enterpriseId: e2 }, page)).toEqual({ total: 1, items: [second] });
      expect(await other.listAssessmentApplications({ regions: ['320200'] }, page)).toEqual({ total: 1, items: [first] });
      expect(await other.listAssessmentApplications({ status: 'accepted' }, page)).toEqual({ total: 0, items: [] });
      expect(await other.listAssessmentApplications({}, { offset: 1, limit: 1 })).toEqual({ total: 2, items: [first] });
      expect(await other.getAssessmentApplication(first.id)).toEqual(first);
    });

    it('changes an application under its lock; a closed one frees the enterprise and is never reopened', async () => {
      const { store, reopen } = await fresh();
      const b = body(1);
      await store.createAssessmentBody(b);
      const e = randomUUID();
      const first = application(e, b.id, 1);
      await store.createAssessmentApplication(first);
      // A change that throws changes nothing.
      await expect(store.updateAssessmentApplication(first.id, () => { throw new Error('refused'); })).rejects.toThrow('refused');
      expect(await store.getAssessmentApplication(first.id)).toEqual(first);
      const withdrawn = await store.updateAssessmentApplication(first.id, (a) => ({ ...a, status: 'withdrawn', updatedAt: at(2) }));
      expect(withdrawn).toEqual({ ...first, status: 'withdrawn', updatedAt: at(2) });
      expect(await rejection(store.updateAssessmentApplication(first.id, (a) => ({ ...a, status: 'submitted' })))).toMatchObject({ code: 'application_closed' });
      const next = application(e, b.id, 3);
      await store.createAssessmentApplication(next);
      const accepted = await store.updateAssessmentApplication(next.id, (a) => ({ ...a, status: 'accepted', contractDate: '2026-12-01', decidedBy: 'm', decidedAt: at(4) }));
      await expect(store.updateAssessmentApplication(randomUUID(), (a) => a)).rejects.toBeInstanceOf(NotFoundError);
      const again = await reopen();
      expect(await again.getAssessmentApplication(next.id)).toEqual(accepted);
      expect((await again.listAssessmentApplications({ enterpriseId: e, status: 'withdrawn' }, { offset: 0, limit: 10 })).items).toEqual([withdrawn]);
    });

    it('goes out in an export and comes back from it', async () => {
      const { store } = await fresh();
      const b = body(1);
      await store.createAssessmentBody(b);
      const a = application(randomUUID(), b.id, 2);
      await store.createAssessmentApplication(a);
      const lines = await collect(store.exportRecords());
      expect(lines).toContainEqual({ kind: 'assessmentBody', body: b });
      expect(lines).toContainEqual({ kind: 'assessmentApplication', application: a });
      const { store: other } = await fresh();
      await other.importDump(iterate(lines));
      expect(await other.getAssessmentBody(b.id)).toEqual(b);
      expect(await other.getAssessmentApplication(a.id)).toEqual(a);
      // The imported application is still the enterprise's open one.
      expect(await rejection(other.createAssessmentApplication(application(a.enterpriseId, b.id, 3)))).toMatchObject({ code: 'application_open' });
    });
  });

  describe('rulesets', () => {
    it('keeps a ruleset with its document and lists it without', async () => {
      const { store } = await fresh();
      const published = rulesetRecord('1.0.0', 'published', { regions: ['520000'], publishedAt: at(5) });
      const draft = rulesetRecord('1.1.0', 'draft');
      await store.putRuleset(published);
      await store.putRuleset(draft);
      expect(await store.getRuleset('small', '1.0.0')).toEqual(published);
      expect(await store.getRuleset('small', '1.1.0')).toEqual(draft);
      expect(await store.getRuleset('small', '9.9.9')).toBeUndefined();
      expect(await store.getRuleset('other', '1.0.0')).toBeUndefined();
      const listed = await store.listRulesets();
      expect(listed).toHaveLength(2);
      for (const r of listed) expect(r).not.toHaveProperty('document');
      expect(listed).toEqual(expect.arrayContaining([{ id: 'small', version: '1.0.0', status: 'published', regions: ['520000'], publishedAt: at(5) }, { id: 'small', version: '1.1.0', status: 'draft', regions: [] }]));
    });

    it('replaces a draft (also what the store opened again reads), and publishes it, after which it never changes', async () => {
      const { store, reopen } = await fresh();
      await store.putRuleset(rulesetRecord('1.0.0', 'draft'));
      const edited = rulesetRecord('1.0.0', 'draft');
      edited.document.title = { zh: '改过的', en: 'Edited' };
      await store.putRuleset(edited);
      expect((await store.getRuleset('small', '1.0.0'))!.document.title.zh).toBe('改过的');
      expect(await store.listRulesets()).toHaveLength(1);

      const again = await reopen();
      expect(await again.getRuleset('small', '1.0.0')).toEqual(edited);

      const published = rulesetRecord('1.0.0', 'published', { publishedAt: at(5) });
      published.document.title = { zh: '发布版', en: 'Published' };
      await again.putRuleset(published);
      const overwrite = rulesetRecord('1.0.0', 'draft');
      const error = await rejection(again.putRuleset(overwrite));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'ruleset_published' });
      expect(await again.getRuleset('small', '1.0.0')).toEqual(published);
      expect(await again.listRulesets()).toEqual([{ id: 'small', version: '1.0.0', status: 'published', regions: [], publishedAt: at(5) }]);
    });

    it('replaces a draft only at the revision the writer read, and creates one only where none is', async () => {
      const { store, reopen } = await fresh();
      // Revision 0 expects no ruleset at that version.
      await store.putRuleset(rulesetRecord('1.0.0', 'draft', { revision: 1 }), { revision: 0 });
      const exists = await rejection(store.putRuleset(rulesetRecord('1.0.0', 'draft', { revision: 1 }), { revision: 0 }));
      expect(exists).toBeInstanceOf(ConflictError);
      expect(exists).toMatchObject({ code: 'stale' });

      const first = rulesetRecord('1.0.0', 'draft', { revision: 2 });
      first.document.title = { zh: '第一个作者', en: 'First author' };
      await store.putRuleset(first, { revision: 1 });
      // A second author (another tab) still holding revision 1 is refused, and changes nothing.
      const second = rulesetRecord('1.0.0', 'draft', { revision: 2 });
      second.document.title = { zh: '第二个作者', en: 'Second author' };
      const stale = await rejection(store.putRuleset(second, { revision: 1 }));
      expect(stale).toBeInstanceOf(ConflictError);
      expect(stale).toMatchObject({ code: 'stale' });
      expect(await store.getRuleset('small', '1.0.0')).toEqual(first);

      const again = await reopen();
      expect(await again.getRuleset('small', '1.0.0')).toEqual(first);
      await expect(again.putRuleset(second, { revision: 1 })).rejects.toMatchObject({ code: 'stale' });
      // Of several writers at the same revision, exactly one gets in.
      const racers = Array.from({ length: 6 }, (_, i) => {
        const r = rulesetRecord('1.0.0', 'draft', { revision: 3 });
        r.document.title = { zh: `并发 ${i}`, en: `Racer ${i}` };
        return again.putRuleset(r, { revision: 2 }).then(
          () => r.document.title.zh,
          (e) => (e as ConflictError).code,
        );
      });
      const outcomes = await Promise.all(racers);
      expect(outcomes.filter((o) => o === 'stale')).toHaveLength(5);
      expect((await again.getRuleset('small', '1.0.0'))!.document.title.zh).toBe(outcomes.find((o) => o !== 'stale'));
      // Of several creating the same version at once, exactly one gets in.
      const creators = await Promise.all(Array.from({ length: 4 }, () => again.putRuleset(rulesetRecord('2.0.0', 'draft', { revision: 1 }), { revision: 0 }).then(() => 'ok', (e) => (e as ConflictError).code)));
      expect(creators.sort()).toEqual(['ok', 'stale', 'stale', 'stale']);
    });

    it('counts a draft kept without a revision (saved before revisions) as revision 1', async () => {
      const { store } = await fresh();
      await store.putRuleset(rulesetRecord('1.0.0', 'draft'));
      await expect(store.putRuleset(rulesetRecord('1.0.0', 'draft', { revision: 1 }), { revision: 0 })).rejects.toMatchObject({ code: 'stale' });
      await store.putRuleset(rulesetRecord('1.0.0', 'draft', { revision: 2 }), { revision: 1 });
      expect((await store.getRuleset('small', '1.0.0'))!.revision).toBe(2);
    });

    it('discards a draft, never a published version, and refuses an unknown one', async () => {
      const { store, reopen } = await fresh();
      await store.putRuleset(rulesetRecord('1.0.0', 'published'));
      await store.putRuleset(rulesetRecord('1.1.0', 'draft'));
      await store.deleteRuleset('small', '1.1.0');
      expect(await store.getRuleset('small', '1.1.0')).toBeUndefined();

      const error = await rejection(store.deleteRuleset('small', '1.0.0'));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'ruleset_published' });
      await expect(store.deleteRuleset('small', '1.1.0')).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.deleteRuleset('unknown', '1.0.0')).rejects.toBeInstanceOf(NotFoundError);

      const again = await reopen();
      expect((await again.listRulesets()).map((r) => r.version)).toEqual(['1.0.0']);
      expect(await again.getRuleset('small', '1.1.0')).toBeUndefined();
      expect(await again.getRuleset('small', '1.0.0')).toEqual(rulesetRecord('1.0.0', 'published'));
    });
  });

  describe('diagnoses', () => {
    it('stores nothing when admit refuses, and passes admit the enterprise’s own diagnoses', async () => {
      const { store } = await fresh();
      const mine = randomUUID();
      const theirs = randomUUID();
      const refused = diagnosis(mine);
      expect(await store.createDiagnosis(refused, async () => ({ ok: false, reason: { code: 'limit', max: 3 } }))).toEqual({ ok: false, reason: { code: 'limit', max: 3 } });
      expect(await store.getDiagnosis(refused.id)).toBeUndefined();
      expect(await store.listDiagnoses(mine)).toEqual([]);

      await store.createDiagnosis(diagnosis(mine), admitAll);
      await store.createDiagnosis(diagnosis(theirs), admitAll);
      await store.createDiagnosis(diagnosis(mine), admitAll);
      const seen: unknown[] = [];
      const next = diagnosis(mine);
      expect(
        await store.createDiagnosis(next, async (history) => {
          seen.push(history);
          return { ok: true };
        }),
      ).toEqual({ ok: true });
      expect(seen).toHaveLength(1);
      const [history] = seen as Awaited<ReturnType<Store['listDiagnoses']>>[];
      expect(history).toHaveLength(2);
      expect(history.every((s) => s.enterpriseId === mine)).toBe(true);
      expect(await store.getDiagnosis(next.id)).toEqual(next);
      expect((await store.listDiagnoses(mine)).map((s) => s.id)).toEqual([...history.map((s) => s.id), next.id]);
    });

    it('admits no more diagnoses than the limit when ten start at once', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      const firm = randomUUID();
      const atMostThree = async (history: { id: string }[]) => {
        // Give racing calls every chance to read the same history.
        await sleep(5);
        return history.length < 3 ? { ok: true as const } : { ok: false as const, reason: 'limit' };
      };
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).createDiagnosis(diagnosis(firm), atMostThree)));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
      expect(outcomes.filter((o) => !o.ok)).toEqual(Array.from({ length: 7 }, () => ({ ok: false, reason: 'limit' })));
      expect(await store.listDiagnoses(firm)).toHaveLength(3);
      expect(await other.listDiagnoses(firm)).toHaveLength(3);
    });

    it('bumps the revision by one and sets updatedAt on each change, kept when opened again', async () => {
      const { store, reopen } = await fresh();
      const d = diagnosis(randomUUID(), { answers: { 'L1-1.1': 'A' } });
      await store.createDiagnosis(d, admitAll);
      const before = Date.now();
      const seen: Diagnosis[] = [];
      const updated = await store.updateDiagnosis(d.id, (current) => {
        seen.push(current);
        // The store, not the caller, decides revision and updatedAt.
        return { ...current, answers: { ...current.answers, 'L1-1.2': 'B' }, revision: 99, updatedAt: at(-1) };
      });
      expect(seen).toEqual([d]);
      expect(updated.revision).toBe(2);
      expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(updated.updatedAt)).toBeLessThanOrEqual(Date.now() + 1000);
      expect(updated).toEqual({ ...d, answers: { 'L1-1.1': 'A', 'L1-1.2': 'B' }, revision: 2, updatedAt: updated.updatedAt });
      expect(await store.getDiagnosis(d.id)).toEqual(updated);

      const third = await store.updateDiagnosis(d.id, (current) => ({ ...current, answers: { 'L1-1.2': 'C' } }));
      expect(third.revision).toBe(3);
      const again = await reopen();
      // A removed answer stays removed.
      expect(await again.getDiagnosis(d.id)).toEqual(third);
    });

    it('changes nothing when the change throws, passing its error on, and refuses an unknown diagnosis', async () => {
      const { store, reopen } = await fresh();
      const d = diagnosis(randomUUID(), { answers: { 'L1-1.1': 'A' } });
      await store.createDiagnosis(d, admitAll);
      // The routes throw their own errors (a 409 for the wrong level) and expect them back unchanged.
      const boom = new Error('not the current level');
      const error = await rejection(
        store.updateDiagnosis(d.id, async (current) => {
          current.answers['L1-1.2'] = 'D';
          current.status = 'finished';
          throw boom;
        }),
      );
      expect(error).toBe(boom);
      expect(await store.getDiagnosis(d.id)).toEqual(d);
      expect((await store.listDiagnoses(d.enterpriseId))[0].status).toBe('inProgress');

      const change = vi.fn((x: Diagnosis) => x);
      await expect(store.updateDiagnosis(randomUUID(), change)).rejects.toBeInstanceOf(NotFoundError);
      expect(change).not.toHaveBeenCalled();

      const again = await reopen();
      expect(await again.getDiagnosis(d.id)).toEqual(d);
      expect((await again.updateDiagnosis(d.id, (x) => x)).revision).toBe(2);
    });

    it('applies a change to the stored document when the copy the caller read earlier is out of date', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      const d = diagnosis(randomUUID(), { answers: { q0: 'A' } });
      await store.createDiagnosis(d, admitAll);
      const readEarlier = (await store.getDiagnosis(d.id))!;
      // Another tab (on PostgreSQL, another instance) saves in between.
      await other.updateDiagnosis(d.id, (current) => ({ ...current, answers: { ...current.answers, q1: 'B' } }));
      const updated = await store.updateDiagnosis(d.id, (current) => ({ ...current, answers: { ...current.answers, q2: 'C' } }), readEarlier);
      expect(updated.answers).toEqual({ q0: 'A', q1: 'B', q2: 'C' });
      expect(updated.revision).toBe(3);
      expect(await store.getDiagnosis(d.id)).toEqual(updated);
    });

    it('loses no answer when forty are saved at once', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      const d = diagnosis(randomUUID());
      await store.createDiagnosis(d, admitAll);
      const revisions = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const updated = await (i % 2 ? other : store).updateDiagnosis(d.id, async (current) => {
            // A read-modify-write without a lock would lose answers while this waits.
            await sleep(1);
            return { ...current, answers: { ...current.answers, [`q${i}`]: 'D' } };
          });
          return updated.revision;
        }),
      );
      expect(revisions.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
      for (const s of [store, other]) {
        const final = (await s.getDiagnosis(d.id))!;
        expect(Object.keys(final.answers).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `q${i}`).sort());
        expect(final.revision).toBe(41);
      }
    });

    it('lists summaries with the level and total once finished, for one enterprise or many', async () => {
      const { store, reopen } = await fresh();
      const [a, b, none] = [randomUUID(), randomUUID(), randomUUID()];
      const started = diagnosis(a);
      const done = diagnosis(a);
      const elsewhere = diagnosis(b);
      for (const d of [done, started, elsewhere]) await store.createDiagnosis(d, admitAll);
      await store.updateDiagnosis(done.id, (current) => finished(current));

      const summary = (d: Diagnosis) => ({ id: d.id, enterpriseId: d.enterpriseId, rulesetId: 'small', rulesetVersion: '1.0.0', startedAt: d.startedAt });
      const expectedA = [
        { ...summary(done), status: 'finished', phase: { phase: 'finished' }, finishedAt: at(10_000), level: finalResult.level, total: finalResult.total },
        { ...summary(started), status: 'inProgress', phase: { phase: 'answering', level: 1 } },
      ];
      const expectedB = [{ ...summary(elsewhere), status: 'inProgress', phase: { phase: 'answering', level: 1 } }];
      expect(finalResult.level).toBe(1);
      expect(await store.listDiagnoses(a)).toEqual(expectedA);
      expect(await store.listDiagnoses(b)).toEqual(expectedB);
      expect(await store.listDiagnoses(none)).toEqual([]);
      const check = async (s: Store) => {
        const many = await s.diagnosisSummaries([a, b, none, randomUUID()]);
        expect([...many.keys()].sort()).toEqual([a, b].sort());
        expect(many.get(a)).toEqual(expectedA);
        expect(many.get(b)).toEqual(expectedB);
        expect((await s.diagnosisSummaries([none])).size).toBe(0);
      };
      await check(store);
      await check(await reopen());
    });

    it('keeps a discarded diagnosis as discarded in its summaries, with no profile, also when opened again', async () => {
      const { store, reopen } = await fresh();
      const firm = randomUUID();
      await store.putRuleset(pinned());
      const kept = diagnosis(firm);
      const dropped = diagnosis(firm);
      for (const d of [kept, dropped]) await store.createDiagnosis(d, admitAll);
      const discarded = await store.updateDiagnosis(dropped.id, (current) => ({ ...current, status: 'discarded', discardedAt: at(20) }));
      expect(discarded).toMatchObject({ status: 'discarded', discardedAt: at(20), revision: 2 });
      const check = async (s: Store) => {
        expect((await s.listDiagnoses(firm)).map((x) => [x.id, x.status])).toEqual([
          [kept.id, 'inProgress'],
          [dropped.id, 'discarded'],
        ]);
        expect((await s.diagnosisSummaries([firm])).get(firm)!.find((x) => x.id === dropped.id)!.status).toBe('discarded');
        expect(await s.getDiagnosis(dropped.id)).toEqual(discarded);
        expect((await s.diagnosisProfiles([dropped.id])).size).toBe(0);
      };
      await check(store);
      await check(await reopen());
    });

    it('keeps a profile for a diagnosis that finished with a result, not for one in progress', async () => {
      const { store, reopen } = await fresh();
      const firm = randomUUID();
      await store.putRuleset(pinned());
      const done = diagnosis(firm);
      const started = diagnosis(firm, { answers: { 'L1-1.1': 'D' } });
      const leftWithoutResult = diagnosis(firm);
      for (const d of [done, started, leftWithoutResult]) await store.createDiagnosis(d, admitAll);
      await store.updateDiagnosis(done.id, (current) => finished(current));
      await store.updateDiagnosis(started.id, (current) => ({ ...current, answers: { ...current.answers, 'L1-1.2': 'C' } }));
      await store.updateDiagnosis(leftWithoutResult.id, (current) => ({ ...current, status: 'finished', state: { ...current.state, phase: { phase: 'finished' } }, finishedAt: at(5) }));

      const expected = finalProfile;
      // Level 2 is the first not reached: its node scores, rounded to three decimals.
      expect(expected).toEqual({ level: 2, nodes: { 'e.people': 0.5, strategy: 0.5, 'e.make': 0.8, production: 0.8, design: 0.8 }, v: PROFILE_VERSION });
      const ids = [done.id, started.id, leftWithoutResult.id, randomUUID()];
      const profiles = await store.diagnosisProfiles(ids);
      expect([...profiles.entries()]).toEqual([[done.id, expected]]);
      expect([...(await (await reopen()).diagnosisProfiles(ids)).entries()]).toEqual([[done.id, expected]]);
    });
  });

  describe('importRecords', () => {
    function batch() {
      const a = account();
      const b = account();
      const done = finished(diagnosis(a.enterprise.id, { userId: a.user.id }));
      const started = diagnosis(b.enterprise.id, { userId: b.user.id });
      return { users: [a.user, b.user], enterprises: [a.enterprise, b.enterprise], diagnoses: [done, started] };
    }

    async function expectNoneOf(store: Store, records: ReturnType<typeof batch>) {
      for (const u of records.users) expect(await store.getUser(u.id)).toBeUndefined();
      for (const e of records.enterprises) expect(await store.getEnterprise(e.id)).toBeUndefined();
      for (const d of records.diagnoses) {
        expect(await store.getDiagnosis(d.id)).toBeUndefined();
        expect(await store.listDiagnoses(d.enterpriseId)).toEqual([]);
      }
      expect((await store.diagnosisProfiles(records.diagnoses.map((d) => d.id))).size).toBe(0);
    }

    it('adds users, enterprises and diagnoses, profiling the finished ones', async () => {
      const { store, reopen } = await fresh();
      const existing = account();
      await store.createAccount(existing.user, existing.enterprise);
      await store.putRuleset(pinned());
      const records = batch();
      await store.importRecords(records);
      const again = await reopen();
      for (const s of backend.name === 'lowdb' ? [again] : [store, again]) {
        expect(await s.countUsers()).toBe(3);
        expect(await s.findUserByUsername(records.users[1].username.toUpperCase())).toEqual(records.users[1]);
        expect(await s.findEnterpriseByCreditCode(records.enterprises[0].creditCode)).toEqual(records.enterprises[0]);
        expect(await s.listEnterprises()).toEqual([existing.enterprise, ...records.enterprises]);
        expect(await s.getDiagnosis(records.diagnoses[0].id)).toEqual(records.diagnoses[0]);
        expect(await s.getDiagnosis(records.diagnoses[1].id)).toEqual(records.diagnoses[1]);
        expect((await s.listDiagnoses(records.enterprises[0].id)).map((x) => [x.id, x.status, x.level])).toEqual([[records.diagnoses[0].id, 'finished', 1]]);
        expect([...(await s.diagnosisProfiles(records.diagnoses.map((d) => d.id))).entries()]).toEqual([[records.diagnoses[0].id, finalProfile]]);
      }
    });

    it.each([
      ['a username taken already', (records: ReturnType<typeof batch>, taken: User) => (records.users[1].username = taken.username.toUpperCase()), 'username_taken'],
      ['a username twice in the batch', (records: ReturnType<typeof batch>) => (records.users[1].username = records.users[0].username.toLowerCase()), 'username_taken'],
      ['a credit code registered already', (records: ReturnType<typeof batch>, _: User, registered: Enterprise) => (records.enterprises[1].creditCode = registered.creditCode), 'credit_code_registered'],
      ['a credit code twice in the batch', (records: ReturnType<typeof batch>) => (records.enterprises[1].creditCode = records.enterprises[0].creditCode), 'credit_code_registered'],
    ] as const)('refuses %s and stores none of the batch', async (_, spoil, code) => {
      const { store } = await fresh();
      const existing = account({ user: { username: 'Existing.User' } });
      await store.createAccount(existing.user, existing.enterprise);
      const records = batch();
      spoil(records, existing.user, existing.enterprise);
      const error = await rejection(store.importRecords(records));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code });
      await expectNoneOf(store, records);
      expect(await store.countUsers()).toBe(1);
      expect(await store.listEnterprises()).toEqual([existing.enterprise]);
    });
  });

  describe('the first administrator', () => {
    const admin = () => user({ role: 'platformAdmin' });

    it('is created once, with the setup token it was claimed with, which then goes', async () => {
      const { store } = await fresh();
      await store.putSetting('setupToken', 'hash-1');
      const first = admin();
      const offered: unknown[] = [];
      expect(await store.claimFirstAdministrator(first, 'setupToken', (stored) => (offered.push(stored), stored === 'hash-1'))).toBe(true);
      expect(offered).toEqual(['hash-1']);
      expect(await store.getUser(first.id)).toEqual(first);
      expect(await store.getSetting('setupToken')).toBeUndefined();

      // Even with a valid token again, a second administrator cannot be claimed.
      await store.putSetting('setupToken', 'hash-2');
      const second = admin();
      expect(await store.claimFirstAdministrator(second, 'setupToken', (stored) => stored === 'hash-2')).toBe(false);
      expect(await store.getUser(second.id)).toBeUndefined();
      expect(await store.countUsers('platformAdmin')).toBe(1);
    });

    it('is refused a token that does not match, which stays for the right one', async () => {
      const { store } = await fresh();
      await store.putSetting('setupToken', 'hash-1');
      expect(await store.claimFirstAdministrator(admin(), 'setupToken', (stored) => stored === 'guess')).toBe(false);
      expect(await store.countUsers('platformAdmin')).toBe(0);
      expect(await store.getSetting('setupToken')).toBe('hash-1');
      expect(await store.claimFirstAdministrator(admin(), 'setupToken', (stored) => stored === 'hash-1')).toBe(true);
    });

    it('is only one when several claim at once', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      await store.putSetting('setupToken', 'hash-1');
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).claimFirstAdministrator(admin(), 'setupToken', (stored) => stored === 'hash-1')));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await store.countUsers('platformAdmin')).toBe(1);
      expect(await other.countUsers('platformAdmin')).toBe(1);
    });
  });

  describe('settings', () => {
    it('keeps a value until it is put as undefined', async () => {
      const { store, reopen } = await fresh();
      expect(await store.getSetting('targets')).toBeUndefined();
      await store.putSetting('targets', { '320000': { level: 3, share: 0.4 } });
      await store.putSetting('gone', 'soon');
      await store.putSetting('gone', undefined);
      expect(await store.getSetting('targets')).toEqual({ '320000': { level: 3, share: 0.4 } });
      expect(await store.getSetting('gone')).toBeUndefined();
      const again = await reopen();
      expect(await again.getSetting('targets')).toEqual({ '320000': { level: 3, share: 0.4 } });
      expect(await again.getSetting('gone')).toBeUndefined();
      expect(await again.updateSetting<number>('gone', (current) => (current === undefined ? 1 : 99))).toBe(1);
      await again.updateSetting<number>('gone', () => undefined);
      expect(await again.getSetting('gone')).toBeUndefined();
    });

    it('counts every one of twenty increments made at once', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      const returned = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).updateSetting<number>('count', (current) => (current ?? 0) + 1)));
      expect(returned.sort((a, b) => a! - b!)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.getSetting('count')).toBe(20);
      expect(await other.getSetting('count')).toBe(20);
    });

    it('tells listeners, here and on another instance, which setting changed, until they stop listening', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      const here: string[] = [];
      const there: string[] = [];
      const stopped: string[] = [];
      const stopHere = store.onSettingChanged((key) => here.push(key));
      const stopThere = other.onSettingChanged((key) => there.push(key));
      const stop = store.onSettingChanged((key) => stopped.push(key));
      try {
        await store.putSetting('targets', { level: 3 });
        await store.updateSetting<number>('count', (c) => (c ?? 0) + 1);
        const heard = (keys: string[]) => expect(keys).toEqual(expect.arrayContaining(['targets', 'count']));
        await vi.waitFor(() => heard(here), { timeout: 2000, interval: 20 });
        await vi.waitFor(() => heard(there), { timeout: 2000, interval: 20 });
        await vi.waitFor(() => heard(stopped), { timeout: 2000, interval: 20 });

        stop();
        const before = stopped.length;
        await store.putSetting('benchmarks', [1, 2, 3]);
        // Once the listeners still listening heard it, the stopped one would have too.
        await vi.waitFor(() => expect(here).toContain('benchmarks'), { timeout: 2000, interval: 20 });
        await vi.waitFor(() => expect(there).toContain('benchmarks'), { timeout: 2000, interval: 20 });
        expect(stopped).toHaveLength(before);
      } finally {
        stopHere();
        stopThere();
        stop();
      }
    });
  });

  describe('exclusive', () => {
    /** Resolves to 'timeout' when `promise` takes longer than `ms`. */
    const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, sleep(ms).then(() => 'timeout' as const)]);

    it('never runs two works under one name at the same time, on any instance', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      let running = 0;
      let most = 0;
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? other : store).exclusive('publish', async () => {
            running += 1;
            most = Math.max(most, running);
            await sleep(20);
            running -= 1;
            return i;
          }),
        ),
      );
      expect(results).toEqual([0, 1, 2, 3, 4, 5]);
      expect(most).toBe(1);
    });

    it('lets works under different names overlap', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // 'a' waits for 'b' to start: if 'b' had to wait for 'a', neither would finish.
      const a = store.exclusive('a', async () => {
        await released;
        return 'a';
      });
      await sleep(20);
      const b = other.exclusive('b', async () => {
        release();
        return 'b';
      });
      const outcome = await within(Promise.all([a, b]), 2000);
      release();
      await Promise.all([a, b]);
      expect(outcome).toEqual(['a', 'b']);
    });

    it('lets the next work run after one fails', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      const boom = new Error('publishing failed');
      expect(
        await rejection(
          store.exclusive('publish', async () => {
            throw boom;
          }),
        ),
      ).toBe(boom);
      expect(await within(other.exclusive('publish', async () => 'next'), 2000)).toBe('next');
      expect(await within(store.exclusive('publish', async () => 'again'), 2000)).toBe('again');
    });
  });

  describe('rate limits', () => {
    const t0 = Date.UTC(2026, 2, 1, 8);
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    const hit = async (s: Store, key: string, ms: number) => {
      const h = await s.hitRateLimit(key, 60_000, iso(ms));
      return { hits: h.hits, resetAt: Date.parse(h.resetAt) - t0 };
    };

    it('counts attempts within a window, and starts a new window after it ends', async () => {
      const { store } = await fresh();
      expect(await hit(store, 'login:1.2.3.4', 0)).toEqual({ hits: 1, resetAt: 60_000 });
      expect(await hit(store, 'login:1.2.3.4', 10_000)).toEqual({ hits: 2, resetAt: 60_000 });
      expect(await hit(store, 'login:1.2.3.4', 59_000)).toEqual({ hits: 3, resetAt: 60_000 });
      // Another key has its own count.
      expect(await hit(store, 'login:5.6.7.8', 20_000)).toEqual({ hits: 1, resetAt: 80_000 });
      expect(await hit(store, 'login:1.2.3.4', 61_000)).toEqual({ hits: 1, resetAt: 121_000 });
      expect(await hit(store, 'login:1.2.3.4', 62_000)).toEqual({ hits: 2, resetAt: 121_000 });
    });

    it('takes an attempt back, and starts over after a reset', async () => {
      const { store } = await fresh();
      await hit(store, 'k', 0);
      await hit(store, 'k', 1000);
      await store.unhitRateLimit('k');
      expect(await hit(store, 'k', 2000)).toEqual({ hits: 2, resetAt: 60_000 });
      await store.resetRateLimit('k');
      expect(await hit(store, 'k', 3000)).toEqual({ hits: 1, resetAt: 63_000 });
      // Taking back an attempt never counted gives no attempts in credit.
      await store.unhitRateLimit('never');
      await store.unhitRateLimit('never');
      expect((await hit(store, 'never', 0)).hits).toBe(1);
    });

    it('adds up attempts made through different instances', async () => {
      const { store, peer } = await fresh();
      const other = await peer();
      expect((await hit(store, 'k', 0)).hits).toBe(1);
      expect((await hit(other, 'k', 1000)).hits).toBe(2);
      expect((await hit(store, 'k', 2000)).hits).toBe(3);
      const concurrent = await Promise.all(Array.from({ length: 10 }, (_, i) => hit(i % 2 ? other : store, 'k', 3000)));
      expect(concurrent.map((h) => h.hits).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    });
  });

  describe('evidence files', () => {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const evidence = (applicationId: string, requirement: string, content: Buffer, n: number, over: Partial<EvidenceFile> = {}): EvidenceFile => ({
      id: randomUUID(),
      applicationId,
      requirement,
      name: `证据${n}.pdf`,
      type: 'pdf',
      size: content.length,
      sha256: sha(content),
      uploadedBy: randomUUID(),
      uploadedAt: at(n),
      ...over,
    });
    async function accepted(store: Store) {
      const b: AssessmentBody = { id: randomUUID(), name: '证据评估机构', creditCode: `91110000EVID${String(++serial).padStart(6, '0')}`, accreditation: { number: 'AB-E', validUntil: '2028-12-31' }, status: 'active', createdAt: at(0) };
      await store.createAssessmentBody(b);
      const a: AssessmentApplication = { id: randomUUID(), enterpriseId: randomUUID(), bodyId: b.id, regions: ['320000'], rulesetId: 'small', rulesetVersion: '1.0.0', targetLevel: 2, values: {}, status: 'accepted', submittedBy: randomUUID(), createdAt: at(1) };
      await store.createAssessmentApplication(a);
      return a;
    }
    const limits = { maxFiles: 2 };

    it('keeps files with their content, lists them by application and requirement in order, also when opened again', async () => {
      const { store, reopen } = await fresh();
      const a = await accepted(store);
      const pdf = Buffer.from('%PDF-1.7\n证据内容\n%%EOF');
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
      const first = evidence(a.id, 'L1-1.1', pdf, 2);
      const second = evidence(a.id, 'L1-1.2', png, 3, { type: 'png', name: 'photo.png' });
      await store.addEvidence(first, pdf, limits);
      await store.addEvidence(second, png, limits);
      expect(await store.listEvidence(a.id)).toEqual([first, second]);
      expect(await store.listEvidence(a.id, 'L1-1.2')).toEqual([second]);
      expect(await store.listEvidence(randomUUID())).toEqual([]);
      const again = await reopen();
      expect(await again.getEvidence(first.id)).toEqual(first);
      expect(await again.getEvidence(randomUUID())).toBeUndefined();
      expect((await again.evidenceContent(second.id))!.equals(png)).toBe(true);
      expect(await again.evidenceContent(randomUUID())).toBeUndefined();
    });

    it('refuses a file beyond maxFiles of a requirement (also racing, at another instance), of an unknown application, or with content not its SHA-256, keeping nothing', async () => {
      const { store, peer } = await fresh();
      const a = await accepted(store);
      const other = await peer();
      const contents = [0, 1, 2, 3].map((n) => Buffer.from(`%PDF-1.4 file ${n}`));
      const results = await Promise.allSettled(contents.map((c, n) => (n % 2 ? other : store).addEvidence(evidence(a.id, 'L1-1.1', c, n), c, limits)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'too_many_files' });
      expect(await store.listEvidence(a.id, 'L1-1.1')).toHaveLength(2);
      const c = Buffer.from('%PDF-1.4 else');
      await expect(store.addEvidence(evidence(randomUUID(), 'L1-1.1', c, 5), c, limits)).rejects.toBeInstanceOf(NotFoundError);
      expect(await rejection(store.addEvidence(evidence(a.id, 'L1-1.2', c, 6, { sha256: sha(Buffer.from('x')) }), c, limits))).toMatchObject({ code: 'content_mismatch' });
      expect(await store.listEvidence(a.id, 'L1-1.2')).toEqual([]);
    });

    it('keeps identical content once: deleting one record leaves the other readable; the last one takes the content along', async () => {
      const { store, reopen } = await fresh();
      const a = await accepted(store);
      const same = Buffer.from('%PDF-1.4 same bytes');
      const x = evidence(a.id, 'L1-1.1', same, 1);
      const y = evidence(a.id, 'L1-2.1', same, 2, { name: 'copy.pdf' });
      await store.addEvidence(x, same, limits);
      await store.addEvidence(y, same, limits);
      expect(await store.deleteEvidence(x.id)).toEqual(x);
      await expect(store.deleteEvidence(x.id)).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.getEvidence(x.id)).toBeUndefined();
      expect((await store.evidenceContent(y.id))!.equals(same)).toBe(true);
      await store.deleteEvidence(y.id);
      // Uploaded again after its content went: kept again.
      const z = evidence(a.id, 'L1-1.1', same, 3);
      await store.addEvidence(z, same, limits);
      const again = await reopen();
      expect(await again.listEvidence(a.id)).toEqual([z]);
      expect((await again.evidenceContent(z.id))!.equals(same)).toBe(true);
    });
  });

  describe('export and import', () => {
    /** One record (two for rulesets and diagnoses) of every kind an export holds. */
    async function fill(store: Store) {
      const owner = account({ user: { username: 'Owner.One' }, enterprise: { groups: ['group-x'] } });
      const admin = user({ role: 'regionAdmin', region: '320200' });
      await store.createAccount(owner.user, owner.enterprise);
      await store.createAccount(admin);
      const session: Session = { id: 'c2Vzc2lvbi1pZC1mb3ItdGVzdHM', userId: owner.user.id, createdAt: at(0), expiresAt: at(24 * 60) };
      await store.createSession(session);
      const resetCode: ResetCode = { userId: owner.user.id, codeHash: 'reset-hash', expiresAt: at(30), attempts: 0 };
      await store.putResetCode(resetCode);
      // One wrong attempt: the count is part of what is exported.
      await store.consumeResetCode(owner.user.id, () => false, 5, at(1));
      const request: SupportRequest = { id: randomUUID(), kind: 'usernameRecovery', enterpriseName: owner.enterprise.name, creditCode: owner.enterprise.creditCode, mobile: '13912345678', matchedUserId: owner.user.id, createdAt: at(2) };
      await store.addSupportRequest(request);
      const published = rulesetRecord('1.0.0', 'published', { regions: ['320000'], publishedAt: at(3) });
      const draft = rulesetRecord('1.1.0', 'draft');
      await store.putRuleset(published);
      await store.putRuleset(draft);
      const started = diagnosis(owner.enterprise.id, { userId: owner.user.id, answers: { 'L1-1.1': 'D', 'L1-1.2': ['A', 'B'], 'L1-2.1': 42 } });
      const done = diagnosis(owner.enterprise.id, { userId: owner.user.id });
      await store.createDiagnosis(done, admitAll);
      await store.createDiagnosis(started, admitAll);
      const finishedDone = await store.updateDiagnosis(done.id, (d) => finished(d));
      await store.putSetting('targets', { '320000': { level: 2, share: 0.5 } });
      const entry: AuditEntry = { at: at(4), actor: admin.id, action: 'ruleset.publish', target: 'small@1.0.0', detail: { regions: ['320000'] } };
      await store.audit(entry);
      const assessmentBody: AssessmentBody = { id: randomUUID(), name: '导出评估机构', creditCode: '91110000BODY000001', accreditation: { number: 'AB-1', validUntil: '2028-12-31' }, status: 'active', createdAt: at(5) };
      await store.createAssessmentBody(assessmentBody);
      const assessmentApplication: AssessmentApplication = { id: randomUUID(), enterpriseId: owner.enterprise.id, bodyId: assessmentBody.id, regions: owner.enterprise.regionPath, rulesetId: 'small', rulesetVersion: '1.0.0', targetLevel: 2, values: { contact: '张三' }, status: 'submitted', submittedBy: owner.user.id, createdAt: at(6) };
      await store.createAssessmentApplication(assessmentApplication);
      const certificate: Certificate = {
        id: randomUUID(),
        number: 'CMMM-2026-00001',
        enterpriseId: owner.enterprise.id,
        enterpriseName: owner.enterprise.name,
        creditCode: owner.enterprise.creditCode,
        region: owner.enterprise.region,
        level: 1,
        levelName: '一级',
        scope: '全部',
        standard: 'GB/T 39116-2020',
        body: { id: assessmentBody.id, name: assessmentBody.name },
        issuedAt: '2026-01-01',
        validUntil: '2028-12-31',
        utcOffsetMinutes: 480,
        source: 'registered',
        createdAt: at(7),
      };
      await store.addCertificate(certificate);
      const content = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x00, 0xff, 0x80]);
      const evidenceFile: EvidenceFile = { id: randomUUID(), applicationId: assessmentApplication.id, requirement: 'L1-1.1', name: '制度文件.pdf', type: 'pdf', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), uploadedBy: owner.user.id, uploadedAt: at(8) };
      await store.addEvidence(evidenceFile, content, { maxFiles: 5 });
      return { owner, admin, session, resetCode: { ...resetCode, attempts: 1 }, request, published, draft, started, finishedDone, entry, assessmentBody, assessmentApplication, certificate, evidenceFile, content };
    }

    const kindsOf = (dump: DumpRecord[]) => dump.map((r) => r.kind);
    const ofKind = <K extends DumpRecord['kind']>(dump: DumpRecord[], kind: K) => dump.filter((r): r is Extract<DumpRecord, { kind: K }> => r.kind === kind);

    it('exports every record, kind by kind in DUMP_KINDS order', async () => {
      const { store } = await fresh();
      const f = await fill(store);
      const dump = await collect(store.exportRecords());
      const kinds = kindsOf(dump);
      expect(kinds).toEqual([...kinds].sort((x, y) => DUMP_KINDS.indexOf(x) - DUMP_KINDS.indexOf(y)));
      expect([...new Set(kinds)]).toEqual(DUMP_KINDS);

      expect(ofKind(dump, 'user').map((r) => r.user)).toEqual([f.owner.user, f.admin]);
      expect(ofKind(dump, 'enterprise').map((r) => r.enterprise)).toEqual([f.owner.enterprise]);
      expect(ofKind(dump, 'session').map((r) => r.session)).toEqual([f.session]);
      expect(ofKind(dump, 'resetCode').map((r) => r.resetCode)).toEqual([f.resetCode]);
      expect(ofKind(dump, 'supportRequest').map((r) => r.request)).toEqual([f.request]);
      expect(ofKind(dump, 'assessmentBody').map((r) => r.body)).toEqual([f.assessmentBody]);
      expect(ofKind(dump, 'assessmentApplication').map((r) => r.application)).toEqual([f.assessmentApplication]);
      const rulesets = ofKind(dump, 'ruleset').map((r) => r.ruleset);
      expect(rulesets).toHaveLength(2);
      expect(rulesets).toEqual(expect.arrayContaining([f.published, f.draft]));
      const diagnoses = ofKind(dump, 'diagnosis');
      expect(diagnoses).toHaveLength(2);
      expect(diagnoses).toEqual(
        expect.arrayContaining([
          { kind: 'diagnosis', diagnosis: f.started },
          { kind: 'diagnosis', diagnosis: f.finishedDone, profile: finalProfile },
        ]),
      );
      expect(diagnoses.find((r) => r.diagnosis.id === f.started.id)!.profile).toBeUndefined();
      expect(ofKind(dump, 'setting')).toEqual([{ kind: 'setting', key: 'targets', value: { '320000': { level: 2, share: 0.5 } } }]);
      expect(ofKind(dump, 'audit').map((r) => r.entry)).toEqual([f.entry]);
      expect(ofKind(dump, 'certificate').map((r) => r.certificate)).toEqual([f.certificate]);
      expect(ofKind(dump, 'evidence')).toEqual([{ kind: 'evidence', evidence: f.evidenceFile, content: f.content.toString('base64') }]);
    });

    it.each(backends)('makes again, on import into $name, a profile kept by an older rule (before the ruleset chose the level)', async (target) => {
      const { store } = await fresh();
      const f = await fill(store);
      const old = { level: 1, nodes: { strategy: 0.9 } };
      const dump = (await collect(store.exportRecords())).map((r) => (r.kind === 'diagnosis' && r.diagnosis.id === f.finishedDone.id ? { ...r, profile: old } : r));
      const into = await fresh(target);
      await into.store.importDump(iterate(dump));
      expect([...(await into.store.diagnosisProfiles([f.finishedDone.id])).values()]).toEqual([finalProfile]);
    });

    it.each(backends)('imports into an empty $name store that then exports the same and works', async (target) => {
      const { store } = await fresh();
      const f = await fill(store);
      const dump = await collect(store.exportRecords());

      const into = await fresh(target);
      const counts = await into.store.importDump(iterate(dump));
      expect(counts).toEqual({ user: 2, enterprise: 1, session: 1, resetCode: 1, supportRequest: 1, ruleset: 2, diagnosis: 2, setting: 1, audit: 1, assessmentBody: 1, assessmentApplication: 1, certificate: 1, evidence: 1 });
      expect(await collect(into.store.exportRecords())).toEqual(dump);

      // What was imported is kept (a restart, or another instance).
      const imported = await into.reopen();
      expect(await collect(imported.exportRecords())).toEqual(dump);
      expect(await imported.findUserByUsername('owner.one')).toEqual(f.owner.user);
      expect(await imported.findEnterpriseByCreditCode(f.owner.enterprise.creditCode)).toEqual(f.owner.enterprise);
      expect(await imported.findUsersOfEnterprise(f.owner.enterprise.id)).toEqual([f.owner.user]);
      expect(await imported.findRegionAdministrators('320200')).toEqual([f.admin]);
      expect(await imported.listEnterprises({ regionPrefix: ['group-x'] })).toEqual([f.owner.enterprise]);
      expect(await imported.getSession(f.session.id, at(5))).toEqual(f.session);
      expect((await imported.getRuleset('small', '1.0.0'))!.document).toEqual(f.published.document);
      expect(await imported.getRuleset('small', '1.1.0')).toEqual(f.draft);
      expect(await imported.getDiagnosis(f.finishedDone.id)).toEqual(f.finishedDone);
      expect((await imported.listDiagnoses(f.owner.enterprise.id)).map((s) => s.id).sort()).toEqual([f.started.id, f.finishedDone.id].sort());
      expect([...(await imported.diagnosisProfiles([f.finishedDone.id, f.started.id])).entries()]).toEqual([[f.finishedDone.id, finalProfile]]);
      expect(await imported.getSetting('targets')).toEqual({ '320000': { level: 2, share: 0.5 } });
      expect((await imported.evidenceContent(f.evidenceFile.id))!.equals(f.content)).toBe(true);
      // The published version stays immutable; the imported uniqueness rules hold.
      await expect(imported.putRuleset(f.published)).rejects.toBeInstanceOf(ConflictError);
      await expect(imported.createAccount(user({ username: 'OWNER.ONE' }))).rejects.toBeInstanceOf(ConflictError);
      // And work goes on where it stopped.
      expect((await imported.updateDiagnosis(f.started.id, (d) => ({ ...d, answers: { ...d.answers, 'L1-2.1': 'C' } }))).revision).toBe(f.started.revision + 1);
      expect(await imported.consumeResetCode(f.owner.user.id, (c) => c.codeHash === 'reset-hash', 5, at(5))).toBe(true);
    });

    it('refuses to import into a store that holds anything, changing nothing', async () => {
      const { store } = await fresh();
      await fill(store);
      const dump = await collect(store.exportRecords());
      const error = await rejection(store.importDump(iterate(dump)));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'store_not_empty' });
      expect(await collect(store.exportRecords())).toEqual(dump);

      // A ruleset alone makes a store not empty.
      const { store: withRuleset } = await fresh();
      await withRuleset.putRuleset(rulesetRecord('2.0.0', 'draft'));
      const before = await collect(withRuleset.exportRecords());
      expect(await rejection(withRuleset.importDump(iterate(dump)))).toMatchObject({ code: 'store_not_empty' });
      expect(await collect(withRuleset.exportRecords())).toEqual(before);
      expect(await withRuleset.countUsers()).toBe(0);
    });
  });
});
