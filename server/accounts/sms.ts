// Text messages to a registered mobile. Deployments plug in their SMS gateway; the default
// writes the message to the server log so a pilot can run without one.
export interface SmsSender {
  send(mobile: string, text: string): Promise<void>;
}

export class LogSmsSender implements SmsSender {
  constructor(private readonly log: (line: string) => void = (line) => console.log(line)) {}

  async send(mobile: string, text: string): Promise<void> {
    this.log(`[sms] to ${mobile}: ${text}`);
  }
}

/** Keeps what was sent, for tests. */
export class MemorySmsSender implements SmsSender {
  readonly sent: { mobile: string; text: string }[] = [];

  async send(mobile: string, text: string): Promise<void> {
    this.sent.push({ mobile, text });
  }
}
