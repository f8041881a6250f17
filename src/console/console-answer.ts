/** What a console route answers: a page, a redirect, or nothing; possibly setting or clearing the session cookie. */
export type ConsoleAnswer =
  | { kind: 'html'; status: number; html: string; cookie?: string; headers?: Record<string, string> }
  | { kind: 'redirect'; location: string; cookie?: string }
  | { kind: 'empty'; status: number; cookie?: string };
