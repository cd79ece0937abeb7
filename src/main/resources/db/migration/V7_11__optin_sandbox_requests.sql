-- Issue 13: "START KEYWORD" written on the sandbox phone makes a SANDBOX request, which a real WhatsApp "JA"
-- cannot confirm (its owner never saw the consent text the sandbox phone showed).
ALTER TABLE optin_requests DROP CONSTRAINT optin_requests_via;
ALTER TABLE optin_requests ADD CONSTRAINT optin_requests_via CHECK (via IN ('WEB', 'WHATSAPP', 'SANDBOX'));
