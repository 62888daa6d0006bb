import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogSmsSender } from '../server/accounts/sms.ts';

describe('the default text-message sender', () => {
  it('never writes a code or a whole mobile number to the log, and gives the operator the message only in the named outbox', async () => {
    const lines: string[] = [];
    const outbox = join(mkdtempSync(join(tmpdir(), 'ladder-sms-')), 'outbox.jsonl');
    await new LogSmsSender((l) => lines.push(l), outbox).send('13912345678', '【Ladder】您的密码重置验证码为 483920，15 分钟内有效。');
    await new LogSmsSender((l) => lines.push(l)).send('13912345678', 'Your code is 102938.');
    expect(lines.join('\n')).not.toMatch(/483920|102938|13912345678/);
    expect(lines[0]).toContain('139****5678');
    expect(JSON.parse(readFileSync(outbox, 'utf8'))).toMatchObject({ mobile: '13912345678', text: expect.stringContaining('483920') });
  });
});
