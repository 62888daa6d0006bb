// Whether an account may be used: an administrator may disable a user or a whole enterprise. The
// store gives no session to either (Store.sessionUser); logging in is refused here, after the
// password was checked, so only someone who knows it learns that the account is disabled.
import { text } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import { ApiError } from '../http/apiError.ts';
import type { User } from '../store/types.ts';

export async function refuseDisabled(ctx: Context, user: User) {
  if (user.disabledAt) throw new ApiError(403, 'account_disabled', text('账号已停用，请联系管理员', 'this account is disabled: ask an administrator'));
  const enterprise = user.enterpriseId ? await ctx.store.getEnterprise(user.enterpriseId) : undefined;
  if (enterprise?.disabledAt) throw new ApiError(403, 'account_disabled', text('账号已停用：所属企业已被管理员停用，请联系管理员', "this account is disabled: its enterprise was disabled by an administrator; ask one"));
}
