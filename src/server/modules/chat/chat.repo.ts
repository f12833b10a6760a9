import type { BotTurnDetail } from '../../../contracts/chat.ts';
import type { Lang } from '../../../contracts/common.ts';
import type { Queryable } from '../../db/index.ts';

export type BotThreadRow = {
  id: string;
  lang: Lang;
  request_id: string | null;
  last_turn_seq: number;
  created_at: Date;
  last_activity_at: Date;
};

export type BotTurnRow = {
  seq: number;
  author_type: 'user' | 'bot';
  body: string;
  detail: BotTurnDetail | null;
  created_at: Date;
};

export async function insertThread(q: Queryable, t: { tokenHash: string; lang: Lang }): Promise<BotThreadRow> {
  const { rows } = await q.query<BotThreadRow>(
    `INSERT INTO bot_threads (token_hash, lang) VALUES ($1, $2)
     RETURNING id, lang, request_id, last_turn_seq, created_at, last_activity_at`,
    [t.tokenHash, t.lang],
  );
  return rows[0]!;
}

/** The thread of a token's hash, locked for the caller's transaction (its turns are numbered under this lock). */
export async function lockThreadByTokenHash(q: Queryable, tokenHash: string): Promise<BotThreadRow | null> {
  const { rows } = await q.query<BotThreadRow>(
    `SELECT id, lang, request_id, last_turn_seq, created_at, last_activity_at FROM bot_threads WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function findThreadByTokenHash(q: Queryable, tokenHash: string): Promise<BotThreadRow | null> {
  const { rows } = await q.query<BotThreadRow>(
    `SELECT id, lang, request_id, last_turn_seq, created_at, last_activity_at FROM bot_threads WHERE token_hash = $1`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

/** Appends turns in order after the thread's last one (the caller holds the thread's row lock). */
export async function appendTurns(
  q: Queryable,
  threadId: string,
  turns: Array<{ authorType: 'user' | 'bot'; body: string; detail: BotTurnDetail | null }>,
): Promise<void> {
  await q.query(
    `WITH next AS (
       UPDATE bot_threads SET last_turn_seq = last_turn_seq + $2, last_activity_at = now()
        WHERE id = $1 RETURNING last_turn_seq - $2 AS base
     )
     INSERT INTO bot_turns (thread_id, seq, author_type, body, detail)
     SELECT $1, next.base + t.ord, t.author_type, t.body, t.detail
       FROM next, jsonb_to_recordset($3::jsonb) AS t(ord int, author_type text, body text, detail jsonb)`,
    [threadId, turns.length, JSON.stringify(turns.map((t, i) => ({ ord: i + 1, author_type: t.authorType, body: t.body, detail: t.detail })))],
  );
}

/** The thread's latest turns (at most `limit`), oldest first. */
export async function listTurns(q: Queryable, threadId: string, limit: number): Promise<BotTurnRow[]> {
  const { rows } = await q.query<BotTurnRow>(
    `SELECT seq, author_type, body, detail, created_at FROM (
       SELECT seq, author_type, body, detail, created_at FROM bot_turns WHERE thread_id = $1 ORDER BY seq DESC LIMIT $2
     ) latest ORDER BY seq`,
    [threadId, limit],
  );
  return rows;
}

export async function setThreadTicket(q: Queryable, threadId: string, ticketId: string): Promise<void> {
  await q.query(`UPDATE bot_threads SET request_id = $2, last_activity_at = now() WHERE id = $1`, [threadId, ticketId]);
}

/** Whether the thread ever showed an answer with this key (feedback is only taken on what was shown). */
export async function threadShowedAnswer(q: Queryable, threadId: string, key: string): Promise<boolean> {
  const { rows } = await q.query<{ shown: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM bot_turns t, jsonb_array_elements(t.detail -> 'answers') a
        WHERE t.thread_id = $1 AND t.author_type = 'bot' AND a ->> 'key' = $2
     ) AS shown`,
    [threadId, key],
  );
  return rows[0]!.shown;
}

/** The customer's last choice on an answer of the thread (null: none yet). */
export async function findFeedback(q: Queryable, threadId: string, key: string): Promise<boolean | null> {
  const { rows } = await q.query<{ helpful: boolean }>(`SELECT helpful FROM bot_feedback WHERE thread_id = $1 AND answer_key = $2`, [
    threadId,
    key,
  ]);
  return rows[0]?.helpful ?? null;
}

/** The customer's question that the thread's latest bot turn showing this answer replied to. */
export async function findQuestionAnsweredBy(q: Queryable, threadId: string, key: string): Promise<string | null> {
  const { rows } = await q.query<{ body: string }>(
    `SELECT u.body FROM bot_turns b
       JOIN bot_turns u ON u.thread_id = b.thread_id AND u.seq = b.seq - 1 AND u.author_type = 'user'
      WHERE b.thread_id = $1 AND b.author_type = 'bot'
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(b.detail -> 'answers') a WHERE a ->> 'key' = $2)
      ORDER BY b.seq DESC LIMIT 1`,
    [threadId, key],
  );
  return rows[0]?.body ?? null;
}

export async function upsertFeedback(q: Queryable, f: { threadId: string; key: string; helpful: boolean }): Promise<void> {
  await q.query(
    `INSERT INTO bot_feedback (thread_id, answer_key, helpful) VALUES ($1, $2, $3)
     ON CONFLICT (thread_id, answer_key) DO UPDATE SET helpful = EXCLUDED.helpful, created_at = now()`,
    [f.threadId, f.key, f.helpful],
  );
}

/** Deletes up to `limit` threads that never became a ticket and saw nothing since `before`; how many went. */
export async function deleteStaleThreads(q: Queryable, before: Date, limit: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM bot_threads WHERE id IN (
         SELECT id FROM bot_threads WHERE request_id IS NULL AND last_activity_at < $1 ORDER BY last_activity_at LIMIT $2
       ) RETURNING 1
     ) SELECT count(*)::int AS n FROM gone`,
    [before, limit],
  );
  return rows[0]!.n;
}

export type DeflectionRow = {
  threads: number;
  questions: number;
  answered: number;
  helpful: number;
  notHelpful: number;
  handedOver: number;
  deflected: number;
};

/**
 * Deflection over the chat threads started in [from, to): how many threads and questions, how many
 * questions the bot answered from the FAQ, the 👍/👎 given, how many threads were handed to a person, and
 * how many threads got an answer and were never handed over (deflected).
 */
export async function deflectionFigures(q: Queryable, from: Date, to: Date): Promise<DeflectionRow> {
  const { rows } = await q.query<DeflectionRow>(
    `WITH th AS (
       SELECT id, request_id FROM bot_threads WHERE created_at >= $1 AND created_at < $2
     ), bot AS (
       SELECT t.thread_id,
              jsonb_array_length(coalesce(t.detail -> 'answers', '[]'::jsonb)) > 0 AND NOT coalesce((t.detail ->> 'escalate')::boolean, false) AS answered
         FROM bot_turns t JOIN th ON th.id = t.thread_id WHERE t.author_type = 'bot'
     ), fb AS (
       SELECT f.helpful FROM bot_feedback f JOIN th ON th.id = f.thread_id
     ), answered_threads AS (
       SELECT DISTINCT bot.thread_id, th.request_id FROM bot JOIN th ON th.id = bot.thread_id WHERE bot.answered
     )
     SELECT (SELECT count(*) FROM th)::int AS threads,
            (SELECT count(*) FROM bot)::int AS questions,
            (SELECT count(*) FROM bot WHERE answered)::int AS answered,
            (SELECT count(*) FROM fb WHERE helpful)::int AS helpful,
            (SELECT count(*) FROM fb WHERE NOT helpful)::int AS "notHelpful",
            (SELECT count(*) FROM th WHERE request_id IS NOT NULL)::int AS "handedOver",
            (SELECT count(*) FROM answered_threads WHERE request_id IS NULL)::int AS deflected`,
    [from, to],
  );
  return rows[0]!;
}
