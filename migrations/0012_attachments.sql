-- Photos and files of a conversation (issue 17; modules/attachments, docs/attachments.md).
-- An upload is stored first, attached to no message (message_id NULL), then linked to the message that
-- carries it in the transaction that writes the message. `client_id` makes an upload idempotent per
-- ticket and side, like a message's. Deleting a ticket (erasure, retention) deletes its attachments
-- with it (ON DELETE CASCADE), and their bytes: in attachment_blobs by the same cascade, in an external
-- object store through attachment_deleted_objects, which the module empties (deleteObjects).

CREATE TABLE attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
  message_id uuid REFERENCES support_messages (id) ON DELETE CASCADE,
  uploaded_by text NOT NULL CHECK (uploaded_by IN ('user', 'agent')),
  agent_id uuid REFERENCES agents (id) ON DELETE SET NULL,
  client_id uuid,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  mime text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size integer NOT NULL CHECK (size > 0),
  width integer,
  height integer,
  thumb_mime text,
  -- where the bytes are: 'pg' (attachment_blobs) or 's3' (an S3-compatible bucket, keys <id>/original, <id>/thumb)
  storage text NOT NULL CHECK (storage IN ('pg', 's3')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT attachments_client_key UNIQUE (request_id, uploaded_by, client_id)
);

CREATE INDEX idx_attachments_request ON attachments (request_id, created_at);
CREATE INDEX idx_attachments_message ON attachments (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE attachment_blobs (
  attachment_id uuid NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
  variant text NOT NULL CHECK (variant IN ('original', 'thumb')),
  bytes bytea NOT NULL,
  PRIMARY KEY (attachment_id, variant)
);

-- Objects of an external store whose attachment row is gone: the module deletes them from the store.
CREATE TABLE attachment_deleted_objects (
  attachment_id uuid PRIMARY KEY,
  deleted_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION tf_attachment_deleted() RETURNS trigger AS $$
BEGIN
  INSERT INTO attachment_deleted_objects (attachment_id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER attachments_deleted_object AFTER DELETE ON attachments
  FOR EACH ROW WHEN (OLD.storage = 's3') EXECUTE FUNCTION tf_attachment_deleted();
