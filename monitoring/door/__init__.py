"""The door: who may see what, throttles and backoff, the client's address, where a link leads next."""
