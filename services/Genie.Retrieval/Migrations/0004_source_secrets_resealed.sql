-- Source secrets move from Retrieval's own sealing to the shared SecretProtector (scope "retrieval", the source's
-- id as associated data). Every row that exists now was sealed the old way, so the column's default marks it; rows
-- the service writes from now on say false. At startup LegacySourceSecrets re-seals the marked rows it can open
-- and clears their mark; a row the key no longer opens stays marked until the source's secrets are set again.
ALTER TABLE retrieval.sources ADD COLUMN secrets_legacy boolean NOT NULL DEFAULT true;
