-- Every token expires. Refresh tokens now live a limited time (30 days by
-- default, `--refresh-token-days`), each refresh replacing the one it spends;
-- those issued before had none and get the default from now. Expired
-- tokens are deleted by a periodic clean-up, which finds them by the index.
UPDATE tokens SET expires_at = CAST(EXTRACT(EPOCH FROM now()) AS BIGINT) + 30 * 24 * 60 * 60
WHERE expires_at IS NULL;
CREATE INDEX tokens_expires_at ON tokens (expires_at);
