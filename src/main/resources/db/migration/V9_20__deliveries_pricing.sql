-- Issue 17, dispatch side: the pricing of each delivery as Meta's status webhooks report it (billable, category),
-- and the amount the rate card gives for it (recipient's market x category), so an issue's and a month's billable
-- messages and their estimated amount are read from dispatch's own table.
ALTER TABLE issue_deliveries ADD COLUMN pricing_billable boolean;
ALTER TABLE issue_deliveries ADD COLUMN pricing_category varchar(64);
ALTER TABLE issue_deliveries ADD COLUMN pricing_amount numeric(12, 4);
ALTER TABLE issue_deliveries ADD COLUMN pricing_currency varchar(3);
