// Semantic versions of rulesets: which is newer.
const parts = (v: string) => {
  const [core, pre] = v.split('-', 2);
  return { nums: core.split('.').map(Number), pre };
};

/** < 0 when a is older than b, 0 when equal, > 0 when newer (a pre-release is older than its release). */
export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i] - y.nums[i];
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}
