// Evidence files of a formal assessment (issue 16, step 3). The enterprise uploads, for each
// requirement in its accepted application's scope, the files the ruleset's evidence scheme allows
// (types by extension and signature, a size and a count per requirement); the store keeps them
// durably before the upload is acknowledged. Whoever may read the application lists and downloads
// them (always as an attachment); the enterprise removes them while the application is accepted.
// Anyone else is told there is no such application or file.
import { createHash, randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { assessmentRequirements, text, type Ruleset } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, forbidden, notFound } from '../http/apiError.ts';
import { param } from '../http/queryParams.ts';
import { currentUser } from '../auth.ts';
import { noApplication, readableApplication, readsApplication } from './assessmentApplications.ts';
import { checkSignature, displayName, evidenceType, mediaTypeOf, readLimitedBody } from '../assessment/evidenceFile.ts';
import type { AssessmentApplication } from '../store/assessmentRecords.ts';
import type { EvidenceFile } from '../store/evidenceRecords.ts';
import { ConflictError, NotFoundError, type User } from '../store/types.ts';

const doc = (description: string) => ({ description });

const EvidenceView = Type.Object(
  {
    id: Type.String(),
    requirement: Type.String(doc('The question id of the requirement the file supports')),
    name: Type.String(doc('The original file name, made safe for display')),
    type: Type.String(doc('By extension: pdf, docx…')),
    size: Type.Integer(),
    sha256: Type.String(),
    uploadedBy: Type.String(),
    uploadedAt: Type.String(),
  },
  { additionalProperties: false },
);

const Limits = Type.Object(
  { maxBytes: Type.Integer(), types: Type.Array(Type.String()), maxFiles: Type.Integer(doc('Files per requirement')) },
  { additionalProperties: false, ...doc("The ruleset's evidence scheme") },
);

const view = (e: EvidenceFile) => ({ id: e.id, requirement: e.requirement, name: e.name, type: e.type, size: e.size, sha256: e.sha256, uploadedBy: e.uploadedBy, uploadedAt: e.uploadedAt });

/** RFC 6266/5987: an ASCII fallback and the exact name in UTF-8. */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'evidence';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function evidenceRoutes(routes: RouteTable, ctx: Context) {
  const { store } = ctx;
  const noFile = () => notFound(text('证据文件不存在', 'no such evidence file'));

  const readable = (user: User, id: string) => readableApplication(store, user, id);

  /** The application's ruleset and its evidence scheme (an application is only made under a ruleset that has one). */
  async function schemeOf(a: AssessmentApplication): Promise<{ ruleset: Ruleset; evidence: NonNullable<Ruleset['assessment']>['evidence'] }> {
    const ruleset = (await store.getRuleset(a.rulesetId, a.rulesetVersion))?.document;
    if (!ruleset?.assessment)
      throw new ApiError(409, 'no_assessment_scheme', text(`规则集 ${a.rulesetId}@${a.rulesetVersion} 未定义正式评估方案`, `the ruleset ${a.rulesetId}@${a.rulesetVersion} declares no formal assessment`));
    return { ruleset, evidence: ruleset.assessment.evidence };
  }

  /** The enterprise that applied, while its application is accepted: the only one that adds or removes files. */
  function mayChange(user: User, a: AssessmentApplication) {
    if (user.role !== 'enterprise' || user.enterpriseId !== a.enterpriseId) throw forbidden();
    if (a.status !== 'accepted')
      throw new ApiError(409, 'application_not_accepted', text('评估申请受理后才能上传或删除证据文件', 'evidence files are uploaded and removed only while the application is accepted'));
  }

  routes.add({
    method: 'post',
    path: '/assessment-applications/:id/evidence',
    tag: 'assessment',
    summary:
      "The enterprise uploads an evidence file (the file itself as the body) for a requirement in its accepted application's scope; the ruleset's evidence scheme limits its size, its types (by extension and by content) and the files per requirement. Kept durably before the 201; a refused file leaves nothing behind",
    access: 'user',
    upload: { type: 'application/octet-stream', limit: "the ruleset's evidence.maxBytes", what: text('证据文件', 'an evidence file'), streamed: true },
    query: {
      requirement: { type: 'string', required: true, description: 'The question id of a requirement in scope' },
      name: { type: 'string', required: true, description: 'The original file name; its extension gives the type' },
    },
    responses: {
      201: 'the file as kept',
      400: 'file_type, file_content (not what its extension says), file_required (empty), requirement_out_of_scope, invalid_query',
      403: 'not the enterprise that applied',
      404: 'no such application, or not yours',
      409: "application_not_accepted; too_many_files (the requirement holds the ruleset's maxFiles)",
      413: "file_too_large: larger than the ruleset's evidence.maxBytes",
      415: 'a JSON body instead of the file',
    },
    response: EvidenceView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const a = await readable(user, String(req.params.id));
      mayChange(user, a);
      const requirement = param(req, 'requirement', 100);
      const rawName = param(req, 'name', 1000);
      if (!requirement) throw new ApiError(400, 'invalid_query', text('请指明证据对应的评估要求（requirement）', 'name the requirement the file is for'), '/requirement');
      if (!rawName) throw new ApiError(400, 'invalid_query', text('请给出文件名（name）', 'give the file name'), '/name');
      const name = displayName(rawName);
      if (!name || name === '.' || name === '..') throw new ApiError(400, 'invalid_query', text('文件名无效', 'not a usable file name'), '/name');
      const { ruleset, evidence } = await schemeOf(a);
      const enterprise = await store.getEnterprise(a.enterpriseId);
      // The team's confirmed tailoring, once the pre-assessment has recorded it.
      const excluded = a.preAssessment?.excluded ?? [];
      const inScope = assessmentRequirements(ruleset, { targetLevel: a.targetLevel, industryType: enterprise?.industryType ?? '', excluded });
      if (!inScope.some((q) => q.id === requirement))
        throw new ApiError(400, 'requirement_out_of_scope', text(`“${requirement}”不是本次评估范围内的评估要求`, `"${requirement}" is not a requirement in this assessment's scope`), '/requirement');
      const type = evidenceType(name, evidence.types);
      const content = await readLimitedBody(req, evidence.maxBytes);
      checkSignature(type, name, content);
      const record: EvidenceFile = {
        id: randomUUID(),
        applicationId: a.id,
        requirement,
        name,
        type,
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        uploadedBy: user.id,
        uploadedAt: ctx.now().toISOString(),
      };
      try {
        await store.addEvidence(record, content, { maxFiles: evidence.maxFiles });
      } catch (e) {
        if (e instanceof ConflictError && e.code === 'too_many_files')
          throw new ApiError(409, 'too_many_files', text(`每项评估要求最多上传 ${evidence.maxFiles} 个文件`, `at most ${evidence.maxFiles} files per requirement`), '/requirement');
        if (e instanceof NotFoundError) throw noApplication();
        throw e;
      }
      await store.audit({
        at: record.uploadedAt,
        actor: user.id,
        action: 'evidence.upload',
        target: record.id,
        detail: { application: a.id, requirement, name, type, size: record.size, sha256: record.sha256 },
        region: enterprise?.region,
      });
      res.status(201);
      return view(record);
    },
  });

  routes.add({
    method: 'get',
    path: '/assessment-applications/:id/evidence',
    tag: 'assessment',
    summary: "An application's evidence files in the order uploaded, each with its requirement, and the ruleset's limits (absent when its ruleset declares no assessment scheme); for whoever may read the application",
    access: 'user',
    query: { requirement: { type: 'string', description: 'Only the files of this requirement' } },
    responses: { 200: '{ limits, items }', 404: 'no such application, or not yours to read' },
    response: Type.Object({ limits: Type.Optional(Limits), items: Type.Array(EvidenceView) }, { additionalProperties: false }),
    handler: async (req, res) => {
      const a = await readable(currentUser(res), String(req.params.id));
      const evidence = (await store.getRuleset(a.rulesetId, a.rulesetVersion))?.document.assessment?.evidence;
      const requirement = param(req, 'requirement', 100);
      const items = await store.listEvidence(a.id, requirement);
      return { ...(evidence ? { limits: { maxBytes: evidence.maxBytes, types: evidence.types, maxFiles: evidence.maxFiles } } : {}), items: items.map(view) };
    },
  });

  /** The file and its application, for whoever may read the application; anyone else: no such file. */
  const readableFile = async (user: User, id: string) => {
    const file = await store.getEvidence(id);
    const a = file && (await store.getAssessmentApplication(file.applicationId));
    if (!file || !a || !readsApplication(user, a)) throw noFile();
    return { file, a };
  };

  routes.add({
    method: 'get',
    path: '/evidence/:id/content',
    tag: 'assessment',
    summary: 'Downloads an evidence file, byte for byte, as an attachment under its original name; for whoever may read its application',
    access: 'user',
    responses: { 200: 'the file (its type, as an attachment)', 404: 'no such file, or not yours to read' },
    handler: async (_req, res) => {
      const { file } = await readableFile(currentUser(res), String(_req.params.id));
      const content = await store.evidenceContent(file.id);
      if (!content) throw noFile();
      res
        .status(200)
        .set({
          'Content-Type': mediaTypeOf(file.type),
          'Content-Disposition': attachmentDisposition(file.name),
          'X-Content-Type-Options': 'nosniff',
          // Never run as a page of this site, whatever it holds.
          'Content-Security-Policy': "default-src 'none'; sandbox",
          'Cache-Control': 'private, no-store',
          ETag: `"${file.sha256}"`,
        })
        .send(content);
    },
  });

  routes.add({
    method: 'delete',
    path: '/evidence/:id',
    tag: 'assessment',
    summary: 'The enterprise removes one of its evidence files while the application is accepted',
    access: 'user',
    responses: { 204: 'removed', 403: 'not the enterprise that applied', 404: 'no such file, or not yours to read', 409: 'application_not_accepted' },
    handler: async (req, res) => {
      const user = currentUser(res);
      const { file, a } = await readableFile(user, String(req.params.id));
      mayChange(user, a);
      try {
        await store.deleteEvidence(file.id);
      } catch (e) {
        if (e instanceof NotFoundError) throw noFile();
        throw e;
      }
      const enterprise = await store.getEnterprise(a.enterpriseId);
      await store.audit({
        at: ctx.now().toISOString(),
        actor: user.id,
        action: 'evidence.delete',
        target: file.id,
        detail: { application: a.id, requirement: file.requirement, name: file.name, sha256: file.sha256 },
        region: enterprise?.region,
      });
    },
  });
}
