// Certificates of conformity (标准符合性证书) and their public lookup (信息查询). Anyone may look a
// certificate up, by its number (what the QR code on it opens) or by the enterprise's name or
// whole credit code, and sees whether it is valid, expired, suspended or revoked; lookups are
// limited per address. Platform administrators register certificates issued before the platform
// (so provinces can check them here) and suspend, revoke or reinstate them, each with a reason the
// public sees, every step in the audit log. Certificates issued by formal assessments join the same
// registry.
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { CERTIFICATE_STATE_TEXT, certificateStatus, levelName, localized, text } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, localeOf, notFound, type Locale } from '../http/apiError.ts';
import { param } from '../http/queryParams.ts';
import { currentUser, requireRole } from '../auth.ts';
import { addressOf, Attempts } from '../accounts/attemptLimits.ts';
import { checkCreditCode, normaliseCreditCode } from '../accounts/creditCode.ts';
import { ConflictError, type Certificate } from '../store/types.ts';

const STATES = ['valid', 'expired', 'suspended', 'revoked'] as const;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const LOOKUP_RESULTS = 20;

const PublicCertificate = Type.Object(
  {
    number: Type.String(),
    enterpriseName: Type.String(),
    creditCode: Type.String(),
    level: Type.Integer(),
    levelName: Type.String({ description: "The level as the standard names it, in the request's language" }),
    scope: Type.String(),
    standard: Type.String(),
    body: Type.String({ description: 'The assessment body that issued it' }),
    issuedAt: Type.String({ description: 'YYYY-MM-DD' }),
    validUntil: Type.String({ description: 'The last day it is valid on, YYYY-MM-DD' }),
    status: Type.Union(STATES.map((s) => Type.Literal(s))),
    statusText: Type.String({ description: "有效 / 已过期 / 已暂停 / 已撤销, in the request's language" }),
    statusReason: Type.Optional(Type.String({ description: 'Why it was suspended, revoked or reinstated' })),
  },
  { additionalProperties: false },
);

const CertificateRegistration = Type.Object(
  {
    number: Type.String({ pattern: '^[A-Za-z0-9-]{4,40}$', description: 'The number printed on it' }),
    enterpriseName: Type.String({ minLength: 2, maxLength: 100 }),
    creditCode: Type.String({ maxLength: 30 }),
    ruleset: Type.String({ maxLength: 120, description: 'The published ruleset of the standard it certifies, id@version: its levels name the level, its time zone dates it' }),
    level: Type.Integer({ minimum: 1 }),
    scope: Type.String({ minLength: 1, maxLength: 500 }),
    body: Type.String({ minLength: 2, maxLength: 100, description: 'The assessment body that issued it' }),
    issuedAt: Type.String({ pattern: DATE.source }),
    validUntil: Type.String({ pattern: DATE.source }),
  },
  { additionalProperties: false },
);

const StatusChange = Type.Object(
  {
    status: Type.Union([Type.Literal('suspended'), Type.Literal('revoked'), Type.Literal('valid')], { description: 'valid reinstates a suspended certificate; a revoked one stays revoked' }),
    reason: Type.String({ minLength: 2, maxLength: 300, description: 'Shown to the public beside the status' }),
  },
  { additionalProperties: false },
);

export function certificateRoutes(routes: RouteTable, ctx: Context) {
  const { store } = ctx;
  const attempts = new Attempts(ctx);

  const view = (c: Certificate, locale: Locale): Static<typeof PublicCertificate> => {
    const status = certificateStatus(c, ctx.now(), c.utcOffsetMinutes);
    return {
      number: c.number,
      enterpriseName: c.enterpriseName,
      creditCode: c.creditCode,
      level: c.level,
      levelName: c.levelName,
      scope: c.scope,
      standard: c.standard,
      body: c.body.name,
      issuedAt: c.issuedAt,
      validUntil: c.validUntil,
      status,
      statusText: localized(CERTIFICATE_STATE_TEXT[status], locale),
      ...(c.statusReason ? { statusReason: c.statusReason } : {}),
    };
  };

  routes.add({
    method: 'get',
    path: '/certificate-lookup',
    tag: 'certificates',
    summary: "Public lookup (信息查询): certificates by number, or by part of the enterprise's name or its whole credit code, with whether each is valid, expired, suspended or revoked; limited per address",
    access: 'public',
    query: {
      number: { type: 'string', description: 'The certificate number, any case (what the QR code opens)' },
      q: { type: 'string', description: "At least 2 characters of the enterprise's name, or its whole credit code" },
    },
    responses: { 200: 'the certificates found (at most 20, newest first)', 400: 'neither number nor q, or q too short', 429: 'too many lookups from this address' },
    response: Type.Object({ items: Type.Array(PublicCertificate) }, { additionalProperties: false }),
    handler: async (req) => {
      const number = param(req, 'number', 40)?.trim();
      const q = param(req, 'q', 60)?.normalize('NFKC').trim();
      if (!number && !q) throw new ApiError(400, 'lookup_query', text('请输入证书编号，或企业名称、统一社会信用代码', 'give a certificate number, or an enterprise name or credit code'), '/number');
      if (q !== undefined && [...q].length < 2) throw new ApiError(400, 'lookup_query', text('企业名称至少输入 2 个字', 'give at least 2 characters of the name'), '/q');
      await attempts.count([['certificateLookupsPerAddress', addressOf(req)]]);
      const found = await store.findCertificates({ ...(number ? { number } : {}), ...(q ? { text: q } : {}), limit: LOOKUP_RESULTS });
      return { items: found.map((c) => view(c, localeOf(req))) };
    },
  });

  routes.add<Static<typeof CertificateRegistration>>({
    method: 'post',
    path: '/certificates',
    tag: 'certificates',
    summary: 'Register a certificate issued before the platform, so the public lookup finds it (platform administrators)',
    access: 'user',
    body: CertificateRegistration,
    responses: { 201: 'registered', 400: 'a bad field, named', 403: 'not a platform administrator', 409: 'that number is registered already' },
    response: PublicCertificate,
    handler: async (req, res) => {
      const admin = currentUser(res);
      requireRole(admin, 'platformAdmin');
      const b = req.body;
      const creditCode = normaliseCreditCode(b.creditCode);
      if (checkCreditCode(creditCode)) throw new ApiError(400, 'credit_code', text('统一社会信用代码无效（应为 18 位，末位为校验码）', 'not a valid unified social credit code (18 characters, the last a check character)'), '/creditCode');
      const [id, version] = b.ruleset.split('@');
      const ruleset = await store.getRuleset(id, version ?? '').catch(() => undefined);
      if (!ruleset || ruleset.status !== 'published') throw new ApiError(400, 'ruleset', text(`没有已发布的规则集 ${b.ruleset}`, `no published ruleset ${b.ruleset}`), '/ruleset');
      if (!ruleset.document.levels.some((l) => l.number === b.level))
        throw new ApiError(400, 'level', text(`规则集 ${b.ruleset} 没有等级 ${b.level}`, `the ruleset ${b.ruleset} has no level ${b.level}`), '/level');
      for (const field of ['issuedAt', 'validUntil'] as const)
        if (Number.isNaN(Date.parse(`${b[field]}T00:00:00Z`)) || new Date(`${b[field]}T00:00:00Z`).toISOString().slice(0, 10) !== b[field])
          throw new ApiError(400, 'date', text(`日期 ${b[field]} 不存在`, `there is no date ${b[field]}`), `/${field}`);
      if (b.validUntil <= b.issuedAt) throw new ApiError(400, 'validity', text('有效期截止日应晚于发证日期', 'the last valid day must come after the date of issue'), '/validUntil');
      const enterprise = await store.findEnterpriseByCreditCode(creditCode);
      const certificate: Certificate = {
        id: randomUUID(),
        number: b.number.trim().toUpperCase(),
        ...(enterprise ? { enterpriseId: enterprise.id, region: enterprise.region } : {}),
        enterpriseName: b.enterpriseName.trim(),
        creditCode,
        level: b.level,
        levelName: localized(levelName(ruleset.document, b.level), 'zh'),
        scope: b.scope.trim(),
        standard: ruleset.document.standard?.code ?? localized(ruleset.document.title, 'zh'),
        ruleset: `${ruleset.id}@${ruleset.version}`,
        body: { name: b.body.trim() },
        issuedAt: b.issuedAt,
        validUntil: b.validUntil,
        utcOffsetMinutes: ruleset.document.counting.utcOffsetMinutes,
        source: 'registered',
        createdAt: ctx.now().toISOString(),
      };
      try {
        await store.addCertificate(certificate);
      } catch (e) {
        if (e instanceof ConflictError) throw new ApiError(409, 'certificate_number_taken', text(`证书编号 ${certificate.number} 已登记`, `the certificate number ${certificate.number} is registered already`), '/number');
        throw e;
      }
      await store.audit({ at: certificate.createdAt, actor: admin.id, action: 'certificate.register', target: certificate.number, detail: { enterprise: certificate.enterpriseName, level: certificate.level }, ...(certificate.region ? { region: certificate.region } : {}) });
      res.status(201);
      return view(certificate, localeOf(req));
    },
  });

  routes.add<Static<typeof StatusChange>>({
    method: 'put',
    path: '/certificates/:number/status',
    tag: 'certificates',
    summary: 'Suspend, revoke or reinstate a certificate, with the reason the public sees (platform administrators); a revoked one stays revoked',
    access: 'user',
    body: StatusChange,
    responses: { 200: 'changed', 400: 'a bad field', 403: 'not a platform administrator', 404: 'no such certificate', 409: 'revoked already' },
    response: PublicCertificate,
    handler: async (req, res) => {
      const admin = currentUser(res);
      requireRole(admin, 'platformAdmin');
      const [found] = await store.findCertificates({ number: String(req.params.number), limit: 1 });
      if (!found) throw notFound(text(`证书 ${String(req.params.number)} 不存在`, `no certificate ${String(req.params.number)}`));
      const at = ctx.now().toISOString();
      const { status, reason } = req.body;
      const changed = await store.updateCertificate(found.id, (c) => {
        if (c.revokedAt) throw new ApiError(409, 'certificate_revoked', text(`证书 ${c.number} 已撤销，不能再变更`, `the certificate ${c.number} is revoked for good`), '/status');
        const { suspendedAt: _s, ...rest } = c;
        if (status === 'valid') return { ...rest, statusReason: reason.trim() };
        if (status === 'suspended') return { ...c, suspendedAt: at, statusReason: reason.trim() };
        return { ...c, revokedAt: at, statusReason: reason.trim() };
      });
      await store.audit({ at, actor: admin.id, action: `certificate.${status === 'valid' ? 'reinstate' : status === 'suspended' ? 'suspend' : 'revoke'}`, target: changed.number, detail: { reason: reason.trim() }, ...(changed.region ? { region: changed.region } : {}) });
      return view(changed, localeOf(req));
    },
  });
}
