-- Unix milliseconds until which a dispatcher holds the event to deliver it;
-- no other dispatcher (another process on the same file) takes it before
-- then. NULL: nobody holds it.
ALTER TABLE cart_events ADD COLUMN lease_until INTEGER;
