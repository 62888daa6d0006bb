// Registration, login and logout, password reset by SMS code, username recovery.
import { randomInt, randomUUID, createHash, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Request } from 'express';
import { text, type Problem } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, errorBody, localeOf } from '../http/apiError.ts';
import { checkCreditCode, normaliseCreditCode } from '../accounts/creditCode.ts';
import { EMAIL, MOBILE } from '../accounts/contact.ts';
import { hashPassword, verifyPassword } from '../accounts/password.ts';
import { currentUser, publicUser, SESSION_COOKIE, startSession } from '../auth.ts';
import { ConflictError, type Enterprise, type User } from '../store/types.ts';
import { StoredAttempts } from '../accounts/attemptLimits.ts';
import { holdingRegions } from '../regions/records.ts';

const str = (max = 200) => Type.String({ maxLength: max });

export const RegistrationBody = Type.Object(
  {
    username: str(32),
    password: str(128),
    passwordConfirm: str(128),
    mobile: str(20),
    email: str(254),
    enterpriseName: str(200),
    creditCode: str(40),
    enterpriseType: str(40),
    industry: str(10),
    industryType: Type.Optional(str(40)),
    sizeBand: str(40),
    revenue: Type.Number(),
    region: str(12),
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

export function accountRoutes(routes: RouteTable, ctx: Context) {
  const { store, reference } = ctx;
  // Keyed by address and username so one attacker cannot lock everyone out, nor try one account from many tabs.
  const limiter = rateLimit({
    windowMs: ctx.rateLimit.windowMs,
    limit: ctx.rateLimit.max,
    store: new StoredAttempts(ctx, 'attempts:'),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req: Request) => `${ipKeyGenerator(req.ip ?? '')}|${String((req.body as { username?: unknown })?.username ?? '').toLowerCase()}`,
    handler: (req, res) => {
      res.status(429).json(errorBody(new ApiError(429, 'rate_limited', text('尝试次数过多，请稍后再试', 'too many attempts, please try again later')), localeOf(req)));
    },
  });

  routes.add<typeof RegistrationBody.static>({
    method: 'post',
    path: '/accounts',
    tag: 'accounts',
    summary: 'Register an enterprise and its first user (every field of the national platform\'s form)',
    access: 'public',
    body: RegistrationBody,
    responses: { 201: 'registered and logged in', 400: 'invalid fields (all listed in details)', 409: 'username or credit code already registered' },
    handler: async (req, res) => {
      const b = req.body;
      const problems: Problem[] = [];
      const fail = (field: string, zh: string, en: string) => problems.push({ code: field, pointer: `/${field}`, message: text(zh, en) });
      const username = b.username.trim();
      if (!USERNAME.test(username)) fail('username', '用户名为 3–32 位字母、数字或 _ . -', 'the username is 3–32 letters, digits or _ . -');
      problems.push(...passwordProblems(b.password, b.passwordConfirm));
      const mobile = b.mobile.trim();
      if (!MOBILE.test(mobile)) fail('mobile', '请输入 11 位中国大陆手机号', 'enter an 11-digit mainland China mobile number');
      const email = b.email.trim();
      if (!EMAIL.test(email)) fail('email', '电子邮箱格式不正确', 'the e-mail address is not valid');
      const enterpriseName = b.enterpriseName.trim();
      if (enterpriseName.length < 2) fail('enterpriseName', '请填写企业名称', 'enter the enterprise name');
      const creditCode = normaliseCreditCode(b.creditCode);
      const codeProblem = checkCreditCode(creditCode);
      if (codeProblem === 'length') fail('creditCode', '统一社会信用代码应为 18 位', 'the unified social credit code has 18 characters');
      else if (codeProblem === 'character') fail('creditCode', '统一社会信用代码含有无效字符（不使用 I、O、S、V、Z）', 'the credit code contains an invalid character (I, O, S, V and Z are not used)');
      else if (codeProblem === 'check') fail('creditCode', '统一社会信用代码校验位不正确，请核对', 'the check character of the credit code is wrong; please check the code');
      if (!reference.enterpriseTypes.some((t) => t.id === b.enterpriseType)) fail('enterpriseType', '请选择企业类型', 'choose the enterprise type');
      const industry = reference.division(b.industry);
      if (!industry) fail('industry', '请按 GB/T 4754-2017 选择行业类型（大类）', 'choose the industry (a GB/T 4754-2017 division)');
      if (!reference.sizeBands.some((s) => s.id === b.sizeBand)) fail('sizeBand', '请选择企业规模', 'choose the size band');
      if (!Number.isFinite(b.revenue) || b.revenue < 0) fail('revenue', '企业销售额收入（万元）须为不小于 0 的数', 'sales revenue (10k yuan) must be a number of at least 0');
      const regionPath = reference.regionPath(b.region);
      const regionMissing = () => problems.push({ code: 'region', pointer: '/region', message: text('所在地区不在地区列表中；新设地区请联系平台技术支持创建', 'the region is not in the list; for a new region, ask platform support to create it') });
      // A group is not a place: an enterprise joins one besides its region (platform administrators add members).
      if (!regionPath || reference.regionTree.get(b.region)?.kind === 'group') regionMissing();
      if (problems.length) throw ApiError.fromProblems(problems);

      const now = ctx.now().toISOString();
      const enterprise: Enterprise = {
        id: randomUUID(),
        name: enterpriseName,
        creditCode,
        enterpriseType: b.enterpriseType,
        industry: b.industry,
        industryType: b.industryType ?? industry!.division.industryType ?? reference.defaultIndustryType,
        sizeBand: b.sizeBand,
        revenue: b.revenue,
        region: b.region,
        regionPath: regionPath!,
        createdAt: now,
      };
      const user: User = { id: randomUUID(), username, passwordHash: await hashPassword(b.password), role: 'enterprise', mobile, email, enterpriseId: enterprise.id, createdAt: now };
      try {
        // Checked again with region changes held off: a region removed since the check above is refused, never recorded.
        await holdingRegions(ctx, async () => {
          if (!reference.regionPath(b.region)) {
            regionMissing();
            throw ApiError.fromProblems(problems);
          }
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
      await store.audit({ at: now, actor: user.id, action: 'account.register', target: enterprise.id });
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
    limiter,
    responses: { 200: 'logged in', 401: 'wrong username or password', 429: 'too many attempts' },
    handler: async (req, res) => {
      const user = await store.findUserByUsername(req.body.username.trim());
      // Hash even for an unknown user so timing does not tell which usernames exist.
      const ok = user ? await verifyPassword(req.body.password, user.passwordHash) : (await hashPassword(req.body.password), false);
      if (!user || !ok) throw new ApiError(401, 'invalid_credentials', text('用户名或密码错误', 'wrong username or password'));
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

  routes.add<{ username: string; mobile: string }>({
    method: 'post',
    path: '/password-reset/request',
    tag: 'accounts',
    summary: 'Send a password reset code to the registered mobile',
    access: 'public',
    body: Type.Object({ username: str(64), mobile: str(20) }, { additionalProperties: false }),
    limiter,
    responses: { 202: 'a code was sent if the username and mobile match', 429: 'too many attempts' },
    handler: async (req, res) => {
      const user = await store.findUserByUsername(req.body.username.trim());
      if (user?.mobile && user.mobile === req.body.mobile.trim()) {
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        await store.putResetCode({ userId: user.id, codeHash: sha256(code), expiresAt: new Date(ctx.now().getTime() + 15 * 60_000).toISOString(), attempts: 0 });
        await ctx.sms.send(user.mobile, `【Ladder】您的密码重置验证码为 ${code}，15 分钟内有效。Your Ladder password reset code is ${code} (valid for 15 minutes).`);
        await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'password.resetRequested' });
      }
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
    limiter,
    responses: { 204: 'password changed', 400: 'wrong or expired code, or a weak password', 429: 'too many attempts' },
    handler: async (req) => {
      const problems = passwordProblems(req.body.password, req.body.passwordConfirm);
      if (problems.length) throw ApiError.fromProblems(problems);
      const user = await store.findUserByUsername(req.body.username.trim());
      const given = Buffer.from(sha256(req.body.code.trim()));
      const ok = user && (await store.consumeResetCode(user.id, (c) => timingSafeEqual(Buffer.from(c.codeHash), given), 5, ctx.now().toISOString()));
      if (!user || !ok) throw new ApiError(400, 'invalid_code', text('验证码错误或已过期', 'the code is wrong or has expired'), '/code');
      await store.updateUser(user.id, { passwordHash: await hashPassword(req.body.password) });
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'password.reset' });
    },
  });

  routes.add<{ enterpriseName: string; creditCode: string; mobile: string }>({
    method: 'post',
    path: '/username-recovery',
    tag: 'accounts',
    summary: 'Forgotten username: sent by SMS to the registered mobile when the enterprise matches; a support request is recorded either way',
    access: 'public',
    body: Type.Object({ enterpriseName: str(200), creditCode: str(40), mobile: str(20) }, { additionalProperties: false }),
    limiter,
    responses: { 202: 'recorded', 429: 'too many attempts' },
    handler: async (req, res) => {
      const creditCode = normaliseCreditCode(req.body.creditCode);
      const enterprise = await store.findEnterpriseByCreditCode(creditCode);
      const users = enterprise && enterprise.name === req.body.enterpriseName.trim() ? await store.findUsersOfEnterprise(enterprise.id) : [];
      const matched = users.find((u) => u.mobile === req.body.mobile.trim());
      if (matched) await ctx.sms.send(matched.mobile!, `【Ladder】贵企业在平台的用户名为 ${matched.username}。Your Ladder username is ${matched.username}.`);
      await store.addSupportRequest({
        id: randomUUID(),
        kind: 'usernameRecovery',
        enterpriseName: req.body.enterpriseName.trim(),
        creditCode,
        mobile: req.body.mobile.trim(),
        ...(matched ? { matchedUserId: matched.id } : {}),
        createdAt: ctx.now().toISOString(),
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
