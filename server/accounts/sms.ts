// Text messages to a registered mobile. Deployments plug in their SMS gateway. Without one, a
// message is logged with its digits masked (a reset code is a secret, and logs are read by many),
// and, when the operator names a file (LADDER_SMS_OUTBOX), written there in full, so that a pilot
// without a gateway can still hand a code to the person who asked for it.
import { appendFile } from 'node:fs/promises';

export interface SmsSender {
  send(mobile: string, text: string): Promise<void>;
}

/** "13912345678" → "139****5678"; every run of 4 or more digits in a text → "****". */
export const maskMobile = (mobile: string) => (mobile.length >= 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : '****');
export const maskDigits = (text: string) => text.replace(/\d{4,}/g, '****');

export class LogSmsSender implements SmsSender {
  constructor(
    private readonly log: (line: string) => void = (line) => console.log(line),
    private readonly outbox?: string,
  ) {}

  async send(mobile: string, text: string): Promise<void> {
    if (this.outbox) await appendFile(this.outbox, JSON.stringify({ at: new Date().toISOString(), mobile, text }) + '\n', { mode: 0o600 });
    this.log(`[sms] to ${maskMobile(mobile)}: ${maskDigits(text)}${this.outbox ? ` (in full in ${this.outbox})` : ''}`);
  }
}

/** Keeps what was sent, for tests. */
export class MemorySmsSender implements SmsSender {
  readonly sent: { mobile: string; text: string }[] = [];

  async send(mobile: string, text: string): Promise<void> {
    this.sent.push({ mobile, text });
  }
}
