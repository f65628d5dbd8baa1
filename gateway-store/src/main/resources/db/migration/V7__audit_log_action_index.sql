-- The admin page filters the audit log by action and lists the actions that occur (AuditLog.search, actions()):
-- an index keeps both from reading the whole log, which only grows.
CREATE INDEX audit_log_action ON audit_log (action);
