-- Whether a ticket was opened from a bot thread (issue 15: the bot answers FAQ questions in such a
-- ticket while it waits for a person, docs/chatbot.md "While waiting for a person"). Written once, in the
-- creation's transaction that links the thread to the ticket (createTicket, modules/tickets), and never
-- changed: a fact of the ticket's row, read by the customer's send in the statement that stores the
-- message, so that no instance has to look the thread up or remember it.
ALTER TABLE support_requests ADD COLUMN opened_from_thread boolean NOT NULL DEFAULT false;

-- Tickets handed over before this migration: the link bot_threads.request_id names the latest ticket a
-- thread was handed to, so an older ticket of a thread handed over twice stays false (the earlier link
-- was not kept).
UPDATE support_requests r SET opened_from_thread = true
 WHERE EXISTS (SELECT 1 FROM bot_threads t WHERE t.request_id = r.id);

-- tf_send_customer_message returns the fact (a new OUT parameter): CREATE OR REPLACE cannot change a
-- function's result type, so the old one goes here and functions/send-customer-message.sql creates the
-- current one after the numbered migrations.
DROP FUNCTION tf_send_customer_message(uuid, text, text, uuid, integer, integer, text);
