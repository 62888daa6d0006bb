// Who did something (an audit entry's actor, a support request's replier) as an administrator may
// see it: always the role, the username only of someone the reader manages (see scope.ts) or the
// reader itself. A username is half of a login, so a region administrator is not handed those of
// the platform's administrators or of administrators above it; "a platform administrator" is what
// it needs to know.
import { Type, type Static } from '@sinclair/typebox';
import type { Context } from '../context.ts';
import type { User } from '../store/types.ts';
import { managesUser } from './scope.ts';

export const ActorView = Type.Object(
  {
    id: Type.String(),
    role: Type.String({ description: 'enterprise, regionAdmin, rulesetAuthor, platformAdmin (unknown: no such user any more)' }),
    username: Type.Optional(Type.String({ description: "Only of users the reader manages, and the reader's own" })),
  },
  { additionalProperties: false },
);
export type ActorView = Static<typeof ActorView>;

/** Looks actors up once each for one answer. */
export function actorViews(ctx: Context, reader: User) {
  const seen = new Map<string, Promise<ActorView>>();
  const look = async (id: string): Promise<ActorView> => {
    const user = await ctx.store.getUser(id);
    if (!user) return { id, role: 'unknown' };
    const enterprise = user.enterpriseId ? await ctx.store.getEnterprise(user.enterpriseId) : undefined;
    const named = user.id === reader.id || managesUser(reader, user, enterprise, ctx.reference);
    return { id, role: user.role, ...(named ? { username: user.username } : {}) };
  };
  return (id: string) => {
    if (!seen.has(id)) seen.set(id, look(id));
    return seen.get(id)!;
  };
}
