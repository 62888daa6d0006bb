import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpSmsSender, LogSmsSender, smsSenderFromEnv } from '../server/accounts/sms.ts';

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

describe('the sender LADDER_SMS chooses', () => {
  it('writes the outbox in development, and never in production, saying so when it starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-sms-'));
    const development: string[] = [];
    await smsSenderFromEnv({ LADDER_SMS_OUTBOX: join(dir, 'dev.jsonl') }, (l) => development.push(l)).send('13912345678', 'code 246810');
    expect(readFileSync(join(dir, 'dev.jsonl'), 'utf8')).toContain('246810');

    const production: string[] = [];
    const sender = smsSenderFromEnv({ NODE_ENV: 'production', LADDER_SMS_OUTBOX: join(dir, 'prod.jsonl') }, (l) => production.push(l));
    expect(sender).toBeInstanceOf(LogSmsSender);
    expect(production.join('\n')).toMatch(/LADDER_SMS_OUTBOX is ignored in production/);
    await sender.send('13912345678', 'code 135790');
    expect(existsSync(join(dir, 'prod.jsonl'))).toBe(false);
    expect(production.join('\n')).not.toMatch(/135790|13912345678/);
  });

  it('chooses the HTTP sender with its settings, and refuses a configuration it cannot use', () => {
    expect(smsSenderFromEnv({ LADDER_SMS: 'http', LADDER_SMS_URL: 'https://sms.example.gov.cn/send', LADDER_SMS_SECRET: 's' }, () => undefined)).toBeInstanceOf(HttpSmsSender);
    expect(() => smsSenderFromEnv({ LADDER_SMS: 'http', LADDER_SMS_SECRET: 's' }, () => undefined)).toThrow(/LADDER_SMS_URL/);
    expect(() => smsSenderFromEnv({ LADDER_SMS: 'http', LADDER_SMS_URL: 'https://sms.example.gov.cn/send' }, () => undefined)).toThrow(/LADDER_SMS_SECRET/);
    expect(() => smsSenderFromEnv({ LADDER_SMS: 'http', LADDER_SMS_URL: 'https://x/', LADDER_SMS_SECRET: 's', LADDER_SMS_RETRIES: '-1' }, () => undefined)).toThrow(/LADDER_SMS_RETRIES/);
    expect(() => smsSenderFromEnv({ LADDER_SMS: 'gateway' }, () => undefined)).toThrow(/"log" or "http"/);
  });
});
