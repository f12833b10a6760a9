// The part of mailauth's API this module uses (the package ships no type declarations for it).
declare module 'mailauth' {
  type Verdict = { status?: { result?: string } };
  export type AuthenticateOptions = {
    ip?: string;
    helo?: string;
    sender?: string;
    mta?: string;
    trustReceived?: boolean;
    disableArc?: boolean;
    disableBimi?: boolean;
    resolver?: (name: string, rrtype: string) => Promise<unknown>;
  };
  export function authenticate(
    message: Buffer | string,
    options?: AuthenticateOptions,
  ): Promise<{ spf?: Verdict | false; dkim?: { results?: Verdict[] }; dmarc?: Verdict | false }>;
}
