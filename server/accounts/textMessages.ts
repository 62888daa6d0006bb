// Sending a text message from a request that waits for it. A message the gateway could not take is
// a 503 the person can act on ("try again later"), and the route keeps nothing of the request.
// Routes that must answer alike whether or not the account they were asked about exists (a reset
// code, a recovered username) call `imitate` when there is nothing to send: it takes about as long
// as the recent sends did, and fails like them while the gateway is failing, so neither the time
// nor a 503 tells an attacker that the username and mobile matched.
import { text } from '../../engine/index.ts';
import { ApiError } from '../http/apiError.ts';
import { SmsDeliveryError, type SmsSender } from './sms.ts';

/** How long a failure counts as the gateway's state when nothing has been sent since. */
const FAILING_FOR_MS = 5 * 60_000;
const KEPT = 16;

export const smsUnavailable = () =>
  new ApiError(503, 'sms_unavailable', text('短信发送失败，请稍后重试', 'the text message could not be sent, try again later'), undefined, [], { 'Retry-After': '60' });

export class TextMessages {
  private readonly durations: number[] = [];
  private failure?: { at: number; tookMs: number };

  private readonly sender: () => SmsSender;

  /** Given as a function, the sender is asked for at each message, so a context whose sender is replaced (tests) is followed. */
  constructor(sender: SmsSender | (() => SmsSender)) {
    this.sender = typeof sender === 'function' ? sender : () => sender;
  }

  /** Sends, or throws the 503 when the sender could not deliver. */
  async send(mobile: string, message: string): Promise<void> {
    const started = performance.now();
    try {
      await this.sender().send(mobile, message);
    } catch (e) {
      if (!(e instanceof SmsDeliveryError)) throw e;
      this.failure = { at: Date.now(), tookMs: performance.now() - started };
      throw smsUnavailable();
    }
    this.failure = undefined;
    this.durations.push(performance.now() - started);
    if (this.durations.length > KEPT) this.durations.shift();
  }

  /** What `send` would look like from outside, without sending anything. */
  async imitate(): Promise<void> {
    const failing = this.failure && Date.now() - this.failure.at < FAILING_FOR_MS ? this.failure : undefined;
    const ms = failing ? failing.tookMs : (this.durations[Math.floor(Math.random() * this.durations.length)] ?? 0);
    if (ms >= 1) await new Promise((r) => setTimeout(r, ms));
    if (failing) throw smsUnavailable();
  }
}
