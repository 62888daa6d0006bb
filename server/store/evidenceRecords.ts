// Evidence files of a formal assessment (issue 16, step 3): what an enterprise uploads for each
// requirement of its accepted application. The record is what the store lists; the bytes are kept
// by their SHA-256 (identical content is kept once) and served only through the record.
export interface EvidenceFile {
  id: string;
  applicationId: string;
  /** The requirement (a question id of the application's ruleset) the file supports. */
  requirement: string;
  /** The original file name, made safe for display (no path, no control characters). */
  name: string;
  /** The file type, by extension (pdf, docx…), as the ruleset's evidence scheme names it. */
  type: string;
  size: number;
  /** Hex SHA-256 of the content: where the content is kept, and a check on it. */
  sha256: string;
  /** The enterprise user who uploaded it. */
  uploadedBy: string;
  uploadedAt: string;
}

/** What a store checks, under its lock, before it keeps a new file. */
export interface EvidenceLimits {
  /** Files per requirement of one application: one more is a ConflictError 'too_many_files'. */
  maxFiles: number;
}

export const isSha256 = (s: string) => /^[0-9a-f]{64}$/.test(s);
