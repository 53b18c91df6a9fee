"""The reference link checker: whether the sources articles cite still lead
somewhere (``checker``), and what the site keeps of each answer (``runs``)."""
