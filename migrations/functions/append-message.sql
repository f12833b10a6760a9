-- Appends a message to a ticket, whoever wrote it (customer, agent, anything added later): takes the
-- ticket's next seq (last_message_seq + 1: the UPDATE locks the ticket row until the caller's
-- transaction ends, so seq follows commit order, without tie or gap), inserts the message and its
-- message_sent analytics row, and returns the message. The caller checks whether it may (token, state,
-- limits, a retried clientId) and publishes message.created after commit. The one text of this rule:
-- appendMessage (modules/tickets/append-message.ts), tf_send_customer_message and the benches call it.
-- plpgsql, not sql: its statement's plan is cached per connection (a send is the hot path).
CREATE OR REPLACE FUNCTION tf_append_message(
  p_ticket_id uuid,
  p_author_type text,
  p_body text,
  p_client_id uuid,
  p_agent_id uuid
) RETURNS support_messages
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  m support_messages;
BEGIN
  WITH next AS (
    UPDATE support_requests SET last_message_seq = last_message_seq + 1, updated_at = now()
     WHERE id = p_ticket_id RETURNING last_message_seq
  ), ins AS (
    INSERT INTO support_messages (request_id, author_type, body, client_id, agent_id, seq)
    SELECT p_ticket_id, p_author_type, p_body, p_client_id, p_agent_id, last_message_seq FROM next
    RETURNING *
  ), analytics AS (
    INSERT INTO support_analytics (metric_type, request_id, agent_id, metadata)
    SELECT 'message_sent', request_id, agent_id, jsonb_build_object('author_type', author_type) FROM ins
  )
  SELECT * INTO m FROM ins;
  RETURN m;
END;
$$;
