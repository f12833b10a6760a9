-- Superseded: the current text of tf_send_customer_message is migrations/functions/send-customer-message.sql
-- (applied with CREATE OR REPLACE on every migrate). This file stays as it was applied, for upgrades.
-- A customer's send in one statement (one round trip instead of BEGIN, lock, state, insert, COMMIT):
-- messages.repo.ts sendCustomerMessageOnce calls it outside any transaction, so it commits on its own.
-- It does what messages.service.ts did in its transaction, in the same order and under the same lock:
--   1. lock the ticket row (FOR UPDATE)                                  -> 'not_found' when there is none;
--   2. the token: the ticket's own hash, or an unexpired e-mail link      -> 'not_found' when neither;
--   3. a message already stored under this clientId (a retry)            -> 'existing' with that message;
--   4. the ticket's state                                                 -> 'closed';
--   5. the customer's messages in the window, against the limit          -> 'rate_limited' (count, oldest);
--   6. the next seq (last_message_seq + 1 under the lock: commit order, no tie, no gap), the message and
--      its message_sent analytics row (the statement of insertMessage), and a pending or resolved ticket
--      handed back to the agents ('open', ticket.updated NOTIFY sent at commit)  -> 'created'.
-- Refusals write nothing. message.created is published by the caller after the statement (publisher).
--
-- Snapshots: the function is VOLATILE, so in READ COMMITTED every statement in it takes a fresh
-- snapshot. The statements after the row-lock wait of step 1 therefore see what the previous holder of
-- the lock committed (a retry of the same clientId, the sends counted by the limit), exactly as the
-- separate statements of the former transaction did. A single SQL statement (a CTE with the checks as
-- conditions) would not: its subqueries would all read the snapshot taken before the lock wait.
CREATE FUNCTION tf_send_customer_message(
  p_ticket_id uuid,
  p_token_hash text,
  p_body text,
  p_client_id uuid,
  p_limit integer,
  p_window_seconds integer,
  p_reopen_event text,
  OUT send_outcome text,
  OUT send_lang text,
  OUT send_recent_count integer,
  OUT send_oldest_recent timestamptz,
  OUT sent_message support_messages
) AS $$
DECLARE
  t support_requests%ROWTYPE;
BEGIN
  SELECT * INTO t FROM support_requests WHERE id = p_ticket_id FOR UPDATE;
  IF NOT FOUND THEN
    send_outcome := 'not_found';
    RETURN;
  END IF;
  send_lang := t.lang;

  IF t.token_hash IS DISTINCT FROM p_token_hash AND NOT EXISTS (
    SELECT 1 FROM ticket_access_tokens a
     WHERE a.token_hash = p_token_hash AND a.ticket_id = p_ticket_id AND a.expires_at > now()
  ) THEN
    send_outcome := 'not_found';
    RETURN;
  END IF;

  SELECT m.* INTO sent_message FROM support_messages m WHERE m.request_id = p_ticket_id AND m.client_id = p_client_id;
  IF FOUND THEN
    send_outcome := 'existing';
    RETURN;
  END IF;

  IF t.status = 'closed' THEN
    send_outcome := 'closed';
    RETURN;
  END IF;

  SELECT count(*)::integer, min(m.created_at) INTO send_recent_count, send_oldest_recent
    FROM support_messages m
   WHERE m.request_id = p_ticket_id AND m.author_type = 'user'
     AND m.created_at > now() - make_interval(secs => p_window_seconds);
  IF send_recent_count >= p_limit THEN
    send_outcome := 'rate_limited';
    RETURN;
  END IF;

  WITH next AS (
    UPDATE support_requests SET last_message_seq = last_message_seq + 1, updated_at = now()
     WHERE id = p_ticket_id RETURNING last_message_seq
  ), ins AS (
    INSERT INTO support_messages (request_id, author_type, body, client_id, agent_id, seq)
    SELECT p_ticket_id, 'user', p_body, p_client_id, NULL, last_message_seq FROM next
    RETURNING *
  ), analytics AS (
    INSERT INTO support_analytics (metric_type, request_id, agent_id, metadata)
    SELECT 'message_sent', request_id, agent_id, jsonb_build_object('author_type', author_type) FROM ins
  )
  SELECT * INTO sent_message FROM ins;

  IF t.status IN ('pending', 'resolved') THEN
    UPDATE support_requests SET status = 'open', updated_at = now(), resolved_at = NULL WHERE id = p_ticket_id;
    PERFORM pg_notify('tf_events_' || current_schema(), p_reopen_event);
  END IF;

  send_outcome := 'created';
END;
$$ LANGUAGE plpgsql VOLATILE;
