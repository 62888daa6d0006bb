// The shapes of accounts as the API answers them, declared once (TypeBox): a user as
// `publicUser(user)` shows it, an enterprise as the store keeps it, and the answers of logging in
// and registering. The store's own types (server/store/types.ts) must stay the same shapes: the
// checks at the end of this file fail to compile when one of them changes without the other.
import { Type, type Static } from '@sinclair/typebox';
import type { publicUser } from '../../auth.ts';
import type { Enterprise, Role } from '../../store/types.ts';

const doc = (description: string) => ({ description });

export const RoleSchema = Type.Union([Type.Literal('enterprise'), Type.Literal('regionAdmin'), Type.Literal('rulesetAuthor'), Type.Literal('platformAdmin'), Type.Literal('assessor')]);

/** A user as the API shows it (`publicUser` in server/auth.ts): never the password hash nor the contact details. */
export const PublicUserSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    role: RoleSchema,
    enterpriseId: Type.Optional(Type.String(doc("An enterprise's user: its enterprise"))),
    region: Type.Optional(Type.String(doc('A region administrator: the region code it administers (and everything below it)'))),
  },
  { additionalProperties: false },
);
export type PublicUser = Static<typeof PublicUserSchema>;

/** An enterprise as registered (server/store/types.ts `Enterprise`). */
export const EnterpriseSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    creditCode: Type.String(doc('Unified social credit code (统一社会信用代码), 18 characters')),
    enterpriseType: Type.String(doc('An id of the reference data\'s enterpriseTypes')),
    industry: Type.String(doc('GB/T 4754-2017 division code')),
    industryType: Type.String(doc('The industry type rulesets key weights and questions by')),
    sizeBand: Type.String(doc('An id of the reference data\'s sizeBands')),
    revenue: Type.Number(doc('Sales revenue, 10k yuan')),
    region: Type.String(doc('Region code (GB/T 2260, or one the platform created)')),
    regionPath: Type.Array(Type.String(), doc('Region codes from the province down to `region`')),
    groups: Type.Optional(Type.Array(Type.String(), doc('Enterprise groups (企业集团) it belongs to besides its region'))),
    createdAt: Type.String(doc('ISO time')),
    disabledAt: Type.Optional(Type.String(doc('ISO time an administrator disabled it: its users cannot log in'))),
  },
  { additionalProperties: false },
);

/** The answer of registering: the new user (logged in) and its enterprise. */
export const RegisteredSchema = Type.Object({ user: PublicUserSchema, enterprise: EnterpriseSchema }, { additionalProperties: false });

/** The answer of logging in and of `GET /session`. */
export const SessionSchema = Type.Object(
  { user: PublicUserSchema, enterprise: Type.Optional({ ...EnterpriseSchema, ...doc("The user's enterprise; absent for administrators and authors") }) },
  { additionalProperties: false },
);

/** An answer that only tells the caller something (in the request's language). */
export const MessageSchema = Type.Object({ message: Type.String() }, { additionalProperties: false });

// The schemas and the types they describe are the same shapes: the same properties, each type
// assignable to the other (an optional property only one of them has fails the first check).
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Same<A, B> = Mutual<keyof A, keyof B> extends true ? Mutual<A, B> : false;
const inSync: [Same<Static<typeof RoleSchema>, Role>, Same<PublicUser, ReturnType<typeof publicUser>>, Same<Static<typeof EnterpriseSchema>, Enterprise>] = [true, true, true];
void inSync;
