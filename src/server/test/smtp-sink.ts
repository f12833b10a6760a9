import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  messageId: string | undefined;
  from: string | undefined;
  to: string[];
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  /** Header names as received, lower-cased, one entry per header line. */
  headerNames: string[];
  raw: string;
};

export type Refusal = { code: number; message: string } | null;

/**
 * A real SMTP server on loopback for tests and benchmarks: it accepts (or refuses, on demand) mail
 * and keeps what it received, parsed. `parse: false` only counts Message-IDs (cheap, for benchmarks).
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Message-ID → how many times it arrived. */
  readonly counts = new Map<string, number>();
  refuseRecipient: (address: string) => Refusal = () => null;
  refuseData: () => Refusal = () => null;
  private server: SMTPServer | null = null;
  private waiters: (() => void)[] = [];
  port = 0;

  private constructor(private readonly parse: boolean) {}

  static async start(options: { port?: number; parse?: boolean } = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(options.parse ?? true);
    await sink.listen(options.port ?? 0);
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Listens again (on the same port once it was known): "SMTP is back". */
  async listen(port = this.port): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // "SMTP down" must be down at once, not after open connections drain.
      closeTimeout: 100,
      size: 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        const refusal = this.refuseRecipient(address.address);
        callback(refusal ? Object.assign(new Error(refusal.message), { responseCode: refusal.code }) : undefined);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const refusal = this.refuseData();
          if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          const raw = Buffer.concat(chunks).toString('utf8');
          void this.receive(raw, session.envelope.rcptTo.map((r) => r.address)).then(() => callback(), callback);
        });
      },
    });
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  /** Stops listening and drops open connections: "SMTP is down". */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once at least `n` mails arrived (rejects after timeoutMs: a hung test fails, it does not hang). */
  async waitFor(n: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.total() < n) {
      if (Date.now() > deadline) throw new Error(`SmtpSink: ${this.total()} mails after ${timeoutMs} ms, expected ${n}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  private async receive(raw: string, rcptTo: string[]) {
    const messageId = /^message-id:\s*(<[^>\r\n]*>)/im.exec(raw)?.[1] ?? '(none)';
    this.counts.set(messageId, (this.counts.get(messageId) ?? 0) + 1);
    if (this.parse) {
      const parsed = await simpleParser(raw);
      const headerEnd = raw.indexOf('\r\n\r\n');
      const headerNames = raw
        .slice(0, headerEnd)
        .split('\r\n')
        .filter((line) => !/^[ \t]/.test(line))
        .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
      this.mails.push({
        messageId: parsed.messageId,
        from: parsed.from?.text,
        to: rcptTo,
        subject: parsed.subject,
        text: parsed.text,
        html: typeof parsed.html === 'string' ? parsed.html : undefined,
        headerNames,
        raw,
      });
    }
    for (const w of this.waiters.splice(0)) w();
  }
}
