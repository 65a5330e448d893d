"""What goes out: the Jems report and its files, what changed, per-partner lists, the digest and its mail, the steering committee's meeting, narratives and slides."""
