"""Personal data under Korea's Personal Information Protection Act: who acts, the access log,
retention and destruction, minimisation and data-subject rights (``store.privacy``)."""
