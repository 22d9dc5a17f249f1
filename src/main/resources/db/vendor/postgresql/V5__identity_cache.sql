-- Nothing to change on PostgreSQL: nextval does not commit, and a per-session sequence cache would hand out
-- ids out of receipt order across connections (the outbox orders deliveries by inbox id). H2 needs a larger
-- identity cache (see db/vendor/h2).
select 1;
