// One's own account while logged in: the contact details and the enterprise's profile (checked as
// registration checks them, accounts/enterpriseProfile.ts), and a new mobile confirmed by a code
// sent to it. Name and credit code identify the enterprise and never change here; a password is
// changed with PUT /session/password (accounts.ts).
import { randomInt, createHash, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { text, type Problem } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, forbidden } from '../http/apiError.ts';
import { MOBILE } from '../accounts/contact.ts';
import { mobileKey } from '../accounts/identity.ts';
import { checkProfile, ProfileFields, regionMissing } from '../accounts/enterpriseProfile.ts';
import { Attempts } from '../accounts/attemptLimits.ts';
import { maskMobile } from '../accounts/sms.ts';
import type { TextMessages } from '../accounts/textMessages.ts';
import { currentUser } from '../auth.ts';
import { holdingRegions } from '../regions/records.ts';
import type { Enterprise, User } from '../store/types.ts';
import { EnterpriseSchema, RoleSchema } from './schemas/accounts.ts';

const CODE_MINUTES = 15;
/** Wrong tries one code survives (the user's guesses across codes are limited too: mobileGuessesPerUser). */
const TRIES_PER_CODE = 5;

const AccountSchema = Type.Object(
  {
    user: Type.Object(
      {
        username: Type.String(),
        role: RoleSchema,
        mobile: Type.Optional(Type.String({ description: 'The mobile reset codes and recovered usernames go to' })),
        email: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    enterprise: Type.Optional({ ...EnterpriseSchema, description: "The user's enterprise; absent for administrators and authors" }),
  },
  { additionalProperties: false },
);

const ProfileBody = Type.Partial(Type.Object(ProfileFields, { additionalProperties: false }), {
  description: 'Only the fields to change; name and credit code identify the enterprise and cannot be changed',
});
type ProfileBody = { email?: string; enterpriseType?: string; industry?: string; industryType?: string; sizeBand?: string; revenue?: number; region?: string };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/**
 * A code confirming a new mobile is kept with the reset codes under its own key (so it never
 * replaces a reset code), its hash bound to the mobile it was sent to.
 */
const mobileCodeKey = (userId: string) => `mobile:${userId}`;
const mobileCodeHash = (mobile: string, code: string) => sha256(`${mobileKey(mobile)}:${code}`);

const mobileProblem = (mobile: string): Problem[] =>
  MOBILE.test(mobile) ? [] : [{ code: 'mobile', pointer: '/mobile', message: text('请输入 11 位中国大陆手机号', 'enter an 11-digit mainland China mobile number') }];

export function accountSettingsRoutes(routes: RouteTable, ctx: Context, messages: TextMessages) {
  const { store, reference } = ctx;
  const attempts = new Attempts(ctx);

  const account = async (user: User) => ({
    user: { username: user.username, role: user.role, ...(user.mobile ? { mobile: user.mobile } : {}), ...(user.email ? { email: user.email } : {}) },
    ...(user.enterpriseId ? { enterprise: await store.getEnterprise(user.enterpriseId) } : {}),
  });

  /** The region audit entries about the user's account are filed under (its administrators see them). */
  const regionOf = async (user: User) => (await store.getEnterprise(user.enterpriseId!))?.region;

  /** Profile and mobile belong to an enterprise's users; staff accounts are kept by administrators. */
  const enterpriseUser = (user: User) => {
    if (user.role !== 'enterprise' || !user.enterpriseId) throw forbidden();
    return user;
  };

  routes.add({
    method: 'get',
    path: '/account',
    tag: 'accounts',
    summary: "One's own account: username, contact details and, for an enterprise's user, the enterprise's profile",
    access: 'user',
    responses: { 200: 'the account' },
    response: AccountSchema,
    handler: async (_req, res) => account(currentUser(res)),
  });

  routes.add<ProfileBody>({
    method: 'patch',
    path: '/account/profile',
    tag: 'accounts',
    summary: "Change the e-mail and the enterprise's profile (type, industry, size, revenue, region); name and credit code stay",
    access: 'user',
    body: ProfileBody,
    responses: { 200: 'changed: the account as it now is', 400: 'invalid fields (all listed in details)', 403: "not an enterprise's user" },
    response: AccountSchema,
    handler: async (req, res) => {
      const user = enterpriseUser(currentUser(res));
      const problems: Problem[] = [];
      const checked = checkProfile(reference, req.body, problems);
      if (problems.length) throw ApiError.fromProblems(problems);
      const change = checked.enterprise;
      const emailChanged = checked.email !== undefined && checked.email !== user.email;
      const save = async () => {
        // A copy: the embedded store hands out its own records, which the update changes.
        const before = structuredClone((await store.getEnterprise(user.enterpriseId!))!);
        const changed = (Object.keys(change) as (keyof typeof change)[]).filter((k) => k !== 'regionPath' && JSON.stringify(change[k]) !== JSON.stringify(before[k as keyof Enterprise]));
        if (changed.length) await store.updateEnterprise(before.id, change);
        return { before, changed };
      };
      // A new region is checked again with region changes held off, as at registration: one removed meanwhile is refused.
      const { before, changed } =
        change.region !== undefined
          ? await holdingRegions(ctx, async () => {
              if (!reference.regionPath(change.region!)) throw ApiError.fromProblems([regionMissing()]);
              return save();
            })
          : await save();
      if (emailChanged) await store.updateUser(user.id, { email: checked.email });
      if (changed.length || emailChanged)
        await store.audit({
          at: ctx.now().toISOString(),
          actor: user.id,
          action: 'account.profile',
          target: before.id,
          // Where the enterprise now is: its new region's administrators see the move.
          region: change.region ?? before.region,
          detail: {
            ...Object.fromEntries(changed.map((k) => [k, { from: before[k as keyof Enterprise], to: change[k] }])),
            ...(emailChanged ? { email: 'changed' } : {}),
          },
        });
      return account((await store.getUser(user.id))!);
    },
  });

  routes.add<{ mobile: string }>({
    method: 'post',
    path: '/account/mobile',
    tag: 'accounts',
    summary: 'Send a 6-digit code to a new mobile; it becomes the account\'s mobile once confirmed with the code',
    access: 'user',
    body: Type.Object({ mobile: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
    responses: { 204: 'the code was sent', 400: 'not a mobile number, or already the account\'s', 403: "not an enterprise's user", 429: 'too many codes for this user or this mobile', 503: 'the text message could not be sent: nothing kept, nothing counted' },
    handler: async (req, res) => {
      const user = enterpriseUser(currentUser(res));
      const mobile = req.body.mobile.trim();
      const problems = mobileProblem(mobile);
      if (problems.length) throw ApiError.fromProblems(problems);
      if (user.mobile && mobileKey(user.mobile) === mobileKey(mobile)) throw new ApiError(400, 'same_mobile', text('这已是账户的手机号', 'this is already the account\'s mobile'), '/mobile');
      const takeBack = await attempts.count([
        ['mobileCodesPerUser', user.id],
        ['mobileCodesPerMobile', mobileKey(mobile)],
      ]);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      try {
        await messages.send(mobile, `【Ladder】您正在更换账户手机号，验证码为 ${code}，${CODE_MINUTES} 分钟内有效。Your Ladder code to confirm this mobile is ${code} (valid for ${CODE_MINUTES} minutes).`);
      } catch (e) {
        await takeBack();
        throw e;
      }
      // Kept once sent: a message that never went out leaves an earlier code valid.
      await store.putResetCode({ userId: mobileCodeKey(user.id), codeHash: mobileCodeHash(mobile, code), expiresAt: new Date(ctx.now().getTime() + CODE_MINUTES * 60_000).toISOString(), attempts: 0 });
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'account.mobileCodeSent', detail: { to: maskMobile(mobile) }, region: await regionOf(user) });
      res.status(204);
    },
  });

  routes.add<{ mobile: string; code: string }>({
    method: 'post',
    path: '/account/mobile/confirm',
    tag: 'accounts',
    summary: 'Make the new mobile the account\'s with the code sent to it',
    access: 'user',
    body: Type.Object({ mobile: Type.String({ maxLength: 20 }), code: Type.String({ maxLength: 12 }) }, { additionalProperties: false }),
    responses: { 200: 'changed: the account as it now is', 400: 'wrong or expired code', 403: "not an enterprise's user", 429: 'too many wrong codes' },
    response: AccountSchema,
    handler: async (req, res) => {
      const user = enterpriseUser(currentUser(res));
      const mobile = req.body.mobile.trim();
      const problems = mobileProblem(mobile);
      if (problems.length) throw ApiError.fromProblems(problems);
      // Guesses count per user across all its codes: asking for a new code gives no new guesses.
      const takeBack = await attempts.count([['mobileGuessesPerUser', user.id]]);
      const given = Buffer.from(mobileCodeHash(mobile, req.body.code.normalize('NFKC').trim()));
      const ok = await store.consumeResetCode(mobileCodeKey(user.id), (c) => c.codeHash.length === given.length && timingSafeEqual(Buffer.from(c.codeHash), given), TRIES_PER_CODE, ctx.now().toISOString());
      if (!ok) throw new ApiError(400, 'invalid_code', text('验证码错误或已过期', 'the code is wrong or has expired'), '/code');
      await takeBack();
      const from = user.mobile ? maskMobile(user.mobile) : null;
      await store.updateUser(user.id, { mobile });
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'account.mobile', target: user.id, detail: { from, to: maskMobile(mobile) }, region: await regionOf(user) });
      return account((await store.getUser(user.id))!);
    },
  });
}
