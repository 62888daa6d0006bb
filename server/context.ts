// What every route needs, passed in so tests can run the app with their own store, clock and SMS.
import type { Store } from './store/types.ts';
import type { SmsSender } from './accounts/sms.ts';
import type { ReferenceData } from './reference.ts';
import type { PdfRenderer } from './report/pdf.ts';

export interface Context {
  store: Store;
  sms: SmsSender;
  reference: ReferenceData;
  /** Renders report PDFs (launches Chromium on first use). */
  pdf: PdfRenderer;
  log: (line: string) => void;
  now: () => Date;
  /** Login and reset attempts per window and key (IP + username). */
  rateLimit: { windowMs: number; max: number };
  sessionDays: number;
  /** Whether cookies get `Secure` (behind HTTPS). */
  secureCookies: boolean;
}
