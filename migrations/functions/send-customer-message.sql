-- A customer's send in one statement (one round trip instead of BEGIN, lock, state, insert, COMMIT):
-- sendCustomerMessage (modules/tickets/send-customer-message.ts) calls it outside any transaction, so it
-- commits on its own. First created by migration 0009 (dropped by 0022, which added send_from_thread);
-- this file is its current text.
--   1. lock the ticket row (FOR UPDATE)                                  -> 'not_found' when there is none;
--   2. the token (tf_token_opens_ticket: own hash or live e-mail link)  -> 'not_found' when neither;
--   3. a message already stored under this clientId (a retry)            -> 'existing' with that message;
--   4. the ticket's state: merged into another (merged_into, migration 0018; whatever its status) -> 'merged'
--      (the caller names the kept ticket), else closed                   -> 'closed';
--   5. the customer's messages in the window, against the limit          -> 'rate_limited' (count, oldest);
--   6. the message (tf_append_message: next seq, message, message_sent analytics row), and a pending or
--      resolved ticket handed back to the agents ('open', ticket.updated NOTIFY sent at commit) -> 'created'.
-- Refusals write nothing. message.created is published by the caller after the statement (publisher).
-- 'existing' and 'created' also give the ticket's language and whether it was opened from a bot
-- thread (support_requests.opened_from_thread, migration 0022): the bot's answer while the ticket waits
-- for a person (modules/chat/answer-while-waiting.ts) needs no statement of its own to know that.
-- The outcomes become HTTP errors in one place: modules/tickets/outcomes.ts.
--
-- Snapshots: the function is VOLATILE, so in READ COMMITTED every statement in it takes a fresh
-- snapshot. The statements after the row-lock wait of step 1 therefore see what the previous holder of
-- the lock committed (a retry of the same clientId, the sends counted by the limit). A single SQL
-- statement (a CTE with the checks as conditions) would not: its subqueries would all read the snapshot
-- taken before the lock wait.
CREATE OR REPLACE FUNCTION tf_send_customer_message(
  p_ticket_id uuid,
  p_token_hash text,
  p_body text,
  p_client_id uuid,
  p_limit integer,
  p_window_seconds integer,
  p_reopen_event text,
  OUT send_outcome text,
  OUT send_lang text,
  OUT send_from_thread boolean,
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
  send_from_thread := t.opened_from_thread;

  IF NOT tf_token_opens_ticket(p_ticket_id, p_token_hash) THEN
    send_outcome := 'not_found';
    RETURN;
  END IF;

  SELECT m.* INTO sent_message FROM support_messages m WHERE m.request_id = p_ticket_id AND m.client_id = p_client_id;
  IF FOUND THEN
    send_outcome := 'existing';
    RETURN;
  END IF;

  IF t.merged_into IS NOT NULL THEN
    send_outcome := 'merged';
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

  sent_message := tf_append_message(p_ticket_id, 'user', p_body, p_client_id, NULL);

  IF t.status IN ('pending', 'resolved') THEN
    -- resolved_at is cleared by the track_resolved_at trigger (functions/ticket-status.sql).
    UPDATE support_requests SET status = 'open', updated_at = now() WHERE id = p_ticket_id;
    PERFORM pg_notify(tf_bus_channel(), p_reopen_event);
  END IF;

  send_outcome := 'created';
END;
$$ LANGUAGE plpgsql VOLATILE;
