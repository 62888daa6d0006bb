// Registration, login and logout, changing a password, password reset by SMS code, username
// recovery. Every body is validated before anything counts it; attempts are counted on the same
// normalised identity the handler looks up (accounts/identity.ts), per address, per person and
// per both; password hashing waits in a bounded queue (accounts/password.ts).
import { randomInt, randomUUID, createHash, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { text, type Problem } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, localeOf } from '../http/apiError.ts';
import { checkCreditCode, normaliseCreditCode } from '../accounts/creditCode.ts';
import { MOBILE } from '../accounts/contact.ts';
import { checkProfile, ProfileFields, regionMissing } from '../accounts/enterpriseProfile.ts';
import { mobileKey, usernameKey } from '../accounts/identity.ts';
import { currentUser, publicUser, SESSION_COOKIE, startSession } from '../auth.ts';
import { ConflictError, type Enterprise, type User } from '../store/types.ts';
import { addressOf, Attempts } from '../accounts/attemptLimits.ts';
import { QueueFull } from '../workQueue.ts';
import { TextMessages } from '../accounts/textMessages.ts';
import { accountSettingsRoutes } from './accountSettings.ts';
import { holdingRegions } from '../regions/records.ts';
import { refuseDisabled } from '../accounts/standing.ts';
import { MessageSchema, RegisteredSchema, SessionSchema } from './schemas/accounts.ts';

const str = (max = 200) => Type.String({ maxLength: max });

export const RegistrationBody = Type.Object(
  {
    username: str(32),
    password: str(128),
    passwordConfirm: str(128),
    mobile: str(20),
    enterpriseName: str(200),
    creditCode: str(40),
    ...ProfileFields,
  },
  { additionalProperties: false },
);

const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;

export function passwordProblems(password: string, confirm: string, at = ''): Problem[] {
  const problems: Problem[] = [];
  if (password.length < 8 || !/[A-Za-z]/.test(password) || !/\d/.test(password))
    problems.push({ code: 'password', pointer: `${at}/password`, message: text('密码至少 8 位，且须同时包含字母和数字', 'the password needs at least 8 characters with both letters and digits') });
  if (password !== confirm) problems.push({ code: 'passwordConfirm', pointer: `${at}/passwordConfirm`, message: text('两次输入的密码不一致', 'the two passwords differ') });
  return problems;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Runs `send`; when it fails, the attempts counted for the request are given back before the error goes on. */
export async function givingBackOnFailure(takeBack: () => Promise<void>, send: () => Promise<void>) {
  try {
    await send();
  } catch (e) {
    await takeBack();
    throw e;
  }
}

const wrongPassword = () => new ApiError(401, 'invalid_credentials', text('用户名或密码错误', 'wrong username or password'));

export function accountRoutes(routes: RouteTable, ctx: Context) {
  const { store, reference } = ctx;
  const attempts = new Attempts(ctx);
  const messages = new TextMessages(() => ctx.sms);
  accountSettingsRoutes(routes, ctx, messages);

  /** Checks a password; a full hashing queue is no guess, so that attempt is taken back. */
  const checkPassword = async (check: () => Promise<boolean>, takeBack: () => Promise<void>) => {
    try {
      return await check();
    } catch (e) {
      if (e instanceof QueueFull) await takeBack();
      throw e;
    }
  };

  routes.add<typeof RegistrationBody.static>({
    method: 'post',
    path: '/accounts',
    tag: 'accounts',
    summary: 'Register an enterprise and its first user (every field of the national platform\'s form)',
    access: 'public',
    body: RegistrationBody,
    responses: { 201: 'registered and logged in', 400: 'invalid fields (all listed in details)', 409: 'username or credit code already registered' },
    response: RegisteredSchema,
    handler: async (req, res) => {
      const b = req.body;
      const problems: Problem[] = [];
      const fail = (field: string, zh: string, en: string) => problems.push({ code: field, pointer: `/${field}`, message: text(zh, en) });
      const username = b.username.normalize('NFKC').trim();
      if (!USERNAME.test(username)) fail('username', '用户名为 3–32 位字母、数字或 _ . -', 'the username is 3–32 letters, digits or _ . -');
      problems.push(...passwordProblems(b.password, b.passwordConfirm));
      const mobile = b.mobile.trim();
      if (!MOBILE.test(mobile)) fail('mobile', '请输入 11 位中国大陆手机号', 'enter an 11-digit mainland China mobile number');
      const { email } = checkProfile(reference, { email: b.email }, problems);
      const enterpriseName = b.enterpriseName.trim();
      if (enterpriseName.length < 2) fail('enterpriseName', '请填写企业名称', 'enter the enterprise name');
      const creditCode = normaliseCreditCode(b.creditCode);
      const codeProblem = checkCreditCode(creditCode);
      if (codeProblem === 'length') fail('creditCode', '统一社会信用代码应为 18 位', 'the unified social credit code has 18 characters');
      else if (codeProblem === 'character') fail('creditCode', '统一社会信用代码含有无效字符（不使用 I、O、S、V、Z）', 'the credit code contains an invalid character (I, O, S, V and Z are not used)');
      else if (codeProblem === 'check') fail('creditCode', '统一社会信用代码校验位不正确，请核对', 'the check character of the credit code is wrong; please check the code');
      const { enterprise: profile } = checkProfile(reference, { enterpriseType: b.enterpriseType, industry: b.industry, industryType: b.industryType, sizeBand: b.sizeBand, revenue: b.revenue, region: b.region }, problems);
      if (problems.length) throw ApiError.fromProblems(problems);
      await attempts.count([['registrationsPerAddress', addressOf(req)]]);

      const now = ctx.now().toISOString();
      const enterprise: Enterprise = {
        id: randomUUID(),
        name: enterpriseName,
        creditCode,
        enterpriseType: b.enterpriseType,
        industry: b.industry,
        industryType: profile.industryType!,
        sizeBand: b.sizeBand,
        revenue: b.revenue,
        region: b.region,
        regionPath: profile.regionPath!,
        createdAt: now,
      };
      const user: User = { id: randomUUID(), username, passwordHash: await ctx.passwords.hash(b.password), role: 'enterprise', mobile, email: email!, enterpriseId: enterprise.id, createdAt: now };
      try {
        // Checked again with region changes held off: a region removed since the check above is refused, never recorded.
        await holdingRegions(ctx, async () => {
          if (!reference.regionPath(b.region)) throw ApiError.fromProblems([regionMissing()]);
          await store.createAccount(user, enterprise);
        });
      } catch (e) {
        if (e instanceof ConflictError && e.code === 'username_taken')
          throw new ApiError(409, e.code, text(`用户名 "${username}" 已被注册，请换一个用户名`, `the username "${username}" is taken; choose another`), '/username');
        if (e instanceof ConflictError && e.code === 'credit_code_registered')
          throw new ApiError(
            409,
            e.code,
            text(
              '该统一社会信用代码已注册过账户：请使用“忘记用户名”找回原账户，或联系平台技术支持（提供企业名称）查询用户名',
              'an account is already registered with this credit code: use "forgot username" to recover it, or contact platform support with the enterprise name',
            ),
            '/creditCode',
          );
        throw e;
      }
      await store.audit({ at: now, actor: user.id, action: 'account.register', target: enterprise.id, region: enterprise.region });
      await startSession(ctx, res, user);
      res.status(201);
      return { user: publicUser(user), enterprise };
    },
  });

  routes.add<{ username: string; password: string }>({
    method: 'post',
    path: '/session',
    tag: 'accounts',
    summary: 'Log in',
    access: 'public',
    body: Type.Object({ username: str(64), password: str(128) }, { additionalProperties: false }),
    responses: { 200: 'logged in', 401: 'wrong username or password', 403: 'the account or its enterprise is disabled', 429: 'too many attempts', 503: 'too many logins at once: try again shortly' },
    response: SessionSchema,
    handler: async (req, res) => {
      const key = usernameKey(req.body.username);
      const address = addressOf(req);
      const takeBack = await attempts.count([
        ['loginPerAddress', address],
        ['loginPerAddressAndUser', `${address}|${key}`],
        ['loginPerUser', key],
      ]);
      const user = await store.findUserByUsername(key);
      // An unknown user costs the same check, so timing does not tell which usernames exist.
      const ok = await checkPassword(() => (user ? ctx.passwords.verify(req.body.password, user.passwordHash) : ctx.passwords.verifyNobody(req.body.password)), takeBack);
      if (!user || !ok) throw wrongPassword();
      // A successful login is not a guess: it never counts towards a limit.
      await takeBack();
      await refuseDisabled(ctx, user);
      await startSession(ctx, res, user);
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'session.login' });
      return { user: publicUser(user), enterprise: user.enterpriseId ? await store.getEnterprise(user.enterpriseId) : undefined };
    },
  });

  routes.add({
    method: 'get',
    path: '/session',
    tag: 'accounts',
    summary: 'Who is logged in',
    access: 'user',
    responses: { 200: 'the user and enterprise', 401: 'not logged in' },
    response: SessionSchema,
    handler: async (_req, res) => {
      const user = currentUser(res);
      return { user: publicUser(user), enterprise: user.enterpriseId ? await store.getEnterprise(user.enterpriseId) : undefined };
    },
  });

  routes.add({
    method: 'delete',
    path: '/session',
    tag: 'accounts',
    summary: 'Log out',
    access: 'public',
    responses: { 204: 'logged out' },
    handler: async (_req, res) => {
      if (res.locals.sessionId) await store.deleteSession(res.locals.sessionId);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  });

  routes.add<{ currentPassword: string; password: string; passwordConfirm: string }>({
    method: 'put',
    path: '/session/password',
    tag: 'accounts',
    summary: "Change one's own password: every other session of the user ends",
    access: 'user',
    body: Type.Object({ currentPassword: str(128), password: str(128), passwordConfirm: str(128) }, { additionalProperties: false }),
    responses: { 204: 'changed; this session stays, the others end', 400: 'wrong current password, or a weak new one', 429: 'too many wrong current passwords' },
    handler: async (req, res) => {
      const user = currentUser(res);
      const problems = passwordProblems(req.body.password, req.body.passwordConfirm);
      if (problems.length) throw ApiError.fromProblems(problems);
      const takeBack = await attempts.count([['passwordChangesPerUser', user.id]]);
      const ok = await checkPassword(() => ctx.passwords.verify(req.body.currentPassword, user.passwordHash), takeBack);
      if (!ok) throw new ApiError(400, 'wrong_password', text('当前密码不正确', 'the current password is wrong'), '/currentPassword');
      await takeBack();
      await store.updateUser(user.id, { passwordHash: await ctx.passwords.hash(req.body.password) });
      const ended = await store.deleteUserSessions(user.id, res.locals.sessionId);
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'password.change', detail: { sessionsEnded: ended } });
    },
  });

  routes.add<{ username: string; mobile: string }>({
    method: 'post',
    path: '/password-reset/request',
    tag: 'accounts',
    summary: 'Send a password reset code to the registered mobile; the answer is the same, and as quick, whether or not they match',
    access: 'public',
    body: Type.Object({ username: str(64), mobile: str(20) }, { additionalProperties: false }),
    responses: { 202: 'a code was sent if the username and mobile match', 429: 'too many codes asked for this username, mobile or address', 503: 'the text message could not be sent: nothing kept, nothing counted' },
    response: MessageSchema,
    handler: async (req, res) => {
      const key = usernameKey(req.body.username);
      const mobile = mobileKey(req.body.mobile);
      // Counted on what was asked, matched or not, so a 429 tells nothing about the account.
      const takeBack = await attempts.count([
        ['resetCodesPerAddress', addressOf(req)],
        ['resetCodesPerUser', key],
        ['resetCodesPerMobile', mobile],
      ]);
      const user = await store.findUserByUsername(key);
      // The message is sent before the code is kept: a message the gateway refused (503) leaves the
      // previous code valid and gives the counts back. A request that matches nothing takes as long,
      // and fails alike while the gateway fails (textMessages.ts).
      await givingBackOnFailure(takeBack, async () => {
        if (!(user?.mobile && mobileKey(user.mobile) === mobile)) return messages.imitate();
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        await messages.send(user.mobile, `【Ladder】您的密码重置验证码为 ${code}，15 分钟内有效。Your Ladder password reset code is ${code} (valid for 15 minutes).`);
        const { id } = user;
        // After the reply: storing the code takes time an attacker could read.
        ctx.background.run('password reset code', async () => {
          await store.putResetCode({ userId: id, codeHash: sha256(code), expiresAt: new Date(ctx.now().getTime() + 15 * 60_000).toISOString(), attempts: 0 });
          await store.audit({ at: ctx.now().toISOString(), actor: id, action: 'password.resetRequested' });
        });
      });
      res.status(202);
      return { message: localeOf(req) === 'en' ? 'If the username and mobile match an account, a code has been sent to that mobile.' : '如用户名与手机号匹配，验证码已发送至该手机。' };
    },
  });

  routes.add<{ username: string; code: string; password: string; passwordConfirm: string }>({
    method: 'post',
    path: '/password-reset/confirm',
    tag: 'accounts',
    summary: 'Set a new password with the code sent by SMS',
    access: 'public',
    body: Type.Object({ username: str(64), code: str(12), password: str(128), passwordConfirm: str(128) }, { additionalProperties: false }),
    responses: { 204: 'password changed; every session of the user ends', 400: 'wrong or expired code, or a weak password', 429: 'too many wrong codes for this account (across its codes) or from this address' },
    handler: async (req) => {
      const problems = passwordProblems(req.body.password, req.body.passwordConfirm);
      if (problems.length) throw ApiError.fromProblems(problems);
      const key = usernameKey(req.body.username);
      // Guesses count per account across all its codes: asking for a new code gives no new guesses.
      const takeBack = await attempts.count([
        ['resetGuessesPerAddress', addressOf(req)],
        ['resetGuessesPerUser', key],
      ]);
      const user = await store.findUserByUsername(key);
      const given = Buffer.from(sha256(req.body.code.normalize('NFKC').trim()));
      const ok = user && (await store.consumeResetCode(user.id, (c) => timingSafeEqual(Buffer.from(c.codeHash), given), 5, ctx.now().toISOString()));
      if (!user || !ok) throw new ApiError(400, 'invalid_code', text('验证码错误或已过期', 'the code is wrong or has expired'), '/code');
      await takeBack();
      await store.updateUser(user.id, { passwordHash: await ctx.passwords.hash(req.body.password) });
      // Whoever held a session (someone who knew the old password) is out.
      const ended = await store.deleteUserSessions(user.id);
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'password.reset', detail: { sessionsEnded: ended } });
    },
  });

  routes.add<{ enterpriseName: string; creditCode: string; mobile: string; region?: string }>({
    method: 'post',
    path: '/username-recovery',
    tag: 'accounts',
    summary: 'Forgotten username: sent by SMS to the registered mobile when the enterprise matches; a support request is recorded either way',
    access: 'public',
    body: Type.Object(
      { enterpriseName: str(200), creditCode: str(40), mobile: str(20), region: Type.Optional(Type.String({ maxLength: 12, description: "Where the enterprise is, when the requester gives it: that region's administrators see the request" })) },
      { additionalProperties: false },
    ),
    responses: { 202: 'recorded', 400: 'a region not in the list', 429: 'too many requests from this address or for this credit code', 503: 'the text message could not be sent: nothing recorded, nothing counted' },
    response: MessageSchema,
    handler: async (req, res) => {
      const creditCode = normaliseCreditCode(req.body.creditCode);
      const given = req.body.region?.trim() || undefined;
      if (given && !reference.regionPath(given))
        throw ApiError.fromProblems([{ code: 'region', pointer: '/region', message: text(`地区 ${given} 不在地区列表中`, `the region ${given} is not in the list`) }]);
      const takeBack = await attempts.count([
        ['recoveriesPerAddress', addressOf(req)],
        ['recoveriesPerCreditCode', creditCode],
      ]);
      const enterprise = await store.findEnterpriseByCreditCode(creditCode);
      const users = enterprise && enterprise.name === req.body.enterpriseName.trim() ? await store.findUsersOfEnterprise(enterprise.id) : [];
      const matched = users.find((u) => u.mobile && mobileKey(u.mobile) === mobileKey(req.body.mobile));
      // A message the gateway refused is a 503 with nothing recorded; a request that matches nothing takes as long (textMessages.ts).
      await givingBackOnFailure(takeBack, () =>
        matched ? messages.send(matched.mobile!, `【Ladder】贵企业在平台的用户名为 ${matched.username}。Your Ladder username is ${matched.username}.`) : messages.imitate(),
      );
      await store.addSupportRequest({
        id: randomUUID(),
        kind: 'usernameRecovery',
        enterpriseName: req.body.enterpriseName.trim(),
        creditCode,
        mobile: req.body.mobile.trim(),
        ...(matched ? { matchedUserId: matched.id } : {}),
        createdAt: ctx.now().toISOString(),
        status: 'open',
        replies: [],
        // The registered enterprise's administrators handle it; else those of the region given; else the platform's.
        ...((enterprise?.region ?? given) ? { region: enterprise?.region ?? given } : {}),
      });
      res.status(202);
      return {
        message:
          localeOf(req) === 'en'
            ? 'If the details match a registered account, the username has been sent to its registered mobile. Otherwise platform support will contact you.'
            : '如信息与已注册账户一致，用户名已发送至注册手机；否则平台技术支持将与您联系。',
      };
    },
  });
}
