// A region's liaisons for the assessment work (seed 000, attachment 2: 联络员信息登记表).
import { Type } from '@sinclair/typebox';
import { text, type Problem } from '../../engine/index.ts';
import { EMAIL, MOBILE } from '../accounts/contact.ts';
import type { Liaison } from './records.ts';

const str = (max: number) => Type.String({ maxLength: max });

export const LiaisonsBody = Type.Object(
  {
    liaisons: Type.Array(
      Type.Object(
        { name: str(40), post: str(40), mobile: str(20), email: Type.Optional(str(254)), unit: Type.Optional(str(100)), note: Type.Optional(str(200)) },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

/** The liaisons as stored (trimmed, empty optional fields left out), or every problem with its pointer. */
export function checkLiaisons(given: typeof LiaisonsBody.static.liaisons): { ok: true; liaisons: Liaison[] } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const liaisons = given.map((l, i) => {
    const fail = (field: string, zh: string, en: string) => problems.push({ code: field, pointer: `/liaisons/${i}/${field}`, message: text(zh, en) });
    const t = { name: l.name.trim(), post: l.post.trim(), mobile: l.mobile.trim(), email: l.email?.trim(), unit: l.unit?.trim(), note: l.note?.trim() };
    if (!t.name) fail('name', '请填写联络员姓名', "enter the liaison's name");
    if (!t.post) fail('post', '请填写联络员职务', "enter the liaison's post");
    if (!MOBILE.test(t.mobile)) fail('mobile', '请输入 11 位中国大陆手机号', 'enter an 11-digit mainland China mobile number');
    if (t.email && !EMAIL.test(t.email)) fail('email', '电子邮箱格式不正确', 'the e-mail address is not valid');
    const liaison: Liaison = { name: t.name, post: t.post, mobile: t.mobile };
    if (t.email) liaison.email = t.email;
    if (t.unit) liaison.unit = t.unit;
    if (t.note) liaison.note = t.note;
    return liaison;
  });
  return problems.length ? { ok: false, problems } : { ok: true, liaisons };
}
