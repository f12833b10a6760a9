import { promises as dns } from 'node:dns';
import { authenticate } from 'mailauth';

/** A DNS look-up as mailauth calls it (`dns.promises.resolve`'s shape). */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

/** The verdicts kept with an e-mail and shown to the agents: pass, fail, softfail, neutral, none, temperror… */
export type MailAuthVerdicts = { spf: string | null; dkim: string | null; dmarc: string | null };

/** A look-up that does not answer within this is a temperror, not a stuck delivery. */
const DNS_TIMEOUT_MS = 5000;
const VERDICT_MAX_CHARS = 32;

const systemResolver: DnsResolver = (name, rrtype) =>
  Promise.race([
    dns.resolve(name, rrtype),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(Object.assign(new Error(`DNS timeout for ${name}`), { code: 'ETIMEOUT' })), DNS_TIMEOUT_MS).unref(),
    ),
  ]);

function verdict(value: string | undefined): string | null {
  return value ? value.slice(0, VERDICT_MAX_CHARS) : null;
}

/**
 * SPF (needs the sending server's address: known over SMTP, unknown through a provider's webhook,
 * where the provider checked it), DKIM and DMARC of an inbound e-mail, through mailauth. The verdicts
 * inform the agent; they decide nothing on their own (a customer's mail forwarded by an old provider
 * often fails SPF). Any error is a `temperror`, never a lost e-mail.
 */
export async function checkMailAuth(
  raw: Buffer,
  o: { ip?: string; helo?: string; mailFrom?: string; mta: string; resolver?: DnsResolver },
): Promise<MailAuthVerdicts> {
  try {
    const res = await authenticate(raw, {
      ip: o.ip,
      helo: o.helo,
      sender: o.mailFrom || undefined,
      mta: o.mta,
      trustReceived: false,
      disableArc: true,
      disableBimi: true,
      resolver: o.resolver ?? systemResolver,
    });
    const dkim = res.dkim?.results ?? [];
    return {
      spf: o.ip && res.spf ? verdict(res.spf.status?.result) : null,
      dkim: verdict(dkim.find((r) => r.status?.result === 'pass')?.status?.result ?? dkim[0]?.status?.result ?? 'none'),
      dmarc: res.dmarc ? verdict(res.dmarc.status?.result) : null,
    };
  } catch {
    return { spf: o.ip ? 'temperror' : null, dkim: 'temperror', dmarc: 'temperror' };
  }
}
