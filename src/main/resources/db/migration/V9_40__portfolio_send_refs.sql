-- Issue 17, per-number limits: a capacity reservation names the send it was made for, so a send Meta refused
-- (never accepted) gives exactly its own place back in the portfolio's moving 24-hour window. Rows written when
-- Meta accepted a template (the channel's count) carry no reference and are never released.
ALTER TABLE whatsapp_portfolio_sends ADD COLUMN send_ref varchar(600);
CREATE INDEX whatsapp_portfolio_sends_ref ON whatsapp_portfolio_sends (send_ref) WHERE send_ref IS NOT NULL;
