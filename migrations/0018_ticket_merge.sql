-- The customer panel and merging (issue 16; modules/tickets/merge-tickets.ts, docs/agents.md).
--
-- A ticket merged into another keeps its row (closed), with merged_into naming the ticket that now
-- holds its conversation: its messages, attachments and e-mail links moved there. Its customer's token
-- still opens the kept ticket (tf_token_opens_ticket, functions/ticket-token.sql), so the widget that
-- holds it follows. merged_into always names a ticket that was not merged itself (a merge of a ticket
-- that absorbed others points them at the new kept ticket too).
ALTER TABLE support_requests ADD COLUMN merged_into uuid REFERENCES support_requests (id) ON DELETE SET NULL;
CREATE INDEX idx_support_requests_merged_into ON support_requests (merged_into) WHERE merged_into IS NOT NULL;

-- The customer panel lists a customer's tickets by address, whatever its case (older rows kept it).
CREATE INDEX idx_support_requests_lower_email ON support_requests (lower(email), created_at DESC);
